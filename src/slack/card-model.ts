// Reads everything an escalation card shows from the database (as of the application's clock) into the
// CardModel the pure builders render. Phone numbers are never selected.
import { accountSummary } from '../accounts/summary.js';
import type { Queryable } from '../db/connect.js';
import type { Frequency, OfferTerms } from '../engine/types.js';
import { assessOffer } from '../rent/offer-policy.js';
import type { Policy } from '../rent/policy.js';
import { localDateOf } from '../rent/schedule.js';
import { formatDay } from '../rent/calendar-date.js';
import type { CardAffordability, CardModel, CardOffer } from './blocks/card.js';
import { legalLine, protocolLine } from './blocks/casework.js';
import { tenancyProtocol } from '../casework/protocol.js';
import { findAffordabilityCheck, latestAffordabilityCheck } from '../affordability/store.js';
import { offerAgainstCheck } from '../rent/affordability.js';
import type { AffordabilityRecord } from '../evidence/pack.js';
import { findEscalation, type Escalation } from '../db/queries/escalations.js';
import { latestOfficerLineDetail } from '../db/queries/contact-log.js';

interface CardContext {
  policy: Policy;
  now: Date;
  timeZone: string;
}

/** An escalation as the card needs it: its offer is the one the card first showed. */
export type EscalationCardRow = Escalation<CardOffer>;

export function findCardRow(sql: Queryable, escalationId: number): Promise<EscalationCardRow | null> {
  return findEscalation<CardOffer>(sql, escalationId);
}

const ANSWER_OF: Record<string, 'awaiting' | 'accepted' | 'declined'> = {
  countered: 'awaiting',
  active: 'accepted',
  kept: 'accepted',
  completed: 'accepted',
  broken: 'accepted',
  declined: 'declined',
};

/** The tenant's offer with its policy verdict, formatted dates included. */
function cardOffer(terms: OfferTerms, reason: string | null, arrearsPence: number, policy: Policy): CardOffer {
  const verdict = assessOffer(terms, arrearsPence, policy);
  return {
    amountPence: terms.amountPence,
    frequency: terms.frequency,
    startDate: terms.startDate,
    reason,
    withinPolicy: verdict.withinPolicy,
    weeksToClear: verdict.weeksToClear,
    clearBy: verdict.clearBy ? formatDay(verdict.clearBy) : null,
    reasons: verdict.reasons,
  };
}

/** A check older than this is not shown beside a case with no linked check: circumstances change. */
const AFFORDABILITY_SHOWN_DAYS = 90;

function cardAffordability(c: AffordabilityRecord, offer: CardOffer | null): CardAffordability {
  const frequency = c.frequency as Frequency;
  return {
    id: c.id,
    assessedBy: c.assessed_by,
    assessedAt: new Date(c.assessed_at),
    incomePence: c.income_pence,
    outgoingsPence: c.outgoings_pence,
    surplusPence: c.surplus_pence,
    suggestedInstalmentPence: c.suggested_instalment_pence,
    frequency,
    flags: c.flags,
    offerAgainstCheck: offer
      ? offerAgainstCheck(offer, {
          surplusPence: c.surplus_pence,
          suggestedInstalmentPence: c.suggested_instalment_pence,
          frequency,
        }).text
      : null,
  };
}

