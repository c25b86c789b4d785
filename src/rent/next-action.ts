// The recommended next step for an account in arrears, as a declarative table read top to bottom:
// the first rule whose condition holds decides. Guards (Breathing Space, vulnerability, dispute, a
// debt-advice referral's pause, a kept arrangement, a pending benefit claim) come before the ladder, so a legal
// step is only ever recommended when thresholds are met and nothing blocks it; a person always decides
// (docs/rules.md#legal-steps). The notice named follows the tenure, the thresholds are weeks and pounds, and
// once a notice is served the legal stage decides what comes next (claim, warrant) instead of the texts.

import { formatDay } from './calendar-date.js';
import { NOTICE_WORDS, noticeFor, type LegalStage } from './legal.js';
import { formatPence } from './money.js';
import type { Policy } from './policy.js';
import type { Pence } from './types.js';

type NextAction =
  | 'none'
  | 'first_text'
  | 'second_text'
  | 'officer_call'
  | 'consider_nosp'
  | 'consider_section_8'
  | 'consider_notice_of_proceedings'
  | 'consider_claim'
  | 'consider_warrant';
type ArrangementState = 'none' | 'proposed' | 'active' | 'kept' | 'broken' | 'completed';
type BlockedBy =
  'breathing_space' | 'disputed' | 'vulnerable' | 'arrangement' | 'benefit_claim_pending' | 'referral_pause';

/** The legal stage as the rules need it (the latest stage an officer recorded). */
export interface LegalFacts {
  stage: LegalStage;
  earliestProceedingsDate: string | null;
  expiresOn: string | null;
  /** Suspended order only: its terms were broken. */
  orderBreached: boolean;
}

export interface NextActionInput {
  actionableArrearsPence: Pence;
  weeksInArrears: number;
  /** Automated arrears texts sent in the current arrears episode. */
  messagesSentThisEpisode: number;
  arrangementStatus: ArrangementState;
  breathingSpaceActive: boolean;
  vulnerable: boolean;
  /** Evidence for an HB/UC claim supplied and eligibility expected: blocks legal steps (docs/rules.md#benefit-claim-pending). */
  benefitClaimPending: boolean;
  disputed: boolean;
  /** Tenure decides which notice is named; absent reads as secure. */
  tenure?: string;
  /** The latest legal stage recorded, if any. */
  legal?: LegalFacts | null;
  /** A debt-advice referral's pause is running: arrears contact paused, no legal step meanwhile. */
  referralPauseActive?: boolean;
  /** Local date, for comparing with notice dates; needed when `legal` is given. */
  today?: string;
}

export interface NextActionDecision {
  action: NextAction;
  reason: string;
  blockedBy?: BlockedBy;
}

interface NextActionRule {
  id: string;
  when: (facts: NextActionInput, policy: Policy) => boolean;
  then: (facts: NextActionInput, policy: Policy) => NextActionDecision;
}

/** Texts in an episode before a person takes over (docs/rules.md#contact-window caps automated messages per episode). */
const TEXTS_BEFORE_OFFICER = 2;

const legalThresholdMet = (f: NextActionInput, p: Policy) =>
  f.weeksInArrears >= p.arrears.legal_consider_nosp_weeks &&
  f.actionableArrearsPence >= p.legal.consider_notice_min_pence &&
  f.messagesSentThisEpisode >= TEXTS_BEFORE_OFFICER;

/** A notice is in force: served, its earliest date not yet lapsed. Later stages are with the court. */
const noticeInForce = (f: NextActionInput) =>
  f.legal?.stage === 'notice_served' &&
  (f.legal.expiresOn === null || f.today === undefined || f.today <= f.legal.expiresOn);
const withCourt = (f: NextActionInput) =>
  f.legal != null && f.legal.stage !== 'notice_served' && f.legal.stage !== 'evicted';

const NOTICE_ACTION = {
  nosp: 'consider_nosp',
  section_8: 'consider_section_8',
  notice_of_proceedings: 'consider_notice_of_proceedings',
} as const;

