// Reads a tenant's reply to the question a step asked (yes/no, a numbered choice, identity, an offer) and
// says where the conversation goes next. It only interprets; step.ts sends, escalates and moves.
// The parsing itself (money, dates, postcodes) lives in ./parsers, shared with the rest of the service.
import {
  normalisePostcode,
  normaliseReply,
  parseDateOfBirth,
  parseFrequency,
  parseMoney,
  parseOffer,
  parseUkDate,
  parseYesNo,
} from './parsers/index.js';
import { addMonths, formatDate, localDateOf } from './parsers/calendar.js';
import { scanMessage } from './parsers/scan.js';
import { absorbAmounts } from './affordability-answers.js';
import type { OfferPart, Step } from './flow-schema.js';
import type { ConversationContext, SessionValue } from './types.js';

type Answer =
  | { kind: 'go'; answer: string; to: string }
  /** Part of an offer was understood; ask the next missing part. */
  | { kind: 'ask_part'; part: OfferPart }
  | { kind: 'not_understood' }
  /** Understood, but does not match our records (identity). */
  | { kind: 'mismatch' };

type Vars = Record<string, SessionValue>;

const PART_VARS: Record<OfferPart, string> = {
  amount: 'offer_amount',
  frequency: 'offer_frequency',
  start_date: 'offer_start',
};

/** The offer parts the tenant has not given yet, in the order we ask for them. */
export function missingOfferParts(vars: Vars): OfferPart[] {
  return (Object.keys(PART_VARS) as OfferPart[]).filter((part) => vars[PART_VARS[part]] == null);
}

export function clearOffer(vars: Vars): void {
  for (const key of [
    'offer_amount',
    'offer_frequency',
    'offer_start',
    'offer_reason',
    'offer_raw',
    'offer_asking',
    'offer_start_rejected',
  ])
    delete vars[key];
}

/**
 * A first payment more than a year ahead is nearly always a misreading ("29/02" said in November is
 * 29 February of the next leap year), so it is asked again with the year shown rather than recorded.
 */
const MAX_START_MONTHS = 12;

/** True when `isoDate` falls within the next MAX_START_MONTHS months of the local today. */
function startWithinWindow(isoDate: string, ctx: ConversationContext): boolean {
  const today = localDateOf(ctx.now, ctx.timeZone);
  if (today === null) return false;
  return isoDate <= formatDate(addMonths(today, MAX_START_MONTHS));
}

/**
 * Takes whatever offer parts a text contains and stores them (a later answer corrects an earlier one).
 * When we asked for one part, a bare answer such as "15" or "Friday" is read as that part.
 * Returns true when at least one of amount, frequency or start date was found.
 */
function absorbOffer(text: string, vars: Vars, ctx: ConversationContext): boolean {
  const parsed = parseOffer(text, ctx.now, ctx.timeZone);
  const asking = vars.offer_asking;
  const amount = parsed.amountPence ?? (asking === 'amount' ? parseMoney(text) : null);
  const frequency = parsed.frequency ?? (asking === 'frequency' ? parseFrequency(text) : null);
  let start = parsed.startDate ?? (asking === 'start_date' ? parseUkDate(text, ctx.now, ctx.timeZone) : null);
  let rejected = false;
  if (start !== null && !startWithinWindow(start, ctx)) {
    vars.offer_start_rejected = start;
    delete vars.offer_start;
    start = null;
    rejected = true;
  }
  if (amount !== null) vars.offer_amount = amount;
  if (frequency !== null) vars.offer_frequency = frequency;
  if (start !== null) {
    vars.offer_start = start;
    delete vars.offer_start_rejected;
  }
  if (parsed.reason) vars.offer_reason = parsed.reason;
  const found = amount !== null || frequency !== null || start !== null || rejected;
  if (found || parsed.reason) {
    const raw = typeof vars.offer_raw === 'string' && vars.offer_raw ? `${vars.offer_raw} / ` : '';
    vars.offer_raw = `${raw}${text.trim()}`;
  }
  return found;
}

function offerAnswer(step: Step, text: string, vars: Vars, ctx: ConversationContext): Answer {
  if (!absorbOffer(text, vars, ctx)) return { kind: 'not_understood' };
  const missing = missingOfferParts(vars);
  if (missing.length === 0) return { kind: 'go', answer: 'complete', to: step.on!.complete! };
  return { kind: 'ask_part', part: missing[0]! };
}

