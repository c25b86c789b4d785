// Welsh number words as tenants text them, for amounts ("deg punt", "dau ddeg pump punt", "pymtheg punt")
// and counts ("dwy wythnos"). Both counting systems are read: the decimal one taught in schools ("dau ddeg
// pump", 25) and the traditional one ("pump ar hugain", 25; "deunaw", 18; "hanner cant", 50), with the
// feminine forms (dwy, tair, pedair), the short forms before a noun (pum, chwe, deng) and the mutations a
// word takes after another ("dau ddeg", "a phump", "dau gant"). Matched on accent-free lower-case text.

const UNITS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['un']],
  [2, ['dau', 'dwy']],
  [3, ['tri', 'tair']],
  [4, ['pedwar', 'pedair']],
  [5, ['pump', 'pum']],
  [6, ['chwech', 'chwe']],
  [7, ['saith']],
  [8, ['wyth']],
  [9, ['naw']],
];

// After "a" (and) the aspirate mutation: "a phump", "a thri", "a chwech"; "ac" before a vowel.
const AFTER_AND: Record<string, string[]> = {
  un: ['ac un'],
  dau: ['a dau'],
  dwy: ['a dwy'],
  tri: ['a thri', 'a tri'],
  tair: ['a thair', 'a tair'],
  pedwar: ['a phedwar', 'a pedwar'],
  pedair: ['a phedair', 'a pedair'],
  pump: ['a phump', 'a pump'],
  pum: ['a phum', 'a pum'],
  chwech: ['a chwech'],
  chwe: ['a chwe'],
  saith: ['a saith'],
  wyth: ['ac wyth'],
  naw: ['a naw'],
};

// The decimal tens: "un deg" (10) to "naw deg" (90); "deg" mutates after "dau" ("dau ddeg").
const TENS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [10, ['un deg']],
  [20, ['dau ddeg', 'dau deg', 'dwy ddeg']],
  [30, ['tri deg']],
  [40, ['pedwar deg', 'pedair deg']],
  [50, ['pum deg', 'pump deg']],
  [60, ['chwe deg', 'chwech deg']],
  [70, ['saith deg']],
  [80, ['wyth deg']],
  [90, ['naw deg']],
];

// The traditional numbers up to 20 that are not "unit + ar ddeg / ar bymtheg" sums.
const TRADITIONAL: ReadonlyArray<readonly [number, readonly string[]]> = [
  [10, ['deg', 'deng']],
  [12, ['deuddeg', 'deuddeng']],
  [15, ['pymtheg', 'pymtheng']],
  [18, ['deunaw']],
  [20, ['ugain']],
  [40, ['deugain']],
  [50, ['hanner cant']],
  [60, ['trigain']],
];

const HUNDREDS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [100, ['cant', 'can', 'un cant']],
  [200, ['dau gant', 'dwy gant']],
  [300, ['tri chant', 'tri cant']],
  [400, ['pedwar cant']],
  [500, ['pum cant', 'pump cant']],
  [600, ['chwe chant', 'chwe cant']],
  [700, ['saith cant']],
  [800, ['wyth cant']],
  [900, ['naw cant']],
];

function buildBelowHundred(): Map<string, number> {
  const words = new Map<string, number>();
  const add = (phrase: string, value: number) => {
    if (!words.has(phrase)) words.set(phrase, value);
  };
  for (const [value, forms] of UNITS) for (const form of forms) add(form, value);
  for (const [value, forms] of TRADITIONAL) for (const form of forms) add(form, value);
  // 11–19 traditionally: "un ar ddeg", "tri ar ddeg", "un ar bymtheg", "pedwar ar bymtheg".
  for (const [value, forms] of UNITS) {
    for (const form of forms) {
      if (value !== 2 && value !== 5) add(`${form} ar ddeg`, 10 + value);
      if (value <= 4) add(`${form} ar bymtheg`, 15 + value);
    }
  }
  // 21–39 traditionally: "un ar hugain" … "pedwar ar bymtheg ar hugain", and "deg ar hugain" (30).
  for (const [phrase, value] of [...words]) if (value >= 1 && value <= 19) add(`${phrase} ar hugain`, 20 + value);
  // The decimal system: "dau ddeg", "dau ddeg pump", "dau ddeg a phump".
  for (const [tens, tensForms] of TENS) {
    for (const tensForm of tensForms) {
      add(tensForm, tens);
      for (const [unit, forms] of UNITS) {
        for (const form of forms) {
          add(`${tensForm} ${form}`, tens + unit);
          for (const joined of AFTER_AND[form] ?? []) add(`${tensForm} ${joined}`, tens + unit);
        }
      }
    }
  }
  return words;
}

const BELOW_HUNDRED = buildBelowHundred();

const HUNDRED_WORDS = new Map<string, number>(
  HUNDREDS.flatMap(([value, forms]) => forms.map((form) => [form, value] as const)),
);

// Every word a Welsh number may be made of, mutated forms included. A run of these is cheap to find; which
// part of it is one number is then worked out by welshWordsToNumber (see longestWelshNumber).
const TOKEN =
  '(?:un|dau|dwy|tri|thri|tair|thair|pedwar|phedwar|pedair|phedair|pump|phump|pum|phum|chwech|chwe|saith|wyth|naw|deg|ddeg' +
  '|deng|deuddeg|deuddeng|pymtheg|pymtheng|bymtheg|deunaw|ugain|hugain|deugain|hanner|cant|gant|chant|can|trigain)';

/** A run of Welsh number words (no boundaries), for building larger patterns: "dau ddeg a phump". */
export const WELSH_CARDINAL_RUN = `${TOKEN}(?:\\s+(?:(?:a|ac|ar)\\s+)?${TOKEN})*(?![a-z])`;

/**
 * The longest leading part of a run of number words that is one number, with its length in characters
 * ("pum punt" is not a run, but "deg a" would leave "deg"), or null.
 */
export function longestWelshNumber(run: string): { value: number; length: number } | null {
  const tokens = [...run.matchAll(/\S+/g)];
  for (let n = tokens.length; n > 0; n--) {
    const value = welshWordsToNumber(
      tokens
        .slice(0, n)
        .map((t) => t[0])
        .join(' '),
    );
    const last = tokens[n - 1]!;
    if (value !== null) return { value, length: last.index + last[0].length };
  }
  return null;
}

/** The value of a run of Welsh number words ("dau ddeg pump" → 25, "cant a hanner" is not read), or null. */
export function welshWordsToNumber(run: string): number | null {
  const phrase = run.toLowerCase().trim().replace(/\s+/g, ' ');
  const direct = BELOW_HUNDRED.get(phrase) ?? HUNDRED_WORDS.get(phrase);
  if (direct !== undefined) return direct;
  for (const [form, hundreds] of HUNDRED_WORDS) {
    if (!phrase.startsWith(`${form} `)) continue;
    const rest = phrase.slice(form.length + 1).replace(/^(?:a|ac) /, '');
    const below = BELOW_HUNDRED.get(rest);
    if (below !== undefined) return hundreds + below;
  }
  return null;
}

/** A small count in digits or Welsh words ("2", "dwy", "tair") → 2, 2, 3; null otherwise. */
export function countWelsh(word: string): number | null {
  const w = word.toLowerCase().trim();
  if (/^\d{1,3}$/.test(w)) return Number(w);
  return welshWordsToNumber(w);
}
