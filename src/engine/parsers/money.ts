// Amounts of money in pence, as tenants text them: "£15", "15.50", "£15.50p", "50p", "£1,200",
// "fifteen quid", "twenty five pounds", "a tenner". Runs on text whose dates, times, phone numbers and
// frequencies are already masked (see scan.ts), so "the 15th" and "every 2 weeks" never look like money.
import { CARDINAL_RUN, ORDINAL_WORD, cardinalWordsToNumber } from './number-words.js';
import { type Span, matchesOf } from './text.js';
import { WELSH_CARDINAL_RUN, longestWelshNumber } from './welsh-numbers.js';

/** Amounts above £100,000 are not repayment offers; they are typos, phone or reference numbers. */
export const MAX_PENCE = 10_000_000;

export interface MoneyCandidate extends Span {
  /** null when the text is amount-shaped but unusable: negative, a range, "£15.555", over the cap. */
  pence: number | null;
  /** Written with £ or a money word, as opposed to a bare "15". */
  explicit: boolean;
}

const NUMERIC = new RegExp(
  '(?<![\\p{L}\\p{N}_.,/:£$-])(minus\\s+|-(?=\\s?£|\\d))?(£|gbp\\s?)?\\s*(-\\s*)?(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?' +
    '(?:\\s*(k)(?![\\p{L}\\p{N}]))?(?:\\s*(pounds?|quid|pence|pee|gbp|p|punt|bunt|phunt|punnoedd|bunnoedd|ceiniogau|ceiniog|geiniog)(?![\\p{L}\\p{N}/]|\\.[a-z]))?',
  'gu',
);

const WORD_AMOUNT = new RegExp(
  `(?<![a-z])(${CARDINAL_RUN})(?:\\s+(pounds?|quid|pence|pee|p|grand|tenners|fivers)(?![a-z]))?`,
  'g',
);

// Welsh: "deg punt", "dwy bunt", "pum deg ceiniog", or a bare number word as the whole answer ("deg").
const WELSH_UNITS: Record<string, number> = {
  punt: 100,
  bunt: 100,
  phunt: 100,
  punnoedd: 100,
  bunnoedd: 100,
  ceiniog: 1,
  geiniog: 1,
  cheiniog: 1,
  ceiniogau: 1,
};
const WELSH_AMOUNT = new RegExp(
  `(?<![a-z])(${WELSH_CARDINAL_RUN})(?:\\s+(?:o\\s+)?(${Object.keys(WELSH_UNITS).join('|')}))?(?![a-z])`,
  'g',
);

const SLANG = /(?<![a-z])(?:(?:a|an|one)\s+)?(tenner|fiver|grand|quid|pound)(?![a-z])/g;

