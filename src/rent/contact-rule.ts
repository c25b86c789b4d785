// THE contact rule: may this message, for this purpose, go to this tenant now? Every outbound text asks it
// when it is queued (jobs, conversation replies, officer decisions, takeover) and again when the
// dispatcher is about to send it, with the tenancy's holds as they are at that moment. No other module
// decides contact. The rules and their reasons are in docs/rules.md#holds and docs/rules.md#guards.
//
// Verdicts: `send`; `hold` until a time (the contact window, the frequency cap, a referral pause);
// `block` with the reason; `route_to_person` (a tenant's text that no script may answer: an officer replies).
// Reasons, most serious first, so the one an officer sees is the one that matters.

import { isInContactWindow, nextContactOpening } from './contact-window.js';
import { holdsFor, type Hold, type HoldChannel, type HoldKind } from './holds.js';
import type { Policy } from './policy.js';

/** What the message is for. Arrangement covers nudges, warnings and thank-yous. */
export type ContactPurpose =
  'reminder' | 'arrears' | 'arrangement' | 'reply' | 'officer_decision' | 'takeover' | 'system';

/** Where the question is asked: at queue time by a job, a tenant's text, an officer; or at send time. */
export const CONTACT_PATHS = ['job', 'dispatcher', 'conversation_reply', 'officer_decision', 'takeover'] as const;
export type ContactPath = (typeof CONTACT_PATHS)[number];

export type ContactReason = HoldKind | 'not_textable' | 'outside_contact_window' | 'frequency_cap';

type ContactVerdict =
  | { verdict: 'send'; warning?: string }
  | { verdict: 'hold'; until: Date; reason: ContactReason }
  | { verdict: 'block'; reason: ContactReason }
  | { verdict: 'route_to_person'; reason: ContactReason };

export interface ContactRequest {
  purpose: ContactPurpose;
  path: ContactPath;
  /** The recipient; null for a reply to a number we cannot match (no holds apply). */
  tenantNo: number | null;
  channel: HoldChannel;
  /** Every hold on the tenancy (holdsOf); the rule picks those that apply to the recipient. */
  holds: readonly Hold[];
  /** The recipient has a textable mobile and a channel other than none. */
  textable: boolean;
  now: Date;
  /** When the message was queued (send time only). */
  queuedAt?: Date | null;
  tenantLastMessageAt: Date | null;
  lastArrearsMessageAt: Date | null;
  /**
   * Someone asked for this text to go now, outside the landlord's hours: the demo simulator's "send held
   * texts now", for demo tenancies only. Only the contact window is skipped; every hold and the cap still apply.
   */
  contactWindowWaived?: boolean;
}

/** A reply to a tenant who texted within this long is never held by the window or the cap. */
const FRESH_REPLY_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

const AUTOMATED: ReadonlySet<ContactPurpose> = new Set(['reminder', 'arrears', 'arrangement', 'reply', 'system']);
/**
 * Outreach: the texts a job starts (reminders, missed-payment texts, arrangement nudges), as against the
 * conversation's replies and officers' words. A referral pauses them; the outbox sends them after the rest
 * (in this order: the outbox index of migrations/0083 is on the same expression).
 */
export const OUTREACH_PURPOSES = ['arrears', 'reminder', 'arrangement'] as const satisfies readonly ContactPurpose[];
const OUTREACH: ReadonlySet<ContactPurpose> = new Set(OUTREACH_PURPOSES);

const send = (warning?: string): ContactVerdict =>
  warning === undefined ? { verdict: 'send' } : { verdict: 'send', warning };
const block = (reason: ContactReason): ContactVerdict => ({ verdict: 'block', reason });

/**
 * A tenant's text that no script may answer: at queue time an officer is told instead; at send time (the
 * officer was told when it arrived) the queued reply is simply not sent.
 */
function toPerson(request: ContactRequest, reason: ContactReason): ContactVerdict {
  return request.path === 'conversation_reply' ? { verdict: 'route_to_person', reason } : block(reason);
}

function justTexted(request: ContactRequest): boolean {
  const last = request.tenantLastMessageAt;
  return last !== null && last <= request.now && request.now.getTime() - last.getTime() <= FRESH_REPLY_MS;
}

/**
 * The acknowledgement of the very text that raised a crisis or a dispute: queued no later than the hold
 * began, to a tenant who has just texted. It tells them a person will be in touch, so it still goes.
 */
function acknowledgesHold(request: ContactRequest, hold: Hold): boolean {
  if (request.purpose !== 'reply' || request.queuedAt == null || !justTexted(request)) return false;
  return request.queuedAt.getTime() <= new Date(hold.since).getTime();
}

