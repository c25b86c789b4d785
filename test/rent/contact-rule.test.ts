// The contact rule, as a matrix: every hold kind (on tenant 1 of a joint tenancy, and on a sole tenant) ×
// every outbound purpose × every path gives exactly the verdict of the table below, which is the rules
// written out by hand ("Holds: one rule for the whole case"). Then the timing rules on their own.
import { describe, expect, it } from 'vitest';
import {
  CONTACT_PATHS,
  decideContact,
  type ContactPath,
  type ContactPurpose,
  type ContactRequest,
} from '../../src/rent/contact-rule.js';
import { HOLD_KINDS, holdsOf, type HoldKind, type TenantHoldFacts } from '../../src/rent/holds.js';
import { parsePolicy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';

// Tuesday 10 Nov 2026, 12:00 GMT: inside the default contact window.
const NOW = new Date('2026-11-10T12:00:00Z');
const TZ = 'Europe/London';

/** S send, B block, P a person (route_to_person for a tenant's text, block elsewhere), H hold until later, W send with a warning. */
type Cell = 'S' | 'B' | 'P' | 'H' | 'W';
const PURPOSES = [
  'reminder',
  'arrears',
  'arrangement',
  'reply',
  'officer_decision',
  'takeover',
] as const satisfies readonly ContactPurpose[];
type Row = Record<(typeof PURPOSES)[number], Cell>;

/** For each hold on tenant 1: the verdict for tenant 1 (the holder), and for tenant 2 (their joint tenant). */
const TABLE: Record<HoldKind, { holder: Row; joint: Row }> = {
  // Nothing about the arrears to any tenant; reminders off by default; replies in an arrears case are people only.
  breathing_space: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'B', takeover: 'S' },
    joint: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'B', takeover: 'S' },
  },
  // Humans only for that tenant (the officer is warned before writing); the others as in Breathing Space.
  breathing_space_mental_health: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'B', takeover: 'W' },
    joint: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'B', takeover: 'S' },
  },
  // Every automated text about the account frozen for the tenancy; people still decide and write.
  dispute: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'S', takeover: 'S' },
    joint: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'S', takeover: 'S' },
  },
  // No automated message of any kind to any tenant until an officer resolves it.
  crisis: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'S', takeover: 'S' },
    joint: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'S', takeover: 'S' },
  },
  // No automated contact for that tenant; their joint tenant is not affected.
  vulnerable: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'S', takeover: 'S' },
    joint: { reminder: 'S', arrears: 'S', arrangement: 'S', reply: 'S', officer_decision: 'S', takeover: 'S' },
  },
  // Nobody writes to that tenant, not even an officer; a text from them goes to a person.
  do_not_contact: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'P', officer_decision: 'B', takeover: 'B' },
    joint: { reminder: 'S', arrears: 'S', arrangement: 'S', reply: 'S', officer_decision: 'S', takeover: 'S' },
  },
  // Outreach waits for the end of the pause, for the tenancy; answers and decisions still go.
  referral_pause: {
    holder: { reminder: 'H', arrears: 'H', arrangement: 'H', reply: 'S', officer_decision: 'S', takeover: 'S' },
    joint: { reminder: 'H', arrears: 'H', arrangement: 'H', reply: 'S', officer_decision: 'S', takeover: 'S' },
  },
  // Opted out of SMS (the channel the message is for): nothing on it, not even an officer's words.
  opted_out: {
    holder: { reminder: 'B', arrears: 'B', arrangement: 'B', reply: 'B', officer_decision: 'B', takeover: 'B' },
    joint: { reminder: 'S', arrears: 'S', arrangement: 'S', reply: 'S', officer_decision: 'S', takeover: 'S' },
  },
};

function tenant(no: number, over: Partial<TenantHoldFacts> = {}): TenantHoldFacts {
  return {
    tenantNo: no,
    vulnerable: false,
    vulnerableSince: null,
    vulnerableReviewOn: null,
    doNotContact: false,
    breathingSpace: null,
    disputedAt: null,
    smsOptedOutAt: null,
    whatsappOptedOutAt: null,
    pausedUntil: null,
    pauseReason: null,
    ...over,
  };
}

