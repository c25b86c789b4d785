// Finds the date-shaped phrases in a folded message ("next Mon", "the 15th", "15/12", "end of the month")
// and describes each one without resolving it, so the scanner can also use them to keep "the 15th" from
// being read as £15 — which needs no clock. uk-date.ts turns a description into a date, given `now`.
import { ORDINAL_WORD, countWordToNumber, ordinalWordToNumber } from './number-words.js';
import { type Span, maskSpans, matchesOf, spanOf } from './text.js';
import { WELSH_DATE_RULES, WELSH_START_CUE } from './welsh-dates.js';

export type DateExpr =
  /** today + days ("today", "tomorrow", "in 2 weeks"). */
  | { kind: 'offset_days'; days: number }
  /** today + months, clamped to the month's end ("in a month"). */
  | { kind: 'offset_months'; months: number }
  /** The first such weekday strictly after today, plus whole weeks ("Friday", "Friday week"). */
  | { kind: 'weekday'; weekday: number; extraWeeks: number }
  /** The first such weekday on or after today ("end of the week" → Friday, "the weekend" → Saturday). */
  | { kind: 'weekday_on_or_after'; weekday: number }
  /** Monday of next week (the first Monday strictly after today) + days + weeks. */
  | { kind: 'next_week'; plusDays: number; extraWeeks: number }
  /** The next date on or after today with this day of the month ("the 15th"). */
  | { kind: 'day_of_month'; day: number }
  /** A day and month, with or without a year ("15/12", "15th December 2026"). */
  | { kind: 'calendar'; day: number; month: number; year: number | null }
  /** First or last day of this month or a later one ("end of the month", "next month"). */
  | { kind: 'month_edge'; monthsAhead: number; edge: 'start' | 'end' }
  /** First, middle or last day of a named month's next occurrence ("from January", "end of March"). */
  | { kind: 'named_month'; month: number; edge: 'start' | 'middle' | 'end' };

export interface DateSpan extends Span {
  /** null when the text is date-shaped but names no real date ("31/02/2027"). */
  expr: DateExpr | null;
  /** Introduced by "from", "starting", "beginning"…: the tenant is naming a start date. */
  cued: boolean;
}

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY =
  '(mon(?:day)?|tue(?:s(?:day)?)?|teusday|wed(?:nesday|nsday|s)?|wensday|thu(?:rs(?:day)?|r(?:sday|day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)';
const COUNT = '(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\\d{1,2})';
const ORDINAL_SUFFIX = '(st|nd|rd|th)';
// "£20 a week on Friday" is weekly payments made on Fridays, not "Friday week".
const NOT_AFTER_AMOUNT = '(?<!(?:\\d|£|\\bpounds?|\\bquid|\\bfiver|\\btenner|\\bpence|\\bp)\\s*)';

const MONTH_INDEX = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(word: string): number {
  return MONTH_INDEX.indexOf(word.slice(0, 3)) + 1;
}

function weekdayNumber(word: string): number {
  const two = word.slice(0, 2);
  return ({ su: 0, mo: 1, tu: 2, te: 2, we: 3, th: 4, fr: 5, sa: 6 } as Record<string, number>)[two] ?? -1;
}

/** Short forms that are also everyday words ("sat", "sun", "mon", "wed") count only after a cue word. */
const AMBIGUOUS_WEEKDAYS = new Set(['mon', 'wed', 'sat', 'sun']);

const CUE_BEFORE =
  /\b(?:on|from|by|until|till|til|starting|start|before|after|this|next|coming|every|each|other|in)\s+$/;
const START_CUE =
  /\b(?:from|starting|start|starts|begin|begins|beginning|commencing|first\s+payment)(?:\s+(?:on|from|with|by))?\s*$/;

function precededByCue(text: string, index: number): boolean {
  return CUE_BEFORE.test(text.slice(Math.max(0, index - 12), index));
}

function dayOrNull(day: number): DateExpr | null {
  return day >= 1 && day <= 31 ? { kind: 'day_of_month', day } : null;
}

