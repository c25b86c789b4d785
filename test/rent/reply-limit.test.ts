// The per-sender limit on automated replies (docs/rules.md#reply-limit), as a table: the activity in the
// window and the replies the text's step would queue give the verdict by hand.
import { describe, expect, it } from 'vitest';
import { afterText, decideAutomatedReply, replyWindowStart, type SenderActivity } from '../../src/rent/reply-limit.js';
import { parsePolicy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';

// 3 replies in any 5 minutes, to keep the table small.
const policy = parsePolicy({ automated_replies: { max_per_sender: 3, window_minutes: 5 } });

const activity = (repliesInWindow: number, textsInWindow: number, pauseToldInWindow = false): SenderActivity => ({
  repliesInWindow,
  textsInWindow,
  pauseToldInWindow,
});

describe('decideAutomatedReply', () => {
  it.each([
    // replies so far, texts so far, told already, replies wanted → verdict, officer told, texts in the reason
    [0, 0, false, 1, 'answer', null, null],
    [2, 2, false, 1, 'answer', null, null],
    [1, 1, false, 2, 'answer', null, null], // exactly fills the limit
    [2, 2, false, 2, 'pause', true, 3], // two replies do not fit in the one left
    [2, 5, false, 0, 'answer', null, null], // a step that queues nothing still needs room for one
    [3, 3, false, 0, 'pause', true, 4], // ... so nothing, an escalation included, comes of it at the limit
    [3, 3, false, 1, 'pause', true, 4], // the first text past the limit tells an officer
    [3, 40, true, 1, 'pause', false, 41], // later ones are kept quietly
    [5, 9, false, 1, 'pause', true, 10], // a new window whose first notice has aged out tells again
  ] as const)('%i replies, %i texts, told %s, %i wanted → %s', (replies, texts, told, wanted, verdict, tell, shown) => {
    const decided = decideAutomatedReply(activity(replies, texts, told), wanted, policy);
    expect(decided.verdict).toBe(verdict);
    if (decided.verdict === 'pause') {
      expect(decided.tellOfficer).toBe(tell);
      expect(decided.reason).toBe(`automated replies paused: ${shown} texts in 5 minutes — possibly an auto-responder`);
    }
  });

  it('ships 15 replies per 10 minutes', () => {
    expect(DEFAULT_POLICY.automated_replies).toEqual({ max_per_sender: 15, window_minutes: 10 });
    expect(decideAutomatedReply(activity(14, 14), 1, DEFAULT_POLICY).verdict).toBe('answer');
    expect(decideAutomatedReply(activity(15, 15), 1, DEFAULT_POLICY).verdict).toBe('pause');
  });

  it('refuses a limit of nothing or a window of no time', () => {
    expect(() => parsePolicy({ automated_replies: { max_per_sender: 0 } })).toThrow(
      'automated_replies.max_per_sender: expects a whole number of replies from 1 to 200',
    );
    expect(() => parsePolicy({ automated_replies: { window_minutes: 0 } })).toThrow(
      'automated_replies.window_minutes: expects a whole number of minutes from 1 to 1440',
    );
  });
});

describe('a run of texts from one sender', () => {
  it('answers up to the limit, tells an officer once, then keeps the rest quietly', () => {
    let seen = activity(0, 0);
    const verdicts: string[] = [];
    for (let text = 0; text < 6; text++) {
      const decided = decideAutomatedReply(seen, 1, policy);
      verdicts.push(decided.verdict === 'answer' ? 'answer' : decided.tellOfficer ? 'pause+tell' : 'pause');
      seen = afterText(seen, decided, 1);
    }
    expect(verdicts).toEqual(['answer', 'answer', 'answer', 'pause+tell', 'pause', 'pause']);
    expect(seen).toEqual({ repliesInWindow: 3, textsInWindow: 6, pauseToldInWindow: true });
  });

  it('counts the window back from now', () => {
    expect(replyWindowStart(new Date('2026-11-25T10:00:00Z'), policy)).toEqual(new Date('2026-11-25T09:55:00Z'));
  });

  it('words the reason with the counts only', () => {
    expect(decideAutomatedReply({ repliesInWindow: 3, textsInWindow: 5, pauseToldInWindow: false }, 1, policy)).toEqual(
      {
        verdict: 'pause',
        tellOfficer: true,
        reason: 'automated replies paused: 6 texts in 5 minutes — possibly an auto-responder',
      },
    );
    const oneAMinute = parsePolicy({ automated_replies: { max_per_sender: 1, window_minutes: 1 } });
    expect(
      decideAutomatedReply({ repliesInWindow: 1, textsInWindow: 0, pauseToldInWindow: true }, 1, oneAMinute),
    ).toEqual({
      verdict: 'pause',
      tellOfficer: false,
      reason: 'automated replies paused: 1 text in 1 minute — possibly an auto-responder',
    });
  });
});