const DAYS_AGO = new Date('2026-11-03T10:00:00Z');

/** The facts that make a hold of `kind` on tenant 1. */
function factsWith(kind: HoldKind): Partial<TenantHoldFacts> {
  switch (kind) {
    case 'breathing_space':
      return { breathingSpace: { start: '2026-11-01', end: null, mentalHealth: false } };
    case 'breathing_space_mental_health':
      return { breathingSpace: { start: '2026-11-01', end: null, mentalHealth: true } };
    case 'dispute':
      return { disputedAt: DAYS_AGO };
    case 'vulnerable':
      return { vulnerable: true, vulnerableSince: DAYS_AGO };
    case 'do_not_contact':
      return { doNotContact: true };
    case 'referral_pause':
      return { pausedUntil: new Date('2026-11-20T10:00:00Z'), pauseReason: 'debt_advice_referral' };
    case 'opted_out':
      return { smsOptedOutAt: DAYS_AGO };
    case 'crisis':
      return {};
  }
}

function holdsFor(kind: HoldKind, joint: boolean) {
  const tenants = joint ? [tenant(1, factsWith(kind)), tenant(2)] : [tenant(1, factsWith(kind))];
  const crises = kind === 'crisis' ? [{ tenantNo: 1, since: DAYS_AGO, escalationId: 1 }] : [];
  return holdsOf(tenants, crises, NOW, TZ);
}

function request(
  purpose: ContactPurpose,
  path: ContactPath,
  tenantNo: number,
  holds: ContactRequest['holds'],
): ContactRequest {
  return {
    purpose,
    path,
    tenantNo,
    channel: 'sms',
    holds,
    textable: true,
    now: NOW,
    queuedAt: NOW,
    // A reply on the conversation path answers a text just received; elsewhere nobody has texted lately.
    tenantLastMessageAt: path === 'conversation_reply' ? new Date(NOW.getTime() - 60_000) : null,
    lastArrearsMessageAt: null,
  };
}

function expected(cell: Cell, path: ContactPath): string {
  if (cell === 'P') return path === 'conversation_reply' ? 'route_to_person' : 'block';
  return { S: 'send', W: 'send', B: 'block', H: 'hold' }[cell];
}

describe('the contact rule matrix', () => {
  it('covers every hold kind and every path', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...HOLD_KINDS].sort());
    expect(CONTACT_PATHS).toEqual(['job', 'dispatcher', 'conversation_reply', 'officer_decision', 'takeover']);
  });

  const cases: [HoldKind, string, number, (typeof PURPOSES)[number], ContactPath, Cell][] = [];
  for (const kind of HOLD_KINDS) {
    for (const purpose of PURPOSES) {
      for (const path of CONTACT_PATHS) {
        cases.push([kind, 'joint tenancy, tenant 1 (the holder)', 1, purpose, path, TABLE[kind].holder[purpose]]);
        cases.push([kind, 'joint tenancy, tenant 2', 2, purpose, path, TABLE[kind].joint[purpose]]);
        cases.push([kind, 'sole tenant', 0, purpose, path, TABLE[kind].holder[purpose]]);
      }
    }
  }

  it.each(cases)('%s on tenant 1 · %s · %s on the %s path', (kind, _who, recipient, purpose, path, cell) => {
    const joint = recipient !== 0;
    const verdict = decideContact(
      request(purpose, path, recipient === 0 ? 1 : recipient, holdsFor(kind, joint)),
      DEFAULT_POLICY,
    );
    expect(verdict.verdict).toBe(expected(cell, path));
    if (verdict.verdict !== 'send') expect(verdict.reason).toBe(kind);
    if (cell === 'W')
      expect(verdict).toMatchObject({ warning: expect.stringContaining('mental health crisis Breathing Space') });
    if (cell === 'S') expect(verdict).not.toHaveProperty('warning');
    if (cell === 'H') expect(verdict).toMatchObject({ until: new Date('2026-11-20T10:00:00Z') });
  });
});

