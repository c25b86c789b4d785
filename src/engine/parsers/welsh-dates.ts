// Welsh date phrases for the date scanner: "dydd Gwener" (Friday), "o ddydd Llun" (from Monday), "yfory"
// (tomorrow), "4 Rhagfyr", "y 4ydd o Ragfyr", "yr wythnos nesaf" (next week), "diwedd y mis" (the end of
// the month). Months and "dydd" change their first letter after some words ("o Ragfyr", "o ddydd
// Gwener"), so the mutated forms are listed. "Mawrth" is both March and Tuesday: after "dydd" it is
// Tuesday, after a day number it is March. Weekday names that are also everyday words ("Llun" is a
// picture, "Iau" younger) count only after "dydd" or as the whole reply.
import { countWelsh } from './welsh-numbers.js';
import type { DateExpr } from './date-expressions.js';

type Reader = (m: RegExpExecArray, text: string) => DateExpr | null | 'skip';

/** Welsh month names, with their mutated forms ("fis Fawrth", "o Fai"), to month numbers. */
export const WELSH_MONTHS: Readonly<Record<string, number>> = {
  ionawr: 1,
  chwefror: 2,
  mawrth: 3,
  fawrth: 3,
  ebrill: 4,
  mai: 5,
  fai: 5,
  mehefin: 6,
  fehefin: 6,
  gorffennaf: 7,
  orffennaf: 7,
  awst: 8,
  medi: 9,
  fedi: 9,
  hydref: 10,
  tachwedd: 11,
  dachwedd: 11,
  rhagfyr: 12,
  ragfyr: 12,
};
export const WELSH_MONTH_PATTERN = `(${Object.keys(WELSH_MONTHS).join('|')})`;
const MONTH = WELSH_MONTH_PATTERN;

const WEEKDAYS: Record<string, number> = {
  sul: 0,
  llun: 1,
  mawrth: 2,
  mercher: 3,
  iau: 4,
  gwener: 5,
  wener: 5,
  sadwrn: 6,
};
const WEEKDAY = `(${Object.keys(WEEKDAYS).join('|')})`;
/** "dydd", mutated "ddydd" (after "o", "ar"), or "nos" (the evening of). */
const DAY_WORD = '(?:dd?ydd|nos)';
const NEXT = "(?:\\s+(?:nesaf|nesa|yma|hwn|sy'n\\s+dod))?";
const ORDINAL = '(?:af|il|ydd|ed|fed|eg|ain)';

function calendar(day: number, month: number, year: number | null): DateExpr | null {
  return day >= 1 && day <= 31 && month >= 1 && month <= 12 ? { kind: 'calendar', day, month, year } : null;
}

function weeksOrMonths(count: string, unit: string): DateExpr | null {
  const n = countWelsh(count);
  if (n === null) return null;
  return /^(?:mis|fis)/.test(unit) ? { kind: 'offset_months', months: n } : { kind: 'offset_days', days: 7 * n };
}

