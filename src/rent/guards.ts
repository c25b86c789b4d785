// The hard guards checked at every send, not only when a flow starts (docs/rules.md#guards):
// opt-out, do-not-contact, Breathing Space, vulnerability, dispute, pause, contact window, frequency cap.
// First matching guard wins, most serious first, so the reason shown to officers is the one that matters.

import { isInContactWindow, nextContactOpening } from './contact-window.js';
import type { Policy } from './policy.js';
import { localDateOf } from './schedule.js';

export type MessageKind = 'arrears' | 'reminder' | 'reply' | 'officer' | 'arrangement';
export type Channel = 'sms' | 'whatsapp';

export interface BreathingSpace {
  /** Local dates; end null while no end notification has been received (never assume day 61). */
  start: string;
  end: string | null;
  mentalHealth: boolean;
}

export interface SendGuardInput {
  kind: MessageKind;
  channel: Channel;
  optedOutChannels: readonly string[];
  flags: { vulnerable: boolean; doNotContact: boolean; breathingSpace: BreathingSpace | null };
  disputed: boolean;
  pausedUntil: Date | null;
  lastArrearsMessageAt: Date | null;
  tenantLastMessageAt: Date | null;
  now: Date;
  /**
   * Whether the message mentions or asks about the arrears. Defaults: true for everything except
   * reminders. An officer (or a script step) may say false for a message that is not about the debt.
   */
  aboutArrears?: boolean;
  /**
   * Someone asked for this text to go now, outside the landlord's hours: the demo simulator's "send held
   * texts now", for demo tenancies only. Every other guard still applies.
   */
  contactWindowWaived?: boolean;
}

export type GuardReason =
  | 'opted_out'
  | 'do_not_contact'
  | 'breathing_space'
  | 'vulnerable'
  | 'disputed'
  | 'paused'
  | 'outside_contact_window'
  | 'frequency_cap';

export type SendGuardResult = { allowed: true } | { allowed: false; reason: GuardReason; holdUntil?: Date };

/** A reply to a tenant who texted within this long is never held by the window or the cap. */
export const FRESH_REPLY_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

export function isBreathingSpaceActive(space: BreathingSpace | null, today: string): boolean {
  if (space === null) return false;
  return space.start <= today && (space.end === null || today <= space.end);
}

function breathingSpaceBlocks(input: SendGuardInput, policy: Policy, space: BreathingSpace): boolean {
  const aboutArrears = input.aboutArrears ?? input.kind !== 'reminder';
  // Mental-health crisis Breathing Space: humans only, and even they not about the arrears.
  if (space.mentalHealth) return input.kind !== 'officer' || aboutArrears;
  if (input.kind === 'reminder') return !policy.reminders.for_breathing_space || aboutArrears;
  return aboutArrears;
}

function blocked(reason: GuardReason, holdUntil?: Date): SendGuardResult {
  return holdUntil === undefined ? { allowed: false, reason } : { allowed: false, reason, holdUntil };
}

/** Decides whether one message may be sent now, and if it is only held, until when. */
export function checkSendGuards(input: SendGuardInput, policy: Policy): SendGuardResult {
  const { kind, now, flags } = input;
  const automated = kind !== 'officer';
  const today = localDateOf(now, policy.time_zone);

  if (input.optedOutChannels.includes(input.channel)) return blocked('opted_out');
  if (flags.doNotContact) return blocked('do_not_contact');
  if (flags.breathingSpace && isBreathingSpaceActive(flags.breathingSpace, today)) {
    if (breathingSpaceBlocks(input, policy, flags.breathingSpace)) return blocked('breathing_space');
  }
  if (flags.vulnerable && automated && !(kind === 'reminder' && policy.reminders.for_vulnerable)) {
    return blocked('vulnerable');
  }
  const tenantJustTexted =
    input.tenantLastMessageAt !== null &&
    input.tenantLastMessageAt <= now &&
    now.getTime() - input.tenantLastMessageAt.getTime() <= FRESH_REPLY_MS;
  // A dispute freezes outreach; the acknowledgement of the tenant's own "I've already paid" still goes.
  if (input.disputed && automated && !(kind === 'reply' && tenantJustTexted)) return blocked('disputed');
  // A pause (e.g. after a referral for debt advice) stops outreach; the tenant can still text and get answers.
  if (input.pausedUntil && input.pausedUntil > now && (kind === 'arrears' || kind === 'arrangement' || kind === 'reminder')) {
    return blocked('paused', nextContactOpening(input.pausedUntil, policy));
  }

  // Officers write by hand and may text outside the automated window.
  if (!automated) return { allowed: true };
  if (kind === 'reply' && tenantJustTexted) return { allowed: true };

  if (kind === 'arrears' && input.lastArrearsMessageAt) {
    const capEnds = new Date(input.lastArrearsMessageAt.getTime() + policy.contact.min_days_between_arrears_messages * DAY_MS);
    if (capEnds > now) return blocked('frequency_cap', nextContactOpening(capEnds, policy));
  }
  if (!input.contactWindowWaived && !isInContactWindow(now, policy)) return blocked('outside_contact_window', nextContactOpening(now, policy));
  return { allowed: true };
}

