// Durations written in flow files ("48h", "3d", "30m", or "reply_timeout" for the landlord's policy
// setting) and the conversation expiry date. Shared by the interpreter and the checker so a duration the
// checker accepts is exactly one the engine can run.
import { addDays } from 'date-fns/addDays';
import { addMinutes } from 'date-fns/addMinutes';
import type { Policy } from '../rent/policy.js';

const DURATION = /^(\d+)\s*(m|h|d)$/;

/** Minutes in a flow duration, or null when it is not written in a form we understand. */
export function durationMinutes(after: string, policy: Policy | null): number | null {
  if (after === 'reply_timeout') return policy ? policy.conversations.reply_timeout_hours * 60 : 0;
  const match = DURATION.exec(after.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  return match[2] === 'm' ? amount : match[2] === 'h' ? amount * 60 : amount * 24 * 60;
}

export function timeoutAt(now: Date, after: string, policy: Policy): Date {
  return addMinutes(now, durationMinutes(after, policy) ?? 0);
}

export function expiryFrom(now: Date, policy: Policy): Date {
  return addDays(now, policy.conversations.expiry_days);
}
