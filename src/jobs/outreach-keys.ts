// The unique keys that make each piece of outreach happen once, claimed and released for a whole batch of
// plans with one statement per kind: a reminder per tenant and due date (reminders_sent), a missed-payment
// text per episode, tenant and attempt (episode_texts), a nudge per instalment and tenant
// (arrangement_nudges). Claims insert ON CONFLICT DO NOTHING, so a racing run waits on the unique index,
// then finds the key taken; rows are inserted in the caller's (sorted) order so two racers lock alike. A key
// names its conversation from the start (the caller drew the id): the reference is checked at commit
// (migration 0081), by when the conversation exists or the key has been released.
import type { TransactionSql } from '../db/connect.js';
import { arrayParam } from '../db/params.js';

export type OutreachKey =
  | { kind: 'reminder'; dueDate: string }
  | { kind: 'episode_text'; episodeId: number | null; attempt: number; arrearsPence: number }
  | { kind: 'nudge'; arrangementId: number; instalmentDate: string };

interface KeyedPlan {
  tenancyRef: string;
  tenantNo: number;
  once: OutreachKey;
}

type Kind = OutreachKey['kind'];
type KeyOf<K extends Kind> = Extract<OutreachKey, { kind: K }>;

function ofKind<K extends Kind>(plans: readonly KeyedPlan[], kind: K): { plan: KeyedPlan; key: KeyOf<K> }[] {
  return plans.flatMap((plan) => (plan.once.kind === kind ? [{ plan, key: plan.once as KeyOf<K> }] : []));
}

const reminderId = (ref: string, no: number, due: string) => `r:${ref}/${no}/${due}`;
const textId = (episode: number, no: number, attempt: number) => `t:${episode}/${no}/${attempt}`;
const nudgeId = (arrangement: number, instalment: string, no: number) => `n:${arrangement}/${instalment}/${no}`;

function idOf(plan: KeyedPlan): string | null {
  const key = plan.once;
  switch (key.kind) {
    case 'reminder':
      return reminderId(plan.tenancyRef, plan.tenantNo, key.dueDate);
    case 'episode_text':
      return key.episodeId === null ? null : textId(key.episodeId, plan.tenantNo, key.attempt);
    case 'nudge':
      return nudgeId(key.arrangementId, key.instalmentDate, plan.tenantNo);
  }
}

/**
 * Inserts every plan's key, naming the conversation the plan will start (`conversationIds`, in plan order);
 * true for the plans whose key this call created (false: done by another run).
 */
