// Welsh words for the global checks (crisis, confusion, hardship), matched against folded text with its
// accents dropped (stripAccents), so "â", "ŵ" and "sâl" match however they were typed. Mutated forms
// ("fy nhad", "fy mhartner", "ddim") are listed because Welsh changes a word's first letter after
// words such as "fy" (my). Like the English lists, these lean towards false positives on purpose.
// Please have a Welsh speaker review additions.
import type { CrisisCategory } from './crisis.js';

const B = '(?<![a-z])';
const E = '(?![a-z])';

function words(...alternatives: string[]): RegExp {
  return new RegExp(`${B}(?:${alternatives.join('|')})${E}`);
}

const I_DONT = '(?:dw\\s*i|dwi|dydw\\s*i|dydw|rydw\\s*i|rwy|rwyf|dw|wi|fi)?\\s*(?:ddim|dim)';
const FAMILY =
  '(?:mam|fam|nhad|tad|dad|ngwr|ngwraig|mhartner|partner|mab|fab|merch|ferch|mhlentyn|mhlant|babi|mabi|mrawd|chwaer|nain|nhaid|taid|mam-gu|mamgu|tad-cu|tadcu|ffrind|nghariad|cariad)';

/** Welsh crisis words per category (checked in the same order as the English ones). */
export const WELSH_CRISIS: Partial<Record<CrisisCategory, RegExp>> = {
  self_harm: words(
    'l?ladd\\s+fy\\s+hun(?:an)?',
    'hunan[\\s-]?laddiad',
    'hunanladdol',
    '(?:eisiau|isio|isie|moyn|eisio)\\s+marw',
    "dod\\s+a(?:'r|\\s+'r|\\s+y)?\\s*(?:cyfan|popeth|bopeth|'r\\s+cyfan)\\s+i\\s+ben",
    'gorffen\\s+(?:y\\s+cyfan|popeth|bopeth|fy\\s+mywyd)',
    'rhoi\\s+diwedd\\s+ar\\s+(?:fy\\s+mywyd|y\\s+cyfan|bopeth|popeth)',
    'diweddu\\s+fy\\s+mywyd',
    '(?:niweidio|brifo|anafu)\\s+fy\\s+hun(?:an)?',
    'hunan[\\s-]?niweidio',
    `${I_DONT}\\s+(?:eisiau|isio|moyn)\\s+byw`,
    '(?:gwell|gwell\\s+eu\\s+byd)\\s+heb(?:dda\\s+i|ddo\\s+i|ddof\\s+i)',
  ),
  cannot_cope: words(
    'methu\\s+(?:ymdopi|dygymod|cario\\s+(?:mlaen|ymlaen))',
    `${I_DONT}\\s+yn\\s+(?:gallu\\s+)?(?:ymdopi|dygymod)`,
    'iselder',
    'gorbryder',
    'digartref',
    'dim\\s+bwyd',
    'banc\\s+bwyd',
    'llwgu',
    'anobeithiol',
    'torri\\s+lawr',
    'iechyd\\s+meddwl',
    `${I_DONT}\\s+yn\\s+gwybod\\s+beth\\s+i'?w?\\s+wneud`,
    'crio',
    'dim\\s+(?:nwy|trydan|gwres)',
  ),
  financial_control: words(
    "rheoli(?:'r|\\s+yr|\\s+y|\\s+fy|\\s+ein)?\\s*(?:arian|pres|cyllid|cerdyn|cardiau|budd-?daliadau|cyflog)",
    'cymryd\\s+(?:fy|yr|y|ein)\\s+(?:arian|pres|cerdyn|cyflog|budd-?daliadau)',
    "cadw(?:'r|\\s+fy)\\s+(?:arian|pres|cerdyn)",
    '(?:ddim|dim)\\s+yn\\s+gadael\\s+i\\s+mi\\s+(?:gael|weld|gyffwrdd|ddefnyddio)',
  ),
  abuse: words(
    'cam[\\s-]?drin',
    'camdriniaeth',
    'trais(?:\\s+domestig|\\s+yn\\s+y\\s+cartref)?',
    'treisgar',
    'fy\\s+nharo',
    'taro\\s+fi',
    'bwrw\\s+fi',
    '(?:fy\\s+)?mygwth',
    'bygwth',
    'ofn\\s+arna\\s+i',
    'gen\\s+i\\s+ofn',
    'ofnus',
    '(?:ddim|dim)\\s+yn\\s+(?:saff|ddiogel)',
    'lloches',
    'heddlu',
  ),
  bereavement: words(
    'wedi\\s+marw',
    'bu\\s+farw',
    'marwolaeth',
    'angladd',
    'profedigaeth',
    `(?:colli|golli|wedi\\s+colli)\\s+fy\\s+${FAMILY}`,
    'gweddw',
  ),
  hospital: words(
    'ysbyty',
    'sbyty',
    'llawdriniaeth',
    'canser',
    'cancr',
    'salwch\\s+difrifol',
    'sal\\s+iawn',
    'wael\\s+iawn',
    'gofal\\s+dwys',
    'ambiwlans',
    'stroc',
    'trawiad\\s+ar\\s+y\\s+galon',
    'hosbis',
    'cemotherapi',
  ),
};

