// The `do:` actions a flow step may take (record an offer, alert officers, freeze on a dispute...) turned
// into effects, and the one-paragraph summaries officers see on an escalation. Summaries are written for
// an income officer reading Slack, so they say the offer in words and whether it is inside the policy.
import { assessOffer } from '../rent/offer-policy.js';
import { assessFromSession, useSuggestedOffer } from './affordability-answers.js';
import { clearOffer } from './answers.js';
import { localToday } from './parsers/index.js';
import { describeOffer } from './render.js';
import type { Action } from './flow-schema.js';
import type {
  ConversationContext,
  Effect,
  FlowEscalationReason,
  Frequency,
  RecordedOffer,
  SessionValue,
} from './types.js';
import { reasonSummary } from './reason-words.js';

type Vars = Record<string, SessionValue>;

/** The tenant's offer from the session, or null while a part is still missing. */
function offerFromSession(vars: Vars): RecordedOffer | null {
  const { offer_amount: amount, offer_frequency: frequency, offer_start: start } = vars;
  if (typeof amount !== 'number' || typeof frequency !== 'string' || typeof start !== 'string') return null;
  return {
    amountPence: amount,
    frequency: frequency as Frequency,
    startDate: start,
    reason: typeof vars.offer_reason === 'string' ? vars.offer_reason : null,
    raw: typeof vars.offer_raw === 'string' ? vars.offer_raw : '',
  };
}

function quote(text: string | null): string {
  if (!text) return '';
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return ` Tenant wrote: "${trimmed.length > 200 ? `${trimmed.slice(0, 197)}...` : trimmed}"`;
}

function describeAssessedOffer(offer: RecordedOffer, ctx: ConversationContext): string {
  const assessment = assessOffer(offer, ctx.account.arrearsPence, ctx.policy);
  const verdict = assessment.withinPolicy
    ? 'Within policy'
    : 'Outside policy (flagged, not rejected: please speak to the tenant)';
  const reason = offer.reason ? ` Reason given: ${offer.reason}.` : '';
  const today = localToday(ctx.now, ctx.timeZone);
  return (
    `${describeOffer(offer.amountPence, offer.frequency, offer.startDate, 'en', today)} on top of rent.` +
    ` ${verdict}: ${assessment.reasons.join('; ')}.${reason}`
  );
}

interface SummaryInput {
  reason: FlowEscalationReason;
  ctx: ConversationContext;
  vars: Vars;
  lastText: string | null;
  detail?: string;
}

export function escalationSummary({ reason, ctx, vars, lastText, detail }: SummaryInput): string {
  const who = `${ctx.tenant.firstName} (${ctx.tenancyRef})`;
  const offer = offerFromSession(vars);
  let body = reasonSummary(reason);
  if (reason === 'offer' && offer) body = `${body}: ${describeAssessedOffer(offer, ctx)}`;
  if (reason === 'counter_reply') {
    body = offer ? `${body}: declined, offers instead ${describeAssessedOffer(offer, ctx)}` : `${body}: declined.`;
  }
  const sentence = /[.!?]$/.test(body) ? body : `${body}.`;
  const extra = detail ? ` ${detail}` : '';
  // For an offer, quote everything the tenant wrote about it, not just their final "yes".
  const offerReasons: FlowEscalationReason[] = ['offer', 'counter_reply'];
  const wrote = offer && offerReasons.includes(reason) ? offer.raw : lastText;
  return `${who}: ${sentence}${extra}${quote(wrote)}`;
}

/** Runs a step's `do:` list; may change the session's vars (clear_offer). */
export function runActions(
  actions: readonly Action[] | undefined,
  ctx: ConversationContext,
  vars: Vars,
  lastText: string | null,
): Effect[] {
  const effects: Effect[] = [];
  for (const action of actions ?? []) {
    if (typeof action === 'object') {
      const summary = escalationSummary({ reason: action.escalate, ctx, vars, lastText });
      effects.push({ type: 'escalate', urgency: action.urgency, reason: action.escalate, summary });
      continue;
    }
    switch (action) {
      case 'record_offer': {
        const offer = offerFromSession(vars);
        if (offer) effects.push({ type: 'record_offer', offer });
        break;
      }
      case 'counter_declined': {
        const newOffer = offerFromSession(vars);
        effects.push(newOffer ? { type: 'counter_declined', newOffer } : { type: 'counter_declined' });
        break;
      }
      case 'counter_accepted':
        effects.push({ type: 'counter_accepted' });
        break;
      case 'dispute':
        effects.push({ type: 'dispute' });
        break;
      case 'opt_out':
        effects.push({ type: 'opt_out' });
        break;
      case 'clear_offer':
        clearOffer(vars);
        break;
      case 'assess_affordability':
        effects.push(assessFromSession(ctx, vars));
        break;
      case 'use_suggested_offer':
        useSuggestedOffer(vars);
        break;
    }
  }
  return effects;
}
