// An officer settles an escalation: accept, counter or refer. Exactly one decision wins (a conditional
// UPDATE claims the escalation); the arrangement moves on, the decision is logged as evidence, and the
// tenant's conversation resumes with it, all in one transaction.
import type { Sql, TransactionSql } from '../db/connect.js';
import { startSession, step } from '../engine/index.js';
import type { Channel, Decision, Effect, FlowSet, OfferTerms, Session } from '../engine/index.js';
import type { Clock } from '../lib/clock.js';
import type { Policy } from '../rent/policy.js';
import { buildContext } from '../conversations/context.js';
import { applyEffects } from '../conversations/effects.js';
import { loadHolds } from '../db/queries/holds.js';
import { claimEscalation, findEscalation, type Escalation } from '../db/queries/escalations.js';
import { findTenant } from '../db/queries/tenants.js';
import { insertConversation, lockConversationsOf, openConversation, saveSession } from '../conversations/store.js';
import { appendContactLog } from '../db/queries/contact-log.js';

export type OfficerDecision =
  | { kind: 'accept' }
  | { kind: 'counter'; offer: OfferTerms }
  | { kind: 'refer'; agencyId: string; note: string | null };

interface DecisionDeps {
  sql: Sql;
  flows: FlowSet;
  policy: Policy;
  clock: Clock;
  timeZone: string;
}

type DecisionResult =
  | { outcome: 'decided'; escalation: Escalation; messageIds: number[] }
  | { outcome: 'already_decided'; escalation: Escalation }
  | { outcome: 'not_found' };

const STATUS_OF: Record<
  OfficerDecision['kind'],
  { escalation: 'accepted' | 'countered' | 'referred'; arrangement: string; decision: Decision }
> = {
  accept: { escalation: 'accepted', arrangement: 'active', decision: 'accepted' },
  counter: { escalation: 'countered', arrangement: 'countered', decision: 'countered' },
  refer: { escalation: 'referred', arrangement: 'referred', decision: 'referred' },
};

/** Which flow tells the tenant about a decision; a counter-offer waits for their answer. */
const OUTCOME_FLOW: Record<Decision, string> = {
  accepted: 'offer_outcome',
  referred: 'offer_outcome',
  countered: 'counter_offer',
  declined: 'offer_outcome',
};

async function updateArrangement(
  tx: TransactionSql,
  esc: Escalation,
  decision: OfficerDecision,
  officer: string,
  now: Date,
): Promise<void> {
  if (esc.arrangement_id === null) return;
  const status = STATUS_OF[decision.kind].arrangement;
  if (decision.kind === 'counter') {
    await tx`
      update arrangements set status = ${status}, amount_pence = ${decision.offer.amountPence}, frequency = ${decision.offer.frequency},
        start_date = ${decision.offer.startDate}, decided_by = ${officer}, decided_at = ${now}, updated_at = ${now}
      where id = ${esc.arrangement_id}`;
  } else {
    await tx`update arrangements set status = ${status}, decided_by = ${officer}, decided_at = ${now}, updated_at = ${now} where id = ${esc.arrangement_id}`;
  }
}

interface DecisionRequest {
  escalationId: number;
  officerId: string;
  officerName: string;
  decision: OfficerDecision;
}

export async function decideEscalation(deps: DecisionDeps, request: DecisionRequest): Promise<DecisionResult> {
  return deps.sql.begin((tx) => decideInTransaction(tx, deps, request));
}

/** The decision inside a caller's transaction (auto-accept settles an offer in the same one that made it). */
export async function decideInTransaction(
  tx: TransactionSql,
  deps: Omit<DecisionDeps, 'sql'>,
  request: DecisionRequest,
): Promise<DecisionResult> {
  const now = deps.clock.now();
  const { decision } = request;
  const claimed = await claimEscalation(tx, request.escalationId, {
    status: STATUS_OF[decision.kind].escalation,
    by: request.officerId,
    now,
  });
  if (!claimed) {
    const current = await findEscalation(tx, request.escalationId);
    return current ? { outcome: 'already_decided', escalation: current } : { outcome: 'not_found' };
  }
  await updateArrangement(tx, claimed, decision, request.officerId, now);
  if (decision.kind === 'refer') {
    const until = new Date(now.getTime() + deps.policy.referral.pause_days * 86_400_000);
    await tx`update tenants set contact_paused_until = ${until}, contact_pause_reason = 'debt_advice_referral' where tenancy_ref = ${claimed.tenancy_ref}`;
  }
  await appendContactLog(tx, {
    at: now,
    tenancyRef: claimed.tenancy_ref,
    tenantNo: claimed.tenant_no,
    event: `officer_${STATUS_OF[decision.kind].escalation}`,
    actor: request.officerId.startsWith('rentline') ? request.officerId : `officer:${request.officerId}`,
    escalationId: claimed.id,
    detail:
      decision.kind === 'counter'
        ? { offer: decision.offer }
        : decision.kind === 'refer'
          ? { agencyId: decision.agencyId, note: decision.note }
          : {},
  });
  const terms = decision.kind === 'counter' ? decision.offer : await arrangementTerms(tx, claimed.arrangement_id);
  const messageIds = await resumeTenant(tx, deps, claimed, decision, terms, request.officerName, now);
  return { outcome: 'decided', escalation: claimed, messageIds };
}

