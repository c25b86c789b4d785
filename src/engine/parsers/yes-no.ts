// Yes or no to a question the bot asked ("Can we set this up?"), in English, Welsh, text-speak or emoji.
// Anything with signals both ways ("yes but not Friday", "no that's fine") or neither ("maybe") is null,
// so the flow asks again or passes it to a person rather than guessing.
import { foldText, normaliseReply } from './text.js';

const YES_PHRASES = new Set([
  'yes',
  'y',
  'ye',
  'yeah',
  'yea',
  'yeh',
  'yah',
  'ya',
  'yh',
  'yep',
  'yup',
  'yus',
  'yess',
  'yesss',
  'aye',
  'ok',
  'okay',
  'okey',
  'oki',
  'okie',
  'k',
  'kk',
  'ok ok',
  'okay then',
  'ok then',
  'alright',
  'all right',
  'alrite',
  'right',
  'sure',
  'fine',
  'agreed',
  'agree',
  'i agree',
  'i do',
  'i will',
  'i can',
  'will do',
  'yes i can',
  'yes i do',
  'yes i will',
  "that's fine",
  'thats fine',
  'that is fine',
  "that's ok",
  'thats ok',
  "that's okay",
  'that is ok',
  'fine by me',
  "that's great",
  "that's good",
  'that works',
  'that works for me',
  'works for me',
  'suits me',
  'happy with that',
  "i'm happy with that",
  'im happy with that',
  'sounds good',
  'sounds fine',
  'sounds great',
  'sounds ok',
  'good',
  'great',
  'perfect',
  'lovely',
  'brilliant',
  'cool',
  'deal',
  'go ahead',
  'go on',
  'go on then',
  'please do',
  'correct',
  "that's correct",
  'thats correct',
  'that is correct',
  "that's right",
  'thats right',
  'that is right',
  'confirmed',
  'confirm',
  'i confirm',
  'absolutely',
  'definitely',
  'of course',
  'certainly',
  'yes definitely',
  'no problem',
  'no worries',
  'not a problem',
  'no bother',
  'no probs',
  // Welsh: "ie" (yes), "iawn" (fine), "do" (yes, to a past-tense question), "ydw"/"ydy"/"oes" (yes, I am / it is
  // / there is), "cytuno" (agree).
  'ie',
  'iawn',
  'ie iawn',
  'do',
  'ydw',
  'ydy',
  'oes',
  'cytuno',
  "rwy'n cytuno",
  'yn iawn',
  // "cywir" (correct), "ydi"/"ydyn" (yes, it is / they are), "gallaf"/"galla i" (yes, I can), "dim problem".
  'cywir',
  'yn gywir',
  "mae'n gywir",
  "mae hynny'n gywir",
  "ydy mae'n gywir",
  'ydi',
  'ydyn',
  'ydw i',
  'gallaf',
  'galla',
  'galla i',
  'gallwn',
  'ie cywir',
  'ie ydy',
  'ie ydw',
  'oes diolch',
  'dim problem',
  'iawn diolch',
  'popeth yn iawn',
  'bendant',
  'wrth gwrs',
  "mae hynny'n iawn",
  "mae'n iawn",
  'ok diolch',
  // "hoffwn" (I would like): the Welsh yes to "Hoffech chi...?" (would you like...?).
  'hoffwn',
  'hoffwn i',
  'ie hoffwn',
]);

const NO_PHRASES = new Set([
  'no',
  'n',
  'nope',
  'nah',
  'naa',
  'noo',
  'nooo',
  'no way',
  'no chance',
  'never',
  'not really',
  'not at all',
  'absolutely not',
  'definitely not',
  'certainly not',
  'no thanks',
  'no thank you',
  'no ta',
  'no sorry',
  'sorry no',
  "can't",
  'cant',
  'cannot',
  'can not',
  "i can't",
  'i cant',
  'i cannot',
  "i can't do that",
  'i cant do that',
  "can't do that",
  'cant do that',
  "i can't afford that",
  "i can't afford it",
  'i cant afford that',
  "can't afford it",
  "that's too much",
  'thats too much',
  'too much',
  'not possible',
  "i won't",
  'i wont',
  "won't",
  'i do not',
  "i don't",
  "don't",
  'dont',
  'incorrect',
  "that's wrong",
  'thats wrong',
  'that is wrong',
  'wrong',
  'not correct',
  "that's not right",
  'thats not right',
  'not right',
  'i disagree',
  'disagree',
  "no i can't",
  'no i cant',
  // Welsh: "na", "nac ydw"/"nac ydy" (no, I'm not / it isn't), "naddo" (no, past), "nage" (no, not that),
  // "dim diolch" / "na diolch" (no thanks).
  'na',
  'nac ydw',
  'nac ydy',
  'nag ydw',
  'naddo',
  'nage',
  'nac oes',
  'dim diolch',
  'na diolch',
  'dim',
  // "anghywir" (wrong), "dydy e ddim yn gywir" (it's not right), "alla i ddim" / "na allaf" (I can't), "methu" (can't).
  'nac ydi',
  'nag ydy',
  'nag oes',
  'nac ydyn',
  'anghywir',
  'ddim yn gywir',
  'dim yn gywir',
  'dydy hynny ddim yn gywir',
  'na allaf',
  'alla i ddim',
  'na alla',
  'methu',
  'dim o gwbl',
  'na dim diolch',
  'byth',
  // "na hoffwn" / "fyddwn i ddim yn hoffi" (no, I wouldn't like to).
  'na hoffwn',
  'fyddwn i ddim yn hoffi',
]);

