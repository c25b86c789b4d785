// Text plumbing shared by every parser: the reply normaliser callers see, and the "folded" form the
// scanners search. Folding keeps a map back to the original string so that a span found in the folded
// text (a reason, a crisis phrase) can be quoted in the tenant's own spelling and case.

/** Longest message the scanners look at. Twilio caps an SMS at 1,600 characters; the cap keeps every
 * regular expression's running time bounded whatever a caller passes in. */
const MAX_SCAN_CHARS = 2000;

export interface Span {
  start: number;
  end: number;
}

export interface FoldedText {
  /** Lower-case, straight quotes, plain hyphens, single spaces, compatibility forms unfolded (NFKC). */
  text: string;
  /** For each UTF-16 unit of `text`, where its source character starts and ends in the original. */
  from: number[];
  to: number[];
  original: string;
}

const QUOTES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u00B4': "'",
  '`': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
};

// Zero-width characters and variation selectors carry no meaning for parsing.
const INVISIBLE = /^(?:[\u200B\u200C\u200E\u200F\u2060\uFEFF]|\uFE0E|\uFE0F)$/u;

function foldCodePoint(char: string): string {
  const mapped = QUOTES[char];
  if (mapped !== undefined) return mapped;
  if (/^\s$/u.test(char)) return ' ';
  if (INVISIBLE.test(char)) return '';
  return char.normalize('NFKC').toLowerCase();
}

/** Fold text for scanning, keeping the way back to the original characters. */
export function foldText(input: string): FoldedText {
  const original = input.length > MAX_SCAN_CHARS ? input.slice(0, MAX_SCAN_CHARS) : input;
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let index = 0;
  for (const char of original) {
    const start = index;
    index += char.length;
    const folded = foldCodePoint(char);
    if (folded === ' ' && (text.length === 0 || text.endsWith(' '))) continue;
    for (let k = 0; k < folded.length; k++) {
      from.push(start);
      to.push(index);
    }
    text += folded;
  }
  while (text.endsWith(' ')) {
    text = text.slice(0, -1);
    from.pop();
    to.pop();
  }
  return { text, from, to, original };
}

/** The original characters behind a span of folded text. */
export function originalSlice(folded: FoldedText, span: Span): string {
  if (span.end <= span.start) return '';
  const start = folded.from[span.start] ?? 0;
  const end = folded.to[span.end - 1] ?? folded.original.length;
  return folded.original.slice(start, end);
}

/** Replace spans with spaces, keeping every index where it was, so later scanners skip them. */
export function maskSpans(text: string, spans: readonly Span[]): string {
  if (spans.length === 0) return text;
  const chars = text.split('');
  for (const span of spans) {
    for (let i = span.start; i < span.end && i < chars.length; i++) chars[i] = ' ';
  }
  return chars.join('');
}

/** Every match of a global pattern, with its span. */
export function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const global = pattern.flags.includes('g') ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  global.lastIndex = 0;
  for (let m = global.exec(text); m !== null; m = global.exec(text)) {
    if (m[0].length === 0) {
      global.lastIndex++;
      continue;
    }
    yield m;
  }
}

export function spanOf(match: RegExpExecArray): Span {
  return { start: match.index, end: match.index + match[0].length };
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

// Trailing noise: punctuation, symbols and emoji (with their modifiers and joiners), and emoticons.
const TRAILING_NOISE =
  /(?:[\s\p{P}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200D]|\u20E3|[:;=]-?[)(dp]|<3)+$/u;

/**
 * The canonical form for comparing a short reply with a keyword: trimmed, single spaces, lower case,
 * curly quotes made straight, and trailing punctuation, emoji and emoticons removed ("Stop!! 🙏" → "stop").
 * Leading characters are kept: only the end of a reply tends to carry decoration.
 */
export function normaliseReply(text: string): string {
  // Folding can expose more folding (NFKC turns "‴" into three primes, which then become apostrophes),
  // so fold until nothing changes; two or three passes settle every string.
  let current = text;
  for (let pass = 0; pass < 4; pass++) {
    const next = foldText(current).text.replace(TRAILING_NOISE, '').trim();
    if (next === current) return next;
    current = next;
  }
  return current;
}

/**
 * Letters without their accents, one character for one ("â" → "a", "ŵ" → "w"), so that Welsh words match
 * however they were typed and indexes into the result still index the input. Other characters are kept.
 */
export function stripAccents(text: string): string {
  return text.replace(/[^\p{ASCII}]/gu, (char) => {
    const base = char.normalize('NFD').replace(/\p{M}+/gu, '');
    return base.length === 1 ? base : char;
  });
}
