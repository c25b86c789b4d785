// Table tests for the send guards: each rule of docs/rules.md#guards, its exceptions, and which guard wins.
import { describe, expect, it } from 'vitest';
import type { SendGuardInput } from '../../src/rent/guards.js';
import { checkSendGuards } from '../../src/rent/guards.js';
import { DEFAULT_POLICY, parsePolicy } from '../../src/rent/policy.js';

// Tuesday 10 Nov 2026, 12:00 GMT: inside the default window.
const now = new Date('2026-11-10T12:00:00Z');
const base: SendGuardInput = {
  kind: 'arrears',
  channel: 'sms',
  optedOutChannels: [],
  flags: { vulnerable: false, doNotContact: false, breathingSpace: null },
  disputed: false,
  pausedUntil: null,
  lastArrearsMessageAt: null,
  tenantLastMessageAt: null,
  now,
};
const standardBs = { start: '2026-11-01', end: null, mentalHealth: false };
const mentalHealthBs = { start: '2026-11-01', end: null, mentalHealth: true };
const remindersInBs = parsePolicy({ reminders: { for_breathing_space: true } });
const remindersForVulnerable = parsePolicy({ reminders: { for_vulnerable: true } });

function check(overrides: Partial<SendGuardInput>, flags: Partial<SendGuardInput['flags']> = {}, policy = DEFAULT_POLICY) {
  return checkSendGuards({ ...base, ...overrides, flags: { ...base.flags, ...flags } }, policy);
}

