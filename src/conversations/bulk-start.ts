// Starting many conversations at once: the daily job's path, where ~50,000 missed-payment texts can fall due
// on one morning. It writes exactly the rows startConversation (start.ts) writes, one conversation at a
// time, but with a few set-based statements per batch inside the caller's transaction: tenants, their
// tenancies and open conversations in one read; the pure engine's startSession in code; then conversations
// (with `purpose`), outbox messages with their `message_queued` contact-log lines and one NOTIFY (as
// enqueueMessage does), timers under their conversation-id prefix, and the other contact-log lines, each
// with `unnest`. The rare start whose effects go beyond texts, timers and log lines falls back to
// applyEffects, so nothing is approximated.
import type { TenancyScheduleColumns } from '../accounts/queries.js';
import { arrearsAfterGrace, inGraceSumSql } from '../rent/arrears-sql.js';
import type { TransactionSql } from '../db/connect.js';
import { startSession, type Channel, type Effect, type Session } from '../engine/index.js';
import { writeOutbound } from '../db/queries/messages.js';
import { drawConversationIds } from '../db/queries/conversations.js';
import { OUTBOX_CHANNEL, assertValidOutbound } from '../outbox/queue.js';
import { localDateOf } from '../rent/schedule.js';
import { scheduleOf } from '../accounts/summary.js';
import { conversationContext } from './context.js';
import { applyEffects, storedTimerId, type MessagePurpose } from './effects.js';
import type { StartDeps, StartResult } from './start.js';
import { appendContactLogs, type LogEntry } from '../db/queries/contact-log.js';
import { contactTenantColumns, type ContactTenant } from '../db/queries/tenants.js';

/** The rent-account figures a flow may read; the same as assessAccount's balance and arrears. */
export interface StartFigures {
  balancePence: number;
  arrearsPence: number;
}

export interface BulkStartRequest {
  tenancyRef: string;
  tenantNo: number;
  flowId: string;
  purpose: MessagePurpose;
  vars?: Record<string, string | number>;
  /** Figures the caller has just worked out (the daily sweep); read from the ledger when absent. */
  figures?: StartFigures;
  /** The id to give the conversation, drawn by the caller (drawConversationIds) so its keys can name it; drawn here when absent. */
  conversationId?: number;
}

interface TenantAndTenancy extends ContactTenant, TenancyScheduleColumns {
  has_open: boolean;
}

/** Effects this module writes in sets; anything else goes through applyEffects. */
const BULK_EFFECTS: ReadonlySet<Effect['type']> = new Set(['send', 'set_timer', 'end', 'verified']);

const keyOf = (ref: string, no: number) => `${ref}/${no}`;

async function loadTenants(
  tx: TransactionSql,
  requests: readonly BulkStartRequest[],
): Promise<Map<string, TenantAndTenancy>> {
  const rows = await tx<TenantAndTenancy[]>`
    select ${contactTenantColumns(tx, 't')},
      y.rent_frequency, y.rent_amount_pence, y.rent_due_day, y.start_date, y.end_date, y.benefit,
      exists (select 1 from conversations c where c.tenancy_ref = t.tenancy_ref and c.tenant_no = t.tenant_no and c.status = 'active') as has_open
    from unnest(${requests.map((r) => r.tenancyRef)}::text[], ${requests.map((r) => r.tenantNo)}::smallint[]) as r(tenancy_ref, tenant_no)
    join tenants t using (tenancy_ref, tenant_no)
    join tenancies y using (tenancy_ref)`;
  return new Map(rows.map((row) => [keyOf(row.tenancy_ref, row.tenant_no), row]));
}

/** Balance and arrears (after the grace period) of the rent account, as assessAccount works them out. */
async function loadFigures(
  tx: TransactionSql,
  refs: readonly string[],
  today: string,
  graceDays: number,
): Promise<Map<string, StartFigures>> {
  if (refs.length === 0) return new Map();
  const rows = await tx<{ tenancy_ref: string; balance: number; in_grace: number }[]>`
    select tenancy_ref, coalesce(sum(amount_pence), 0)::int as balance,
      ${tx.unsafe(inGraceSumSql(today, graceDays))} as in_grace
    from transactions
    where tenancy_ref = any(${[...new Set(refs)]}::text[]) and account = 'rent' and date <= ${today}
    group by tenancy_ref`;
  const byRef = new Map(
    rows.map((r) => [
      r.tenancy_ref,
      { balancePence: r.balance, arrearsPence: arrearsAfterGrace(r.balance, r.in_grace) },
    ]),
  );
  return new Map(refs.map((ref) => [ref, byRef.get(ref) ?? { balancePence: 0, arrearsPence: 0 }]));
}

