// Reading the affordability check's answers (`ask: amounts`): monthly amounts for the categories a
// question lists, or "don't know" / "skip" (Welsh "dim syniad", "hepgor"), which are always accepted.
// One figure for a question about several categories is kept as their total; a figure given "a week"
// (or fortnightly, four-weekly) is turned into a monthly one. Then `assess_affordability` works out the
// surplus and the suggested instalment with the rule in rent/affordability.ts.
import {
  assessAffordability,
  isAffordabilityCategory,
  type AffordabilityAnswers,
  type AffordabilityCategory,
} from '../rent/affordability.js';
import { formatPence } from '../rent/money.js';
import { parseFrequency, parseMoney } from './parsers/index.js';
import { scanMessage } from './parsers/scan.js';
import { normaliseReply } from './parsers/text.js';
import type { ConversationContext, Effect, Frequency, SessionValue } from './types.js';

type Vars = Record<string, SessionValue>;

const DONT_KNOW =
  /\b(?:don'?t know|do not know|dont no|not sure|no idea|dunno|unsure|skip|pass|rather not say|dim syniad|ddim yn gwybod|dwi ddim yn gwybod|dim clem|hepgor|sgipio)\b/;
const NOTHING = /^(?:none|nothing|nil|zero|no|n\/a|na|dim|dim byd|dim un|dim o gwbl)$/;

const TO_MONTHLY: Record<Exclude<Frequency, 'monthly'>, number> = {
  weekly: 52 / 12,
  fortnightly: 26 / 12,
  four_weekly: 13 / 12,
};

const AMOUNT_VAR_PREFIX = 'aff_';
const TOTAL_PREFIX = 'aff_total__';

/** Stores the answer to one amounts question; false when the reply holds neither amounts nor "don't know". */
export function absorbAmounts(text: string, fields: readonly string[], vars: Vars): boolean {
  const folded = normaliseReply(text);
  let amounts: number[];
  if (DONT_KNOW.test(folded)) {
    for (const f of fields) vars[`${AMOUNT_VAR_PREFIX}${f}`] = null;
    return true;
  }
  if (NOTHING.test(folded.replace(/[.!]+$/, '').trim())) amounts = fields.map(() => 0);
  else {
    amounts = scanMessage(text).money.flatMap((m) => (m.pence === null ? [] : [m.pence]));
    if (amounts.length === 0) {
      const single = parseMoney(text);
      if (single !== null) amounts = [single];
    }
  }
  const frequency = parseFrequency(text);
  if (frequency && frequency !== 'monthly') amounts = amounts.map((p) => Math.round(p * TO_MONTHLY[frequency]));
  if (amounts.length === fields.length) {
    fields.forEach((f, i) => {
      vars[`${AMOUNT_VAR_PREFIX}${f}`] = amounts[i] as number;
    });
    return true;
  }
  if (amounts.length === 1 && fields.length > 1) {
    vars[`${TOTAL_PREFIX}${fields.join('__')}`] = amounts[0] as number;
    return true;
  }
  return false;
}

function answersFromVars(vars: Vars): AffordabilityAnswers {
  const answers: AffordabilityAnswers = { amounts: {}, totals: [] };
  for (const [key, value] of Object.entries(vars)) {
    if (key.startsWith(TOTAL_PREFIX) && typeof value === 'number') {
      const categories = key.slice(TOTAL_PREFIX.length).split('__').filter(isAffordabilityCategory);
      answers.totals!.push({ categories, pence: value });
    } else if (key.startsWith(AMOUNT_VAR_PREFIX) && !key.startsWith(TOTAL_PREFIX)) {
      const category = key.slice(AMOUNT_VAR_PREFIX.length);
      if (isAffordabilityCategory(category) && (typeof value === 'number' || value === null))
        answers.amounts[category as AffordabilityCategory] = value;
    }
  }
  return answers;
}

/** `do: [assess_affordability]`: the outcome goes in the session (for on_affordability and the texts). */
export function assessFromSession(ctx: ConversationContext, vars: Vars): Effect {
  const answers = answersFromVars(vars);
  const frequency = ctx.account.rentFrequency ?? 'weekly';
  const assessment = assessAffordability(answers, frequency, ctx.policy);
  vars.affordability_outcome = assessment.outcome;
  vars.affordability_surplus = assessment.surplusPence;
  vars.affordability_suggested = assessment.suggestedInstalmentPence;
  vars.affordability_frequency = frequency;
  return { type: 'affordability_assessed', answers, assessment };
}

/** `do: [use_suggested_offer]`: the suggested instalment becomes the offer's amount and frequency. */
export function useSuggestedOffer(vars: Vars): void {
  const amount = vars.affordability_suggested;
  if (typeof amount !== 'number') return;
  vars.offer_amount = amount;
  vars.offer_frequency = String(vars.affordability_frequency ?? 'weekly');
  vars.offer_from_affordability = true;
  vars.offer_raw = `${typeof vars.offer_raw === 'string' && vars.offer_raw ? `${vars.offer_raw} / ` : ''}accepted the suggested ${formatPence(amount)} (affordability check)`;
}
