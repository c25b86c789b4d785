// The flow engine's public vocabulary: what the shell hands in (context, inputs, sessions) and what the
// engine hands back (effects). The engine never performs an effect itself; the shell applies them in one
// transaction, which is what keeps conversations testable with golden transcripts.
import type { AffordabilityAnswers, AffordabilityAssessment } from '../rent/affordability.js';
import type { Policy } from '../rent/policy.js';

export type Channel = 'sms' | 'whatsapp';
export type Frequency = 'weekly' | 'fortnightly' | 'four_weekly' | 'monthly';
export const FREQUENCIES: readonly Frequency[] = ['weekly', 'fortnightly', 'four_weekly', 'monthly'];

/** Everything a flow may read. The shell builds it from the database for every call. */
export interface ConversationContext {
  now: Date;
  timeZone: string;
  language: string;
  channel: Channel;
  tenancyRef: string;
  tenant: { firstName: string; dateOfBirth: string | null; postcode: string | null };
  account: {
    balancePence: number; arrearsPence: number; weeklyRentPence: number; nextDueDate: string | null;
    /** How often the tenant pays rent: the affordability check suggests an instalment in it (weekly when unknown). */
    rentFrequency?: Frequency;
  };
  policy: Policy;
  /** The tenant wrote to us within the last 24 hours, so free-form WhatsApp messages are allowed. */
  whatsappWindowOpen: boolean;
}

export interface OfferTerms {
  amountPence: number;
  frequency: Frequency;
  startDate: string;
}

export type Decision = 'accepted' | 'countered' | 'referred' | 'declined';

export type FlowInput =
  /** `vars` carries facts a flow declares under `needs:` (for example an instalment for a nudge). */
  | { kind: 'start'; vars?: Record<string, string | number> }
  | { kind: 'text'; text: string }
  | { kind: 'timeout'; timerId: string }
  | { kind: 'decision'; decision: Decision; offer?: OfferTerms; agencyId?: string; officerName?: string };

export type EscalationReason =
  | 'offer'
  | 'counter_reply'
  | 'crisis'
  | 'already_paid'
  | 'human_requested'
  | 'not_understood'
  | 'opt_out_request'
  | 'help_needed';

export interface RecordedOffer extends OfferTerms {
  reason: string | null;
  raw: string;
}

export type Effect =
  | { type: 'send'; text: string; templateKey?: string; templateVariables?: Record<string, string> }
  | { type: 'escalate'; urgency: 'normal' | 'urgent'; reason: EscalationReason; summary: string }
  | { type: 'record_offer'; offer: RecordedOffer }
  | { type: 'counter_accepted' }
  | { type: 'counter_declined'; newOffer?: RecordedOffer }
  | { type: 'opt_out' }
  | { type: 'opt_in' }
  /** "I've already paid": the shell freezes automation until an officer clears it. */
  | { type: 'dispute' }
  /** The tenant confirmed who they are, so amounts may be disclosed in this conversation. */
  | { type: 'verified' }
  /** A wait with a timeout; the shell stores it and later feeds `{ kind: 'timeout', timerId }`. */
  | { type: 'set_timer'; timerId: string; at: Date }
  | { type: 'end'; outcome: string }
  /** The tenant finished the affordability check: the shell records it (and links the offer that follows). */
  | { type: 'affordability_assessed'; answers: AffordabilityAnswers; assessment: AffordabilityAssessment };

export type SessionValue = string | number | boolean | null;

export interface Session {
  flowId: string;
  flowVersion: string;
  stepId: string;
  status: 'active' | 'ended';
  vars: Record<string, SessionValue>;
  /** Re-asks used at the current step; reset whenever the step changes. */
  reasks: number;
  timerId: string | null;
  startedAt: string;
  expiresAt: string;
  /** The steps entered, oldest first (at most the last 50), for officers and debugging. */
  history?: { stepId: string; at: string }[];
}
