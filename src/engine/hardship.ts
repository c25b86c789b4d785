// Hardship ("I lost my job", "my UC is late", "benefits stopped", "sanctioned", "hours cut", "can't afford
// it", and the Welsh words), said at any question: benefit help first (a benefits calculator, Housing
// Benefit or the UC housing element, a Discretionary Housing Payment: links from the policy), logged as
// `benefit_help_offered`, then what fits where the tenant is (docs/rules.md#hardship). Pure: step.ts acts.
//
// Officers are told at once, once per conversation, whatever the tenant answers next. An income team acts
// on hardship itself, not only on a plan: a Housing Benefit or UC claim to chase or mark pending (no notice
// is recommended while it is), a Discretionary Housing Payment to help apply for; the worklist's hardship
// item is "assess affordability", which the tenant's own check by text informs but does not replace. A
// tenant who says YES and stops half way through the check would otherwise never reach an officer (the
// check's own silence ends with no hand-off). And so the reply can truthfully say an officer has been told,
// and "no", OFFICER or silence add no second hand-off.
import type { Flow } from './flow-schema.js';
import type { SessionValue } from './types.js';

/** The flow an arrears conversation carries on in after benefit help: the check (YES) or a person. */
export const HARDSHIP_FLOW = 'hardship';

/** Set in the session once benefit help has been sent: hardship said again is acknowledged, not repeated. */
export const BENEFIT_HELP_OFFERED = 'benefit_help_offered';

/**
 * - `offer_check`: an arrears conversation: the `hardship` reply ends with the offer of the affordability
 *   check by text or a person, and the conversation carries on in flows/hardship.yaml (which tells officers);
 * - `carry_on`: the conversation is the affordability check: the same question waits, the check is not restarted;
 * - `hand_off`: any other conversation (a rent reminder, where there is nothing owed to plan for): an
 *   officer is asked to call and the conversation ends;
 * - `again`: benefit help was already sent in this conversation: a short acknowledgement, the question waits.
 */
type HardshipResponse = 'offer_check' | 'carry_on' | 'hand_off' | 'again';

/** A flow that works out affordability itself (the check): hardship said there must not restart it. */
function worksOutAffordability(flow: Flow): boolean {
  return Object.values(flow.steps).some((step) => step.do?.includes('assess_affordability'));
}

export function hardshipResponse(flow: Flow, vars: Record<string, SessionValue>): HardshipResponse {
  if (vars[BENEFIT_HELP_OFFERED] === true) return 'again';
  if (worksOutAffordability(flow)) return 'carry_on';
  return flow.arrears ? 'offer_check' : 'hand_off';
}