interface Started {
  index: number;
  tenant: TenantAndTenancy;
  channel: Channel;
  purpose: MessagePurpose;
  arrearsPence: number;
  session: Session;
  effects: Effect[];
  conversationId: number;
}

/**
 * Inserts each start's conversation under the id it was given; a start whose insert found the tenant's
 * conversation already open is left with id 0.
 */
async function insertConversations(tx: TransactionSql, started: Started[], now: Date): Promise<void> {
  // The partial unique index keeps one open conversation per tenant; one the tenant opened a moment ago wins.
  const rows = await tx<{ id: number }[]>`
    insert into conversations (id, tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, started_at, updated_at, ended_at, purpose)
    overriding system value
    select c.id, c.tenancy_ref, c.tenant_no, c.flow_id, c.flow_version, c.channel, c.status, c.session, ${now}::timestamptz, ${now}::timestamptz,
      case when c.status = 'ended' then ${now}::timestamptz end, c.purpose
    from unnest(${started.map((s) => s.conversationId)}::bigint[], ${started.map((s) => s.tenant.tenancy_ref)}::text[], ${started.map((s) => s.tenant.tenant_no)}::smallint[],
                ${started.map((s) => s.session.flowId)}::text[], ${started.map((s) => s.session.flowVersion)}::text[],
                ${started.map((s) => s.channel)}::text[], ${started.map((s) => s.session.status)}::text[],
                ${tx.array(started.map((s) => JSON.stringify(s.session)))}::jsonb[], ${started.map((s) => s.purpose)}::text[])
      with ordinality as c(id, tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, purpose, ord)
    order by c.ord
    on conflict (tenancy_ref, tenant_no) where status = 'active' do nothing
    returning id::int as id`;
  const inserted = new Set(rows.map((r) => r.id));
  for (const s of started) if (!inserted.has(s.conversationId)) s.conversationId = 0;
}

interface QueuedText {
  started: Started;
  effect: Extract<Effect, { type: 'send' }>;
}

/** The outbox rows and their contact-log lines through the one outbound writer (as enqueueMessage), one NOTIFY. */
async function queueTexts(tx: TransactionSql, texts: QueuedText[], now: Date): Promise<Map<number, number[]>> {
  const byConversation = new Map<number, number[]>();
  if (texts.length === 0) return byConversation;
  const messages = texts.map(({ started, effect }) => ({
    tenancyRef: started.tenant.tenancy_ref,
    tenantNo: started.tenant.tenant_no,
    conversationId: started.conversationId,
    channel: started.channel,
    to: started.tenant.mobile_e164 as string,
    body: effect.text,
    purpose: started.purpose,
    templateKey: effect.templateKey ?? null,
    templateVariables: effect.templateVariables ?? null,
    now,
  }));
  for (const message of messages) assertValidOutbound(message);
  const rows = await writeOutbound(tx, OUTBOX_CHANNEL, messages, now);
  // Ids are drawn in insertion order, so a conversation's texts come back in the order the flow sent them.
  for (const row of rows)
    if (row.conversation_id !== null)
      byConversation.set(row.conversation_id, [...(byConversation.get(row.conversation_id) ?? []), row.id]);
  return byConversation;
}

async function writeEffects(tx: TransactionSql, started: Started[], now: Date): Promise<Map<number, number[]>> {
  const texts: QueuedText[] = [];
  const timers = new Map<string, { conversationId: number; at: Date }>();
  const logs: LogEntry[] = [];
  for (const s of started) {
    for (const effect of s.effects) {
      if (effect.type === 'send') texts.push({ started: s, effect });
      // A later timer with the same id replaces an earlier one, as the one-at-a-time upsert does.
      else if (effect.type === 'set_timer')
        timers.set(storedTimerId(s.conversationId, effect.timerId), {
          conversationId: s.conversationId,
          at: effect.at,
        });
      else if (effect.type === 'end' || effect.type === 'verified') {
        const event = effect.type === 'end' ? 'conversation_ended' : 'identity_verified';
        const detail = effect.type === 'end' ? { outcome: effect.outcome } : {};
        logs.push({
          at: now,
          tenancyRef: s.tenant.tenancy_ref,
          tenantNo: s.tenant.tenant_no,
          event,
          actor: effect.type === 'end' ? 'rentline' : 'tenant',
          channel: s.channel,
          detail,
        });
      }
    }
  }
  const messageIds = await queueTexts(tx, texts, now);
  if (timers.size > 0) {
    const entries = [...timers];
    // A plain insert: every conversation here was inserted by this call under a freshly drawn id, and a
    // stored timer id begins with its conversation's id, so no row can hold one yet (the upsert applyEffects
    // needs for a running conversation cost a quarter more on the first day's 50,000 timers).
    await tx`
      insert into conversation_timers (timer_id, conversation_id, fire_at)
      select * from unnest(${entries.map(([id]) => id)}::text[], ${entries.map(([, t]) => t.conversationId)}::bigint[],
                           ${entries.map(([, t]) => t.at.toISOString())}::timestamptz[])`;
  }
  await appendContactLogs(tx, logs);
  return messageIds;
}

