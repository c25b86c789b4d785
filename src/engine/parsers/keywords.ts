// Words that act whatever the script is doing: the carrier keywords (STOP, START, HELP), asking for a
// person, and opt-out requests in free text ("stop texting me"). Keywords follow Twilio's rule: only a
// message that is the single keyword counts, so "STOP PLEASE" is an opt-out *request* (an officer is
// told), not a keyword. Twilio also treats YES as opt-in; we do not, because YES answers our questions.
import { foldText, normaliseReply } from './text.js';

type GlobalKeyword = 'opt_out' | 'opt_in' | 'help' | 'human';

const KEYWORDS: Record<string, GlobalKeyword> = {
  stop: 'opt_out',
  unsubscribe: 'opt_out',
  end: 'opt_out',
  quit: 'opt_out',
  stopall: 'opt_out',
  revoke: 'opt_out',
  optout: 'opt_out',
  cancel: 'opt_out',
  start: 'opt_in',
  unstop: 'opt_in',
  help: 'help',
  info: 'help',
};

// Asking for a person may be a phrase, but the whole message must be the request: "don't call me" must
// not match "call me".
const POLITE = '(?:please|pls|plz|thanks|thank\\s+you|asap|now|today|back|urgently|x+)';
const ASK =
  "(?:can|could|would|will|please|pls|i\\s+(?:want|need|would\\s+like|wanna|'d\\s+like)\\s+to|i'd\\s+like\\s+to|id\\s+like\\s+to|let\\s+me|i\\s+wish\\s+to)";
const PERSON =
  '(?:someone|somebody|some\\s+one|a\\s+person|a\\s+real\\s+person|a\\s+human|a\\s+human\\s+being|an\\s+officer|the\\s+officer|my\\s+officer|my\\s+housing\\s+officer|a\\s+housing\\s+officer|an\\s+income\\s+officer|a\\s+member\\s+of\\s+staff|staff|an\\s+adviser|an\\s+advisor|a\\s+manager|a\\s+real\\s+human|you)';
const HUMAN_PATTERNS: readonly RegExp[] = [
  /^(?:human|a human|person|real person|a real person|officer|housing officer|my officer|income officer|agent|operator|advisor|adviser|staff)$/,
  new RegExp(
    `^(?:${ASK}\\s+)?(?:${PERSON}\\s+)?(?:please\\s+)?(?:call|ring|phone|contact)\\s+me(?:\\s+(?:back|please|pls|asap|today|now|x+))*$`,
  ),
  new RegExp(`^(?:${ASK}\\s+)?(?:i\\s+)?(?:speak|talk|chat)\\s+(?:to|with)\\s+${PERSON}(?:\\s+${POLITE})*$`),
  new RegExp(
    `^(?:${ASK}\\s+)?(?:i\\s+)?(?:have|get)\\s+(?:a\\s+)?(?:call|phone\\s+call|call\\s+back|callback|ring)(?:\\s+(?:back|from\\s+${PERSON}))?(?:\\s+${POLITE})*$`,
  ),
  new RegExp(`^(?:${PERSON}|human|officer)\\s+(?:please|pls|plz)$`),
  // Welsh: "swyddog" (officer), "siarad â pherson" (talk to a person), "ffoniwch fi" (call me).
  /^(?:(?:ga\s+i|gaf\s+i|hoffwn|dw\s+i\s+eisiau|dwi\s+isio|rwyf\s+eisiau)\s+)?(?:swyddog|person|siarad\s+(?:[aâ]|ag|gyda|efo)\s+(?:pherson|person|rhywun|swyddog|chi)|(?:ffoniwch|galwch|ffonio|ffonia)\s+fi)(?:\s+(?:plis|os\s+gwelwch\s+yn\s+dda|diolch|nawr|heddiw))*$/,
];

