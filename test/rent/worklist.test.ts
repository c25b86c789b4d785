// Table tests for the worklist rule: which one action each case gets and how cases rank against each other.
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../support/policy.js';
import { PRIORITY, compareWorkItems, workItemFor, type WorkFacts, type WorkItem } from '../../src/rent/worklist.js';

const now = new Date('2026-11-25T10:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const episode = new Date('2026-10-01T09:00:00Z');

// £100 a week; 5 weeks behind after two texts: an officer should call (below the 8-week legal threshold).
const base: WorkFacts = {
  now,
  today: '2026-11-25',
  leadTenantNo: 1,
  actionableArrearsPence: 50_000,
  weeksInArrears: 5,
  arrearsSince: episode,
  escalations: [],
  arrangement: null,
  holds: [],
  breathingSpaceEnds: [],
  legal: null,
  lastOfficerContactAt: null,
  nextAction: {
    messagesSentThisEpisode: 2,
    arrangementStatus: 'none',
    breathingSpaceActive: false,
    vulnerable: false,
    benefitClaimPending: false,
    disputed: false,
    tenure: 'secure',
  },
};
const esc = (reason: string, urgency: 'normal' | 'urgent', ageHours: number, tenantNo = 1) => ({
  tenantNo,
  reason,
  urgency,
  createdAt: hoursAgo(ageHours),
});
const legal = (over: Partial<NonNullable<WorkFacts['legal']>>) => ({
  stage: 'notice_served' as const,
  notice: 'nosp' as const,
  earliestProceedingsDate: '2026-06-07',
  expiresOn: '2027-06-07',
  orderBreached: false,
  recordedAt: hoursAgo(24 * 200),
  ...over,
});

describe('workItemFor', () => {
  it.each<[string, Partial<WorkFacts>, { action: string; priority: number; tenantNo?: number } | null]>([
    [
      'a crisis hand-off, even with deep arrears',
      { weeksInArrears: 20, actionableArrearsPence: 200_000, escalations: [esc('crisis', 'urgent', 1)] },
      { action: 'respond_to_crisis', priority: PRIORITY.urgent },
    ],
    [
      'a tenant who asked for a person',
      { escalations: [esc('human_requested', 'normal', 1, 2)] },
      { action: 'call_tenant', priority: PRIORITY.urgent, tenantNo: 2 },
    ],
    [
      '"I have already paid"',
      { escalations: [esc('already_paid', 'normal', 3)] },
      { action: 'check_payment', priority: PRIORITY.urgent },
    ],
    [
      'an offer waiting an hour',
      { escalations: [esc('offer', 'normal', 1)] },
      { action: 'decide_offer', priority: PRIORITY.due },
    ],
    [
      'an offer waiting three days (overdue)',
      { escalations: [esc('offer', 'normal', 72)] },
      { action: 'decide_offer', priority: PRIORITY.overdue },
    ],
    [
      'a held account raised by the sweep',
      { escalations: [esc('held_contact', 'normal', 2)] },
      { action: 'make_early_contact', priority: PRIORITY.due },
    ],
    [
      'a broken arrangement past its warning deadline',
      { arrangement: { status: 'broken', tenantNo: 1, warningDeadline: '2026-11-20', changedAt: hoursAgo(24 * 12) } },
      { action: 'follow_up_broken_arrangement', priority: PRIORITY.overdue },
    ],
    [
      'a broken arrangement inside its warning deadline',
      { arrangement: { status: 'broken', tenantNo: 1, warningDeadline: '2026-11-30', changedAt: hoursAgo(48) } },
      { action: 'follow_up_broken_arrangement', priority: PRIORITY.due },
    ],
    [
      'a suspended order whose terms were broken',
      { legal: legal({ stage: 'order_suspended', notice: null, orderBreached: true }) },
      { action: 'review_order_breach', priority: PRIORITY.overdue },
    ],
    [
      'an outright order',
      { legal: legal({ stage: 'order_outright' }) },
      { action: 'review_outright_order', priority: PRIORITY.due },
    ],
    [
      'a NOSP lapsing in 10 days',
      { legal: legal({ expiresOn: '2026-12-05' }) },
      { action: 'review_notice_expiry', priority: PRIORITY.due },
    ],
    [
      'a NOSP lapsing in 60 days (notice period over: consider a claim)',
      { legal: legal({ expiresOn: '2027-01-24' }) },
      { action: 'consider_claim', priority: PRIORITY.arrears },
    ],
    [
      'Breathing Space ending in 5 days',
      {
        breathingSpaceEnds: [{ tenantNo: 2, start: '2026-10-01', end: '2026-11-30' }],
        nextAction: { ...base.nextAction, breathingSpaceActive: true },
      },
      { action: 'plan_breathing_space_end', priority: PRIORITY.due, tenantNo: 2 },
    ],
    [
      'Breathing Space ending in 20 days, held and never contacted',
      {
        holds: [{ kind: 'breathing_space', tenantNo: 1 }],
        breathingSpaceEnds: [{ tenantNo: 1, start: '2026-10-01', end: '2026-12-15' }],
        nextAction: { ...base.nextAction, breathingSpaceActive: true },
      },
      { action: 'make_early_contact', priority: PRIORITY.arrears },
    ],
    [
      'a vulnerable tenant in arrears nobody has contacted',
      { holds: [{ kind: 'vulnerable', tenantNo: 1 }], nextAction: { ...base.nextAction, vulnerable: true } },
      { action: 'make_early_contact', priority: PRIORITY.arrears },
    ],
    [
      'a vulnerable tenant an officer has called this episode',
      {
        holds: [{ kind: 'vulnerable', tenantNo: 1 }],
        lastOfficerContactAt: hoursAgo(24 * 20),
        nextAction: { ...base.nextAction, vulnerable: true },
      },
      null,
    ],
    ['arrears after two texts: an officer calls', {}, { action: 'call_tenant', priority: PRIORITY.arrears }],
    ['arrears after two texts, an officer called 2 days ago', { lastOfficerContactAt: hoursAgo(48) }, null],
    [
      '9 weeks behind after two texts',
      { weeksInArrears: 9, actionableArrearsPence: 90_000 },
      { action: 'consider_nosp', priority: PRIORITY.arrears },
    ],
    [
      '9 weeks behind on an assured tenancy',
      { weeksInArrears: 9, actionableArrearsPence: 90_000, nextAction: { ...base.nextAction, tenure: 'assured' } },
      { action: 'consider_section_8', priority: PRIORITY.arrears },
    ],
    [
      'arrears with texts still to go (automation handles it)',
      { nextAction: { ...base.nextAction, messagesSentThisEpisode: 0 } },
      null,
    ],
    ['arrears with a kept arrangement', { nextAction: { ...base.nextAction, arrangementStatus: 'kept' } }, null],
    ['arrears under the threshold', { actionableArrearsPence: 900, weeksInArrears: 0.1 }, null],
  ])('%s', (_what, facts, expected) => {
    const item = workItemFor({ ...base, ...facts }, DEFAULT_POLICY);
    if (expected === null) expect(item).toBeNull();
    else expect(item).toMatchObject({ tenantNo: 1, ...expected });
  });

  it('gives arrears items their depth in tenths of a week and the episode start as since', () => {
    expect(workItemFor({ ...base, weeksInArrears: 9.3, actionableArrearsPence: 93_000 }, DEFAULT_POLICY)).toMatchObject(
      { depth: 93, since: episode },
    );
  });

  it('says why, in words an officer can act on', () => {
    expect(workItemFor({ ...base, escalations: [esc('offer', 'normal', 72)] }, DEFAULT_POLICY)?.reason).toBe(
      'A repayment offer waits for a decision: overdue, waiting 3 days',
    );
  });
});

describe('compareWorkItems', () => {
  const item = (name: string, priority: WorkItem['priority'], depth: number, ageHours: number) => ({
    name,
    priority,
    depth,
    since: hoursAgo(ageHours),
  });
  it('ranks urgent hand-offs, then overdue tasks, then tasks due, then arrears deepest first, ties oldest first', () => {
    const items = [
      item('arrears 4 weeks', 4, 40, 500),
      item('arrears 12 weeks', 4, 120, 10),
      item('arrears 12 weeks, older', 4, 120, 900),
      item('task due', 3, 0, 1),
      item('overdue task', 2, 0, 50),
      item('crisis, newer', 1, 0, 1),
      item('crisis, older', 1, 0, 5),
    ];
    expect([...items].sort(compareWorkItems).map((i) => i.name)).toEqual([
      'crisis, older',
      'crisis, newer',
      'overdue task',
      'task due',
      'arrears 12 weeks, older',
      'arrears 12 weeks',
      'arrears 4 weeks',
    ]);
  });
});
