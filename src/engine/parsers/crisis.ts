// Words that suggest crisis or vulnerability. A match stops the script and gets a person involved, so
// the lists lean hard towards false positives ("my phone died" is a bereavement here): a missed
// "I want to end it all" is the failure that matters. This is a safety net, not a classifier.
// Categories are checked most urgent first; `matched` is the tenant's own words — special-category data,
// so it belongs in the case for officers, never in logs. Each category belongs to one kind, and the kind
// chooses the reply (Samaritans, the domestic abuse helpline, or sympathy and a call). Welsh words are
// matched too, with or without their accents.
// Confusion or language ("I don't understand", "interpreter") is not a crisis: see detectConfusion.
import { WELSH_CRISIS, WELSH_CONFUSION } from './welsh-words.js';
import { foldText, originalSlice, stripAccents } from './text.js';

export type CrisisCategory = 'self_harm' | 'cannot_cope' | 'bereavement' | 'hospital' | 'abuse' | 'financial_control';

/** What the reply is about: a risk to life, abuse or control, or a loss or illness. */
export type CrisisKind = 'self_harm' | 'domestic_abuse' | 'bereavement_illness';

const CRISIS_KINDS: Record<CrisisCategory, CrisisKind> = {
  self_harm: 'self_harm',
  cannot_cope: 'self_harm',
  abuse: 'domestic_abuse',
  financial_control: 'domestic_abuse',
  bereavement: 'bereavement_illness',
  hospital: 'bereavement_illness',
};

interface CrisisMatch {
  category: CrisisCategory;
  kind: CrisisKind;
  matched: string;
}

interface ConfusionMatch {
  matched: string;
}

const B = '(?<![a-z])';
const E = '(?![a-z])';
const CANT = "(?:can'?t|cannot|can\\s+not|canot|cnt|carn'?t)";
const DONT = "(?:don'?t|do\\s+not|dnt)";
const FAMILY =
  '(?:mum|mom|mam|mummy|mother|dad|daddy|father|husband|wife|partner|son|daughter|child|baby|kid|brother|sister|nan|nana|nanny|gran|granny|grandma|grandad|grandpa|grandfather|grandmother|auntie|aunt|uncle|cousin|fiance|fiancee|boyfriend|girlfriend|friend|best\\s+friend|family|stepdad|stepmum|niece|nephew)';
const CONTROLLER =
  '(?:partner|husband|wife|boyfriend|girlfriend|ex|fiance|fiancee|he|she|they|him|her|my\\s+son|my\\s+daughter|my\\s+dad|my\\s+mum|family)';

function words(...alternatives: string[]): RegExp {
  return new RegExp(`${B}(?:${alternatives.join('|')})${E}`);
}

