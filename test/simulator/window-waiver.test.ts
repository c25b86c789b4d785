// The simulator's "send held texts now" waives the contact window and nothing else.
import { describe, expect, it } from 'vitest';
import type { SendGuardInput } from '../../src/rent/guards.js';
import { checkSendGuards } from '../../src/rent/guards.js';
import { DEFAULT_POLICY } from '../../src/rent/policy.js';

// Sunday 15 Nov 2026, 22:00 GMT: outside the default window on a day with no automated contact.
const sundayNight = new Date('2026-11-15T22:00:00Z');
const base: SendGuardInput = {
  kind: 'arrears', channel: 'sms', optedOutChannels: [], flags: { vulnerable: false, doNotContact: false, breathingSpace: null },
  disputed: false, pausedUntil: null, lastArrearsMessageAt: null, tenantLastMessageAt: null, now: sundayNight,
};

describe('the contact window waiver', () => {
  it('holds an arrears text on a Sunday night without it, and lets it go with it', () => {
    expect(checkSendGuards(base, DEFAULT_POLICY)).toMatchObject({ allowed: false, reason: 'outside_contact_window' });
    expect(checkSendGuards({ ...base, contactWindowWaived: true }, DEFAULT_POLICY)).toEqual({ allowed: true });
  });

  it.each([
    ['an opt-out', { optedOutChannels: ['sms'] }, 'opted_out'],
    ['the frequency cap', { lastArrearsMessageAt: new Date('2026-11-14T12:00:00Z') }, 'frequency_cap'],
    ['a dispute', { disputed: true }, 'disputed'],
    ['a vulnerability flag', { flags: { vulnerable: true, doNotContact: false, breathingSpace: null } }, 'vulnerable'],
  ] as const)('still honours %s', (_what, overrides, reason) => {
    expect(checkSendGuards({ ...base, ...overrides, contactWindowWaived: true }, DEFAULT_POLICY)).toMatchObject({ allowed: false, reason });
  });
});
