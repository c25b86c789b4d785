// Tests for the landlord policy file: the shipped YAML, defaults, and error messages staff can act on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicy } from '../../src/rent/policy.js';
import { DEFAULT_POLICY } from '../support/policy.js';

const shippedYaml = readFileSync(new URL('../../flows/policy.yaml', import.meta.url), 'utf8');

function errorOf(raw: unknown): string {
  try {
    parsePolicy(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected parsePolicy to throw');
}

describe('parsePolicy', () => {
  it('reads the shipped flows/policy.yaml and finds it identical to the built-in defaults', () => {
    expect(parsePolicy(parse(shippedYaml))).toEqual(DEFAULT_POLICY);
  });

  it('ships the documented defaults', () => {
    expect(DEFAULT_POLICY.arrears).toEqual({ grace_days: 3, threshold_pence: 1000, legal_consider_nosp_weeks: 8 });
    expect(DEFAULT_POLICY.contact.days).not.toContain('sunday');
    expect(DEFAULT_POLICY.referral.agencies.map((a) => a.id)).toEqual([
      'stepchange',
      'national_debtline',
      'citizens_advice',
      'landlord_money_advice',
    ]);
    expect(DEFAULT_POLICY.time_zone).toBe('Europe/London');
  });

  it('takes the time zone from the TIME_ZONE setting it is given, never from the file', () => {
    expect(parsePolicy({}, 'Europe/Dublin').time_zone).toBe('Europe/Dublin');
    expect(errorOf({ time_zone: 'Europe/London' })).toContain(
      'time_zone is set by the TIME_ZONE environment variable; remove it from policy.yaml',
    );
  });

  it('fills in defaults for keys a landlord leaves out but keeps the ones they set', () => {
    const policy = parsePolicy({ arrears: { grace_days: 5 }, rent_calendar: { fifty_three_week_years: 'rent_free' } });
    expect(policy.arrears).toEqual({ grace_days: 5, threshold_pence: 1000, legal_consider_nosp_weeks: 8 });
    expect(policy.rent_calendar.rent_free_weeks).toEqual(DEFAULT_POLICY.rent_calendar.rent_free_weeks);
    expect(policy.rent_calendar.fifty_three_week_years).toBe('rent_free');
    expect(policy.offers).toEqual(DEFAULT_POLICY.offers);
  });

  it('maps WhatsApp template keys to ContentSids', () => {
    const policy = parsePolicy({ whatsapp_templates: { rent_reminder: 'HX0123456789abcdef0123456789abcdef' } });
    expect(policy.whatsapp_templates).toEqual({ rent_reminder: 'HX0123456789abcdef0123456789abcdef' });
    expect(DEFAULT_POLICY.whatsapp_templates).toEqual({});
  });

  it('treats an empty file (null from the YAML parser) as all defaults', () => {
    expect(parsePolicy(null)).toEqual(DEFAULT_POLICY);
  });

  it('names every bad key and what it expects in one error', () => {
    const message = errorOf({
      arrears: { grace_days: 'three', graze_days: 1 },
      contact: { days: ['monday', 'funday'] },
      rent_calendar: { rent_free_weeks: ['2026-12-22'] },
      reminders: { time: '10am' },
      time_zone: 'Mars/Olympus',
    });
    expect(message).toContain('6 problems');
    expect(message).toContain('arrears.grace_days: expects a whole number of days from 0 to 28 (got "three")');
    expect(message).toContain('arrears: unknown key graze_days');
    expect(message).toContain('contact.days.1: expects a day of the week');
    expect(message).toContain('rent_calendar.rent_free_weeks.0: expects the Monday that starts each rent-free week');
    expect(message).toContain('reminders.time: expects a 24-hour time in quotes, like "09:00" (got "10am")');
    expect(message).toContain('time_zone is set by the TIME_ZONE environment variable; remove it from policy.yaml');
  });

  it.each([
    [{ arrears: { threshold_pence: 10.5 } }, 'arrears.threshold_pence: expects a whole number of pence'],
    [
      { contact: { window_start: '20:00', window_end: '09:00' } },
      'contact.window_end: expects window_start to be earlier',
    ],
    [{ contact: { extra_bank_holidays: ['2026-02-30'] } }, 'contact.extra_bank_holidays.0: expects a real date'],
    [{ offers: { auto_accept_within_policy: 'yes' } }, 'offers.auto_accept_within_policy: expects true or false'],
    [
      { rent_calendar: { fifty_three_week_years: 'free' } },
      'rent_calendar.fifty_three_week_years: expects charge or rent_free',
    ],
    [{ referral: { agencies: [] } }, 'referral.agencies: expects at least one free debt-advice agency'],
    [{ landlord: { payment_link: 'not a link' } }, 'landlord.payment_link: expects a web address'],
    [{ colour: 'blue' }, 'policy: unknown key colour'],
    [
      { whatsapp_templates: { rent_reminder: '12345' } },
      'whatsapp_templates.rent_reminder: expects a Twilio ContentSid starting HX',
    ],
  ])('rejects %j with a message naming the key', (raw, expected) => {
    expect(errorOf(raw)).toContain(expected);
  });
});
