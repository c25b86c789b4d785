// Table tests for the next-action rules: the ladder, and every guard that pauses it or blocks legal steps.
import { describe, expect, it } from 'vitest';
import type { NextActionInput } from '../../src/rent/next-action.js';
import { NEXT_ACTION_RULES, nextAction } from '../../src/rent/next-action.js';
import { DEFAULT_POLICY } from '../../src/rent/policy.js';

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
    ['a debt-advice referral pausing contact (no legal step meanwhile)', { referralPaused: true }, 'none', 'referral_pause'],
    ['a kept arrangement', { arrangementStatus: 'kept' }, 'none', 'arrangement'],
    ['an active arrangement', { arrangementStatus: 'active' }, 'none', 'arrangement'],
    ['an offer awaiting an officer', { arrangementStatus: 'proposed' }, 'none', 'arrangement'],
    ['a broken arrangement (warning first, never a legal step)', { arrangementStatus: 'broken' }, 'officer_call', undefined],
    ['a pending benefit claim', { benefitClaimPending: true }, 'officer_call', 'benefit_claim_pending'],
    ['a pending benefit claim early on (texts still go)', { benefitClaimPending: true, messagesSentThisEpisode: 0 }, 'first_text', undefined],
    ['a completed arrangement and new arrears', { arrangementStatus: 'completed', messagesSentThisEpisode: 0 }, 'first_text', undefined],
    ['Breathing Space and a dispute (Breathing Space wins)', { breathingSpaceActive: true, disputed: true }, 'none', 'breathing_space'],
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
    ];
    for (const guard of guards) {
      expect(nextAction({ ...deepArrears, weeksInArrears: 30, ...guard }, DEFAULT_POLICY).action).not.toBe('consider_nosp');
    }
  });

  it('explains a legal recommendation in words an officer can check, and says a person decides', () => {
    expect(nextAction(deepArrears, DEFAULT_POLICY)).toEqual({
      action: 'consider_nosp',
      rule: 'consider_nosp',
      reason:
        '9 weeks behind (threshold 8) after 2 texts with no arrangement: an officer may consider a Notice of Seeking Possession; a person decides',
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
