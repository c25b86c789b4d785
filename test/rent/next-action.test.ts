// Table tests for the next-action rules: the ladder, and every guard that pauses it or blocks legal steps.
import { describe, expect, it } from 'vitest';
import type { NextActionInput } from '../../src/rent/next-action.js';
import { NEXT_ACTION_RULES, nextAction } from '../../src/rent/next-action.js';
import { DEFAULT_POLICY } from '../support/policy.js';

// 9 weeks behind at £100 a week after two texts: past the default 8-week legal threshold.
const deepArrears: NextActionInput = {
  actionableArrearsPence: 90000,
  weeksInArrears: 9,
  messagesSentThisEpisode: 2,
  arrangementStatus: 'none',
  breathingSpaceActive: false,
  vulnerable: false,
  benefitClaimPending: false,
  disputed: false,
};

describe('nextAction', () => {
  it.each([
    ['arrears below the £10.00 threshold', { actionableArrearsPence: 999, weeksInArrears: 0.1 }, 'none', undefined],
    ['no texts yet this episode', { weeksInArrears: 2, messagesSentThisEpisode: 0 }, 'first_text', undefined],
    ['one text sent', { weeksInArrears: 2, messagesSentThisEpisode: 1 }, 'second_text', undefined],
    ['two texts sent, under the legal threshold', { weeksInArrears: 7.9 }, 'officer_call', undefined],
    ['two texts sent, at the legal threshold', { weeksInArrears: 8 }, 'consider_nosp', undefined],
    ['past the legal threshold but never texted', { messagesSentThisEpisode: 0 }, 'first_text', undefined],
    ['Breathing Space', { breathingSpaceActive: true }, 'none', 'breathing_space'],
    ['a disputed balance', { disputed: true }, 'officer_call', 'disputed'],
    ['a vulnerable tenant', { vulnerable: true }, 'officer_call', 'vulnerable'],
    [
      'a debt-advice referral pausing contact (no legal step meanwhile)',
      { referralPauseActive: true },
      'none',
      'referral_pause',
    ],
    ['a kept arrangement', { arrangementStatus: 'kept' }, 'none', 'arrangement'],
    ['an active arrangement', { arrangementStatus: 'active' }, 'none', 'arrangement'],
    ['an offer awaiting an officer', { arrangementStatus: 'proposed' }, 'none', 'arrangement'],
    [
      'a broken arrangement (warning first, never a legal step)',
      { arrangementStatus: 'broken' },
      'officer_call',
      undefined,
    ],
    ['a pending benefit claim', { benefitClaimPending: true }, 'officer_call', 'benefit_claim_pending'],
    [
      'a pending benefit claim early on (texts still go)',
      { benefitClaimPending: true, messagesSentThisEpisode: 0 },
      'first_text',
      undefined,
    ],
    [
      'a completed arrangement and new arrears',
      { arrangementStatus: 'completed', messagesSentThisEpisode: 0 },
      'first_text',
      undefined,
    ],
    [
      'Breathing Space and a dispute (Breathing Space wins)',
      { breathingSpaceActive: true, disputed: true },
      'none',
      'breathing_space',
    ],
    [
      '8 weeks behind but under the £300 threshold (low rent)',
      { weeksInArrears: 9, actionableArrearsPence: 29_999 },
      'officer_call',
      undefined,
    ],
    ['a debt-advice referral pause', { referralPauseActive: true }, 'none', 'referral_pause'],
    ['an assured tenancy', { tenure: 'assured' }, 'consider_section_8', undefined],
    ['an assured shorthold tenancy', { tenure: 'assured_shorthold' }, 'consider_section_8', undefined],
    ['a flexible tenancy', { tenure: 'flexible' }, 'consider_nosp', undefined],
    ['an introductory tenancy', { tenure: 'introductory' }, 'consider_notice_of_proceedings', undefined],
    ['a licence (no notice modelled)', { tenure: 'licence' }, 'officer_call', undefined],
    [
      'a notice served, its period still running',
      {
        today: '2026-11-20',
        legal: {
          stage: 'notice_served',
          earliestProceedingsDate: '2026-12-06',
          expiresOn: '2027-12-06',
          orderBreached: false,
        },
      },
      'officer_call',
      undefined,
    ],
    [
      'a notice served, its period over',
      {
        today: '2026-12-07',
        legal: {
          stage: 'notice_served',
          earliestProceedingsDate: '2026-12-06',
          expiresOn: '2027-12-06',
          orderBreached: false,
        },
      },
      'consider_claim',
      undefined,
    ],
    [
      'a notice served and lapsed',
      {
        today: '2027-12-07',
        legal: {
          stage: 'notice_served',
          earliestProceedingsDate: '2026-12-06',
          expiresOn: '2027-12-06',
          orderBreached: false,
        },
      },
      'consider_nosp',
      undefined,
    ],
    [
      'a notice in force but a benefit claim pending',
      {
        benefitClaimPending: true,
        today: '2026-12-07',
        legal: {
          stage: 'notice_served',
          earliestProceedingsDate: '2026-12-06',
          expiresOn: '2027-12-06',
          orderBreached: false,
        },
      },
      'officer_call',
      'benefit_claim_pending',
    ],
    [
      'a claim issued',
      { legal: { stage: 'claim_issued', earliestProceedingsDate: null, expiresOn: null, orderBreached: false } },
      'officer_call',
      undefined,
    ],
    [
      'a suspended order being kept',
      { legal: { stage: 'order_suspended', earliestProceedingsDate: null, expiresOn: null, orderBreached: false } },
      'none',
      undefined,
    ],
    [
      'a suspended order broken',
      { legal: { stage: 'order_suspended', earliestProceedingsDate: null, expiresOn: null, orderBreached: true } },
      'consider_warrant',
      undefined,
    ],
    [
      'an outright order',
      { legal: { stage: 'order_outright', earliestProceedingsDate: null, expiresOn: null, orderBreached: false } },
      'consider_warrant',
      undefined,
    ],
    [
      'an eviction',
      { legal: { stage: 'evicted', earliestProceedingsDate: null, expiresOn: null, orderBreached: false } },
      'none',
      undefined,
    ],
  ] as const)('with %s recommends %s', (_what, overrides, action, blockedBy) => {
    const decision = nextAction({ ...deepArrears, ...overrides }, DEFAULT_POLICY);
    expect(decision.action).toBe(action);
    expect(decision.blockedBy).toBe(blockedBy);
  });

  it('never recommends a legal step while any guard applies', () => {
    const guards: Partial<NextActionInput>[] = [
      { breathingSpaceActive: true },
      { disputed: true },
      { vulnerable: true },
      { arrangementStatus: 'kept' },
      { arrangementStatus: 'broken' },
      { benefitClaimPending: true },
      { referralPauseActive: true },
    ];
    for (const guard of guards) {
      expect(nextAction({ ...deepArrears, weeksInArrears: 30, ...guard }, DEFAULT_POLICY).action).not.toMatch(
        /^consider_/,
      );
    }
  });

  it('explains a legal recommendation in words an officer can check, and says a person decides', () => {
    expect(nextAction(deepArrears, DEFAULT_POLICY)).toEqual({
      action: 'consider_nosp',
      rule: 'consider_notice',
      reason:
        '9 weeks behind (threshold 8), £900.00 (threshold £300.00) after 2 texts with no arrangement: an officer may consider a Notice of Seeking Possession; a person decides',
    });
  });

  it('names the amount when it is below the threshold', () => {
    expect(nextAction({ ...deepArrears, actionableArrearsPence: 500 }, DEFAULT_POLICY).reason).toBe(
      '£5.00 actionable arrears is below the £10.00 threshold',
    );
  });

  it('ends with a rule that always matches, so every account gets a decision', () => {
    expect(NEXT_ACTION_RULES.at(-1)?.when(deepArrears, DEFAULT_POLICY)).toBe(true);
  });

  it('never uses the word eviction', () => {
    for (const rule of NEXT_ACTION_RULES) expect(rule.then(deepArrears, DEFAULT_POLICY).reason).not.toMatch(/evict/i);
  });
});