/** "Dw i ddim yn deall", "cyfieithydd": the tenant may not follow our texts (not a crisis). */
export const WELSH_CONFUSION = words(
  `${I_DONT}\\s+yn\\s+(?:deall|dallt|dyall)`,
  'heb\\s+ddeall',
  'methu\\s+(?:deall|dallt)',
  'beth\\s+mae\\s+(?:hyn|hwn|hynny)\\s+yn\\s+ei\\s+olygu',
  'beth\\s+yw\\s+ystyr',
  'cyfieithydd',
  'dehonglydd',
  'cyfieithu',
  'wedi\\s+drysu',
  'dryslyd',
  'drysu',
  '(?:saesneg|cymraeg)\\s+(?:fi\\s+|i\\s+)?(?:ddim\\s+yn\\s+dda|yn\\s+wael|yn\\s+brin)',
  `${I_DONT}\\s+yn\\s+siarad\\s+(?:saesneg|cymraeg)`,
);

/** Welsh hardship: lost job, UC late, benefits stopped, sanctioned, hours cut, can't afford. */
export const WELSH_HARDSHIP = words(
  '(?:colli|golli|wedi\\s+colli)\\s+(?:fy\\s+)?(?:swydd|ngwaith|gwaith|incwm|oriau)',
  '(?:diswyddo|niswyddo|wedi\\s+cael\\s+fy\\s+niswyddo)',
  "(?:(?:credyd|nghredyd|gredyd)\\s+cynhwysol|uc)\\s+(?:yn\\s+hwyr|wedi\\s+(?:stopio|dod\\s+i\\s+ben|ei\\s+dorri|'i\\s+dorri|lleihau)|heb\\s+(?:dod|gyrraedd|dalu))",
  "(?:budd|mudd|fudd)-?dal(?:iadau)?\\s+(?:wedi\\s+(?:stopio|dod\\s+i\\s+ben|'u\\s+torri|eu\\s+torri)|yn\\s+hwyr)",
  'sancsiwn',
  'sancsiynau',
  'sancsiynu',
  'sancsiynwyd',
  "oriau\\s+wedi(?:'u|\\s+eu)?\\s+(?:torri|lleihau)",
  'torri\\s+fy\\s+oriau',
  'llai\\s+o\\s+oriau',
  'methu\\s+fforddio',
  `${I_DONT}\\s+yn\\s+gallu\\s+fforddio`,
  'dim\\s+modd\\s+fforddio',
  'dim\\s+incwm',
  'tal\\s+salwch',
);
