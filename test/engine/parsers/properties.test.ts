// Properties that must hold for every input, checked with generated messages: amounts round-trip, no
// parser throws on any string, dates are never in the past, and the raw text always survives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PENCE,
  detectAlreadyPaid,
  detectConfusion,
  detectCrisis,
  detectHardship,
  detectOptOutRequest,
  matchAccountRequest,
  detectWrongNumber,
  matchGlobalKeyword,
  normalisePostcode,
  normaliseReply,
  parseDateOfBirth,
  parseFrequency,
  parseMoney,
  parseOffer,
  parseUkDate,
  parseYesNo,
} from '../../../src/engine/parsers/index.js';

const TIME_ZONES = [
  'Europe/London',
  'UTC',
  'America/New_York',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
  'Asia/Kolkata',
];

/** The local calendar date of `now` in `timeZone`, worked out by Intl rather than by the code under test. */
function intlLocalDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

// Words and symbols from real replies, so generated messages reach deep into the parsers.
const VOCABULARY = [
  '£',
  '£15',
  '15',
  '7.50',
  '1,200',
  '50p',
  '3rd',
  '15th',
  '31st',
  '15/12',
  '29/02',
  '15/12/2026',
  '2026-12-15',
  '5pm',
  '17:30',
  'the',
  'on',
  'from',
  'starting',
  'next',
  'this',
  'every',
  'each',
  'a',
  'per',
  'in',
  'at',
  'of',
  'week',
  'weeks',
  'fortnight',
  'month',
  'pm',
  'pw',
  'p/w',
  'pcm',
  'weekly',
  'monthly',
  '4-weekly',
  'two',
  'twenty',
  'five',
  'quid',
  'pounds',
  'tenner',
  'fiver',
  'friday',
  'mon',
  'sat',
  'today',
  'tomorrow',
  'end',
  'december',
  'may',
  'dec',
  'because',
  'as',
  'my',
  'i',
  "can't",
  'pay',
  'paid',
  'stop',
  'yes',
  'no',
  'ok',
  '👍',
  '-',
  '.',
  ',',
  '?',
  '!',
  ' ',
  '\u2019',
  '\u00a0',
  '\ud83d',
  'ｗｅｅｋ',
  'İ',
  // Welsh
  'punt',
  'bunt',
  'deg',
  'dau',
  'ddeg',
  'pump',
  'yr',
  'y',
  'wythnos',
  'bob',
  'pythefnos',
  'pedair',
  'mis',
  'yn',
  'fisol',
  'dydd',
  'ddydd',
  'gwener',
  'llun',
  'mawrth',
  'yfory',
  'rhagfyr',
  'ragfyr',
  '4ydd',
  'o',
  "o'r",
  'nesaf',
  'ie',
  'na',
  'nac',
  'oes',
  'ydw',
  'wedi',
  'talu',
  'ddim',
  'deall',
  'balans',
  'datganiad',
  'â',
  'ŵ',
];
const vocabularyText = fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 25 }).map((words) => words.join(' '));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  // Lone surrogates and other broken UTF-16.
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 100 }).map((codes) => String.fromCharCode(...codes)),
  vocabularyText,
);
const anyNow = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2100-12-31T23:59:59Z'),
  noInvalidDate: true,
});

