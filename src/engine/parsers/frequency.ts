// How often a tenant offers to pay: "a week", "pw", "every 2 weeks", "4-weekly", "pcm", "£60 pm".
// Frequencies we cannot take as one of the four ("twice a month", "quarterly", "every 3 weeks") are
// found too, so that the message reads as "frequency unclear" rather than as the nearest match.
import type { RentFrequency } from '../../rent/types.js';
import { type Span, matchesOf, maskSpans, normaliseReply, spanOf } from './text.js';

export type Frequency = RentFrequency;

export interface FrequencySpan extends Span {
  frequency: Frequency | 'unsupported';
}

// "4" counts as a frequency only when it is not part of an amount ("£4 weekly").
const NOT_MONEY = '(?<![£$]\\s?)(?<![\\d.,])';
const WEEKDAY = '(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?';
const WELSH_WEEKDAY = '(?:llun|mawrth|mercher|iau|gwener|wener|sadwrn|sul)';

const RULES: ReadonlyArray<{ frequency: Frequency | 'unsupported'; pattern: RegExp }> = [
  {
    frequency: 'unsupported',
    pattern: new RegExp(
      '\\b(?:(?:twice|two\\s+times|three\\s+times|3\\s+times|(?:\\d+|two|three)\\s+x)\\s+(?:a|per|every|each)\\s+(?:week|wk|month|mth|fortnight)' +
        '|quarterly|annually|yearly|bi-?monthly|every\\s+(?:other|second|2nd)\\s+month' +
        '|(?:every|each)\\s+(?:3|three|5|five|6|six|8|eight|\\d{2,})\\s*(?:weeks|wks|months|mths)' +
        '|(?:every|each|per)\\s+(?:2|two|3|three|6|six)\\s*(?:months|mths)' +
        '|(?:a|per|every|each)\\s+(?:year|yr|annum))\\b',
      'g',
    ),
  },
  // Welsh
  {
    frequency: 'unsupported',
    pattern: new RegExp(
      '(?<![a-z])(?:d?dwywaith\\s+(?:y|yr)\\s+(?:mis|wythnos)|(?:bob|pob)\\s+(?:3|tair|tri|5|pump|pum|6|chwe|chwech|8|wyth)\\s+wythnos|(?:bob|pob)\\s+(?:2|3|6|dau|tri|chwe)\\s+(?:mis|fis)|bob\\s+deufis|chwarterol|(?:bob|pob)\\s+chwarter|blynyddol|(?:bob|pob|y|yr)\\s+(?:blwyddyn|flwyddyn))(?![a-z])',
      'g',
    ),
  },
  {
    frequency: 'four_weekly',
    pattern: new RegExp(
      '\\b(?:(?:once\\s+)?(?:every|each|per|a)\\s+(?:4|four|4th|fourth)\\s*(?:weeks?|wks?)' +
        `|${NOT_MONEY}(?:4|four)[\\s-]?(?:weekly|wkly|weekley)` +
        '|(?:every|each|per)\\s+28\\s+days)\\b',
      'g',
    ),
  },
  // Welsh
  {
    frequency: 'four_weekly',
    pattern: new RegExp(
      '(?<![a-z])(?:(?:bob|pob)\\s+(?:4|pedair|pedwar)\\s+wythnos|(?:4|pedair)[\\s-]?wythnosol)(?![a-z])',
      'g',
    ),
  },
  {
    frequency: 'fortnightly',
    pattern: new RegExp(
      '\\b(?:(?:once\\s+)?(?:a|per|every|each)\\s+fortnight|fortnight(?:ly|ley)|fortnighly|forthnightly|fortnitely' +
        '|(?:once\\s+)?(?:every|each|per|a)\\s+(?:2|two|other|second|2nd)\\s*(?:weeks?|wks?)' +
        `|${NOT_MONEY}(?:2|two)[\\s-]?(?:weekly|wkly)|bi-?weekly|(?:every|each)\\s+14\\s+days` +
        `|(?:every|each)\\s+(?:other|second|2nd)\\s+${WEEKDAY})\\b`,
      'g',
    ),
  },
  // Welsh
  {
    frequency: 'fortnightly',
    pattern: new RegExp(
      '(?<![a-z])(?:(?:bob|pob|y|yr|unwaith\\s+bob)\\s+pythefnos|(?:yn\\s+)?(?:bythefnosol|pythefnosol)|(?:bob|pob)\\s+(?:2|dwy|ail)\\s+wythnos|bob\\s+yn\\s+ail\\s+wythnos)(?![a-z])',
      'g',
    ),
  },
  {
    frequency: 'weekly',
    pattern: new RegExp(
      '(?:\\b(?:(?:once|1|one)\\s+)?(?:a|per|every|each)\\s+(?:week|wk)\\b|\\bweekly\\b|\\bwkly\\b|\\bweekley\\b' +
        '|(?<![a-z])pw\\b|(?<![a-z])p/w\\b|(?<![a-z])p\\.w\\b\\.?|/\\s*(?:week|wk|w)\\b|\\b(?:every|each)\\s+7\\s+days\\b' +
        `|\\b(?:every|each)\\s+${WEEKDAY}\\b|\\bon\\s+(?:mon|tues|wednes|thurs|fri|satur|sun)days\\b)`,
      'g',
    ),
  },
  // Welsh
  {
    frequency: 'weekly',
    pattern: new RegExp(
      "(?<![a-z'])(?:(?:yn\\s+)?wythnosol|(?:bob|pob)\\s+wythnos|(?:unwaith\\s+)?(?:yr|y|'r)\\s+wythnos)(?![a-z])(?!\\s+(?:nesaf|nesa|hon|yma|diwethaf|ddiwethaf|i|ar\\s+ol|wedyn)(?![a-z]))",
      'g',
    ),
  },
  {
    frequency: 'monthly',
    pattern: new RegExp(
      '(?:\\b(?:(?:once|1|one)\\s+)?(?:a|per|every|each)\\s+(?:calendar\\s+)?(?:month|mth|mnth)\\b|\\bmonthly\\b|\\bmnthly\\b' +
        '|(?<![a-z])pcm\\b|(?<![a-z])p/m\\b|/\\s*(?:month|mth|m)\\b|\\bcalendar\\s+monthly\\b)',
      'g',
    ),
  },
  // Welsh
  {
    frequency: 'monthly',
    pattern: new RegExp(
      "(?<![a-z'])(?:(?:yn\\s+)?(?:fisol|misol)|(?:bob|pob)\\s+mis|(?:unwaith\\s+)?(?:y|'r)\\s+mis)(?![a-z])(?!\\s+(?:nesaf|nesa|hwn|yma|diwethaf|ddiwethaf)(?![a-z]))",
      'g',
    ),
  },
];