function calendar(day: number, month: number, year: number | null): DateExpr | null {
  if (!(day >= 1 && day <= 31 && month >= 1 && month <= 12)) return null;
  return { kind: 'calendar', day, month, year };
}

function unitOffset(count: number, unit: string): DateExpr {
  if (unit.startsWith('month')) return { kind: 'offset_months', months: count };
  const days = unit.startsWith('fortnight') ? 14 : unit.startsWith('w') ? 7 : 1;
  return { kind: 'offset_days', days: count * days };
}

type Reader = (m: RegExpExecArray, text: string) => DateExpr | null | 'skip';

interface Rule {
  pattern: RegExp;
  read: Reader;
}

/** A day written as digits ("15", "15th") or words ("fifteenth"): group `digits` or `words`. */
function dayFrom(digits: string | undefined, words: string | undefined): number {
  if (digits !== undefined) return Number(digits);
  return words === undefined ? Number.NaN : (ordinalWordToNumber(words) ?? Number.NaN);
}

// Earlier rules win: each later rule only sees text no earlier rule has claimed.
const RULES: readonly Rule[] = [
  { pattern: /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, read: (m) => calendar(Number(m[3]), Number(m[2]), Number(m[1])) },
  {
    pattern: /(?<![£.,])\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b/g,
    read: (m) => calendar(Number(m[1]), Number(m[3]), m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4])),
  },
  { pattern: /(?<![£.,])\b(\d{1,2})\/(\d{1,2})\b(?!\/)/g, read: (m) => calendar(Number(m[1]), Number(m[2]), null) },
  // Welsh phrases come before the English ones, which cannot mistake them ("o ddydd Gwener", "4 Rhagfyr").
  ...WELSH_DATE_RULES,
  {
    // "15 Dec", "15th of December 2026", "the fifteenth of March"
    pattern: new RegExp(
      `(?<![£.,])\\b(the\\s+)?(?:(\\d{1,2})${ORDINAL_SUFFIX}?|(${ORDINAL_WORD}))(\\s+of)?\\s+${MONTH}\\b\\.?(?:,?\\s+(\\d{4})\\b)?`,
      'g',
    ),
    read: (m, text) => {
      const month = m[6]!;
      const marked =
        m[1] !== undefined || m[3] !== undefined || m[4] !== undefined || m[5] !== undefined || m[7] !== undefined;
      if (month === 'may' && !marked && !precededByCue(text, m.index)) return 'skip';
      return calendar(dayFrom(m[2], m[4]), monthNumber(month), m[7] === undefined ? null : Number(m[7]));
    },
  },
  {
    // "December 15", "Dec 15th, 2026", "March the third"
    pattern: new RegExp(
      `\\b${MONTH}\\.?\\s+(the\\s+)?(?:(\\d{1,2})${ORDINAL_SUFFIX}?|(${ORDINAL_WORD}))\\b(?!\\s*(?:pounds?|quid|p\\b|pence|[.,:/]\\d))(?:,?\\s+(\\d{4})\\b)?`,
      'g',
    ),
    read: (m, text) => {
      const month = m[1]!;
      const marked = m[2] !== undefined || m[4] !== undefined || m[5] !== undefined || m[6] !== undefined;
      if (month === 'may' && !marked && !precededByCue(text, m.index)) return 'skip';
      return calendar(dayFrom(m[3], m[5]), monthNumber(month), m[6] === undefined ? null : Number(m[6]));
    },
  },
  {
    pattern: new RegExp(
      `${NOT_AFTER_AMOUNT}\\b${COUNT}\\s+(day|week|fortnight|month)s?\\s+(?:from\\s+(?:now|today)|today|time)\\b`,
      'g',
    ),
    read: (m) => unitOffset(countWordToNumber(m[1]!) ?? 0, m[2]!),
  },
  {
    pattern: new RegExp(`${NOT_AFTER_AMOUNT}\\b(?:a|one)\\s+week\\s+(?:tomorrow|tmrw)\\b`, 'g'),
    read: () => ({ kind: 'offset_days', days: 8 }),
  },
  {
    pattern: new RegExp(
      `\\bin\\s+(?:${COUNT}|a\\s+couple\\s+of)\\s+(days?|weeks?|wks?|fortnights?|months?)(?:'?s?\\s+time)?\\b`,
      'g',
    ),
    read: (m) => unitOffset(m[1] === undefined ? 2 : (countWordToNumber(m[1]) ?? 0), m[2]!),
  },
  {
    pattern: new RegExp(`${NOT_AFTER_AMOUNT}\\b(?:a|one)\\s+week\\s+(?:on\\s+)?${WEEKDAY}\\b`, 'g'),
    read: (m) => ({ kind: 'weekday', weekday: weekdayNumber(m[1]!), extraWeeks: 1 }),
  },
  {
    pattern: new RegExp(`\\b${WEEKDAY}\\s+week\\b`, 'g'),
    read: (m) => ({ kind: 'weekday', weekday: weekdayNumber(m[1]!), extraWeeks: 1 }),
  },
  { pattern: /\b(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw|tomoz)\b/g, read: () => ({ kind: 'offset_days', days: 2 }) },
  {
    pattern:
      /\b(?:today|tonight|this\s+(?:evening|afternoon|morning)|asap|straight\s+away|right\s+away|immediately|right\s+now|from\s+now(?:\s+on)?|starting\s+now)\b/g,
    read: () => ({ kind: 'offset_days', days: 0 }),
  },
  {
    pattern: /\b(?:tomorrow|tomorow|tommorow|tommorrow|tomorrw|tmrw|tmrrw|tmr|tomoz|2moro|2morrow|2mrw)\b/g,
    read: () => ({ kind: 'offset_days', days: 1 }),
  },
  {
    pattern: /\b(?:the\s+)?end\s+of\s+next\s+week\b/g,
    read: () => ({ kind: 'next_week', plusDays: 4, extraWeeks: 0 }),
  },
  { pattern: /\b(?:the\s+)?week\s+after\s+next\b/g, read: () => ({ kind: 'next_week', plusDays: 0, extraWeeks: 1 }) },
  {
    pattern: /\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week\b/g,
    read: () => ({ kind: 'weekday_on_or_after', weekday: 5 }),
  },
  { pattern: /\b(?:the\s+|this\s+)?week-?end\b/g, read: () => ({ kind: 'weekday_on_or_after', weekday: 6 }) },
  {
    pattern: /\b(?:(?:the\s+)?(?:start|beginning)\s+of\s+)?next\s+week\b/g,
    read: () => ({ kind: 'next_week', plusDays: 0, extraWeeks: 0 }),
  },
  {
    pattern: /\b(?:the\s+)?end\s+of\s+next\s+(?:month|mth)\b/g,
    read: () => ({ kind: 'month_edge', monthsAhead: 1, edge: 'end' }),
  },
  {
    pattern: /\b(?:the\s+)?(?:end\s+of\s+(?:the\s+|this\s+)?(?:month|mth)|month[\s-]end)\b/g,
    read: () => ({ kind: 'month_edge', monthsAhead: 0, edge: 'end' }),
  },
  {
    pattern: /\b(?:(?:the\s+)?(?:start|beginning|begining)\s+of\s+)?next\s+(?:month|mth)\b/g,
    read: () => ({ kind: 'month_edge', monthsAhead: 1, edge: 'start' }),
  },
  { pattern: /\b(?:the\s+)?(?:start|beginning|begining)\s+of\s+(?:the|this)\s+month\b/g, read: () => dayOrNull(1) },
  { pattern: /\b(?:the\s+)?(?:middle\s+of\s+(?:the|this)\s+month|mid[-\s]?month)\b/g, read: () => dayOrNull(15) },
  {
    pattern: new RegExp(`\\b(?:the\\s+)?(start|beginning|middle|mid|end)(?:\\s+of|-)?\\s+${MONTH}\\b`, 'g'),
    read: (m) => {
      const edge = m[1] === 'end' ? 'end' : m[1] === 'middle' || m[1] === 'mid' ? 'middle' : 'start';
      return { kind: 'named_month', month: monthNumber(m[2]!), edge };
    },
  },
  {
    pattern: new RegExp(`\\b(?:from|in|starting|until|till|by|after|during)\\s+${MONTH}\\b`, 'g'),
    read: (m) => ({ kind: 'named_month', month: monthNumber(m[1]!), edge: 'start' }),
  },
  {
    pattern: new RegExp(
      `\\b(?:(next|this\\s+coming|this|coming|on|from|by|until|till|til|starting|before|every|each|other)\\s+)?${WEEKDAY}s?\\b`,
      'g',
    ),
    read: (m) => {
      const word = m[2]!;
      if (m[1] === undefined && AMBIGUOUS_WEEKDAYS.has(word)) return 'skip';
      return { kind: 'weekday', weekday: weekdayNumber(word), extraWeeks: 0 };
    },
  },
  { pattern: new RegExp(`\\b(?:the\\s+)?(\\d{1,2})${ORDINAL_SUFFIX}\\b`, 'g'), read: (m) => dayOrNull(Number(m[1])) },
  {
    pattern: new RegExp(`\\bthe\\s+(${ORDINAL_WORD})\\b`, 'g'),
    read: (m) => dayOrNull(ordinalWordToNumber(m[1]!) ?? 0),
  },
  {
    // "on the 15": a bare number after "the" is a day when the sentence moves on ("the 15 if that's ok"),
    // not when a noun follows ("the 2 kids", "the 15 pounds").
    pattern:
      /\bthe\s+(\d{1,2})(?=\s*(?:$|[,.!?;)]|(?:of|and|or|to|please|pls|if|so|then|when|as|because|cos|i|we|onwards?|at|but|instead|is|would|will|ok|okay|for)\b))(?![.,:/]\d)/g,
    read: (m) => (Number(m[1]) >= 1 && Number(m[1]) <= 31 ? dayOrNull(Number(m[1])) : 'skip'),
  },
];