// Bare numbers ("15") count as money unless a noun or context word says otherwise.
const NOUN_AFTER = new RegExp(
  '^\\s*(?:weeks?|wks?|days?|months?|mths?|years?|yrs?|hours?|hrs?|mins?|minutes?|seconds?|kids?|children|child' +
    "|grandchildren|babies|baby|dependants?|times?|x|people|persons?|bed(?:room)?s?|o'?clock|am|pm|percent|per\\s*cent" +
    '|jobs?|sons?|daughters?|dogs?|cats?|pets?|miles?|floors?|flats?|houses?|rooms?|of\\s+(?:us|them|you|my|the)' +
    '|wythnos(?:au)?|diwrnod(?:au)?|dydd|mis(?:oedd)?|fis|blwyddyn|mlynedd|awr|oriau|plant|plentyn)(?![a-z])' +
    `|^\\s*%|^[\\s-]*${ORDINAL_WORD}(?![a-z])`,
);
const WORD_BEFORE =
  /(?:(?<![a-z])(?:at|flat|no|number|num|house|room|age|aged|ref|reference|account|acc|acct|unit|apt|apartment|block|floor|since|year|page|item|option|step|postcode|dob|born|route|bus|door|plot|level|until|till|before|after)|#)\s*$/;
const SCIENTIFIC_AFTER = /^e[+-]?\d/;
const RANGE_AFTER = /^\s*(?:-|to)\s*£?\s*\d/;
const PENCE_AFTER_POUNDS = new RegExp(
  `^\\s+(?:and\\s+)?(\\d{1,2}|${CARDINAL_RUN})(?:\\s*(?:p|pence))?(?![\\p{L}\\p{N}])`,
  'u',
);

function capped(pence: number): number | null {
  return Number.isSafeInteger(pence) && pence >= 0 && pence <= MAX_PENCE ? pence : null;
}

function isBareNumberContext(text: string, span: Span): boolean {
  return (
    !NOUN_AFTER.test(text.slice(span.end, span.end + 40)) &&
    !WORD_BEFORE.test(text.slice(Math.max(0, span.start - 20), span.start))
  );
}

/** "fifteen pounds fifty", "15 pounds 50p": pence written after the pounds. */
function trailingPence(text: string, end: number): { pence: number; end: number } | null {
  const m = PENCE_AFTER_POUNDS.exec(text.slice(end));
  if (!m) return null;
  const value = /^\d/.test(m[1]!) ? Number(m[1]) : cardinalWordsToNumber(m[1]!);
  if (value === null || value >= 100) return null;
  return { pence: value, end: end + m[0].length };
}

function numericCandidate(m: RegExpExecArray, text: string): MoneyCandidate | null {
  const [whole, negative, currency, innerMinus, integer, decimals, thousands, unit] = m;
  const span = { start: m.index, end: m.index + whole.length };
  // "15.5.2" and "15,50" are not amounts anyone can rely on, nor is scientific notation ("£1e9" is not £1).
  const malformed = /^[.,]\d/.test(text.slice(span.end)) || SCIENTIFIC_AFTER.test(text.slice(span.end));
  const explicit = currency !== undefined || unit !== undefined || thousands !== undefined;
  if (!explicit && !malformed && !isBareNumberContext(text, span)) return null;
  const digits = integer!.replace(/,/g, '');
  if (!explicit && (/^0\d/.test(digits) || (digits.length === 4 && /^(19|20)/.test(digits)))) return null;
  const invalid =
    negative !== undefined ||
    innerMinus !== undefined ||
    malformed ||
    RANGE_AFTER.test(text.slice(span.end)) ||
    (decimals !== undefined && decimals.length > 2);
  if (invalid) return { ...span, pence: null, explicit };
  const pounds = Number(digits);
  const fraction = decimals === undefined ? 0 : Number(decimals.padEnd(2, '0'));
  let pence: number;
  const penceUnit =
    unit === 'p' || unit === 'pence' || unit === 'pee' || unit?.startsWith('ceiniog') === true || unit === 'geiniog';
  if (penceUnit && decimals === undefined && currency === undefined) {
    pence = pounds;
  } else if (thousands !== undefined) {
    pence = Math.round((pounds + fraction / 100) * 1000) * 100;
  } else {
    pence = pounds * 100 + fraction;
    if (decimals === undefined && (unit === 'pounds' || unit === 'pound' || unit === 'quid')) {
      const extra = trailingPence(text, span.end);
      if (extra) return { start: span.start, end: extra.end, pence: capped(pence + extra.pence), explicit };
    }
  }
  return { ...span, pence: capped(pence), explicit };
}

function wordCandidate(m: RegExpExecArray, text: string): MoneyCandidate | null {
  const [whole, run, unit] = m;
  const value = cardinalWordsToNumber(run!);
  if (value === null) return null;
  const span = { start: m.index, end: m.index + whole.length };
  const multiplier: Record<string, number> = {
    pound: 100,
    pounds: 100,
    quid: 100,
    pence: 1,
    pee: 1,
    p: 1,
    grand: 100_000,
    tenners: 1000,
    fivers: 500,
  };
  if (unit === undefined) {
    // A lone "one" is nearly always "that one", "no one"; other bare number words are amounts.
    if (/^(?:one|a|an)$/.test(run!.trim()) || !isBareNumberContext(text, span)) return null;
    return { ...span, pence: capped(value * 100), explicit: false };
  }
  const pence = value * multiplier[unit]!;
  if (unit === 'pounds' || unit === 'pound' || unit === 'quid') {
    const extra = trailingPence(text, span.end);
    if (extra) return { start: span.start, end: extra.end, pence: capped(pence + extra.pence), explicit: true };
  }
  return { ...span, pence: capped(pence), explicit: true };
}

function welshCandidate(m: RegExpExecArray, text: string): MoneyCandidate | null {
  const [whole, run, unit] = m;
  const number = longestWelshNumber(run!);
  if (number === null) return null;
  // "deg punt": the unit must follow the number itself, not a word the run took after it.
  const complete = number.length === run!.length;
  const span = { start: m.index, end: m.index + (complete ? whole.length : number.length) };
  // Without "punt", a Welsh number word counts only as the whole answer: "can" and "un" are English words too.
  if (unit === undefined || !complete) {
    const alone = text.trim() === run!.trim() && complete && !/^(?:un|can)$/.test(run!);
    return alone ? { ...span, pence: capped(number.value * 100), explicit: false } : null;
  }
  return { ...span, pence: capped(number.value * WELSH_UNITS[unit]!), explicit: true };
}

function slangCandidate(m: RegExpExecArray): MoneyCandidate | null {
  const word = m[1]!;
  const counted = m[0] !== word;
  // "quid", "pound" and "grand" alone are not amounts; "a quid" and "a grand" are.
  if (!counted && (word === 'quid' || word === 'pound' || word === 'grand')) return null;
  const pence = ({ tenner: 1000, fiver: 500, grand: 100_000, quid: 100, pound: 100 } as Record<string, number>)[word]!;
  return { start: m.index, end: m.index + m[0].length, pence, explicit: true };
}

/** Every amount in masked, folded text, in reading order. */
export function findMoneyCandidates(text: string): MoneyCandidate[] {
  const found: MoneyCandidate[] = [];
  const claimed = (span: Span) => found.some((c) => c.start < span.end && span.start < c.end);
  for (const m of matchesOf(NUMERIC, text)) {
    const candidate = numericCandidate(m, text);
    // "15 pounds 50p" is one amount: the pence were taken with the pounds.
    if (candidate && !claimed(candidate)) found.push(candidate);
  }
  for (const m of matchesOf(WORD_AMOUNT, text)) {
    const candidate = wordCandidate(m, text);
    if (candidate && !claimed(candidate)) found.push(candidate);
  }
  for (const m of matchesOf(WELSH_AMOUNT, text)) {
    const candidate = welshCandidate(m, text);
    if (candidate && !claimed(candidate)) found.push(candidate);
  }
  for (const m of matchesOf(SLANG, text)) {
    const candidate = slangCandidate(m);
    if (candidate && !claimed(candidate)) found.push(candidate);
  }
  return found.sort((a, b) => a.start - b.start);
}

// Words before an amount that say whose money it is: an offer ("I can pay £15") or a fact about income
// or debt ("I get £300 a month", "I owe £500", "I can't pay £20"), which is not an offer.
// Welsh too: "talu"/"dalu" (pay), "fforddio" (afford), "cynnig" (offer); "cael" (get), "ennill" (earn),
// "dyled" (debt), "rhent" (rent); "methu" / "ddim yn gallu" (cannot).
const OFFER_BEFORE =
  /(?<![a-z])(?:pay|paying|do|afford|manage|offer|offering|give|put|send|spare|try|make|about|around|maybe|say|than|over|talu|dalu|fforddio|cynnig|gynnig|tua|rhoi)(?![a-z])[^.!?\d£]{0,12}$/;
const NOT_OFFER_BEFORE =
  /(?<![a-z])(?:get|gets|getting|earn|earns|receive|receives|paid|owe|owes|owing|arrears|debt|wages?|income|benefits?|uc|rent|balance|behind|only\s+have|left\s+with|cael|ennill|dyled|ddyled|rhent|cyflog|incwm|balans)(?![a-z])[^.!?\d£]{0,12}$/;
const REFUSED_BEFORE =
  /(?:can'?t|cannot|can\s+not|won'?t|unable\s+to|not\s+able\s+to|couldn'?t|methu|ddim\s+yn\s+gallu)\s+(?:[a-z']+\s+){0,3}$/;