describe('parser properties', () => {
  it('reads back any amount from 1p to £99,999.99 written as £x.yy, with or without thousands commas', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_PENCE - 1 }),
        fc.boolean(),
        fc.constantFrom('', ' a week', ' pw', ' per month'),
        (pence, commas, suffix) => {
          const pounds = Math.floor(pence / 100);
          const whole = commas ? pounds.toLocaleString('en-GB') : String(pounds);
          const text = `£${whole}.${String(pence % 100).padStart(2, '0')}${suffix}`;
          expect(parseMoney(text)).toBe(pence);
          expect(parseOffer(text, new Date('2026-11-26T12:00:00Z'), 'Europe/London').amountPence).toBe(pence);
        },
      ),
    );
  });

  it('never throws on any string, and returns values of the promised shape', () => {
    fc.assert(
      fc.property(anyText, anyNow, fc.constantFrom(...TIME_ZONES), (text, now, timeZone) => {
        const money = parseMoney(text);
        expect(money === null || (Number.isInteger(money) && money >= 0 && money <= MAX_PENCE)).toBe(true);
        expect([null, 'weekly', 'fortnightly', 'four_weekly', 'monthly']).toContain(parseFrequency(text));
        const date = parseUkDate(text, now, timeZone);
        expect(date === null || /^\d{4}-\d{2}-\d{2}$/.test(date)).toBe(true);
        expect([null, 'yes', 'no']).toContain(parseYesNo(text));
        expect([null, 'opt_out', 'opt_in', 'help', 'human']).toContain(matchGlobalKeyword(text));
        expect(typeof detectOptOutRequest(text)).toBe('boolean');
        expect(typeof detectAlreadyPaid(text)).toBe('boolean');
        expect(typeof detectWrongNumber(text)).toBe('boolean');
        expect([null, 'balance', 'statement']).toContain(matchAccountRequest(text));
        const confusion = detectConfusion(text);
        expect(confusion === null || typeof confusion.matched === 'string').toBe(true);
        const hardship = detectHardship(text);
        expect(hardship === null || typeof hardship.matched === 'string').toBe(true);
        const crisis = detectCrisis(text);
        expect(crisis === null || ['self_harm', 'domestic_abuse', 'bereavement_illness'].includes(crisis.kind)).toBe(
          true,
        );
        expect(crisis === null || crisis.matched.length > 0).toBe(true);
        const dob = parseDateOfBirth(text, now);
        expect(dob === null || /^\d{4}-\d{2}-\d{2}$/.test(dob)).toBe(true);
        expect(normalisePostcode(text) === null || /^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/.test(normalisePostcode(text)!)).toBe(
          true,
        );
        expect(typeof normaliseReply(text)).toBe('string');
        parseOffer(text, now, timeZone);
      }),
      { numRuns: 300 },
    );
  });

  it('never returns a date before the local date of now, in any time zone', () => {
    fc.assert(
      fc.property(vocabularyText, anyNow, fc.constantFrom(...TIME_ZONES), (text, now, timeZone) => {
        const date = parseUkDate(text, now, timeZone);
        if (date !== null) expect(date >= intlLocalDate(now, timeZone)).toBe(true);
        const start = parseOffer(text, now, timeZone).startDate;
        if (start !== null) expect(start >= intlLocalDate(now, timeZone)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a weekday name as that weekday, one to seven days after today', () => {
    const names = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), anyNow, fc.constantFrom(...TIME_ZONES), (weekday, now, timeZone) => {
        const date = parseUkDate(names[weekday]!, now, timeZone)!;
        const today = intlLocalDate(now, timeZone);
        const days = (Date.parse(date) - Date.parse(today)) / 86_400_000;
        expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(weekday);
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(7);
      }),
    );
  });

  it('keeps the raw text of every offer exactly as given', () => {
    fc.assert(
      fc.property(anyText, anyNow, (text, now) => {
        expect(parseOffer(text, now, 'Europe/London').raw).toBe(text);
      }),
    );
  });

  it('normalises a reply once and for all: normalising again changes nothing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normaliseReply(text);
        expect(normaliseReply(once)).toBe(once);
      }),
    );
  });

  it('reads back any real date of birth written day first as dd/mm/yyyy', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2010-12-31T00:00:00Z'), noInvalidDate: true }),
        (date) => {
          const iso = date.toISOString().slice(0, 10);
          const [year, month, day] = iso.split('-');
          expect(parseDateOfBirth(`${day}/${month}/${year}`)).toBe(iso);
        },
      ),
    );
  });

  it('gives a normalised postcode back unchanged', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const postcode = normalisePostcode(text);
        if (postcode !== null) expect(normalisePostcode(postcode)).toBe(postcode);
      }),
    );
  });

  it('matches a keyword whatever its case and trailing punctuation', () => {
    const words = [
      'stop',
      'unsubscribe',
      'end',
      'quit',
      'stopall',
      'revoke',
      'optout',
      'cancel',
      'start',
      'unstop',
      'help',
      'info',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...words),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.constantFrom('', '.', '!!', ' ?', ' 🙏'),
        (word, upper, tail) => {
          const cased = [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
          expect(matchGlobalKeyword(` ${cased}${tail} `)).toBe(matchGlobalKeyword(word));
          expect(matchGlobalKeyword(word)).not.toBeNull();
        },
      ),
    );
  });

  it('parses a message of the longest size Twilio delivers in well under a second', () => {
    const worst = [
      '1'.repeat(1600),
      '£1 '.repeat(540),
      'a week '.repeat(230),
      'the 1st '.repeat(200),
      '- '.repeat(800),
      'twenty '.repeat(230),
    ];
    for (const text of worst) {
      const started = performance.now();
      parseOffer(text, new Date('2026-11-26T12:00:00Z'), 'Europe/London');
      detectCrisis(text);
      detectAlreadyPaid(text);
      detectOptOutRequest(text);
      parseYesNo(text);
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });
});