export async function claimKeys(
  tx: TransactionSql,
  plans: readonly KeyedPlan[],
  conversationIds: readonly number[],
  now: Date,
): Promise<boolean[]> {
  const claimed = new Set<string>();
  const conversationOf = new Map(plans.map((plan, i) => [plan, conversationIds[i] ?? null]));
  const ids = (of: readonly { plan: KeyedPlan }[]) => of.map((o) => conversationOf.get(o.plan) ?? null);
  const reminders = ofKind(plans, 'reminder');
  if (reminders.length > 0) {
    const rows = await tx<{ tenancy_ref: string; tenant_no: number; due_date: string }[]>`
      insert into reminders_sent (tenancy_ref, tenant_no, due_date, conversation_id, created_at)
      select k.tenancy_ref, k.tenant_no, k.due_date, k.conversation_id, ${now}::timestamptz
      from unnest(${reminders.map((r) => r.plan.tenancyRef)}::text[], ${reminders.map((r) => r.plan.tenantNo)}::smallint[],
                  ${reminders.map((r) => r.key.dueDate)}::date[], ${arrayParam(tx, ids(reminders))}::bigint[])
        with ordinality as k(tenancy_ref, tenant_no, due_date, conversation_id, ord)
      order by k.ord
      on conflict do nothing returning tenancy_ref, tenant_no, due_date::text as due_date`;
    for (const r of rows) claimed.add(reminderId(r.tenancy_ref, r.tenant_no, r.due_date));
  }
  const texts = ofKind(plans, 'episode_text').filter((t) => t.key.episodeId !== null);
  if (texts.length > 0) {
    const rows = await tx<{ episode_id: number; tenant_no: number; attempt: number }[]>`
      insert into episode_texts (episode_id, tenant_no, attempt, arrears_pence, conversation_id, created_at)
      select k.episode_id, k.tenant_no, k.attempt, k.arrears_pence, k.conversation_id, ${now}::timestamptz
      from unnest(${texts.map((t) => t.key.episodeId as number)}::bigint[], ${texts.map((t) => t.plan.tenantNo)}::smallint[],
                  ${texts.map((t) => t.key.attempt)}::int[], ${texts.map((t) => t.key.arrearsPence)}::int[],
                  ${arrayParam(tx, ids(texts))}::bigint[])
        with ordinality as k(episode_id, tenant_no, attempt, arrears_pence, conversation_id, ord)
      order by k.ord
      on conflict do nothing returning episode_id::int as episode_id, tenant_no, attempt`;
    for (const r of rows) claimed.add(textId(r.episode_id, r.tenant_no, r.attempt));
  }
  const nudges = ofKind(plans, 'nudge');
  if (nudges.length > 0) {
    const rows = await tx<{ arrangement_id: number; instalment_date: string; tenant_no: number }[]>`
      insert into arrangement_nudges (arrangement_id, instalment_date, tenant_no, conversation_id, created_at)
      select k.arrangement_id, k.instalment_date, k.tenant_no, k.conversation_id, ${now}::timestamptz
      from unnest(${nudges.map((n) => n.key.arrangementId)}::bigint[], ${nudges.map((n) => n.key.instalmentDate)}::date[],
                  ${nudges.map((n) => n.plan.tenantNo)}::smallint[], ${arrayParam(tx, ids(nudges))}::bigint[])
        with ordinality as k(arrangement_id, instalment_date, tenant_no, conversation_id, ord)
      order by k.ord
      on conflict do nothing returning arrangement_id::int as arrangement_id, instalment_date::text as instalment_date, tenant_no`;
    for (const r of rows) claimed.add(nudgeId(r.arrangement_id, r.instalment_date, r.tenant_no));
  }
  return plans.map((plan) => {
    const id = idOf(plan);
    return id !== null && claimed.has(id);
  });
}

/**
 * Deletes keys claimed in this transaction for plans that could not start: what rolling back the
 * one-at-a-time transaction did, so a later run may try again.
 */
export async function releaseKeys(tx: TransactionSql, plans: readonly KeyedPlan[]): Promise<void> {
  const reminders = ofKind(plans, 'reminder');
  if (reminders.length > 0) {
    await tx`
      delete from reminders_sent r
      using unnest(${reminders.map((r) => r.plan.tenancyRef)}::text[], ${reminders.map((r) => r.plan.tenantNo)}::smallint[],
                   ${reminders.map((r) => r.key.dueDate)}::date[]) as k(tenancy_ref, tenant_no, due_date)
      where r.tenancy_ref = k.tenancy_ref and r.tenant_no = k.tenant_no and r.due_date = k.due_date`;
  }
  const texts = ofKind(plans, 'episode_text').filter((t) => t.key.episodeId !== null);
  if (texts.length > 0) {
    await tx`
      delete from episode_texts e
      using unnest(${texts.map((t) => t.key.episodeId as number)}::bigint[], ${texts.map((t) => t.plan.tenantNo)}::smallint[],
                   ${texts.map((t) => t.key.attempt)}::int[]) as k(episode_id, tenant_no, attempt)
      where e.episode_id = k.episode_id and e.tenant_no = k.tenant_no and e.attempt = k.attempt`;
  }
  const nudges = ofKind(plans, 'nudge');
  if (nudges.length > 0) {
    await tx`
      delete from arrangement_nudges a
      using unnest(${nudges.map((n) => n.key.arrangementId)}::bigint[], ${nudges.map((n) => n.key.instalmentDate)}::date[],
                   ${nudges.map((n) => n.plan.tenantNo)}::smallint[]) as k(arrangement_id, instalment_date, tenant_no)
      where a.arrangement_id = k.arrangement_id and a.instalment_date = k.instalment_date and a.tenant_no = k.tenant_no`;
  }
}
