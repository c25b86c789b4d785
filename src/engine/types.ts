// The flow engine's public vocabulary: what the shell hands in (context, inputs, sessions) and what the
// engine hands back (effects). The engine never performs an effect itself; the shell applies them in one
// transaction, which is what keeps conversations testable with golden transcripts.
import type { AffordabilityAnswers, AffordabilityAssessment } from '../rent/affordability.js';
import type { Policy } from '../rent/policy.js';
import type { FlowEscalationReason } from './flow-schema.js';
import { RENT_FREQUENCIES, type Channel, type RentFrequency } from '../rent/types.js';

export type { Channel };
/** How often a tenant offers to pay: the rent frequencies (src/rent/types.ts). */
export type Frequency = RentFrequency;
export const FREQUENCIES = RENT_FREQUENCIES;

/** Everything a flow may read. The shell builds it from the database for every call. */
export interface ConversationContext {
  now: Date;
  timeZone: string;
  language: string;
  channel: Channel;
  tenancyRef: string;
  tenant: { firstName: string; dateOfBirth: string | null; postcode: string | null };
  account: {
    balancePence: number;
    arrearsPence: number;
    weeklyRentPence: number;
    nextDueDate: string | null;
    /** The tenant's own latest payment into the rent account (BALANCE); undefined when the shell did not load it. */
    lastPayment?: { date: string; pence: number } | null;
    /** The rent account over the last weeks (STATEMENT); undefined when the shell did not load it. */
    statement?: RentSummary;
    /** How often the tenant pays rent: the affordability check suggests an instalment in it (weekly when unknown). */
    rentFrequency?: Frequency;
  };
  policy: Policy;
  /** The tenant wrote to us within the last 24 hours, so free-form WhatsApp messages are allowed. */
  whatsappWindowOpen: boolean;
}

/** A short rent statement: what fell due and what was paid over `weeks` weeks from `fromDate`, and the balance now. */
export interface RentSummary {
  weeks: number;
  /** Local 'YYYY-MM-DD', the first day the summary covers. */
  fromDate: string;
  /** Rent and charges that fell due on the rent account in the period. */
  duePence: number;
  /** Payments and benefit credits to the rent account in the period (positive). */
  paidPence: number;
  balancePence: number;
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

export type { FlowEscalationReason };

/** Evidence the shell writes to the contact log as it is (benefit help offered, a rent statement sent). */
type LoggedEvent = { event: 'benefit_help_offered' } | { event: 'rent_statement_sent'; weeks: number; from: string };

export interface RecordedOffer extends OfferTerms {
  reason: string | null;
  raw: string;
}

export type Effect =
  | { type: 'send'; text: string; templateKey?: string; templateVariables?: Record<string, string> }
  /** `kind` says which crisis reply was sent (self_harm, domestic_abuse, bereavement_illness). */
  | { type: 'escalate'; urgency: 'normal' | 'urgent'; reason: FlowEscalationReason; summary: string; kind?: string }
  | { type: 'log'; entry: LoggedEvent }
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
