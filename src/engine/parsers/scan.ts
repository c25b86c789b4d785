// One pass over a message that finds its times, phone numbers, dates, frequencies and amounts, in that
// order, each later finder seeing the earlier finds blanked out. The order is the point: a date or a time
// claims its digits first, so "the 15th", "15/12", "5pm" and "every 2 weeks" are never read as money.
import { type DateSpan, findDateSpans } from './date-expressions.js';
import { type FrequencySpan, findFrequencySpans, findWeekdayFrequencySpans } from './frequency.js';
import { type MoneyCandidate, findMoneyCandidates } from './money.js';
import { type FoldedText, type Span, foldText, maskSpans, matchesOf, spanOf } from './text.js';

export interface MessageScan {
  folded: FoldedText;
  dates: DateSpan[];
  frequencies: FrequencySpan[];
  money: MoneyCandidate[];
  /** The folded text with dates, times, phone numbers and frequencies blanked: what money was read from. */
  masked: string;
}

const TIMES: readonly RegExp[] = [
  // "17:30", "5:30pm": a colon between hours and minutes is always a time.
  /(?<![£\d.,:])\b(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:am|pm|a\.m\.?|p\.m\.?))?(?![\d:])/g,
  // "5pm", "5.30 pm", unless it follows £ ("£5 pm" is £5 a month).
  /(?<!£\s?)(?<![\d.,])\b(?:1[0-2]|0?[1-9])(?:[.:][0-5]\d)?\s*(?:am|pm|a\.m\.?|p\.m\.?)(?![a-z])/g,
  // "at 5", "after 6": small bare numbers after "at" or "after" are times.
  /(?<![a-z])(?:at|@|after|before|by)\s+(?:1[0-2]|0?[1-9])(?:[.:][0-5]\d)?(?![\d.,:])(?!\s*(?:pounds?|quid|pence|p(?![a-z])|a\s+(?:week|month)|per|every|each))/g,
  /(?<![\d.,])\b(?:1[0-2]|0?[1-9])\s*o'?clock\b/g,
];

// UK phone numbers (07…, 0161…, +44…): ten or more digits, maybe spaced.
const PHONE = /(?:\+44\s?|(?<![£\d.,])\b0)\d(?:[\s-]?\d){8,11}(?!\d)/g;

function findAll(patterns: readonly RegExp[], text: string): Span[] {
  const spans: Span[] = [];
  let remaining = text;
  for (const pattern of patterns) {
    const found = [...matchesOf(pattern, remaining)].map(spanOf);
    spans.push(...found);
    remaining = maskSpans(remaining, found);
  }
  return spans;
}

/** Scan a message once; every text parser reads from the result. Never throws. */
export function scanMessage(text: string): MessageScan {
  const folded = foldText(typeof text === 'string' ? text : '');
  const clear = maskSpans(folded.text, findAll([...TIMES, PHONE], folded.text));
  const weekdayFrequencies = findWeekdayFrequencySpans(clear);
  const dates = findDateSpans(clear);
  const withoutDates = maskSpans(clear, [...dates, ...weekdayFrequencies]);
  const frequencies = [...weekdayFrequencies, ...findFrequencySpans(withoutDates)].sort((a, b) => a.start - b.start);
  const masked = maskSpans(withoutDates, frequencies);
  return { folded, dates, frequencies, money: findMoneyCandidates(masked), masked };
}
