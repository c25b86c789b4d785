// Welsh replies are understood as well as English ones at every question: amounts, frequencies, days and
// dates, yes/no, and the flow's own example "£10 yr wythnos o ddydd Gwener". Table tests, then properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectConfusion,
  detectCrisis,
  detectHardship,
  matchAccountRequest,
  matchGlobalKeyword,
  parseFrequency,
  parseMoney,
  parseOffer,
  parseDateOfBirth,
  parseUkDate,
  parseYesNo,
} from '../../../src/engine/parsers/index.js';
import { welshWordsToNumber } from '../../../src/engine/parsers/welsh-numbers.js';

// Wednesday 25 November 2026, 10:00 in London.
const NOW = new Date('2026-11-25T10:00:00Z');
const TZ = 'Europe/London';

describe('Welsh amounts', () => {
  it.each([
    ['£10', 1000],
    ['deg punt', 1000],
    ['deg', 1000],
    ['pum punt', 500],
    ['dwy bunt', 200],
    ['tair punt', 300],
    ['pymtheg punt', 1500],
    ['ugain punt', 2000],
    ['dau ddeg punt', 2000],
    ['dau ddeg pump punt', 2500],
    ['pump ar hugain o bunnoedd', 2500],
    ['hanner cant punt', 5000],
    ['can punt', 10000],
    ['50 ceiniog', 50],
    ['10 punt', 1000],
    ['Galla i dalu deg punt', 1000],
    ['tua £12', 1200],
  ])('%j is %i pence', (text, pence) => {
    expect(parseMoney(text)).toBe(pence);
  });

  it.each(["dw i'n cael £300 y mis", 'mae fy rhent yn £100', 'methu talu £20', 'can', 'un'])(
    '%j is no offer amount',
    (text) => {
      expect(parseMoney(text)).toBeNull();
    },
  );

  it.each([
    ['un', 1],
    ['dau', 2],
    ['dwy', 2],
    ['pedair', 4],
    ['chwech', 6],
    ['deg', 10],
    ['un ar ddeg', 11],
    ['deuddeg', 12],
    ['pymtheg', 15],
    ['un ar bymtheg', 16],
    ['deunaw', 18],
    ['ugain', 20],
    ['un ar hugain', 21],
    ['deg ar hugain', 30],
    ['deugain', 40],
    ['hanner cant', 50],
    ['trigain', 60],
    ['un deg pump', 15],
    ['dau ddeg', 20],
    ['dau ddeg a phump', 25],
    ['naw deg naw', 99],
    ['cant', 100],
    ['dau gant', 200],
    ['tri chant pum deg', 350],
  ])('%j is %i', (words, value) => {
    expect(welshWordsToNumber(words)).toBe(value);
  });
});

describe('Welsh frequencies', () => {
  it.each([
    ['yn wythnosol', 'weekly'],
    ['wythnosol', 'weekly'],
    ['bob wythnos', 'weekly'],
    ['wythnos', 'weekly'],
    ['yr wythnos', 'weekly'],
    ['£10 yr wythnos', 'weekly'],
    ['bob dydd Gwener', 'weekly'],
    ['bob pythefnos', 'fortnightly'],
    ['pythefnos', 'fortnightly'],
    ['bob yn ail wythnos', 'fortnightly'],
    ['bob pedair wythnos', 'four_weekly'],
    ['bob 4 wythnos', 'four_weekly'],
    ['yn fisol', 'monthly'],
    ['misol', 'monthly'],
    ['bob mis', 'monthly'],
    ['y mis', 'monthly'],
    ['£50 y mis', 'monthly'],
  ])('%j is %s', (text, frequency) => {
    expect(parseFrequency(text)).toBe(frequency);
  });

  it.each(['ddwywaith y mis', 'bob tair wythnos', 'bob chwarter', 'yr wythnos nesaf', 'y mis nesaf'])(
    '%j is no frequency we take',
    (text) => {
      expect(parseFrequency(text)).toBeNull();
    },
  );
});

