// The shape of a flow file (flows/*.yaml) and of the shared global replies file, as zod schemas.
// Flows are data that income staff read and edit, so the keys are plain words and every message is a
// map of language code to text. The schema only checks shape; check.ts checks meaning (dangling steps,
// missing translations, placeholders, WhatsApp templates).
import { z } from 'zod';

const ASK_KINDS = ['yes_no', 'choice', 'date_of_birth_or_postcode', 'offer', 'amounts'] as const;

export const OFFER_PARTS = ['amount', 'frequency', 'start_date'] as const;
export type OfferPart = (typeof OFFER_PARTS)[number];

/** The reasons a flow may escalate with; the service raises a few more itself (src/db/queries/escalations.ts). */
export const FLOW_ESCALATION_REASONS = [
  'offer',
  'counter_reply',
  'crisis',
  'already_paid',
  'human_requested',
  'not_understood',
  'opt_out_request',
  'help_needed',
  /** "I lost my job", "UC is late": benefit help sent; an officer is asked to call about benefits and affordability. */
  'hardship',
  /** "I don't understand", "interpreter": not a crisis; an officer calls, with an interpreter if wanted. */
  'language_support',
] as const;
export type FlowEscalationReason = (typeof FLOW_ESCALATION_REASONS)[number];

/** A message in every language the flow declares: `{ en: "...", cy: "..." }`. */
const Text = z.record(z.string(), z.string().min(1));

const SimpleAction = z.enum([
  'record_offer',
  'counter_accepted',
  'counter_declined',
  'dispute',
  'opt_out',
  'clear_offer',
  // The affordability check: assess the answers so far, and take its suggested instalment as the offer.
  'assess_affordability',
  'use_suggested_offer',
]);
const EscalateAction = z.strictObject({
  escalate: z.enum(FLOW_ESCALATION_REASONS),
  urgency: z.enum(['normal', 'urgent']).default('normal'),
});
export const Action = z.union([SimpleAction, EscalateAction]);
export type Action = z.infer<typeof Action>;

const Option = z.strictObject({
  /** What the tenant may reply: a number and/or words, matched case-insensitively as whole words. */
  reply: z.array(z.union([z.string().min(1), z.number()])).min(1),
  go: z.string(),
});

const StepSchema = z.strictObject({
  /** Optional note for staff; never sent. */
  note: z.string().optional(),
  say: Text.optional(),
  /** WhatsApp template key (ContentSid name) used when this message goes after the 24-hour window. */
  whatsapp_template: z.string().optional(),
  do: z.array(Action).optional(),
  // Exactly one of the four below says what happens after the message.
  next: z.string().optional(),
  end: z.string().optional(),
  ask: z.enum(ASK_KINDS).optional(),
  on_decision: z.partialRecord(z.enum(['accepted', 'countered', 'referred', 'declined']), z.string()).optional(),
  /** After `do: [assess_affordability]`: where each outcome of the check goes. */
  on_affordability: z.partialRecord(z.enum(['surplus', 'below_minimum', 'deficit']), z.string()).optional(),
  /** Carry on in another flow (its start step), keeping what this conversation already knows. */
  continue_with: z.string().optional(),
  /** For `ask: amounts`: the affordability categories the question covers, in the order it lists them. */
  fields: z.array(z.string()).optional(),
  /**
   * Where each kind of answer goes: yes/no/offer, confirmed/no_identity_data, complete. A yes/no question
   * that itself offers a person (`person`) takes "OFFICER", "can I speak to someone" there, instead of the
   * global urgent hand-off.
   */
  on: z.record(z.string(), z.string()).optional(),
  options: z.array(Option).optional(),
  /** For `ask: offer`: the question for each part the tenant has not told us yet. */
  questions: z.partialRecord(z.enum(OFFER_PARTS), Text).optional(),
  on_not_understood: z.strictObject({ say: Text, give_up: z.string() }).optional(),
  on_mismatch: z.strictObject({ say: Text }).optional(),
  on_timeout: z.strictObject({ after: z.string(), go: z.string() }).optional(),
});
export type Step = z.infer<typeof StepSchema>;

export const FlowSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower case letters, digits and underscores'),
  version: z.union([z.number(), z.string()]),
  description: z.string().optional(),
  /** An arrears conversation: no amounts before identity, free debt advice on every path. */
  arrears: z.boolean().default(false),
  languages: z.array(z.string().min(2)).min(1),
  /** How a conversation begins: sent by us, by the tenant's own text, or by an officer's decision. */
  starts_with: z.enum(['start', 'tenant_text', 'decision']).default('start'),
  /** Facts the shell passes in when it starts the flow, with their kind, e.g. `instalment: money`. */
  needs: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.enum(['money', 'date', 'text'])).optional(),
  /** A step of this flow to use instead of the standard "already paid" reply. */
  on_already_paid: z.string().optional(),
  start: z.string().optional(),
  steps: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'use lower case letters, digits and underscores'), StepSchema),
});
export type FlowDefinition = z.infer<typeof FlowSchema>;

export const GLOBAL_REPLY_KEYS = [
  'opt_out',
  'opt_in',
  'help',
  'human',
  'crisis_self_harm',
  'crisis_domestic_abuse',
  'crisis_bereavement_illness',
  'confusion',
  // Hardship (docs/rules.md#hardship): benefit help, then, by where the tenant is (src/engine/hardship.ts),
  // the offer of the affordability check or a person, carrying on with the check, or an officer's call.
  'hardship',
  'hardship_during_check',
  'hardship_hand_off',
  'hardship_again',
  'opt_out_request',
  'wrong_number',
  'already_paid',
  'date_too_far',
  'balance',
  'statement',
  'account_identity_first',
  'account_not_confirmed',
] as const;
export type GlobalReplyKey = (typeof GLOBAL_REPLY_KEYS)[number];

export const GlobalRepliesSchema = z.strictObject({
  description: z.string().optional(),
  languages: z.array(z.string().min(2)).min(1),
  replies: z.strictObject(
    Object.fromEntries(GLOBAL_REPLY_KEYS.map((key) => [key, Text])) as Record<GlobalReplyKey, typeof Text>,
  ),
});
export type GlobalReplies = z.infer<typeof GlobalRepliesSchema>;

/** A flow as the engine runs it: the definition plus the version a session pins to. */
export interface Flow extends FlowDefinition {
  flowVersion: string;
  file: string;
  startStep: string;
}

/** Every loaded version of every flow, plus the global replies. */
export interface FlowSet {
  /** flowId → flowVersion → flow */
  versions: Map<string, Map<string, Flow>>;
  /** flowId → the version new conversations start on */
  latest: Map<string, string>;
  globals: GlobalReplies;
}
