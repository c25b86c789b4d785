// "I paid that": a tenant saying the money is already paid, or the balance is wrong. This freezes
// automation until an officer checks (a landlord once pursued a resident for £10k she had paid).
// Leaning to false positives is deliberate; the guards below only keep out payday talk ("I get paid on
// Friday") and refusals or promises ("I haven't paid", "I'll pay it Friday").
import { foldText } from './text.js';

// A claim is void if one of these comes just before it: "I haven't paid", "when I get paid", "I'll pay".
const NOT_A_CLAIM_BEFORE = new RegExp(
  "(?<![a-z'])(?:not|never|haven'?t|havent|hasn'?t|hadn'?t|didn'?t|didnt|won'?t|wont|can'?t|cant|cannot|couldn'?t" +
    "|will|'ll|gonna|going\\s+to|can|could|would|should|might|if|when|once|until|till|need\\s+to|get|gets|getting|got" +
    "|be|being|i'm|im|am|are)(?![a-z'])(?:\\s+[a-z']+){0,2}\\s*$",
);

interface Claim {
  pattern: RegExp;
  /** Check NOT_A_CLAIM_BEFORE against the text before the match. */
  guarded: boolean;
}

const CLAIMS: readonly Claim[] = [
  // "I paid", "I've already paid", "we have paid", "already paid"
  {
    pattern:
      /(?<![a-z'])(?:(?:i|we|i've|ive|we've|weve|i\s+have|we\s+have|i\s+had|we\s+had)\s+(?:already\s+|just\s+|actually\s+|definitely\s+|def\s+)?|already\s+)paid(?![a-z])/g,
    guarded: true,
  },
  // "paid it yesterday", "paid that", "paid in full", "paid last week"
  {
    pattern:
      /(?<![a-z'])paid\s+(?:it|that|this|them|all\s+of\s+it|the\s+(?:rent|arrears|balance|money|lot|amount|bill|full\s+amount)|in\s+full|off|up|already|yesterday|today|last\s+[a-z]+|on\s+[a-z0-9]+|this\s+(?:morning|week|month)|earlier)(?![a-z])/g,
    guarded: true,
  },
  // "it's been paid", "that's paid", "the rent was paid", "it has been cleared"
  {
    pattern:
      /(?<![a-z'])(?:it|that|this|rent|the\s+rent|balance|the\s+balance|arrears|the\s+arrears|everything|it\s+all|which)\s*(?:'s|s|\s+is|\s+was|\s+has\s+been|\s+have\s+been|\s+had\s+been|\s+been)\s+(?:already\s+|all\s+|now\s+|been\s+)*(?:paid|cleared|settled)(?![a-z])/g,
    guarded: true,
  },
  // "I sent it", "I made the payment", "I transferred the money"
  {
    pattern:
      /(?<![a-z'])(?:i|we|i've|ive|we've)\s+(?:already\s+)?(?:made|did|done|sent|transferred)\s+(?:the|a|my|it|that|this|the\s+money|the\s+rent|payment)(?:\s+payment)?(?![a-z])/g,
    guarded: true,
  },
  {
    pattern:
      /(?<![a-z'])(?:payment|direct\s+debit|dd|standing\s+order|the\s+money)\s+(?:went|has\s+gone|had\s+gone|came|has\s+come)\s+out(?![a-z])/g,
    guarded: true,
  },
  {
    pattern:
      /(?<![a-z'])(?:direct\s+debit|standing\s+order|payment)\s+(?:was|has\s+been)\s+(?:taken|made|sent)(?![a-z])/g,
    guarded: true,
  },
  // Disputes: "I don't owe anything", "I'm not in arrears", "the balance is wrong"
  { pattern: /(?<![a-z'])(?:i|we)\s+(?:don'?t|dont|do\s+not)\s+owe(?![a-z])/g, guarded: false },
  {
    pattern: /(?<![a-z'])(?:i'?m|i\s+am|we'?re|we\s+are)\s+not\s+(?:in\s+arrears|behind|in\s+debt)(?![a-z])/g,
    guarded: false,
  },
  { pattern: /(?<![a-z'])(?:never|not)\s+been\s+in\s+arrears(?![a-z])/g, guarded: false },
  {
    pattern:
      /(?<![a-z'])(?:balance|amount|figure|figures|statement|account|arrears|rent\s+account)\s*(?:'s|s|\s+is|\s+are|\s+was)\s+(?:wrong|incorrect|not\s+right|not\s+correct|a\s+mistake|inaccurate)(?![a-z])/g,
    guarded: false,
  },
  {
    pattern:
      /(?<![a-z'])(?:mistake|error)\s+(?:on|with|in)\s+(?:my|the)\s+(?:account|balance|rent\s+account|statement)(?![a-z])/g,
    guarded: false,
  },
  {
    pattern:
      /(?<![a-z'])(?:i\s+have|i've|ive|got)\s+(?:a|the)\s+receipt|proof\s+of\s+payment|(?:bank\s+)?statement\s+shows(?![a-z])/g,
    guarded: false,
  },
  // "Housing Benefit pays it", "UC pays my rent direct": the tenant thinks it is covered.
  {
    pattern:
      /(?<![a-z'])(?:housing\s+benefit|hb|uc|universal\s+credit|dwp|the\s+council|benefits?)\s+(?:has\s+|have\s+|already\s+|should\s+have\s+)*(?:paid|pays|pay|covers?|covered)\s+(?:it|that|this|my\s+rent|the\s+rent|the\s+lot|direct|directly)(?![a-z])/g,
    guarded: false,
  },
];

// Welsh: "dw i wedi talu" (I've paid), "wedi talu'n barod", "mae wedi'i dalu" (it's been paid), "mae'r balans yn
// anghywir" (the balance is wrong), "dw i ddim mewn dyled" (I'm not in debt). Void after "ddim" / "heb" (not),
// "pan" (when), "os" (if), "bydda i'n" (I will).
const WELSH_NOT_A_CLAIM_BEFORE =
  /(?<![a-z'])(?:ddim|dim|heb|nad|na|pan|os|methu|bydda|byddaf|bydd|gallu|gallaf|angen|eisiau|isio)(?![a-z'])(?:\s+[a-z']+){0,2}\s*$/;
const WELSH_CLAIMS: readonly Claim[] = [
  {
    pattern:
      /(?<![a-z'])(?:wedi|eisoes\s+wedi|yn\s+barod\s+wedi)\s*(?:talu|dalu|'i\s+dalu|ei\s+dalu|'u\s+talu|setlo|clirio)(?![a-z])/g,
    guarded: true,
  },
  { pattern: /(?<![a-z'])(?:talu|dalu)'?n\s+barod(?![a-z])/g, guarded: true },
  {
    pattern:
      /(?<![a-z'])(?:balans|swm|cyfrif|ffigur|datganiad)\s+yn\s+(?:anghywir|anghywir|ddim\s+yn\s+gywir|camgymeriad)(?![a-z])/g,
    guarded: false,
  },
  {
    pattern:
      /(?<![a-z'])(?:ddim|dim)\s+(?:mewn\s+dyled|mewn\s+ol-ddyledion|mewn\s+ôl-ddyledion|mewn\s+ôl\s+ddyledion)(?![a-z])/g,
    guarded: false,
  },
  {
    pattern:
      /(?<![a-z'])(?:does\s+(?:arna\s+i|gen\s+i)\s+ddim|nid\s+oes\s+arnaf)\s+(?:ddim\s+)?(?:dyled|arian|ceiniog)(?![a-z])/g,
    guarded: false,
  },
];

function claimed(folded: string, claims: readonly Claim[], notBefore: RegExp): boolean {
  return claims.some(({ pattern, guarded }) => {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(folded); m !== null; m = pattern.exec(folded)) {
      if (!guarded) return true;
      const before = folded.slice(Math.max(0, m.index - 30), m.index);
      if (!notBefore.test(before)) return true;
    }
    return false;
  });
}

/** True when the tenant says it is already paid or the balance is wrong (English or Welsh). Never throws. */
export function detectAlreadyPaid(text: string): boolean {
  if (typeof text !== 'string') return false;
  const folded = foldText(text).text;
  if (claimed(folded, WELSH_CLAIMS, WELSH_NOT_A_CLAIM_BEFORE)) return true;
  return CLAIMS.some(({ pattern, guarded }) => {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(folded); m !== null; m = pattern.exec(folded)) {
      if (!guarded) return true;
      const before = folded.slice(Math.max(0, m.index - 30), m.index);
      if (!NOT_A_CLAIM_BEFORE.test(before)) return true;
    }
    return false;
  });
}