/** The keyword a whole message is, or null. Case, spacing and trailing punctuation or emoji are ignored. */
export function matchGlobalKeyword(text: string): GlobalKeyword | null {
  if (typeof text !== 'string') return null;
  const reply = normaliseReply(text);
  const keyword = KEYWORDS[reply];
  if (keyword !== undefined) return keyword;
  const phrase = reply
    .replace(/[,.!?]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return HUMAN_PATTERNS.some((p) => p.test(phrase)) ? 'human' : null;
}

const CONTACT_VERB =
  '(?:text|texting|txt|txting|message|messaging|msg|msging|contact|contacting|call|calling|ring|ringing|phone|phoning|email|emailing|whatsapp|whatsapping|bother|bothering|harass|harassing|hassle|hassling|pester|pestering|chase|chasing|send|sending|spam|spamming|hound|hounding)';
const OPT_OUT_PATTERNS: readonly RegExp[] = [
  // "STOP", "stop please", "stop it", "please stop", "STOP!!!"
  /^(?:please\s+)?(?:stop|unsubscribe|stopall|optout|opt\s+out|opt-out|cancel|end|quit|revoke)(?:\s+(?:it|now|please|pls|plz|this|that|all|them|these|this\s+now|thanks|thank\s+you|immediately|x+|sending|messaging|texting|me))*$/,
  new RegExp(`(?<![a-z])stop\\s+(?:${CONTACT_VERB})(?![a-z])`),
  new RegExp(
    `(?<![a-z])(?:don'?t|do\\s+not|dont|never|no\\s+need\\s+to)\\s+(?:ever\\s+)?(?:${CONTACT_VERB})\\s+(?:me|us|this\\s+number|my\\s+number)(?![a-z])`,
  ),
  /(?<![a-z])leave\s+(?:me|us)\s+(?:alone|be)(?![a-z])/,
  /(?<![a-z])(?:unsubscribe|opt\s+(?:me\s+)?out|opt-out|optout)(?![a-z])/,
  /(?<![a-z])(?:remove|delete|take)\s+(?:me|my\s+(?:number|details|phone|mobile))\s+(?:off|from)(?![a-z])/,
  /(?<![a-z])take\s+me\s+off(?![a-z])/,
  /(?<![a-z])no\s+more\s+(?:texts|messages|msgs|contact|calls|emails|whatsapps?)(?![a-z])/,
  /(?<![a-z])(?:don'?t|do\s+not|dont)\s+want\s+(?:any\s+more\s+|anymore\s+|any\s+|these\s+|your\s+|more\s+)?(?:texts|messages|msgs|contact|calls|emails)(?![a-z])/,
  /(?<![a-z])(?:f+\s*off|f\*+\s*off|fuck\s+off|piss\s+off|sod\s+off|bugger\s+off|go\s+away)(?![a-z])/,
  /(?<![a-z])(?:not\s+interested|block(?:ing)?\s+(?:you|this\s+number))(?![a-z])/,
  // Welsh: "stopiwch anfon negeseuon", "peidiwch â tecstio fi", "dim rhagor o negeseuon".
  /(?<![a-z])(?:stopiwch|peidiwch(?:\s+(?:[aâ]|ag))?)\s+(?:anfon|tecstio|ffonio|cysylltu|negeseuon|negesu)(?![a-z])/,
  /(?<![a-z])dim\s+rhagor\s+o\s+(?:negeseuon|decstiau|tecstiau|alwadau)(?![a-z])/,
];

/**
 * True for a request to stop contact in the tenant's own words ("stop texting me", "leave me alone",
 * "don't message me again", "STOP PLEASE"). Also true for the bare keywords themselves; callers check
 * matchGlobalKeyword first.
 */
export function detectOptOutRequest(text: string): boolean {
  if (typeof text !== 'string') return false;
  const folded = foldText(text).text;
  const reply = normaliseReply(folded)
    .replace(/[,.!?]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return OPT_OUT_PATTERNS.some((p) => p.test(reply) || p.test(folded));
}

const WRONG_NUMBER =
  /(?<![a-z])(?:wrong\s+(?:number|person|no)|not\s+(?:me|my\s+(?:name|number))|(?:i\s+)?don'?t\s+know\s+(?:who|any(?:one|body))\s+(?:that\s+is|called|by\s+that\s+name|named)|no\s+one\s+(?:here\s+)?(?:called|by\s+that\s+name)|(?:they|he|she)\s+(?:don'?t|doesn'?t|no\s+longer)\s+(?:live|have\s+this))(?![a-z])/;

/**
 * True when the tenant says the message reached the wrong person ("wrong number", "not me",
 * "no one called that here"). Arrears details must not be disclosed to them; treat it like an opt-out request for review.
 */
export function detectWrongNumber(text: string): boolean {
  if (typeof text !== 'string') return false;
  return WRONG_NUMBER.test(foldText(text).text);
}

export type AccountRequest = 'balance' | 'statement';

// BALANCE / BALANS and STATEMENT / DATGANIAD, alone or in a short request ("what's my balance?", "send me a
// statement please", "beth yw fy malans", "fy natganiad"): Welsh mutates both after "fy" (my).
const REQUEST_POLITE = '(?:\\s+(?:please|pls|plz|thanks|thank\\s+you|os\\s+gwelwch\\s+yn\\s+dda|plis|diolch|x+))*';
const BALANCE_WORD = '(?:balance|bal|balans|malans)';
const STATEMENT_WORD = '(?:statement|rent\\s+statement|datganiad|natganiad|datganiad\\s+rhent|natganiad\\s+rhent)';
const REQUEST_LEAD =
  "(?:(?:what(?:'s|\\s+is)|whats|check|show\\s+me|tell\\s+me|send\\s+me|send|can\\s+i\\s+(?:have|get|see)|could\\s+i\\s+(?:have|get|see)|i\\s+(?:want|need|would\\s+like)|i'd\\s+like|beth\\s+yw|anfonwch|ga\\s+i|gaf\\s+i)\\s+)?(?:(?:my|the|a|me\\s+a|me\\s+my|fy|y|yr)\\s+)?";
const REQUESTS: ReadonlyArray<{ request: AccountRequest; pattern: RegExp }> = [
  {
    request: 'balance',
    pattern: new RegExp(
      `^${REQUEST_LEAD}(?:rent\\s+)?${BALANCE_WORD}(?:\\s+(?:rent|fy\\s+nghyfrif))?${REQUEST_POLITE}$`,
    ),
  },
  { request: 'statement', pattern: new RegExp(`^${REQUEST_LEAD}${STATEMENT_WORD}${REQUEST_POLITE}$`) },
];

/** BALANCE or STATEMENT (in English or Welsh) when that is the whole message, or null. */
export function matchAccountRequest(text: string): AccountRequest | null {
  if (typeof text !== 'string') return null;
  const phrase = normaliseReply(text)
    .replace(/[,.!?]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return REQUESTS.find((r) => r.pattern.test(phrase))?.request ?? null;
}