function considerNotice(f: NextActionInput, p: Policy): NextActionDecision {
  const notice = noticeFor(f.tenure ?? 'secure');
  const why =
    `${f.weeksInArrears} weeks behind (threshold ${p.arrears.legal_consider_nosp_weeks}), ${formatPence(f.actionableArrearsPence)} ` +
    `(threshold ${formatPence(p.legal.consider_notice_min_pence)}) after ${f.messagesSentThisEpisode} texts with no arrangement`;
  if (notice === null) {
    return {
      action: 'officer_call',
      reason: `${why}: this tenure has no notice Rentline models; an officer decides the next step`,
    };
  }
  const lapsed =
    f.legal?.stage === 'notice_served' && f.legal.expiresOn
      ? ` (the last notice lapsed on ${formatDay(f.legal.expiresOn)})`
      : '';
  return {
    action: NOTICE_ACTION[notice],
    reason: `${why}${lapsed}: an officer may consider a ${NOTICE_WORDS[notice]}; a person decides`,
  };
}

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
    when: (f) => f.referralPauseActive === true,
    then: () => ({
      action: 'none',
      reason:
        'Referred for free debt advice: arrears contact is paused and no legal step is recommended until the pause ends',
      blockedBy: 'referral_pause',
    }),
  },
  {
    id: 'evicted',
    when: (f) => f.legal?.stage === 'evicted',
    then: () => ({
      action: 'none',
      reason: 'Possession was recovered: the tenancy has ended and what is owed is a former-tenant debt',
    }),
  },
  {
    id: 'arrangement_in_place',
    when: (f) =>
      f.arrangementStatus === 'active' || f.arrangementStatus === 'kept' || f.arrangementStatus === 'proposed',
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
    when: (f, p) => (legalThresholdMet(f, p) || noticeInForce(f) || withCourt(f)) && f.benefitClaimPending,
    then: (f) => ({
      action: 'officer_call',
      reason: `${f.weeksInArrears} weeks behind, but a benefit claim is pending: help with the claim, no legal step`,
      blockedBy: 'benefit_claim_pending',
    }),
  },
  {
    id: 'order_breached',
    when: (f) => (f.legal?.stage === 'order_suspended' && f.legal.orderBreached) || f.legal?.stage === 'order_outright',
    then: (f) => ({
      action: 'consider_warrant',
      reason:
        f.legal?.stage === 'order_outright'
          ? 'An outright possession order was made: an officer may consider applying for a warrant; a person decides'
          : 'The terms of the suspended possession order were broken: an officer may consider applying for a warrant; a person decides',
    }),
  },
  {
    id: 'order_kept',
    when: (f) => f.legal?.stage === 'order_suspended',
    then: () => ({ action: 'none', reason: 'A suspended possession order is in place and its terms are being kept' }),
  },
  {
    id: 'with_court',
    when: withCourt,
    then: (f) => ({
      action: 'officer_call',
      reason:
        f.legal?.stage === 'warrant'
          ? 'A warrant is out: an officer keeps in contact with the tenant before the bailiffs attend'
          : 'The claim is with the court: an officer keeps in contact and prepares for the hearing',
    }),
  },
  {
    id: 'notice_period_running',
    when: (f) =>
      noticeInForce(f) &&
      f.legal?.earliestProceedingsDate != null &&
      f.today !== undefined &&
      f.today < f.legal.earliestProceedingsDate,
    then: (f) => ({
      action: 'officer_call',
      reason: `A notice is served: keep trying to make contact; proceedings cannot begin before ${f.legal?.earliestProceedingsDate ? formatDay(f.legal.earliestProceedingsDate) : 'the date in the notice'}`,
    }),
  },
  {
    id: 'consider_claim',
    when: (f, p) => noticeInForce(f) && f.actionableArrearsPence >= p.arrears.threshold_pence,
    then: (f) => ({
      action: 'consider_claim',
      reason:
        `The notice period is over and ${formatPence(f.actionableArrearsPence)} is still owed` +
        (f.legal?.expiresOn ? ` (the notice lapses after ${formatDay(f.legal.expiresOn)})` : '') +
        ': an officer may consider issuing a possession claim; a person decides',
    }),
  },
  {
    id: 'consider_notice',
    when: legalThresholdMet,
    then: considerNotice,
  },
  {
    id: 'first_text',
    when: (f) => f.messagesSentThisEpisode === 0,
    then: (f) => ({
      action: 'first_text',
      reason: `${formatPence(f.actionableArrearsPence)} behind and not contacted yet this episode`,
    }),
  },
  {
    id: 'second_text',
    when: (f) => f.messagesSentThisEpisode < TEXTS_BEFORE_OFFICER,
    then: () => ({ action: 'second_text', reason: 'No arrangement after the first text' }),
  },
  {
    id: 'officer_call',
    when: () => true,
    then: (f) => ({
      action: 'officer_call',
      reason: `No arrangement after ${f.messagesSentThisEpisode} texts: an officer should call`,
    }),
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

/** The rules' view of an arrangement's status: offers waiting count as proposed; referred or declined as none. */
export function arrangementStateOf(status: string | null | undefined): ArrangementState {
  switch (status) {
    case 'proposed':
    case 'countered':
      return 'proposed';
    case 'active':
    case 'kept':
    case 'broken':
    case 'completed':
      return status;
    default:
      return 'none';
  }
}
