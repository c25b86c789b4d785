// The simulator's "send held texts now" waives the contact window and nothing else: the contact rule still
// applies every hold and the frequency cap.
import { describe, expect, it } from 'vitest';
import { decideContact, type ContactRequest } from '../../src/rent/contact-rule.js';
import { holdsOf, type TenantHoldFacts } from '../../src/rent/holds.js';
import { DEFAULT_POLICY } from '../support/policy.js';

// Sunday 15 Nov 2026, 22:00 GMT: outside the default window on a day with no automated contact.
const sundayNight = new Date('2026-11-15T22:00:00Z');
const DAYS_AGO = new Date('2026-11-10T10:00:00Z');

function tenant(over: Partial<TenantHoldFacts> = {}): TenantHoldFacts {
  return {
    tenantNo: 1,
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

function request(facts: Partial<TenantHoldFacts> = {}, over: Partial<ContactRequest> = {}): ContactRequest {
  return {
    purpose: 'arrears',
    path: 'dispatcher',
    tenantNo: 1,
    channel: 'sms',
    holds: holdsOf([tenant(facts)], [], sundayNight, 'Europe/London'),
    textable: true,
    now: sundayNight,
    queuedAt: sundayNight,
    tenantLastMessageAt: null,
    lastArrearsMessageAt: null,
    ...over,
  };
}

describe('the contact window waiver', () => {
  it('holds an arrears text on a Sunday night without it, and lets it go with it', () => {
    expect(decideContact(request(), DEFAULT_POLICY)).toMatchObject({
      verdict: 'hold',
      reason: 'outside_contact_window',
    });
    expect(decideContact(request({}, { contactWindowWaived: true }), DEFAULT_POLICY)).toEqual({ verdict: 'send' });
  });

  it.each([
    ['an opt-out', { smsOptedOutAt: DAYS_AGO }, {}, 'opted_out'],
    ['the frequency cap', {}, { lastArrearsMessageAt: new Date('2026-11-14T12:00:00Z') }, 'frequency_cap'],
    ['a dispute', { disputedAt: DAYS_AGO }, {}, 'dispute'],
    ['a vulnerability flag', { vulnerable: true, vulnerableSince: DAYS_AGO }, {}, 'vulnerable'],
    [
      'a referral pause',
      { pausedUntil: new Date('2026-11-30T10:00:00Z'), pauseReason: 'debt_advice_referral' },
      {},
      'referral_pause',
    ],
  ] as const)('still honours %s', (_what, facts, over, reason) => {
    const verdict = decideContact(request(facts, { ...over, contactWindowWaived: true }), DEFAULT_POLICY);
    expect(verdict.verdict).not.toBe('send');
    expect(verdict).toMatchObject({ reason });
  });
});