function yesNoAnswer(step: Step, text: string, vars: Vars, ctx: ConversationContext): Answer {
  const on = step.on ?? {};
  const yesNo = parseYesNo(text);
  if (on.offer) {
    // "No, I could do £10 a week" is a new offer; "yes, £10 is fine" (the amount we proposed) is a yes.
    const offered = parseOffer(text, ctx.now, ctx.timeZone).amountPence;
    const agreesToProposal = yesNo === 'yes' && offered === vars.officer_offer_amount;
    if (offered !== null && !agreesToProposal) {
      clearOffer(vars);
      absorbOffer(text, vars, ctx);
      return { kind: 'go', answer: 'offer', to: on.offer };
    }
  }
  if (yesNo && on[yesNo]) return { kind: 'go', answer: yesNo, to: on[yesNo] };
  return { kind: 'not_understood' };
}

function wordsOf(text: string): string[] {
  return text.split(/[^\p{L}\p{N}£.]+/u).filter(Boolean);
}

function choiceAnswer(step: Step, text: string, vars: Vars, ctx: ConversationContext): Answer {
  const normalised = normaliseReply(text);
  const words = wordsOf(normalised);
  // A menu number counts only outside dates and times: "from 8/1" does not choose option 1.
  const numbers = wordsOf(scanMessage(normalised).masked);
  // Each option's longest matching reply, in words: "wedi talu" (already paid) beats "talu" (pay).
  const longest = new Map<number, number>();
  (step.options ?? []).forEach((option, index) => {
    for (const reply of option.reply) {
      const wanted = normaliseReply(String(reply));
      const wantedWords = wordsOf(wanted);
      const hit = /^\d+$/.test(wanted)
        ? numbers.includes(wanted)
        : ` ${words.join(' ')} `.includes(` ${wantedWords.join(' ')} `);
      if (hit) longest.set(index, Math.max(longest.get(index) ?? 0, wantedWords.length));
    }
  });
  const best = Math.max(0, ...longest.values());
  const matches = [...longest].filter(([, length]) => length === best).map(([index]) => index);
  if (matches.length === 1) {
    const option = step.options![matches[0]!]!;
    return { kind: 'go', answer: String(option.reply[0]), to: option.go };
  }
  // "I can pay £15 a week" at the menu is a plan: keep what they said so they are not asked again.
  if (step.on?.offer && parseOffer(text, ctx.now, ctx.timeZone).amountPence !== null) {
    clearOffer(vars);
    absorbOffer(text, vars, ctx);
    return { kind: 'go', answer: 'offer', to: step.on.offer };
  }
  return { kind: 'not_understood' };
}

/** Whether a reply confirms who the tenant is: 'confirmed', 'mismatch' (a date or postcode, but not theirs), or null. */
export function checkIdentity(text: string, ctx: ConversationContext): 'confirmed' | 'mismatch' | null {
  const dateOfBirth = parseDateOfBirth(text);
  const postcode = normalisePostcode(text);
  if (dateOfBirth === null && postcode === null) return null;
  const held = ctx.tenant;
  const dobMatches = dateOfBirth !== null && held.dateOfBirth !== null && dateOfBirth === held.dateOfBirth;
  const postcodeMatches = postcode !== null && held.postcode !== null && postcode === normalisePostcode(held.postcode);
  return dobMatches || postcodeMatches ? 'confirmed' : 'mismatch';
}

function identityAnswer(step: Step, text: string, ctx: ConversationContext): Answer {
  const checked = checkIdentity(text, ctx);
  if (checked === null) return { kind: 'not_understood' };
  return checked === 'confirmed' ? { kind: 'go', answer: 'confirmed', to: step.on!.confirmed! } : { kind: 'mismatch' };
}

/** Interprets a reply to the step's question. */
export function readAnswer(step: Step, text: string, vars: Vars, ctx: ConversationContext): Answer {
  switch (step.ask) {
    case 'yes_no':
      return yesNoAnswer(step, text, vars, ctx);
    case 'choice':
      return choiceAnswer(step, text, vars, ctx);
    case 'date_of_birth_or_postcode':
      return identityAnswer(step, text, ctx);
    case 'offer':
      return offerAnswer(step, text, vars, ctx);
    case 'amounts':
      return absorbAmounts(text, step.fields ?? [], vars)
        ? { kind: 'go', answer: 'answered', to: step.on!.answered! }
        : { kind: 'not_understood' };
    default:
      return { kind: 'not_understood' };
  }
}