/** Every date phrase in a folded (lower-case) message, in reading order. */
export function findDateSpans(text: string): DateSpan[] {
  const spans: DateSpan[] = [];
  let remaining = text;
  for (const rule of RULES) {
    const found: DateSpan[] = [];
    for (const m of matchesOf(rule.pattern, remaining)) {
      const expr = rule.read(m, remaining);
      if (expr === 'skip') continue;
      const span = spanOf(m);
      const before = text.slice(Math.max(0, span.start - 30), span.start);
      const cued = START_CUE.test(before) || WELSH_START_CUE.test(before) || /^(?:from|starting)\b/.test(m[0]);
      found.push({ ...span, expr, cued });
    }
    if (found.length > 0) {
      spans.push(...found);
      remaining = maskSpans(remaining, found);
    }
  }
  return mergeWeekdayWithDate(
    spans.sort((a, b) => a.start - b.start),
    text,
  );
}

/** "Monday 7th December", "Friday the 4th": the explicit date wins, and keeps the weekday's "from". */
function mergeWeekdayWithDate(spans: DateSpan[], text: string): DateSpan[] {
  const merged: DateSpan[] = [];
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const next = spans[i + 1];
    const dated = next !== undefined && (next.expr?.kind === 'calendar' || next.expr?.kind === 'day_of_month');
    if (
      span.expr?.kind === 'weekday' &&
      span.expr.extraWeeks === 0 &&
      dated &&
      /^[\s,]*(?:the\s*)?$/.test(text.slice(span.end, next.start))
    ) {
      merged.push({ ...next, start: span.start, cued: span.cued || next.cued });
      i++;
    } else {
      merged.push(span);
    }
  }
  return merged;
}