const RULES: ReadonlyArray<{ category: CrisisCategory; pattern: RegExp }> = [
  {
    category: 'self_harm',
    pattern: words(
      'kill(?:ing)?\\s+my\\s*self',
      'kil\\s+my\\s*self',
      'kms',
      'su[i]?c[i]?d(?:e|al)?',
      'suiside',
      'end(?:ing)?\\s+it\\s+all',
      'end(?:ing)?\\s+my\\s+(?:own\\s+)?life',
      'take\\s+my\\s+(?:own\\s+)?life',
      'end(?:ing)?\\s+things',
      '(?:want|going|gonna|about)\\s+(?:to\\s+)?end\\s+it',
      "i'?ll\\s+end\\s+it",
      'just\\s+end\\s+it',
      `${DONT}\\s+want\\s+to\\s+(?:be\\s+here|be\\s+alive|live|wake\\s+up|go\\s+on|exist|carry\\s+on)(?:\\s+any\\s*more)?`,
      'better\\s+off\\s+(?:dead|without\\s+me|gone)',
      '(?:want|wanna|wish)\\s+(?:to\\s+)?die',
      'wish\\s+i\\s+(?:was|were)\\s+dead',
      'wish\\s+i\\s+(?:was|were)\\s+(?:never\\s+born|not\\s+here)',
      'self[\\s-]?harm(?:ing)?',
      '(?:harm|hurt|cut(?:ting)?)\\s+my\\s*self',
      'overdose',
      'od\\s+on',
      '(?:no|nothing)\\s+(?:point|reason)\\s+(?:in\\s+)?(?:living|going\\s+on|to\\s+live|carrying\\s+on|any\\s*more|in\\s+life)',
      `${CANT}\\s+go\\s+on`,
      'not\\s+worth\\s+living',
      "life\\s+(?:is\\s*n'?t|isnt|is\\s+not)\\s+worth",
      'hang\\s+my\\s*self',
      'jump\\s+off',
      'throw\\s+my\\s*self',
      'no\\s+way\\s+out',
      'give\\s+up\\s+on\\s+life',
      'take\\s+all\\s+my\\s+(?:pills|tablets)',
    ),
  },
  {
    category: 'financial_control',
    pattern: words(
      `${CONTROLLER}\\s+(?:controls?|controlling|takes?|took|taking|keeps?|kept|has|holds?|spends?|spent|manages?|won'?t\\s+give\\s+me|doesn'?t\\s+give\\s+me|won'?t\\s+let\\s+me\\s+have)\\s+(?:all\\s+)?(?:of\\s+)?(?:the|my|our|all\\s+my|all\\s+the)\\s+(?:money|benefits?|bank\\s+card|card|cards|wages?|pay|uc|universal\\s+credit|finances|income|account|pin)`,
      'financial(?:ly)?\\s+(?:abuse|abused|abusive|control|controlled|controlling)',
      'economic(?:ally)?\\s+(?:abuse|abused|control)',
      "(?:won'?t|doesn'?t|does\\s+not|will\\s+not)\\s+let\\s+me\\s+(?:have|access|see|touch|use)\\s+(?:any\\s+|my\\s+|the\\s+)?(?:money|card|bank|account|wages|benefits?)",
      "(?:i'?m|i\\s+am|im)\\s+not\\s+allowed\\s+(?:any\\s+|my\\s+own\\s+)?(?:money|bank|card|access)",
      'controls?\\s+(?:the|my|all\\s+the)\\s+(?:money|finances)',
      'takes?\\s+(?:all\\s+)?my\\s+money',
      'has\\s+my\\s+(?:bank\\s+)?card',
    ),
  },
  {
    category: 'abuse',
    pattern: words(
      'abuse',
      'abused',
      'abusive',
      'abuser',
      'domestic\\s+violence',
      'domestic\\s+abuse',
      'dv',
      'violent',
      'violence',
      `${CONTROLLER}\\s+(?:hits?|hitting|beats?|beating|beat|hurts?|hurting|attacks?|attacked|punched|kicked|strangled|choked|threatens?|threatening|threatened)\\s+(?:me|us|my)`,
      '(?:scared|afraid|frightened|terrified)\\s+(?:of|for)\\s+(?:him|her|them|my|what)',
      'coercive',
      'controlling',
      'refuge',
      'fled',
      'fleeing',
      'restraining\\s+order',
      'non[\\s-]?molestation',
      '(?:called|call|calling|ring|rang)\\s+the\\s+police',
      'not\\s+safe',
      'unsafe',
      'safeguarding',
      'raped?',
      'sexual(?:ly)?\\s+assault(?:ed)?',
      'stalk(?:ing|ed|er)',
      'harassed\\s+by',
    ),
  },
  {
    category: 'bereavement',
    pattern: words(
      'died',
      'dying',
      'passed\\s+away',
      'passed\\s+on',
      'passed\\s+last',
      'funeral',
      'funerals',
      'bereaved',
      'bereavement',
      'cremation',
      'widow',
      'widowed',
      'widower',
      'death',
      'deceased',
      `lost\\s+my\\s+${FAMILY}`,
      'lost\\s+(?:him|her)\\s+(?:last|this|recently|on)',
      `${FAMILY}\\s+(?:is|was|has|just)\\s+(?:dead|died|passed)`,
      'stillborn',
      'miscarriage',
      'miscarried',
      'lost\\s+the\\s+baby',
    ),
  },
  {
    category: 'hospital',
    pattern: words(
      'hospital',
      'hospitalised',
      'hospitalized',
      'hosp',
      'a\\s*&\\s*e',
      'a\\s+and\\s+e',
      'icu',
      'intensive\\s+care',
      'ward',
      'admitted',
      'ambulance',
      'paramedics?',
      'surgery',
      '(?:an|my|having\\s+an?)\\s+operation',
      'sectioned',
      'psychiatric',
      'mental\\s+health\\s+unit',
      'cancer',
      'chemo',
      'chemotherapy',
      'radiotherapy',
      'stroke',
      'heart\\s+attack',
      'seizure',
      'terminal(?:ly)?\\s+ill',
      'seriously\\s+ill',
      'very\\s+(?:ill|unwell|poorly)',
      'in\\s+hosp',
      'hospice',
      'dialysis',
      'rehab',
    ),
  },
  {
    category: 'cannot_cope',
    pattern: words(
      `${CANT}\\s+cope`,
      'not\\s+coping',
      '(?:struggling|unable)\\s+to\\s+cope',
      `${CANT}\\s+(?:take|handle|deal\\s+with)\\s+(?:it|this|any\\s*more|much\\s+more)`,
      `${CANT}\\s+do\\s+this\\s+any\\s*more`,
      'breaking\\s+point',
      'breaking\\s+down',
      'break\\s*down',
      'nervous\\s+breakdown',
      'falling\\s+apart',
      'overwhelmed',
      'desperate',
      'end\\s+of\\s+my\\s+tether',
      'losing\\s+my\\s+mind',
      'going\\s+under',
      'drowning',
      'mental\\s+health',
      'depression',
      'depressed',
      'anxiety',
      'panic\\s+attacks?',
      'in\\s+tears',
      "(?:keep|been|am|i'?m)\\s+crying",
      'crying',
      `${DONT}\\s+know\\s+what\\s+to\\s+do`,
      'really\\s+struggling',
      'struggling\\s+(?:so\\s+much|mentally|badly|really\\s+bad)',
      'at\\s+rock\\s+bottom',
      'ptsd',
      'bipolar',
      'schizophreni[a-z]*',
      'psychosis',
      'addict(?:ion|ed)?',
      'alcoholic',
      'homeless',
      'no\\s+food',
      '(?:starving|hungry)',
      'food\\s*bank',
      'no\\s+(?:gas|electric|electricity|heating)',
    ),
  },
];