describe('Welsh days and dates', () => {
  it.each([
    ['dydd Llun', '2026-11-30'],
    ['dydd Mawrth', '2026-12-01'],
    ['dydd Mercher', '2026-12-02'],
    ['dydd Iau', '2026-11-26'],
    ['dydd Gwener', '2026-11-27'],
    ['o ddydd Gwener', '2026-11-27'],
    ['dydd Sadwrn', '2026-11-28'],
    ['dydd Sul', '2026-11-29'],
    ['Gwener', '2026-11-27'],
    ['Llun', '2026-11-30'],
    ['dydd Llun nesaf', '2026-11-30'],
    ['wythnos i ddydd Gwener', '2026-12-04'],
    ['heddiw', '2026-11-25'],
    ['yfory', '2026-11-26'],
    ['fory', '2026-11-26'],
    ['drennydd', '2026-11-27'],
    ['4 Rhagfyr', '2026-12-04'],
    ['4ydd Rhagfyr', '2026-12-04'],
    ['y 4ydd o Ragfyr', '2026-12-04'],
    ['Rhagfyr 4', '2026-12-04'],
    ['15 Ionawr', '2027-01-15'],
    ['4 Mawrth', '2027-03-04'],
    ['1af o Chwefror', '2027-02-01'],
    ['yr 21ain', '2026-12-21'],
    ['yr wythnos nesaf', '2026-11-30'],
    ['y mis nesaf', '2026-12-01'],
    ['diwedd y mis', '2026-11-30'],
    ['diwedd Rhagfyr', '2026-12-31'],
    ['ym mis Ionawr', '2027-01-01'],
    ['mewn pythefnos', '2026-12-09'],
    ['4/12', '2026-12-04'],
  ])('%j is %s', (text, date) => {
    expect(parseUkDate(text, NOW, TZ)).toBe(date);
  });
});

describe('Welsh offers in one sentence', () => {
  it.each([
    ['£10 yr wythnos o ddydd Gwener', 1000, 'weekly', '2026-11-27'],
    ['deg punt yr wythnos o ddydd Gwener', 1000, 'weekly', '2026-11-27'],
    ['Galla i dalu £15 bob pythefnos o yfory', 1500, 'fortnightly', '2026-11-26'],
    ['£20 y mis o 4 Rhagfyr', 2000, 'monthly', '2026-12-04'],
    ['pymtheg punt yn wythnosol gan ddechrau dydd Llun', 1500, 'weekly', '2026-11-30'],
    ["£40 bob pedair wythnos o'r wythnos nesaf", 4000, 'four_weekly', '2026-11-30'],
  ])('%j is %i pence %s from %s', (text, pence, frequency, start) => {
    expect(parseOffer(text, NOW, TZ)).toMatchObject({ amountPence: pence, frequency, startDate: start });
  });
});

describe('Welsh identity answers and reasons', () => {
  it.each(['12 Mawrth 1985', '12fed o Fawrth 1985', '12/03/1985'])('%j is the date of birth 1985-03-12', (text) => {
    expect(parseDateOfBirth(text)).toBe('1985-03-12');
  });

  it("keeps a Welsh reason in the tenant's words", () => {
    expect(parseOffer('£5 yr wythnos o ddydd Gwener oherwydd bod fy oriau wedi torri', NOW, TZ)).toMatchObject({
      amountPence: 500,
      frequency: 'weekly',
      startDate: '2026-11-27',
      reason: 'fy oriau wedi torri',
    });
  });
});

describe('Welsh yes and no', () => {
  it.each([
    'ie',
    'Ie',
    'IE',
    'oes',
    'ydw',
    'ydy',
    'do',
    'cywir',
    'yn gywir',
    'ie plis',
    'ie diolch',
    "ydy, mae'n gywir",
    'iawn',
    'dim problem',
    // "Hoffech chi...?" (would you like...?) is answered "hoffwn" (I would like to) or "na hoffwn".
    'hoffwn',
    'Hoffwn, diolch',
    'ie hoffwn',
  ])('%j is yes', (text) => {
    expect(parseYesNo(text)).toBe('yes');
  });
  it.each([
    'na',
    'NA',
    'nac oes',
    'nac ydw',
    'nac ydy',
    'naddo',
    'nage',
    'na diolch',
    'dim diolch',
    'anghywir',
    'ddim yn gywir',
    'na hoffwn',
    'Na hoffwn diolch',
  ])('%j is no', (text) => {
    expect(parseYesNo(text)).toBe('no');
  });
  it.each(['ie ond ddim dydd Gwener', 'efallai'])('%j is neither', (text) => {
    expect(parseYesNo(text)).toBeNull();
  });
});

