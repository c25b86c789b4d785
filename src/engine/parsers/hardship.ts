// Hardship: "I lost my job", "my UC is late this month", "benefits stopped", "I've been sanctioned",
// "my hours were cut", "I can't afford it" (and the same in Welsh). These get benefit help (check
// entitlement, Housing Benefit or the UC housing element, a Discretionary Housing Payment) and a person,
// rather than "Sorry, I didn't catch that". A message that also names an amount ("I can only do £5 a week
// as I lost my job") is an offer with a reason, and the caller reads it as an offer instead.
import { WELSH_HARDSHIP } from './welsh-words.js';
import { foldText, originalSlice, stripAccents } from './text.js';

interface HardshipMatch {
  matched: string;
}

const B = '(?<![a-z])';
const E = '(?![a-z])';
const CANT = "(?:can'?t|cannot|can\\s+not|cnt|could\\s*n'?t|couldnt)";
const UC = '(?:uc|universal\\s+credit|my\\s+uc|the\\s+uc|dwp)';
const BENEFITS =
  '(?:benefits?|my\\s+benefits?|housing\\s+benefit|hb|esa|pip|jsa|tax\\s+credits?|child\\s+benefit|pension\\s+credit)';
const LATE =
  "(?:is|was|are|were|has\\s+been|have\\s+been|has|have|had|'s|s|been|got)?\\s*(?:late|delayed|stopped|cut|reduced|suspended|sanctioned|not\\s+(?:paid|come|arrived)|missing|on\\s+hold)";

const HARDSHIP = new RegExp(
  `${B}(?:${[
    'lost\\s+(?:my|our|me|his|her)\\s+(?:job|work|jobs|income|hours|wages)',
    '(?:been|got|was|were|being)\\s+(?:made\\s+)?redundant',
    'redundancy',
    '(?:been|got|was|were)\\s+(?:laid\\s+off|sacked|fired|let\\s+go)',
    'out\\s+of\\s+work',
    'no\\s+(?:job|income|money\\s+coming\\s+in|wages)',
    `${UC}\\s+${LATE}`,
    `${UC}\\s+(?:has\\s*n'?t|hasnt|has\\s+not|did\\s*n'?t|didnt|did\\s+not|wo\\s*n'?t|wont)\\s+(?:come|arrived?|paid|gone\\s+in|come\\s+through)`,
    `${BENEFITS}\\s+${LATE}`,
    `(?:stopped|cut|suspended)\\s+(?:my|our)\\s+(?:benefits?|uc|universal\\s+credit)`,
    'sanction(?:ed|s)?',
    `waiting\\s+(?:for|on)\\s+(?:my\\s+)?(?:first\\s+)?(?:${UC}|benefits?|payment)`,
    'hours\\s+(?:have\\s+been\\s+|were\\s+|got\\s+|been\\s+|are\\s+)?(?:cut|reduced|dropped)',
    '(?:cut|reduced)\\s+(?:my|our)\\s+hours',
    'pay\\s+cut',
    'less\\s+hours',
    'fewer\\s+hours',
    `${CANT}\\s+afford(?:\\s+(?:it|this|that|the\\s+rent|rent|to\\s+pay|anything|to))?`,
    'cant\\s+afford',
    'unaffordable',
    'on\\s+(?:statutory\\s+)?sick\\s+pay',
    'ssp',
  ].join('|')})${E}`,
);

/** The hardship words in a message, or null. Never throws. */
export function detectHardship(text: string): HardshipMatch | null {
  if (typeof text !== 'string') return null;
  const folded = foldText(text);
  const scan = stripAccents(folded.text);
  const m = HARDSHIP.exec(scan) ?? WELSH_HARDSHIP.exec(scan);
  return m ? { matched: originalSlice(folded, { start: m.index, end: m.index + m[0].length }) } : null;
}