export const WELSH_DATE_RULES: ReadonlyArray<{ pattern: RegExp; read: Reader }> = [
  {
    // "4 Rhagfyr", "4ydd o Ragfyr", "y 4ydd Rhagfyr 2026"
    pattern: new RegExp(
      `(?<![£.,])\\b(?:y\\s+|yr\\s+)?(\\d{1,2})${ORDINAL}?(?:\\s+o)?\\s+(?:fis\\s+)?${MONTH}\\b(?:,?\\s+(\\d{4})\\b)?`,
      'g',
    ),
    read: (m) => calendar(Number(m[1]), WELSH_MONTHS[m[2]!]!, m[3] === undefined ? null : Number(m[3])),
  },
  {
    // "Rhagfyr 4", "Rhagfyr y 4ydd" (not "dydd Mawrth 4": that is a Tuesday)
    pattern: new RegExp(
      `(?<!dd?ydd\\s)\\b${MONTH}\\s+(?:y\\s+|yr\\s+)?(\\d{1,2})${ORDINAL}?\\b(?![.,:/]\\d)(?:,?\\s+(\\d{4})\\b)?`,
      'g',
    ),
    read: (m) => calendar(Number(m[2]), WELSH_MONTHS[m[1]!]!, m[3] === undefined ? null : Number(m[3])),
  },
  { pattern: /\b(?:heddiw|nawr|rwan|ar\s+unwaith)\b/g, read: () => ({ kind: 'offset_days', days: 0 }) },
  { pattern: /\b(?:yfory|fory|yfori|for[iy])\b/g, read: () => ({ kind: 'offset_days', days: 1 }) },
  {
    pattern: /\b(?:drennydd|trennydd|y\s+diwrnod\s+ar\s+ol\s+yfory)\b/g,
    read: () => ({ kind: 'offset_days', days: 2 }),
  },
  { pattern: /\bwythnos\s+i\s+heddiw\b/g, read: () => ({ kind: 'offset_days', days: 7 }) },
  {
    pattern: new RegExp(`\\bwythnos\\s+i\\s+${DAY_WORD}\\s+${WEEKDAY}\\b`, 'g'),
    read: (m) => ({ kind: 'weekday', weekday: WEEKDAYS[m[1]!]!, extraWeeks: 1 }),
  },
  { pattern: /\bmewn\s+pythefnos\b/g, read: () => ({ kind: 'offset_days', days: 14 }) },
  {
    pattern: /\bmewn\s+(?:wythnos|mis)\b/g,
    read: (m) => (m[0].endsWith('mis') ? { kind: 'offset_months', months: 1 } : { kind: 'offset_days', days: 7 }),
  },
  {
    pattern: /\bmewn\s+(\d{1,2}|dwy|dau|tair|tri|pedair|pedwar|pum|pump|chwe|chwech)\s+(wythnos|mis|fis)\b/g,
    read: (m) => weeksOrMonths(m[1]!, m[2]!),
  },
  {
    pattern: /\bdiwedd\s+yr\s+wythnos\s+nesa(?:f)?\b/g,
    read: () => ({ kind: 'next_week', plusDays: 4, extraWeeks: 0 }),
  },
  { pattern: /\bdiwedd\s+yr\s+wythnos\b/g, read: () => ({ kind: 'weekday_on_or_after', weekday: 5 }) },
  { pattern: /\b(?:y\s+|dros\s+y\s+)?penwythnos\b/g, read: () => ({ kind: 'weekday_on_or_after', weekday: 6 }) },
  {
    pattern: /\b(?:(?:dechrau'?r|ddechrau'?r)\s+|yr\s+)?wythnos\s+nesa(?:f)?\b/g,
    read: () => ({ kind: 'next_week', plusDays: 0, extraWeeks: 0 }),
  },
  { pattern: /\bdiwedd\s+y\s+mis\s+nesa(?:f)?\b/g, read: () => ({ kind: 'month_edge', monthsAhead: 1, edge: 'end' }) },
  {
    pattern:
      /\bdiwedd\s+(?:y\s+|'r\s+)?mis\b(?!\s+(?:ionawr|chwefror|mawrth|ebrill|mai|mehefin|gorffennaf|awst|medi|hydref|tachwedd|rhagfyr))/g,
    read: () => ({ kind: 'month_edge', monthsAhead: 0, edge: 'end' }),
  },
  {
    pattern: /\b(?:(?:dechrau'?r|ddechrau'?r)\s+|y\s+)?mis\s+nesa(?:f)?\b/g,
    read: () => ({ kind: 'month_edge', monthsAhead: 1, edge: 'start' }),
  },
  { pattern: /\b(?:dechrau'?r|ddechrau'?r)\s+mis\b/g, read: () => ({ kind: 'day_of_month', day: 1 }) },
  { pattern: /\bcanol\s+(?:y\s+|'r\s+)?mis\b(?!\s+[a-z])/g, read: () => ({ kind: 'day_of_month', day: 15 }) },
  {
    // "diwedd Rhagfyr", "dechrau mis Ionawr", "canol Mawrth"
    pattern: new RegExp(`\\b(dechrau|ddechrau|canol|diwedd)\\s+(?:mis\\s+|fis\\s+)?${MONTH}\\b`, 'g'),
    read: (m) => ({
      kind: 'named_month',
      month: WELSH_MONTHS[m[2]!]!,
      edge: m[1] === 'diwedd' ? 'end' : m[1] === 'canol' ? 'middle' : 'start',
    }),
  },
  {
    // "ym mis Ionawr", "o fis Rhagfyr", "o Ionawr"
    pattern: new RegExp(`\\b(?:ym\\s+mis|o\\s+fis|mis|o|erbyn|tan)\\s+${MONTH}\\b`, 'g'),
    read: (m) => ({ kind: 'named_month', month: WELSH_MONTHS[m[1]!]!, edge: 'start' }),
  },
  {
    pattern: new RegExp(`\\b${DAY_WORD}\\s+${WEEKDAY}${NEXT}\\b`, 'g'),
    read: (m) => ({ kind: 'weekday', weekday: WEEKDAYS[m[1]!]!, extraWeeks: 0 }),
  },
  {
    // Unambiguous names on their own: "o Wener", "Sadwrn"; any name when it is the whole reply ("Llun").
    pattern: new RegExp(`\\b(gwener|wener|sadwrn|mercher)${NEXT}\\b|^\\s*${WEEKDAY}${NEXT}\\s*$`, 'g'),
    read: (m) => ({ kind: 'weekday', weekday: WEEKDAYS[(m[1] ?? m[2])!]!, extraWeeks: 0 }),
  },
  {
    pattern: new RegExp(`\\b(?:y\\s+|yr\\s+)?(\\d{1,2})${ORDINAL}\\b`, 'g'),
    read: (m) => (Number(m[1]) >= 1 && Number(m[1]) <= 31 ? { kind: 'day_of_month', day: Number(m[1]) } : 'skip'),
  },
];

/** Welsh words that introduce a start date: "o" (from), "gan ddechrau" (starting), "yn dechrau". */
export const WELSH_START_CUE =
  /(?:^|[^a-z'])(?:o|o'r|gan\s+ddechrau|yn\s+dechrau|dechrau|cychwyn|yn\s+cychwyn|taliad\s+cyntaf)(?:\s+(?:ar|o|gyda))?\s*$/;