/**
 * Starts a conversation for each request (each tenant at most once per call), with the same checks and
 * rows as startConversation, and returns one result per request in order. Call inside your transaction.
 */
export async function startConversations(
  tx: TransactionSql,
  deps: StartDeps,
  requests: readonly BulkStartRequest[],
  now: Date,
): Promise<StartResult[]> {
  const results: StartResult[] = requests.map(() => ({ started: false, reason: 'tenant_not_found' }));
  if (requests.length === 0) return results;
  const seen = new Set<string>();
  for (const r of requests) {
    const key = keyOf(r.tenancyRef, r.tenantNo);
    if (seen.has(key)) throw new Error('startConversations: a tenant may appear once per call');
    seen.add(key);
  }
  const tenants = await loadTenants(tx, requests);
  const today = localDateOf(now, deps.timeZone);
  const missing = requests
    .filter((r) => !r.figures && tenants.has(keyOf(r.tenancyRef, r.tenantNo)))
    .map((r) => r.tenancyRef);
  const loaded = await loadFigures(tx, missing, today, deps.policy.arrears.grace_days);

  const started: Started[] = [];
  const unnumbered = requests.filter((r) => r.conversationId === undefined).length;
  const drawn = (await drawConversationIds(tx, unnumbered)).values();
  requests.forEach((request, index) => {
    const tenant = tenants.get(keyOf(request.tenancyRef, request.tenantNo));
    if (!tenant) return;
    if (tenant.mobile_e164 === null || tenant.channel === 'none')
      return void (results[index] = { started: false, reason: 'not_textable' });
    if (tenant.has_open) return void (results[index] = { started: false, reason: 'conversation_open' });
    const channel: Channel = tenant.channel === 'whatsapp' ? 'whatsapp' : 'sms';
    const figures = request.figures ?? loaded.get(request.tenancyRef) ?? { balancePence: 0, arrearsPence: 0 };
    const ctx = conversationContext(tenant, scheduleOf(tenant), figures, {
      channel,
      now,
      policy: deps.policy,
      timeZone: deps.timeZone,
    });
    const result = startSession(deps.flows, request.flowId, ctx, {
      kind: 'start',
      ...(request.vars ? { vars: request.vars } : {}),
    });
    started.push({
      index,
      tenant,
      channel,
      purpose: request.purpose,
      arrearsPence: figures.arrearsPence,
      ...result,
      conversationId: request.conversationId ?? (drawn.next().value as number),
    });
  });
  if (started.length === 0) return results;

  await insertConversations(tx, started, now);
  const inserted = started.filter((s) => s.conversationId !== 0);
  for (const s of started)
    if (s.conversationId === 0) results[s.index] = { started: false, reason: 'conversation_open' };
  const simple = inserted.filter((s) => s.effects.every((e) => BULK_EFFECTS.has(e.type)));
  const messageIds = await writeEffects(tx, simple, now);
  for (const s of simple)
    results[s.index] = {
      started: true,
      conversationId: s.conversationId,
      messageIds: messageIds.get(s.conversationId) ?? [],
    };
  const bulk = new Set(simple);
  for (const s of inserted.filter((x) => !bulk.has(x))) {
    const target = {
      tenancyRef: s.tenant.tenancy_ref,
      tenantNo: s.tenant.tenant_no,
      conversationId: s.conversationId,
      channel: s.channel,
      mobile: s.tenant.mobile_e164 as string,
      purpose: s.purpose,
      arrearsPence: s.arrearsPence,
    };
    const applied = await applyEffects(tx, target, s.effects, { policy: deps.policy, now });
    results[s.index] = { started: true, conversationId: s.conversationId, messageIds: applied.messageIds };
  }
  return results;
}
