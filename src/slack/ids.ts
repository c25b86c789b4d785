// The action, view and event names Rentline's Slack app uses. Buttons carry the escalation id as their value.
export const ACTIONS = {
  accept: 'escalation_accept',
  counter: 'escalation_counter',
  refer: 'escalation_refer',
  takeOver: 'escalation_take_over',
  handBack: 'escalation_hand_back',
  /** Holds an officer lifts from the card: an open crisis, a disputed balance. */
  resolveCrisis: 'case_resolve_crisis',
  clearDispute: 'case_clear_dispute',
  /** The overflow menu: values are `take_over:<id>` or `view_account:<id>`. */
  more: 'escalation_more',
  /** On every card: the evidence pack as a PDF in the card's thread, and the affordability check modal. */
  evidencePack: 'escalation_evidence_pack',
  affordability: 'escalation_affordability',
} as const;

export const VIEWS = {
  counter: 'escalation_counter_modal',
  refer: 'escalation_refer_modal',
  affordability: 'escalation_affordability_modal',
} as const;

/** Postgres NOTIFY channel the Slack poster listens on (the triggers in migrations/0005 raise it). */
export const SLACK_OUTBOX_CHANNEL = 'rentline_slack';