const CONFUSION = words(
  `(?:i\\s+)?${DONT}\\s+(?:understand|undastand|understnd|get\\s+it|get\\s+what)`,
  "(?:i\\s+)?(?:did\\s*n'?t|didnt)\\s+(?:understand|get\\s+(?:it|that))",
  'not\\s+understand(?:ing)?',
  'what\\s+does\\s+(?:this|that|it)\\s+mean',
  'what\\s+do\\s+you\\s+mean',
  'confused',
  'confusing',
  `${DONT}\\s+know\\s+what\\s+(?:this|that|it|you)\\s+(?:means?|is|are)`,
  `${CANT}\\s+read`,
  '(?:no|little|not\\s+much|bad|poor|limited)\\s+english',
  "english\\s+(?:is\\s+)?(?:not|is\\s*n'?t|isnt)\\s+(?:very\\s+|so\\s+)?(?:good|great|strong)",
  'english\\s+is\\s+(?:bad|poor|limited)',
  `${DONT}\\s+speak\\s+(?:good\\s+|much\\s+)?english`,
  "english\\s+(?:is\\s*n'?t|isnt|is\\s+not|not)\\s+my\\s+first",
  'interpreter',
  'translat(?:e|or|ion)',
  'makes?\\s+no\\s+sense',
  "(?:does\\s*n'?t|doesnt|dont|don't)\\s+make\\s+(?:any\\s+)?sense",
  "i'?m\\s+lost",
  'learning\\s+difficult(?:y|ies)',
  'dyslexi[ac]',
  'what\\s+is\\s+this\\s+about',
  'i\\s+have\\s+no\\s+idea\\s+what',
);

// A message that is only a bewildered question: "???", "what?", "huh", "beth?".
const BEWILDERED =
  /^(?:\?+|what\s*\?+|huh\s*\?*|eh\s*\?+|pardon\s*\?*|sorry\s+what\s*\?*|what\s+is\s+this\s*\?*|\?+\s*what|beth\s*\?+|be\s*\?+)$/;

function scanned(text: string): { folded: ReturnType<typeof foldText>; text: string } {
  const folded = foldText(text);
  // Accents are dropped one character for one, so a match's indexes still point into the folded text.
  return { folded, text: stripAccents(folded.text.replace(/[‘’]/g, "'")) };
}

/** The first crisis category the message suggests, most urgent first, with its kind and the words that matched. */
export function detectCrisis(text: string): CrisisMatch | null {
  if (typeof text !== 'string') return null;
  const { folded, text: scan } = scanned(text);
  for (const { category, pattern } of RULES) {
    const m = pattern.exec(scan) ?? WELSH_CRISIS[category]?.exec(scan) ?? null;
    if (m)
      return {
        category,
        kind: CRISIS_KINDS[category],
        matched: originalSlice(folded, { start: m.index, end: m.index + m[0].length }),
      };
  }
  return null;
}

/**
 * "I don't understand", "interpreter", "my English is not good", "???": the tenant may not follow our
 * texts. Not a crisis: they are offered a call (with an interpreter if they want one) by a person.
 */
export function detectConfusion(text: string): ConfusionMatch | null {
  if (typeof text !== 'string') return null;
  const { folded, text: scan } = scanned(text);
  const m = CONFUSION.exec(scan) ?? WELSH_CONFUSION.exec(scan);
  if (m) return { matched: originalSlice(folded, { start: m.index, end: m.index + m[0].length }) };
  if (BEWILDERED.test(scan.trim())) return { matched: folded.original.trim() };
  return null;
}