describe('Welsh global words', () => {
  it('asking for a person, in Welsh', () => {
    expect(matchGlobalKeyword('siarad â pherson')).toBe('human');
    expect(matchGlobalKeyword('ffoniwch fi plis')).toBe('human');
  });
  it('BALANS and DATGANIAD', () => {
    expect(matchAccountRequest('BALANS')).toBe('balance');
    expect(matchAccountRequest('datganiad os gwelwch yn dda')).toBe('statement');
  });
  it('crisis, confusion and hardship words', () => {
    expect(detectCrisis("dw i'n methu ymdopi, dw i eisiau marw")?.kind).toBe('self_harm');
    expect(detectCrisis("mae fy mhartner yn rheoli'r arian i gyd ac mae gen i ofn")?.kind).toBe('domestic_abuse');
    expect(detectCrisis('bu farw fy nhad wythnos diwethaf')?.kind).toBe('bereavement_illness');
    expect(detectConfusion('dw i ddim yn deall')).not.toBeNull();
    expect(detectHardship('dw i wedi colli fy swydd')).not.toBeNull();
  });
});

describe('Welsh properties', () => {
  const weekdays: [string, number][] = [
    ['Llun', 1],
    ['Mawrth', 2],
    ['Mercher', 3],
    ['Iau', 4],
    ['Gwener', 5],
    ['Sadwrn', 6],
    ['Sul', 0],
  ];
  const months = [
    'Ionawr',
    'Chwefror',
    'Mawrth',
    'Ebrill',
    'Mai',
    'Mehefin',
    'Gorffennaf',
    'Awst',
    'Medi',
    'Hydref',
    'Tachwedd',
    'Rhagfyr',
  ];
  const frequencies: [string, string][] = [
    ['yr wythnos', 'weekly'],
    ['yn wythnosol', 'weekly'],
    ['bob wythnos', 'weekly'],
    ['bob pythefnos', 'fortnightly'],
    ['bob pedair wythnos', 'four_weekly'],
    ['yn fisol', 'monthly'],
    ['bob mis', 'monthly'],
    ['y mis', 'monthly'],
  ];
  const anyNow = fc.date({
    min: new Date('2020-01-01T00:00:00Z'),
    max: new Date('2040-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('"£X <frequency> o ddydd <weekday>" reads the amount, the frequency and the next such weekday, whatever the day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999 }),
        fc.constantFrom(...frequencies),
        fc.constantFrom(...weekdays),
        anyNow,
        (pounds, [words, frequency], [day, weekday], now) => {
          const offer = parseOffer(`£${pounds} ${words} o ddydd ${day}`, now, 'Europe/London');
          expect(offer.amountPence).toBe(pounds * 100);
          expect(offer.frequency).toBe(frequency);
          const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
          expect(offer.startDate! > today).toBe(true);
          expect(new Date(`${offer.startDate}T12:00:00Z`).getUTCDay()).toBe(weekday);
          expect(Date.parse(`${offer.startDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)).toBeLessThanOrEqual(
            7 * 86_400_000,
          );
        },
      ),
    );
  });

  it('"<day> <Welsh month>" is that calendar date, today or later, within a year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 11 }), anyNow, (day, month, now) => {
        const date = parseUkDate(`${day} ${months[month]}`, now, 'Europe/London');
        expect(date).not.toBeNull();
        expect(date!.slice(5)).toBe(`${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);
        expect(date! >= today).toBe(true);
        expect(Date.parse(date!) - Date.parse(today)).toBeLessThan(366 * 86_400_000);
      }),
    );
  });

  it('every Welsh number word from 1 to 999 that the scanner reads as "<words> punt" is that many pounds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'un',
          'dwy',
          'tair',
          'pedair',
          'pum',
          'chwe',
          'saith',
          'wyth',
          'naw',
          'deg',
          'deuddeg',
          'pymtheg',
          'deunaw',
          'ugain',
          'dau ddeg pump',
          'tri deg',
          'pedwar deg',
          'pum deg',
          'chwe deg',
          'saith deg pump',
          'naw deg naw',
          'cant',
          'dau gant',
          'pum cant',
        ),
        (words) => {
          expect(parseMoney(`${words} punt`)).toBe(welshWordsToNumber(words)! * 100);
        },
      ),
    );
  });
});
