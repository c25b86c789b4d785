// The recommended next step for an account in arrears, as a declarative table read top to bottom:
// the first rule whose condition holds decides. Guards (Breathing Space, vulnerability, dispute, a
// debt-advice referral's pause, a kept arrangement, a pending benefit claim) come before the ladder, so a legal step is only ever recommended
// when thresholds are met and nothing blocks it; a person always decides (DOMAIN R2.2-R2.4, R3.2).

import { formatPence } from './money.js';
import type { Policy } from './policy.js';
import type { Pence } from './types.js';

export type NextAction = 'none' | 'first_text' | 'second_text' | 'officer_call' | 'consider_nosp';
export type ArrangementState = 'none' | 'proposed' | 'active' | 'kept' | 'broken' | 'completed';
export type BlockedBy = 'breathing_space' | 'disputed' | 'vulnerable' | 'referral_pause' | 'arrangement' | 'benefit_claim_pending';

export interface NextActionInput {
  actionableArrearsPence: Pence;
  weeksInArrears: number;
  /** Automated arrears texts sent in the current arrears episode. */
  messagesSentThisEpisode: number;
  arrangementStatus: ArrangementState;
  breathingSpaceActive: boolean;
  vulnerable: boolean;
  /** Evidence for an HB/UC claim supplied and eligibility expected: blocks legal steps (R2.2). */
  benefitClaimPending: boolean;
  disputed: boolean;
  /** A debt-advice referral's contact pause is running: no legal step is recommended meanwhile. */
  referralPaused?: boolean;
}

export interface NextActionDecision {
  action: NextAction;
  reason: string;
  blockedBy?: BlockedBy;
}

export interface NextActionRule {
  id: string;
  when: (facts: NextActionInput, policy: Policy) => boolean;
  then: (facts: NextActionInput, policy: Policy) => NextActionDecision;
}

/** Texts in an episode before a person takes over (DOMAIN §6.2 caps automated messages per episode). */
export const TEXTS_BEFORE_OFFICER = 2;

const legalThresholdMet = (f: NextActionInput, p: Policy) =>
  f.weeksInArrears >= p.arrears.legal_consider_nosp_weeks && f.messagesSentThisEpisode >= TEXTS_BEFORE_OFFICER;

export const NEXT_ACTION_RULES: readonly NextActionRule[] = [
  {
    id: 'below_threshold',
    when: (f, p) => f.actionableArrearsPence < p.arrears.threshold_pence,
    then: (f, p) => ({
      action: 'none',
      reason: `${formatPence(f.actionableArrearsPence)} actionable arrears is below the ${formatPence(p.arrears.threshold_pence)} threshold`,
    }),
  },
  {
    id: 'breathing_space',
    when: (f) => f.breathingSpaceActive,
    then: () => ({
      action: 'none',
      reason: 'Breathing Space is active: no contact or legal step about these arrears',
      blockedBy: 'breathing_space',
    }),
  },
  {
    id: 'disputed',
    when: (f) => f.disputed,
    then: () => ({
      action: 'officer_call',
      reason: 'The tenant disputes the balance: an officer checks it before anything else happens',
      blockedBy: 'disputed',
    }),
  },
  {
    id: 'vulnerable',
    when: (f) => f.vulnerable,
    then: () => ({
      action: 'officer_call',
      reason: 'Flagged vulnerable: no automated texts, an officer makes contact instead',
      blockedBy: 'vulnerable',
    }),
  },
  {
    id: 'referral_pause',
    when: (f) => f.referralPaused === true,
    then: () => ({
      action: 'none',
      reason: 'Referred for free debt advice: arrears contact is paused and no legal step is recommended until the pause ends',
      blockedBy: 'referral_pause',
    }),
  },
  {
    id: 'arrangement_in_place',
    when: (f) => f.arrangementStatus === 'active' || f.arrangementStatus === 'kept' || f.arrangementStatus === 'proposed',
    then: (f) => ({
      action: 'none',
      reason:
        f.arrangementStatus === 'proposed'
          ? 'An offer is waiting for an officer: no further chasing meanwhile'
          : 'An arrangement is being kept: the arrears process stays paused',
      blockedBy: 'arrangement',
    }),
  },
  {
    id: 'arrangement_broken',
    when: (f) => f.arrangementStatus === 'broken',
    then: () => ({
      action: 'officer_call',
      reason: 'The arrangement is broken: an officer sends a warning with a clear deadline first, not a legal step',
    }),
  },
  {
    id: 'legal_blocked_by_benefit_claim',
    when: (f, p) => legalThresholdMet(f, p) && f.benefitClaimPending,
    then: (f) => ({
      action: 'officer_call',
      reason: `${f.weeksInArrears} weeks behind, but a benefit claim is pending: help with the claim, no legal step`,
      blockedBy: 'benefit_claim_pending',
    }),
  },
  {
    id: 'consider_nosp',
    when: legalThresholdMet,
    then: (f, p) => ({
      action: 'consider_nosp',
      reason: `${f.weeksInArrears} weeks behind (threshold ${p.arrears.legal_consider_nosp_weeks}) after ${f.messagesSentThisEpisode} texts with no arrangement: an officer may consider a Notice of Seeking Possession; a person decides`,
    }),
  },
  {
    id: 'first_text',
    when: (f) => f.messagesSentThisEpisode === 0,
    then: (f) => ({ action: 'first_text', reason: `${formatPence(f.actionableArrearsPence)} behind and not contacted yet this episode` }),
  },
  {
    id: 'second_text',
    when: (f) => f.messagesSentThisEpisode < TEXTS_BEFORE_OFFICER,
    then: () => ({ action: 'second_text', reason: 'No arrangement after the first text' }),
  },
  {
    id: 'officer_call',
    when: () => true,
    then: (f) => ({ action: 'officer_call', reason: `No arrangement after ${f.messagesSentThisEpisode} texts: an officer should call` }),
  },
];

/** The first matching rule's decision, with the id of the rule that made it. */
export function nextAction(facts: NextActionInput, policy: Policy): NextActionDecision & { rule: string } {
  for (const rule of NEXT_ACTION_RULES) {
    if (rule.when(facts, policy)) return { ...rule.then(facts, policy), rule: rule.id };
  }
  // The last rule always matches; this keeps the type checker honest.
  throw new Error('No next-action rule matched');
}