describe('checkSendGuards', () => {
  it('allows an arrears message to a tenant with no flags inside the window', () => {
    expect(check({})).toEqual({ allowed: true });
  });

  it.each([
    ['opted out of SMS, sending SMS', { optedOutChannels: ['sms'] }, {}, 'opted_out'],
    ['opted out of SMS, an officer writing by SMS', { optedOutChannels: ['sms'], kind: 'officer' }, {}, 'opted_out'],
    ['do not contact, an officer writing', { kind: 'officer' }, { doNotContact: true }, 'do_not_contact'],
    ['opted out and in Breathing Space (opt-out named first)', { optedOutChannels: ['sms'] }, { breathingSpace: standardBs }, 'opted_out'],
  ] as const)('blocks when %s', (_what, overrides, flags, reason) => {
    expect(check(overrides, flags)).toEqual({ allowed: false, reason });
  });

  it('allows SMS to a tenant who opted out of WhatsApp only', () => {
    expect(check({ optedOutChannels: ['whatsapp'] })).toEqual({ allowed: true });
  });

  describe('Breathing Space', () => {
    it.each([
      ['an arrears message', { kind: 'arrears' }, DEFAULT_POLICY, false],
      ['an arrangement nudge', { kind: 'arrangement' }, DEFAULT_POLICY, false],
      ['an automated reply in an arrears conversation', { kind: 'reply' }, DEFAULT_POLICY, false],
      ['a rent reminder when the landlord has not turned them on', { kind: 'reminder' }, DEFAULT_POLICY, false],
      ['a rent reminder when the landlord has turned them on', { kind: 'reminder' }, remindersInBs, true],
      ['an officer text about the arrears', { kind: 'officer' }, DEFAULT_POLICY, false],
      ['an officer text not about the arrears', { kind: 'officer', aboutArrears: false }, DEFAULT_POLICY, true],
      ['an automated reply not about the arrears', { kind: 'reply', aboutArrears: false }, DEFAULT_POLICY, true],
    ] as const)('during a standard one: %s allowed is %s', (_what, overrides, policy, allowed) => {
      expect(check(overrides, { breathingSpace: standardBs }, policy).allowed).toBe(allowed);
    });

    it.each([
      ['a rent reminder even when turned on', { kind: 'reminder' }, false],
      ['an automated reply not about the arrears', { kind: 'reply', aboutArrears: false }, false],
      ['an officer text about the arrears', { kind: 'officer' }, false],
      ['an officer text not about the arrears', { kind: 'officer', aboutArrears: false }, true],
    ] as const)('during a mental-health one (humans only): %s allowed is %s', (_what, overrides, allowed) => {
      expect(check(overrides, { breathingSpace: mentalHealthBs }, remindersInBs).allowed).toBe(allowed);
    });

    it.each([
      ['ended yesterday', { start: '2026-10-01', end: '2026-11-09', mentalHealth: false }, true],
      ['ends today', { start: '2026-10-01', end: '2026-11-10', mentalHealth: false }, false],
      ['starts tomorrow', { start: '2026-11-11', end: null, mentalHealth: false }, true],
    ])('applies only while active: one that %s allows arrears messages: %s', (_what, breathingSpace, allowed) => {
      expect(check({}, { breathingSpace }).allowed).toBe(allowed);
    });

    it('gives no hold-until date, because contact never resumes without an end notification', () => {
      expect(check({}, { breathingSpace: standardBs })).toEqual({ allowed: false, reason: 'breathing_space' });
    });
  });

  it.each([
    ['an arrears message', { kind: 'arrears' }, DEFAULT_POLICY, false],
    ['an automated reply', { kind: 'reply' }, DEFAULT_POLICY, false],
    ['a rent reminder by default', { kind: 'reminder' }, DEFAULT_POLICY, false],
    ['a rent reminder when the landlord allows neutral reminders', { kind: 'reminder' }, remindersForVulnerable, true],
    ['an officer text', { kind: 'officer' }, DEFAULT_POLICY, true],
  ] as const)('for a vulnerable tenant, %s allowed is %s', (_what, overrides, policy, allowed) => {
    const result = check(overrides, { vulnerable: true }, policy);
    expect(result.allowed).toBe(allowed);
    if (!result.allowed) expect(result.reason).toBe('vulnerable');
  });

  it('freezes automation on a disputed balance but lets an officer write', () => {
    expect(check({ disputed: true })).toEqual({ allowed: false, reason: 'disputed' });
    expect(check({ disputed: true, kind: 'reminder' })).toEqual({ allowed: false, reason: 'disputed' });
    expect(check({ disputed: true, kind: 'officer' })).toEqual({ allowed: true });
  });

  it('still sends the acknowledgement to a tenant who has just said they already paid', () => {
    const justNow = new Date(now.getTime() - 60_000);
    expect(check({ disputed: true, kind: 'reply', tenantLastMessageAt: justNow })).toEqual({ allowed: true });
    expect(check({ disputed: true, kind: 'reply', tenantLastMessageAt: new Date(now.getTime() - 2 * 3600_000) })).toEqual({ allowed: false, reason: 'disputed' });
  });

  it('holds outreach during a pause until the next opening after it ends, but still answers the tenant', () => {
    const pausedUntil = new Date('2026-11-20T00:00:00Z'); // Friday 20 Nov, opening 09:00
    expect(check({ pausedUntil })).toEqual({ allowed: false, reason: 'paused', holdUntil: new Date('2026-11-20T09:00:00Z') });
    expect(check({ pausedUntil, kind: 'reminder' }).allowed).toBe(false);
    expect(check({ pausedUntil, kind: 'reply' })).toEqual({ allowed: true });
    expect(check({ pausedUntil: new Date('2026-11-10T11:00:00Z') })).toEqual({ allowed: true });
  });

  describe('contact window', () => {
    const sunday = new Date('2026-11-15T12:00:00Z');
    const monday9 = new Date('2026-11-16T09:00:00Z');

    it('holds an arrears message on a Sunday until Monday 09:00', () => {
      expect(check({ now: sunday })).toEqual({ allowed: false, reason: 'outside_contact_window', holdUntil: monday9 });
    });

    it('lets an officer text on a Sunday', () => {
      expect(check({ now: sunday, kind: 'officer' })).toEqual({ allowed: true });
    });

    it('never holds back a reply to a tenant who texted within the last hour', () => {
      expect(check({ now: sunday, kind: 'reply', tenantLastMessageAt: new Date('2026-11-15T11:30:00Z') })).toEqual({ allowed: true });
    });

    it('holds a reply when the tenant last texted more than an hour ago', () => {
      const result = check({ now: sunday, kind: 'reply', tenantLastMessageAt: new Date('2026-11-15T10:00:00Z') });
      expect(result).toEqual({ allowed: false, reason: 'outside_contact_window', holdUntil: monday9 });
    });
  });

  describe('frequency cap', () => {
    it('holds a second arrears message within 3 days until 3 days after the first', () => {
      // First Monday 9 Nov 12:00; 72 hours later is Thursday 12 Nov 12:00, inside the window.
      expect(check({ lastArrearsMessageAt: new Date('2026-11-09T12:00:00Z') })).toEqual({
        allowed: false,
        reason: 'frequency_cap',
        holdUntil: new Date('2026-11-12T12:00:00Z'),
      });
    });

    it('allows the next arrears message exactly 3 days after the last', () => {
      expect(check({ lastArrearsMessageAt: new Date('2026-11-07T12:00:00Z') })).toEqual({ allowed: true });
    });

    it('moves a cap that ends on a Sunday evening to Monday 09:00', () => {
      // Thursday 12 Nov 19:00 + 72 hours = Sunday 15 Nov 19:00 → Monday 16 Nov 09:00.
      const result = check({ now: new Date('2026-11-13T12:00:00Z'), lastArrearsMessageAt: new Date('2026-11-12T19:00:00Z') });
      expect(result).toEqual({ allowed: false, reason: 'frequency_cap', holdUntil: new Date('2026-11-16T09:00:00Z') });
    });

    it('does not cap rent reminders or replies', () => {
      const lastArrearsMessageAt = new Date('2026-11-10T10:00:00Z');
      expect(check({ kind: 'reminder', lastArrearsMessageAt })).toEqual({ allowed: true });
      expect(check({ kind: 'reply', lastArrearsMessageAt })).toEqual({ allowed: true });
    });
  });
});