// "pm" after an amount is per month ("£60 pm"); after a small bare number it is a time, which the
// scanner masks before this runs ("5pm", "at 5 pm").
const PER_MONTH_PM = /(?<![a-z])p\.?m\b\.?/g;
const AMOUNT_BEFORE = /(?:\d|\bpounds?|\bquid|\bpence)\s*$/;

/** Every frequency phrase in folded text whose times and dates are already masked. */
export function findFrequencySpans(text: string): FrequencySpan[] {
  const spans: FrequencySpan[] = [];
  let remaining = text;
  for (const rule of RULES) {
    const found: FrequencySpan[] = [];
    for (const m of matchesOf(rule.pattern, remaining)) found.push({ ...spanOf(m), frequency: rule.frequency });
    spans.push(...found);
    remaining = maskSpans(remaining, found);
  }
  for (const m of matchesOf(PER_MONTH_PM, remaining)) {
    if (AMOUNT_BEFORE.test(remaining.slice(Math.max(0, m.index - 12), m.index)) || remaining.trim() === m[0]) {
      spans.push({ ...spanOf(m), frequency: 'monthly' });
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** "every Friday" is weekly; found before dates claim the weekday. */
export function findWeekdayFrequencySpans(text: string): FrequencySpan[] {
  const rules: ReadonlyArray<{ frequency: Frequency; pattern: RegExp }> = [
    {
      frequency: 'fortnightly',
      pattern: new RegExp(
        `\\b(?:every|each)\\s+(?:other|second|2nd)\\s+${WEEKDAY}\\b|\\bbob\\s+yn\\s+ail\\s+(?:dd?ydd\\s+)?${WELSH_WEEKDAY}\\b`,
        'g',
      ),
    },
    {
      frequency: 'weekly',
      pattern: new RegExp(
        `\\b(?:every|each)\\s+${WEEKDAY}\\b|\\bon\\s+(?:mon|tues|wednes|thurs|fri|satur|sun)days\\b|\\b(?:bob|pob)\\s+(?:dd?ydd\\s+)?${WELSH_WEEKDAY}\\b`,
        'g',
      ),
    },
  ];
  const spans: FrequencySpan[] = [];
  let remaining = text;
  for (const rule of rules) {
    const found = [...matchesOf(rule.pattern, remaining)].map((m) => ({ ...spanOf(m), frequency: rule.frequency }));
    spans.push(...found);
    remaining = maskSpans(remaining, found);
  }
  return spans;
}

// A one-word answer to "how often?" ("week", "2 weeks", "month").
const BARE_ANSWERS: Record<string, Frequency> = {
  week: 'weekly',
  weeks: 'weekly',
  wk: 'weekly',
  'each week': 'weekly',
  'once a week': 'weekly',
  fortnight: 'fortnightly',
  '2 weeks': 'fortnightly',
  'two weeks': 'fortnightly',
  fortnights: 'fortnightly',
  '4 weeks': 'four_weekly',
  'four weeks': 'four_weekly',
  '28 days': 'four_weekly',
  month: 'monthly',
  months: 'monthly',
  'calendar month': 'monthly',
  pm: 'monthly',
  mth: 'monthly',
  // Welsh
  wythnos: 'weekly',
  wythnosol: 'weekly',
  pythefnos: 'fortnightly',
  pythefnosol: 'fortnightly',
  bythefnosol: 'fortnightly',
  '2 wythnos': 'fortnightly',
  'dwy wythnos': 'fortnightly',
  '4 wythnos': 'four_weekly',
  'pedair wythnos': 'four_weekly',
  mis: 'monthly',
  misol: 'monthly',
  fisol: 'monthly',
};

/** The frequency of a one- or two-word answer, or null. */
export function bareFrequencyAnswer(text: string): Frequency | null {
  return BARE_ANSWERS[normaliseReply(text).replace(/^(?:every|per|a|each|bob|pob|y|yr|yn)\s+/, '')] ?? null;
}

/**
 * The single frequency a set of spans names: null when there is none, when they disagree, or when one
 * of them is a frequency we cannot take ("twice a month").
 */
export function singleFrequency(spans: readonly FrequencySpan[]): Frequency | null {
  const kinds = new Set(spans.map((s) => s.frequency));
  if (kinds.size !== 1 || kinds.has('unsupported')) return null;
  return [...kinds][0] as Frequency;
}