export async function loadCardModel(
  sql: Queryable,
  escalationId: number,
  ctx: CardContext,
): Promise<{ model: CardModel; row: EscalationCardRow } | null> {
  const row = await findCardRow(sql, escalationId);
  if (!row) return null;
  const today = localDateOf(ctx.now, ctx.timeZone);
  const ref = row.tenancy_ref;
  const [summary, [tenant], [tenancy], arrangementRows, [broken], decisionDetail, messages, [takeover], protocol] =
    await Promise.all([
      accountSummary(sql, ref, { today, policy: ctx.policy, now: ctx.now }),
      sql<
        { first_name: string; disputed_at: Date | null }[]
      >`select first_name, disputed_at from tenants where tenancy_ref = ${ref} and tenant_no = ${row.tenant_no}`,
      sql<
        { officer_slack_id: string | null; benefit: string; tenure: string }[]
      >`select officer_slack_id, benefit, tenure from tenancies where tenancy_ref = ${ref}`,
      row.arrangement_id === null
        ? Promise.resolve([])
        : sql<
            {
              amount_pence: number;
              frequency: Frequency;
              start_date: string;
              status: string;
              reason: string | null;
              start_arrears_pence: number;
              affordability_id: number | null;
            }[]
          >`
          select amount_pence, frequency, start_date, status, reason, start_arrears_pence, affordability_id::int as affordability_id from arrangements where id = ${row.arrangement_id}`,
      sql<
        { n: number }[]
      >`select count(*)::int as n from arrangements where tenancy_ref = ${ref} and status = 'broken'`,
      latestOfficerLineDetail<{ offer?: OfferTerms; agencyId?: string }>(sql, ref, row.id),
      sql<{ direction: 'inbound' | 'outbound'; body: string; at: Date }[]>`
      select direction, body, created_at as at from messages where tenancy_ref = ${ref} and tenant_no = ${row.tenant_no}
        and (direction = 'inbound' or status not in ('blocked', 'failed')) order by created_at desc, id desc limit 4`,
      sql<
        { officer_id: string }[]
      >`select officer_id from slack_takeovers where escalation_id = ${row.id} and ended_at is null limit 1`,
      tenancyProtocol(sql, ref, { now: ctx.now, policy: ctx.policy, timeZone: ctx.timeZone }),
    ]);
  const arrangement = arrangementRows[0];
  let offer: CardOffer | null = row.slack_offer;
  if (!offer && arrangement && row.status === 'pending') {
    offer = cardOffer(
      { amountPence: arrangement.amount_pence, frequency: arrangement.frequency, startDate: arrangement.start_date },
      arrangement.reason,
      arrangement.start_arrears_pence,
      ctx.policy,
    );
  }
  const check = arrangement?.affordability_id
    ? await findAffordabilityCheck(sql, arrangement.affordability_id)
    : await latestAffordabilityCheck(
        sql,
        ref,
        row.tenant_no,
        new Date(ctx.now.getTime() - AFFORDABILITY_SHOWN_DAYS * 86_400_000),
      );
  const decision = decisionDetail ?? {};
  const counter =
    row.status === 'countered' && decision.offer
      ? { ...decision.offer, tenantAnswer: ANSWER_OF[arrangement?.status ?? 'countered'] ?? 'awaiting' }
      : null;
  const agency = decision.agencyId ? ctx.policy.referral.agencies.find((a) => a.id === decision.agencyId) : undefined;
  const flags = [...(summary?.flags ?? [])];
  if (tenant?.disputed_at) flags.push('disputed');
  // The next step is the account's one next action (the same as `/rent <ref>` and the API); the card adds
  // only that an offer waiting here and within policy can be accepted.
  const next = summary?.next_action ?? { action: 'none', reason: 'No account figures', blocked_by: null };
  const nextStep =
    row.status === 'pending' && offer?.withinPolicy && (next.blocked_by === null || next.blocked_by === 'arrangement')
      ? { action: 'accept', reason: `The offer is within policy (${offer.reasons.join('; ')}).` }
      : { action: next.action, reason: next.reason };
  const model: CardModel = {
    escalationId: row.id,
    reason: row.reason,
    urgency: row.urgency,
    status: row.status,
    summary: row.summary,
    createdAt: row.created_at,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    threadOf: row.slack_thread_of,
    tenancyRef: ref,
    firstName: tenant?.first_name ?? 'Tenant',
    patchOfficer: tenancy?.officer_slack_id ?? null,
    account: summary
      ? {
          balancePence: summary.balance_pence,
          arrearsPence: summary.arrears_pence,
          weeklyRentPence: summary.weekly_rent_pence,
          weeksInArrears: summary.weeks_in_arrears,
          lastPaymentDate: summary.last_payment_date,
        }
      : null,
    benefit: tenancy?.benefit ?? 'none',
    flags,
    brokenBefore: broken?.n ?? 0,
    offer,
    counter,
    referredTo: agency ? agency.name : null,
    nextStep,
    protocolLine: protocol ? protocolLine(protocol) : null,
    legalLine: legalLine(summary?.legal ?? null),
    recentMessages: [...messages].reverse(),
    takenOverBy: takeover?.officer_id ?? null,
    crisisOpen: (summary?.holds ?? []).some((h) => h.kind === 'crisis'),
    disputeOpen: (summary?.holds ?? []).some((h) => h.kind === 'dispute'),
    overdueAt: row.overdue_at,
    affordability: check ? cardAffordability(check, offer) : null,
  };
  return { model, row };
}