async function arrangementTerms(tx: TransactionSql, id: number | null): Promise<OfferTerms | null> {
  if (id === null) return null;
  const [row] = await tx<{ amount_pence: number; frequency: OfferTerms['frequency']; start_date: string }[]>`
    select amount_pence, frequency, start_date from arrangements where id = ${id}`;
  return row ? { amountPence: row.amount_pence, frequency: row.frequency, startDate: row.start_date } : null;
}

/** Steps an open conversation waiting for a decision, or starts the flow that tells the tenant. */
async function resumeTenant(
  tx: TransactionSql,
  deps: Omit<DecisionDeps, 'sql'>,
  esc: Escalation,
  decision: OfficerDecision,
  terms: OfferTerms | null,
  officerName: string,
  now: Date,
): Promise<number[]> {
  const tenant = await findTenant(tx, esc.tenancy_ref, esc.tenant_no);
  if (!tenant || tenant.mobile_e164 === null || tenant.channel === 'none') return [];
  // The same lock a tenant's text takes: a decision and a text never move one conversation at once.
  await lockConversationsOf(tx, tenant.mobile_e164);
  const open = await openConversation(tx, esc.tenancy_ref, esc.tenant_no);
  const channel: Channel = open?.channel ?? (tenant.channel === 'whatsapp' ? 'whatsapp' : 'sms');
  const ctx = await buildContext(tx, tenant, { channel, now, policy: deps.policy, timeZone: deps.timeZone });
  const input = {
    kind: 'decision' as const,
    decision: STATUS_OF[decision.kind].decision,
    officerName,
    ...(terms ? { offer: terms } : {}),
    ...(decision.kind === 'refer' ? { agencyId: decision.agencyId } : {}),
  };
  let result: { session: Session; effects: Effect[] } = { session: open?.session as Session, effects: [] };
  let conversationId = open?.id ?? null;
  if (open) result = step(deps.flows, open.session, input, ctx);
  if (open && result.effects.length > 0) {
    await saveSession(tx, open.id, result.session, now);
  } else {
    if (open) {
      // The open conversation was not waiting for this decision: close it so the outcome flow can start.
      const ended: Session = { ...open.session, status: 'ended', timerId: null };
      await saveSession(tx, open.id, ended, now);
    }
    result = startSession(deps.flows, OUTCOME_FLOW[input.decision], ctx, input);
    conversationId = await insertConversation(tx, {
      tenancyRef: esc.tenancy_ref,
      tenantNo: esc.tenant_no,
      channel,
      session: result.session,
      now,
    });
  }
  // The contact rule at queue time: a decision text goes inside the contact window unless the tenant texted
  // in the last hour, and never past a hold that stops it (the dispatcher asks again when it sends).
  const [holds, [seen]] = await Promise.all([
    loadHolds(tx, [esc.tenancy_ref], now, deps.timeZone),
    tx<
      { last_inbound_at: Date | null }[]
    >`select last_inbound_at from tenants where tenancy_ref = ${esc.tenancy_ref} and tenant_no = ${esc.tenant_no}`,
  ]);
  const contact = {
    path: 'officer_decision' as const,
    holds: holds.get(esc.tenancy_ref) ?? [],
    tenantLastMessageAt: seen?.last_inbound_at ?? null,
  };
  const applied = await applyEffects(
    tx,
    {
      tenancyRef: esc.tenancy_ref,
      tenantNo: esc.tenant_no,
      conversationId: conversationId as number,
      channel,
      mobile: tenant.mobile_e164,
      purpose: 'officer',
      arrearsPence: ctx.account.arrearsPence,
      contact,
    },
    result.effects,
    { policy: deps.policy, now },
  );
  return applied.messageIds;
}