// Politeness that carries no answer: "yes please", "no thanks x", "ok cheers".
const FILLER =
  /(?<![a-z'])(?:please|pls|plz|thanks|thank\s+you|thankyou|thx|ta|cheers|mate|love|hun|x+|lol|oh|um+|erm+|hi|hello|diolch|diolch\s+yn\s+fawr|plis|os\s+gwelwch\s+yn\s+dda|then)(?![a-z'])/g;

const YES_START =
  /^(?:yes|yeah|yep|yup|yea|yeh|ok|okay|sure|aye|ie|iawn|correct|agreed|ydw|ydy|ydi|oes|cywir)(?![a-z'])/;
const NO_START = /^(?:no|nope|nah|na|nac\s+ydw|nac\s+ydy|nac\s+oes|nag\s+oes|naddo|nage)(?![a-z'])/;
// Words that, after a yes-word, turn it into a condition or a refusal.
const DOUBT =
  /(?<![a-z])(?:no|not|n't|nt|cant|cannot|dont|wont|never|but|however|although|unless|except|wrong|maybe|if|only|ond|ddim|efallai|os|na|anghywir|methu)(?![a-z])|n't/;
// After a no-word, words that make it friendly agreement ("no problem") or a contradiction.
const NO_SOFTENER =
  /(?<![a-z])(?:problem|probs|worries|bother|fine|ok|okay|good|great|yes|yeah|sure|correct|right|iawn|ie|cywir|problem)(?![a-z])/;

const YES_EMOJI = ['👍', '✅', '👌', '☑', '✔', '🙆', '🆗'];
const NO_EMOJI = ['👎', '❌', '🚫', '✖', '🙅', '⛔'];

function emojiAnswer(text: string): 'yes' | 'no' | null {
  const yes = YES_EMOJI.some((e) => text.includes(e));
  const no = NO_EMOJI.some((e) => text.includes(e));
  if (yes === no) return null;
  return yes ? 'yes' : 'no';
}

/** 'yes', 'no', or null when the reply is neither or both. Never throws. */
export function parseYesNo(text: string): 'yes' | 'no' | null {
  if (typeof text !== 'string') return null;
  const folded = foldText(text).text;
  const words = normaliseReply(folded)
    .replace(/[\p{Extended_Pictographic}\p{Emoji_Modifier}\u200D]/gu, ' ')
    .replace(/[^\p{L}\p{N}'\s]+/gu, ' ')
    .replace(FILLER, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (words.length === 0) return emojiAnswer(folded);
  const emoji = emojiAnswer(folded);
  const verdict = wordAnswer(words);
  if (emoji !== null && verdict !== null && emoji !== verdict) return null;
  return verdict;
}

function wordAnswer(words: string): 'yes' | 'no' | null {
  // "yes yes", "no no no"
  const deduped = words
    .split(' ')
    .filter((w, i, all) => i === 0 || all[i - 1] !== w)
    .join(' ');
  if (YES_PHRASES.has(deduped)) return 'yes';
  if (NO_PHRASES.has(deduped)) return 'no';
  if (YES_START.test(deduped)) {
    const rest = deduped.replace(YES_START, '');
    return DOUBT.test(rest) ? null : 'yes';
  }
  if (NO_START.test(deduped)) {
    const rest = deduped.replace(NO_START, '');
    return NO_SOFTENER.test(rest) ? null : 'no';
  }
  return null;
}