describe('the contact rule without holds: the moment', () => {
  const SUNDAY = new Date('2026-11-15T12:00:00Z');
  const MONDAY_9AM = new Date('2026-11-16T09:00:00Z');
  const at = (purpose: ContactPurpose, now: Date, over: Partial<ContactRequest> = {}) =>
    decideContact({ ...request(purpose, 'dispatcher', 1, []), now, queuedAt: now, ...over }, DEFAULT_POLICY);

  it('holds automated texts and officer decisions outside the window until it opens', () => {
    for (const purpose of ['reminder', 'arrears', 'arrangement', 'reply', 'officer_decision'] as const) {
      expect(at(purpose, SUNDAY)).toEqual({ verdict: 'hold', until: MONDAY_9AM, reason: 'outside_contact_window' });
    }
  });

  it("sends an officer's decision or a reply at once to a tenant who texted in the last hour, and the officer's own words at any time", () => {
    const justTexted = { tenantLastMessageAt: new Date(SUNDAY.getTime() - 30 * 60_000) };
    expect(at('officer_decision', SUNDAY, justTexted)).toEqual({ verdict: 'send' });
    expect(at('reply', SUNDAY, justTexted)).toEqual({ verdict: 'send' });
    expect(
      at('officer_decision', SUNDAY, { tenantLastMessageAt: new Date(SUNDAY.getTime() - 2 * 3600_000) }),
    ).toMatchObject({ verdict: 'hold' });
    expect(at('takeover', SUNDAY)).toEqual({ verdict: 'send' });
  });

  it('holds a second arrears text inside the frequency cap', () => {
    expect(at('arrears', NOW, { lastArrearsMessageAt: new Date('2026-11-09T12:00:00Z') })).toEqual({
      verdict: 'hold',
      until: new Date('2026-11-12T12:00:00Z'),
      reason: 'frequency_cap',
    });
  });

  it('blocks every purpose to a tenant with no textable number', () => {
    for (const purpose of PURPOSES)
      expect(at(purpose, NOW, { textable: false })).toEqual({ verdict: 'block', reason: 'not_textable' });
  });

  it('lets the acknowledgement of the text that raised a crisis or a dispute go, and nothing after it', () => {
    const raised = new Date(NOW.getTime() - 60_000);
    for (const kind of ['crisis', 'dispute'] as const) {
      const holds = holdsOf(
        [tenant(1, kind === 'dispute' ? { disputedAt: raised } : {}), tenant(2)],
        kind === 'crisis' ? [{ tenantNo: 1, since: raised, escalationId: 9 }] : [],
        NOW,
        TZ,
      );
      const ack = { tenantLastMessageAt: raised, holds };
      expect(at('reply', NOW, { ...ack, queuedAt: raised })).toEqual({ verdict: 'send' });
      expect(at('reply', NOW, { ...ack, queuedAt: new Date(raised.getTime() + 1000) })).toEqual({
        verdict: 'block',
        reason: kind,
      });
      // The joint tenant's reminder does not ride on the acknowledgement.
      expect(
        decideContact({ ...request('reminder', 'dispatcher', 2, holds), queuedAt: raised }, DEFAULT_POLICY),
      ).toEqual({ verdict: 'block', reason: kind });
    }
  });

  it('lets rent reminders through Breathing Space and vulnerability only when the landlord turns them on', () => {
    const bs = holdsFor('breathing_space', true);
    const vulnerable = holdsFor('vulnerable', false);
    expect(
      decideContact(request('reminder', 'job', 2, bs), parsePolicy({ reminders: { for_breathing_space: true } })),
    ).toEqual({ verdict: 'send' });
    expect(
      decideContact(request('arrears', 'job', 2, bs), parsePolicy({ reminders: { for_breathing_space: true } })),
    ).toMatchObject({ verdict: 'block' });
    expect(
      decideContact(request('reminder', 'job', 1, vulnerable), parsePolicy({ reminders: { for_vulnerable: true } })),
    ).toEqual({ verdict: 'send' });
  });

  it('ends Breathing Space on its end date and a referral pause at its end', () => {
    const ended = holdsOf(
      [
        tenant(1, {
          breathingSpace: { start: '2026-10-01', end: '2026-11-09', mentalHealth: false },
          pausedUntil: new Date('2026-11-10T11:00:00Z'),
        }),
      ],
      [],
      NOW,
      TZ,
    );
    expect(ended).toEqual([]);
  });
});
