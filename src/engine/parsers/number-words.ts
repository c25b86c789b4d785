// English number words, as tenants write them in texts: "twenty five", "one hundred and fifty",
// "fifteen hundred", and day ordinals such as "the twenty-eighth". Only what money and dates need.

const SMALL: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};

const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const ORDINAL_SMALL: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};

function alternation(words: readonly string[]): string {
  return [...words].sort((a, b) => b.length - a.length).join('|');
}

/** One cardinal number word (no boundaries), for building larger patterns. */
const CARDINAL_WORD = `(?:${alternation([...Object.keys(SMALL), ...Object.keys(TENS), 'hundred', 'thousand'])})(?![a-z])`;

/** A run of cardinal words: "twenty five", "one hundred and fifty", "twenty-five", "a hundred". */
export const CARDINAL_RUN = `(?:(?:a|an)\\s+(?=hundred|thousand))?${CARDINAL_WORD}(?:(?:\\s+and\\s+|\\s+|-)${CARDINAL_WORD})*`;

/** A day ordinal in words: "third", "twenty-eighth", "thirty first". */
export const ORDINAL_WORD = `(?:(?:twenty|thirty)[\\s-]?)?(?:${alternation(Object.keys(ORDINAL_SMALL))})`;

type Part = 'start' | 'unit' | 'teen' | 'ten' | 'hundred' | 'thousand' | 'and';

/**
 * The value of a run of number words, or null when the words do not make one number
 * ("twenty twenty", "five six").
 */
export function cardinalWordsToNumber(run: string): number | null {
  const words = run
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w.length > 0);
  let total = 0;
  let current = 0;
  let last: Part = 'start';
  for (const word of words) {
    if ((word === 'a' || word === 'an') && last === 'start') {
      current = 1;
      last = 'unit';
      continue;
    }
    if (word === 'and') {
      if (last !== 'hundred' && last !== 'thousand') return null;
      last = 'and';
      continue;
    }
    const small = SMALL[word];
    const ten = TENS[word];
    if (small !== undefined) {
      const teen = small >= 10;
      const after: readonly Part[] = teen
        ? ['start', 'hundred', 'thousand', 'and']
        : ['start', 'ten', 'hundred', 'thousand', 'and'];
      if (!after.includes(last)) return null;
      current += small;
      last = teen ? 'teen' : 'unit';
    } else if (ten !== undefined) {
      if (!['start', 'hundred', 'thousand', 'and'].includes(last)) return null;
      current += ten;
      last = 'ten';
    } else if (word === 'hundred') {
      if ((last !== 'unit' && last !== 'teen') || current >= 100) return null;
      current *= 100;
      last = 'hundred';
    } else if (word === 'thousand') {
      if (last === 'start' || last === 'and' || last === 'thousand' || total > 0) return null;
      total = current * 1000;
      current = 0;
      last = 'thousand';
    } else {
      return null;
    }
  }
  if (last === 'start' || last === 'and') return null;
  return total + current;
}

/** The day number of an ordinal word ("twenty-eighth" → 28), or null. */
export function ordinalWordToNumber(word: string): number | null {
  const m = /^(?:(twenty|thirty)[\s-]?)?([a-z]+)$/.exec(word.toLowerCase().trim());
  if (!m) return null;
  const unit = ORDINAL_SMALL[m[2]!];
  if (unit === undefined) return null;
  if (m[1] === undefined) return unit;
  return unit > 9 ? null : TENS[m[1]]! + unit;
}

/** "2", "two", "a", "an" → 2, 2, 1, 1 (small counts in phrases like "in two weeks"). */
export function countWordToNumber(word: string): number | null {
  const w = word.toLowerCase();
  if (w === 'a' || w === 'an') return 1;
  if (/^\d{1,3}$/.test(w)) return Number(w);
  return cardinalWordsToNumber(w);
}