/** What the holds say, before any timing; null when no hold stands in the way. */
function holdVerdict(request: ContactRequest, policy: Policy): ContactVerdict | null {
  const { purpose } = request;
  const mine = request.tenantNo === null ? [] : holdsFor(request.holds, request.tenantNo);
  const has = (kind: HoldKind) => mine.find((h) => h.kind === kind);
  const automated = AUTOMATED.has(purpose);

  // Per tenant, and nobody may route around them: not even an officer's own words.
  if (mine.some((h) => h.kind === 'opted_out' && h.channel === request.channel)) return block('opted_out');
  if (has('do_not_contact')) return purpose === 'reply' ? toPerson(request, 'do_not_contact') : block('do_not_contact');
  if (request.tenantNo !== null && !request.textable) return block('not_textable');

  // Takeover: the officer's own words go, with a warning during a mental-health Breathing Space.
  if (purpose === 'takeover') {
    const mh = mine.find((h) => h.kind === 'breathing_space_mental_health' && h.tenantNo === request.tenantNo);
    return mh
      ? send(
          'This tenant is in a mental health crisis Breathing Space: write only if a person must, and say nothing about the arrears.',
        )
      : null;
  }

  const crisis = has('crisis');
  if (crisis && automated && !acknowledgesHold(request, crisis))
    return purpose === 'reply' ? toPerson(request, 'crisis') : block('crisis');

  // Mental-health Breathing Space: humans only for that tenant (and a decision text is about the arrears).
  const ownMentalHealth = mine.find(
    (h) => h.kind === 'breathing_space_mental_health' && h.tenantNo === request.tenantNo,
  );
  if (ownMentalHealth)
    return purpose === 'reply'
      ? toPerson(request, 'breathing_space_mental_health')
      : block('breathing_space_mental_health');

  // Breathing Space of any tenant: nothing about the arrears to anyone; reminders only if the policy allows.
  const space = mine.find((h) => h.kind === 'breathing_space' || h.kind === 'breathing_space_mental_health');
  if (space) {
    const reason: ContactReason = space.kind;
    if (purpose === 'reminder' && !policy.reminders.for_breathing_space) return block(reason);
    if (purpose === 'arrears' || purpose === 'arrangement' || purpose === 'officer_decision') return block(reason);
    // In an arrears case every reply is about the debt: people only.
    if (purpose === 'reply') return toPerson(request, reason);
  }

  const dispute = has('dispute');
  if (dispute && automated && !acknowledgesHold(request, dispute))
    return purpose === 'reply' ? toPerson(request, 'dispute') : block('dispute');

  const vulnerable = has('vulnerable');
  if (vulnerable && automated && !(purpose === 'reminder' && policy.reminders.for_vulnerable)) {
    return purpose === 'reply' ? toPerson(request, 'vulnerable') : block('vulnerable');
  }

  // A debt-advice referral pauses outreach; the tenant can still text and get answers.
  const pause = has('referral_pause');
  if (pause && OUTREACH.has(purpose) && pause.until && pause.until > request.now) {
    return { verdict: 'hold', until: nextContactOpening(pause.until, policy), reason: 'referral_pause' };
  }
  return null;
}

/** When a message that no hold stops may go. */
function timingVerdict(request: ContactRequest, policy: Policy): ContactVerdict {
  const { purpose, now } = request;
  if (purpose === 'takeover') return send();
  // Officer decisions and replies to a tenant who has just texted are never held back.
  if ((purpose === 'reply' || purpose === 'system' || purpose === 'officer_decision') && justTexted(request))
    return send();
  if (purpose === 'arrears' && request.lastArrearsMessageAt) {
    const capEnds = new Date(
      request.lastArrearsMessageAt.getTime() + policy.contact.min_days_between_arrears_messages * DAY_MS,
    );
    if (capEnds > now) return { verdict: 'hold', until: nextContactOpening(capEnds, policy), reason: 'frequency_cap' };
  }
  if (!request.contactWindowWaived && !isInContactWindow(now, policy)) {
    return { verdict: 'hold', until: nextContactOpening(now, policy), reason: 'outside_contact_window' };
  }
  return send();
}

/** The one decision about contact. */
export function decideContact(request: ContactRequest, policy: Policy): ContactVerdict {
  const held = holdVerdict(request, policy);
  if (held === null) return timingVerdict(request, policy);
  if (held.verdict === 'send')
    return { ...timingVerdict(request, policy), ...(held.warning ? { warning: held.warning } : {}) } as ContactVerdict;
  return held;
}

/**
 * Whether the holds alone (not the clock) stop this purpose for this tenant: what a job asks before it
 * starts outreach, since the window and the cap only delay a message and the dispatcher applies them.
 */
export function heldBy(
  request: Omit<ContactRequest, 'now' | 'tenantLastMessageAt' | 'lastArrearsMessageAt'> & { now: Date },
  policy: Policy,
): ContactReason | null {
  const verdict = holdVerdict({ ...request, tenantLastMessageAt: null, lastArrearsMessageAt: null }, policy);
  if (verdict === null || verdict.verdict === 'send') return null;
  return verdict.reason;
}
