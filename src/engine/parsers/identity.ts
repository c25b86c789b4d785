// Identity answers: a date of birth and a UK postcode, normalised so they can be compared with the
// landlord's records. Both refuse anything they would have to guess at (a US-style date, a two-digit year
// with no `now` to anchor it), because a wrong guess fails a real tenant's identity check.
import { type LocalDate, compareDates, formatDate, isValidDate, localDateOf } from './calendar.js';
import { foldText } from './text.js';
import { WELSH_MONTH_PATTERN, WELSH_MONTHS } from './welsh-dates.js';

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WELSH_MONTH = WELSH_MONTH_PATTERN;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface RawDate {
  day: number;
  month: number;
  /** The year as written: four digits, or two when `twoDigit`. */
  year: number;
  twoDigit: boolean;
}

const FORMS: ReadonlyArray<{ pattern: RegExp; read: (m: RegExpExecArray) => RawDate }> = [
  // 1985-03-12, 1985/03/12
  {
    pattern: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g,
    read: (m) => ({ year: +m[1]!, month: +m[2]!, day: +m[3]!, twoDigit: false }),
  },
  // 12/03/1985, 12-03-85, 12.03.1985, 12 03 1985
  {
    pattern: /(?<![\d.])(\d{1,2})\s*([-/.\s])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d])/g,
    read: (m) => ({ day: +m[1]!, month: +m[3]!, year: +m[4]!, twoDigit: m[4]!.length === 2 }),
  },
  // 12 March 1985, 12th of March 1985, 12-mar-85
  {
    pattern: new RegExp(
      `(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?[\\s-]*${MONTH}\\.?[\\s,-]*(\\d{4}|'?\\d{2})(?!\\d)`,
      'g',
    ),
    read: (m) => ({
      day: +m[1]!,
      month: MONTHS.indexOf(m[2]!.slice(0, 3)) + 1,
      year: +m[3]!.replace("'", ''),
      twoDigit: m[3]!.replace("'", '').length === 2,
    }),
  },
  // March 12 1985, March 12th, 1985
  {
    pattern: new RegExp(`${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?[\\s,]+(\\d{4})(?!\\d)`, 'g'),
    read: (m) => ({ day: +m[2]!, month: MONTHS.indexOf(m[1]!.slice(0, 3)) + 1, year: +m[3]!, twoDigit: false }),
  },
  // Welsh: 12 Mawrth 1985, 12fed o Fawrth 1985
  {
    pattern: new RegExp(
      `(?<!\\d)(\\d{1,2})(?:af|il|ydd|ed|fed|eg|ain)?(?:\\s+o)?[\\s-]*${WELSH_MONTH}[\\s,-]*(\\d{4})(?!\\d)`,
      'g',
    ),
    read: (m) => ({ day: +m[1]!, month: WELSH_MONTHS[m[2]!]!, year: +m[3]!, twoDigit: false }),
  },
  // 12031985 (eight digits, day first)
  {
    pattern: /(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)/g,
    read: (m) => ({ day: +m[1]!, month: +m[2]!, year: +m[3]!, twoDigit: false }),
  },
];

/** Tenants are at least 16; the oldest date of birth we accept is 1 January 1900. */
const MIN_AGE_YEARS = 16;

function resolveYear(raw: RawDate, today: LocalDate | null): number | null {
  if (!raw.twoDigit) return raw.year;
  if (today === null) return null;
  // The latest year ending in these digits that leaves the tenant at least 16.
  const latest = today.year - MIN_AGE_YEARS;
  const candidate = Math.floor(latest / 100) * 100 + raw.year;
  return candidate <= latest ? candidate : candidate - 100;
}

/**
 * A date of birth as 'YYYY-MM-DD' ("12/03/1985", "12 March 1985", "1985-03-12"), or null. Day first
 * (UK). Two-digit years ("12/03/85") are read only when `now` is given, as the latest year that makes
 * the tenant 16 or older. Several different dates in one message → null.
 */
export function parseDateOfBirth(text: string, now?: Date): string | null {
  if (typeof text !== 'string') return null;
  const today = now === undefined ? null : localDateOf(now, 'Europe/London');
  const folded = foldText(text).text;
  const found = new Set<string>();
  let remaining = folded;
  for (const form of FORMS) {
    for (const m of remaining.matchAll(form.pattern)) {
      const raw = form.read(m as RegExpExecArray);
      const year = resolveYear(raw, today);
      const valid = year !== null && year >= 1900 && isValidDate(year, raw.month, raw.day);
      if (!valid) return null;
      const date = { year, month: raw.month, day: raw.day };
      if (today !== null && compareDates(date, today) > 0) return null;
      found.add(formatDate(date));
      remaining = remaining.slice(0, m.index) + ' '.repeat(m[0].length) + remaining.slice(m.index + m[0].length);
    }
  }
  return found.size === 1 ? [...found][0]! : null;
}

// UK postcode shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA, AA9A 9AA) with the letters each
// position may hold, plus the Girobank special case.
const OUTWARD =
  '(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])';
const INWARD = '[0-9][ABD-HJLNP-UW-Z]{2}';
const WHOLE = new RegExp(`^(${OUTWARD})(${INWARD})$|^(GIR)(0AA)$`);
const IN_TEXT = new RegExp(
  `(?<![A-Z0-9])(${OUTWARD})\\s*(${INWARD})(?![A-Z0-9])|(?<![A-Z0-9])(GIR)\\s*(0AA)(?![A-Z0-9])`,
  'g',
);

function format(m: RegExpExecArray | RegExpMatchArray): string {
  return m[1] !== undefined ? `${m[1]} ${m[2]}` : `${m[3]} ${m[4]}`;
}

/**
 * A UK postcode in its standard form ("sw1a1aa" → "SW1A 1AA"), found alone or in a sentence ("it's
 * sw1a 1aa"), or null. A letter O typed where the inward code's digit belongs is read as zero.
 */
export function normalisePostcode(text: string): string | null {
  if (typeof text !== 'string') return null;
  const upper = foldText(text).text.toUpperCase();
  const compact = upper.replace(/[\s.,!?'"-]+/g, '');
  const fixed =
    compact.length >= 5 ? compact.slice(0, -3) + compact.slice(-3, -2).replace('O', '0') + compact.slice(-2) : compact;
  const whole = WHOLE.exec(fixed);
  if (whole) return format(whole);
  const found = new Set([...upper.matchAll(IN_TEXT)].map(format));
  return found.size === 1 ? [...found][0]! : null;
}