const LIMIT_BEFORE = /(?<![a-z])(?:more\s+than|over|above|beyond|than)\s*$/;

function offerScore(candidate: MoneyCandidate, frequencies: readonly Span[], text: string): number {
  const before = text.slice(Math.max(0, candidate.start - 30), candidate.start);
  let score = 0;
  if (frequencyAfter(candidate, frequencies) !== undefined) score += 2;
  if (OFFER_BEFORE.test(before)) score += 1;
  if (NOT_OFFER_BEFORE.test(before)) score -= 3;
  // "I can't pay £20" refuses £20; "I can't pay more than £10" offers £10.
  if (REFUSED_BEFORE.test(before) && !LIMIT_BEFORE.test(before)) score -= 3;
  return score;
}

/** The frequency written right after an amount ("£15 a week", "£15, weekly"). */
export function frequencyAfter<T extends Span>(candidate: Span, frequencies: readonly T[]): T | undefined {
  return frequencies.find((f) => f.start >= candidate.end && f.start - candidate.end <= 3);
}

/**
 * The amount a message offers. Amounts written next to a frequency ("£15 a week") or after "pay",
 * "do", "afford" win; amounts after "I get", "I owe", "my rent is", "I can't pay" never count. Null
 * when there is none, when the best ones disagree, or when any amount is unusable (a negative, a range,
 * "£15.555", over £100,000): a wrong amount is worse than asking again.
 */
export function chooseAmount(
  candidates: readonly MoneyCandidate[],
  frequencies: readonly Span[],
  text: string,
): MoneyCandidate | null {
  if (candidates.length === 0 || candidates.some((c) => c.pence === null)) return null;
  const scored = candidates.map((c) => ({ c, score: offerScore(c, frequencies, text) }));
  const best = Math.max(...scored.map((s) => s.score));
  if (best < 0) return null;
  const top = scored.filter((s) => s.score === best).map((s) => s.c);
  // "£15 a week (that's £60 a month)": the first amount-with-frequency is the offer.
  if (best >= 2) return top[0]!;
  const distinct = new Set(top.map((c) => c.pence));
  return distinct.size === 1 ? top[0]! : null;
}
