// The per-sender limit on automated replies (docs/rules.md#reply-limit): at most
// `automated_replies.max_per_sender` automated replies to one phone number in any rolling window of
// `automated_replies.window_minutes`. A text past it is kept but not answered by the script, and an officer is
// told once per pause, so a phone's auto-responder cannot text back and forth with Rentline for ever. Pure:
// the counts are read under the sender's lock (conversations/reply-activity.ts) and passed in.
import type { Policy } from './policy.js';

/** What Rentline has done with one phone number within the window ending now. */
export interface SenderActivity {
  /** Automated replies already queued to the number in the window. */
  repliesInWindow: number;
  /** Texts from the number already stored in the window (the one being answered not included). */
  textsInWindow: number;
  /** An officer was already told of a pause for this number within the window. */
  pauseToldInWindow: boolean;
}

export type ReplyLimitVerdict =
  | { verdict: 'answer' }
  /** Store the text, answer nothing; `tellOfficer` on the first paused text of a window only. */
  | { verdict: 'pause'; tellOfficer: boolean; reason: string };

/** The start of the rolling window that ends at `now`: replies and texts after it count. */
export function replyWindowStart(now: Date, policy: Policy): Date {
  return new Date(now.getTime() - policy.automated_replies.window_minutes * 60_000);
}

/** What an officer reads when replies pause: the counts, never the texts. */
function pauseReason(texts: number, windowMinutes: number): string {
  return `automated replies paused: ${texts} text${texts === 1 ? '' : 's'} in ${windowMinutes} minute${windowMinutes === 1 ? '' : 's'} — possibly an auto-responder`;
}

/**
 * May the script answer this text with `repliesWanted` replies? Only when they all fit under the limit; a text
 * whose step would queue none still needs room for one, so nothing (an escalation included) comes of a text
 * once the limit is reached.
 */
export function decideAutomatedReply(
  activity: SenderActivity,
  repliesWanted: number,
  policy: Policy,
): ReplyLimitVerdict {
  const { max_per_sender: max, window_minutes: minutes } = policy.automated_replies;
  if (activity.repliesInWindow + Math.max(1, repliesWanted) <= max) return { verdict: 'answer' };
  return {
    verdict: 'pause',
    tellOfficer: !activity.pauseToldInWindow,
    reason: pauseReason(activity.textsInWindow + 1, minutes),
  };
}

/** The activity the sender's next text finds, after this one was answered with `repliesQueued` or paused. */
export function afterText(activity: SenderActivity, verdict: ReplyLimitVerdict, repliesQueued: number): SenderActivity {
  return {
    repliesInWindow: activity.repliesInWindow + (verdict.verdict === 'answer' ? repliesQueued : 0),
    textsInWindow: activity.textsInWindow + 1,
    pauseToldInWindow: activity.pauseToldInWindow || (verdict.verdict === 'pause' && verdict.tellOfficer),
  };
}
