// How each hand-off reason reads, in one table: `label` is its short name on a Slack card, App Home and the
// lists; `summary` opens the escalation summary an officer reads (the engine writes one for every reason a
// flow can raise). The reasons themselves are defined with the escalations; this module only words them.
import type { FlowEscalationReason } from './types.js';

/** The reasons a flow raises: a label and the opening of the summary. */
const FLOW_REASONS: Record<FlowEscalationReason, { label: string; summary: string }> = {
  offer: { label: 'Repayment offer', summary: 'Repayment offer' },
  counter_reply: { label: 'Reply to a counter-offer', summary: 'Reply to your counter-offer' },
  crisis: {
    label: 'Crisis words',
    summary: 'Possible crisis or vulnerability: the script has stopped; please contact the tenant',
  },
  already_paid: {
    label: '"I\'ve already paid"',
    summary: 'Tenant says they have already paid: automation frozen until you check the account',
  },
  human_requested: { label: 'Asked for a person', summary: 'Tenant asked to speak to a person' },
  not_understood: {
    label: 'Script could not understand',
    summary: 'The conversation could not understand the tenant; please contact them',
  },
  opt_out_request: {
    label: 'Asked us to stop texting',
    summary:
      'Tenant asked us to stop texting (or says this is the wrong number): decide how to contact them (letter or phone)',
  },
  help_needed: { label: 'Asked for help', summary: 'Tenant asked for help with money' },
  hardship: {
    label: 'Hardship: benefit help sent',
    summary:
      'Tenant told us of hardship (job, benefits or hours): benefit help sent; please call about their benefits (Housing Benefit or the UC housing element, a Discretionary Housing Payment) and what they can afford. If they do the affordability check by text, their answers come with their offer',
  },
  language_support: {
    label: 'May not understand our texts (call, interpreter if wanted)',
    summary:
      'Tenant may not understand our texts (confusion or language), not a crisis: please phone them, with an interpreter if they want one',
  },
};

/** The reasons raised outside the flows, by the shells and the jobs: a label only. */
const OTHER_REASON_LABELS = {
  human_only: 'Texted us; no automated replies for them',
  held_contact: 'Held account in arrears: a person must make contact',
  arrangement_broken: 'Arrangement broken',
  suspended_order_breached: 'Suspended order terms broken',
};

/** The short name of every hand-off reason; an unknown one is shown as it is stored. */
export const REASON_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(FLOW_REASONS).map(([reason, words]) => [reason, words.label])),
  ...OTHER_REASON_LABELS,
};

/** The opening sentence of the summary an officer reads for a reason a flow raised. */
export function reasonSummary(reason: FlowEscalationReason): string {
  return FLOW_REASONS[reason].summary;
}
