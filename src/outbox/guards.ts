// The send-time guards for one claimed message, as a pure function of the recipient's state as it is NOW
// (read under the tenant row's lock): the tenant still exists and still has this number, the message has
// not been overtaken, the opt-outs, then routing and the one contact rule again with the holds as they are.
// The dispatcher runs it for every message just before it is sent, one at a time or a wave at a time;
// only the reading of the state and the writing of the outcomes are shared by a wave.
import { decideContact } from '../rent/contact-rule.js';
import type { Policy } from '../rent/policy.js';
import { contactRequestFor, overtakenBy, type RecipientState } from './recipient.js';
import { routeMessage, type Route } from './routing.js';
import type { ClaimedMessage } from './store.js';
import type { Sender } from './types.js';

export interface GuardContext {
  policy: Policy;
  sender: Sender | null;
  smsFrom: string | null;
  whatsappFrom: string | null;
  whatsappTemplates: Record<string, string>;
  contactWindowWaived?: (message: ClaimedMessage) => boolean;
}

/** What the guards say: not now (held), never (blocked), kept for the CLI, or send by this route. */
export type Judgement =
  | { kind: 'blocked'; reason: string }
  | { kind: 'held'; reason: string; until: Date }
  | { kind: 'kept'; route: Route }
  | { kind: 'go'; route: Route; sender: Sender; from: string };

export function judgeMessage(m: ClaimedMessage, state: RecipientState, now: Date, ctx: GuardContext): Judgement {
  if (!state.found) return { kind: 'blocked', reason: 'tenant_not_found' };
  const overtaken = overtakenBy(m, state);
  if (overtaken) return { kind: 'blocked', reason: overtaken };
  // A message never goes to a number that is no longer the named tenant's (re-imported, or now a landline).
  if (m.tenancy_ref !== null && state.mobileE164 !== m.to_address)
    return { kind: 'blocked', reason: 'number_not_linked' };
  // Opted out of the channel the message was written for: honoured, never routed around by the SMS fallback.
  const asWritten = decideContact(contactRequestFor(m, m.channel, state, now), ctx.policy);
  if (asWritten.verdict === 'block' && asWritten.reason === 'opted_out')
    return { kind: 'blocked', reason: 'opted_out' };
  const route = routeMessage({
    channel: m.channel,
    to: m.to_address,
    body: m.body,
    templateKey: m.template_key,
    templateVariables: m.template_variables,
    lastWhatsappInboundAt: state.lastWhatsappInboundAt,
    now,
    smsFrom: ctx.smsFrom,
    whatsappFrom: ctx.whatsappFrom,
    whatsappTemplates: ctx.whatsappTemplates,
  });
  // The one contact rule, again at send time, with the tenancy's holds as they are now (the simulator's
  // "send held texts now" waives only the contact window).
  const request = contactRequestFor(m, route.channel, state, now);
  const verdict = decideContact(
    ctx.contactWindowWaived?.(m) ? { ...request, contactWindowWaived: true } : request,
    ctx.policy,
  );
  if (verdict.verdict === 'hold') return { kind: 'held', reason: verdict.reason, until: verdict.until };
  if (verdict.verdict === 'block' || verdict.verdict === 'route_to_person')
    return { kind: 'blocked', reason: verdict.reason };
  // A sender may serve only some tenancies (the simulator's phone: the demo ones); the rest are kept.
  const chosen = ctx.sender !== null && (ctx.sender.handles?.(m.tenancy_ref) ?? true) ? ctx.sender : null;
  if (chosen === null || route.from === null) return { kind: 'kept', route };
  return { kind: 'go', route, sender: chosen, from: route.from };
}
