// The officers' worklist: for each running tenancy, the one thing a person should do next and why, ranked
// (docs/rules.md, "Worklist"): urgent hand-offs first (crisis, a person asked for, "I've already paid"),
// then overdue tasks, then tasks due, then actionable arrears in weeks of rent, deepest first. Held
// accounts that need a person's early contact, broken arrangements and court orders, Breathing Space
// ending within 7 days and notices nearing expiry are on it too. Pure: the facts come in, one item goes out.

import { addDays, formatDay } from './calendar-date.js';
import { NOTICE_WORDS, type Notice } from './legal.js';
import { formatPence } from './money.js';
import { nextAction, type LegalFacts, type NextActionInput } from './next-action.js';
import type { Policy } from './policy.js';

export const PRIORITY = { urgent: 1, overdue: 2, due: 3, arrears: 4 } as const;
type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

export interface WorkItem {
  tenantNo: number;
  action: string;
  reason: string;
  priority: Priority;
  /** Tenths of a week of actionable arrears (arrears items only; 0 otherwise): deeper ranks first. */
  depth: number;
  since: Date;
}

export interface PendingEscalation {
  tenantNo: number;
  reason: string;
  urgency: 'normal' | 'urgent';
  createdAt: Date;
  /** An urgent hand-off nobody picked up within 4 working hours was raised again, marked overdue, at this time. */
  overdueAt?: Date | null;
}

/** Why automated contact cannot reach a tenant: a person has to make it. */
export type HoldKind =
  'vulnerable' | 'breathing_space' | 'do_not_contact' | 'opted_out' | 'not_textable' | 'disputed' | 'crisis';

export interface WorkFacts {
  now: Date;
  today: string;
  leadTenantNo: number;
  actionableArrearsPence: number;
  weeksInArrears: number;
  /** When the open arrears episode began; null when there is none. */
  arrearsSince: Date | null;
  escalations: readonly PendingEscalation[];
  /** The latest arrangement, if any. */
  arrangement: { status: string; tenantNo: number; warningDeadline: string | null; changedAt: Date } | null;
  holds: readonly { kind: HoldKind; tenantNo: number }[];
  /** Breathing Space end dates known for tenants of the tenancy. */
  breathingSpaceEnds: readonly { tenantNo: number; end: string; start: string }[];
  legal: (LegalFacts & { notice: Notice | null; recordedAt: Date }) | null;
  /** The latest call, visit, letter or email an officer logged. */
  lastOfficerContactAt: Date | null;
  /** The tenancy's crisis hold (a crisis hand-off not yet resolved by an officer, even once decided), if any. */
  openCrisis?: { tenantNo: number; since: Date } | null;
  /** Everything else the next-action rules read (tenure, texts sent, guards). */
  nextAction: Omit<NextActionInput, 'actionableArrearsPence' | 'weeksInArrears' | 'legal' | 'today'>;
}

/** A waiting hand-off becomes overdue after this long; the arrears ladder rests this long after a logged contact. */
const OVERDUE_AFTER_HOURS = 48;
const CONTACT_RESTS_DAYS = 7;
const BREATHING_SPACE_WARNING_DAYS = 7;

const URGENT_REASONS: Record<string, string> = {
  crisis: 'respond_to_crisis',
  human_requested: 'call_tenant',
  already_paid: 'check_payment',
};

const TASK_ACTIONS: Record<string, string> = {
  offer: 'decide_offer',
  counter_reply: 'decide_offer',
  arrangement_broken: 'follow_up_broken_arrangement',
  held_contact: 'make_early_contact',
  suspended_order_breached: 'review_order_breach',
  // A tenant who needs things explained (language, understanding) or who has lost income: a person calls.
  language_support: 'call_tenant',
  hardship: 'assess_affordability',
};

const ESCALATION_WORDS: Record<string, string> = {
  crisis: 'Crisis words in a text',
  human_requested: 'Asked to speak to a person',
  already_paid: 'Says they have already paid',
  offer: 'A repayment offer waits for a decision',
  counter_reply: 'A reply to a counter-offer waits',
  arrangement_broken: 'The arrangement was broken',
  held_contact: 'Held from automated contact while in arrears',
  suspended_order_breached: 'The suspended order terms were broken',
  language_support: 'Needs the account explained (language or understanding)',
  hardship: 'Hardship (lost income, benefits late or stopped): needs help with what they can afford',
};

const HOLD_WORDS: Record<HoldKind, string> = {
  vulnerable: 'flagged vulnerable',
  breathing_space: 'in Breathing Space',
  do_not_contact: 'marked do not contact',
  opted_out: 'opted out of texts',
  not_textable: 'no textable mobile',
  disputed: 'disputes the balance',
  crisis: 'an open crisis hand-off',
};

const DAY_MS = 86_400_000;

function hoursSince(at: Date, now: Date): number {
  return (now.getTime() - at.getTime()) / 3_600_000;
}

function waited(at: Date, now: Date): string {
  const hours = Math.floor(hoursSince(at, now));
  return hours < 48 ? `waiting ${hours} hour${hours === 1 ? '' : 's'}` : `waiting ${Math.floor(hours / 24)} days`;
}

/** Orders items most urgent first: priority, then deeper arrears, then waiting longest. */
export function compareWorkItems(
  a: Pick<WorkItem, 'priority' | 'depth' | 'since'>,
  b: Pick<WorkItem, 'priority' | 'depth' | 'since'>,
): number {
  return a.priority - b.priority || b.depth - a.depth || a.since.getTime() - b.since.getTime();
}

function escalationItems(f: WorkFacts): WorkItem[] {
  return f.escalations.map((e) => {
    const words = ESCALATION_WORDS[e.reason] ?? `Hand-off: ${e.reason.replaceAll('_', ' ')}`;
    const urgentAction = URGENT_REASONS[e.reason];
    if (urgentAction || e.urgency === 'urgent') {
      // Raised again when nobody picked it up within 4 working hours: still urgent, and it says so.
      const overdue = e.overdueAt ? 'overdue (not picked up within 4 working hours), ' : '';
      return {
        tenantNo: e.tenantNo,
        action: urgentAction ?? 'review_handoff',
        reason: `${words}: urgent, ${overdue}${waited(e.createdAt, f.now)}`,
        priority: PRIORITY.urgent,
        depth: 0,
        since: e.createdAt,
      };
    }
    const overdue = hoursSince(e.createdAt, f.now) >= OVERDUE_AFTER_HOURS;
    return {
      tenantNo: e.tenantNo,
      action: TASK_ACTIONS[e.reason] ?? 'review_handoff',
      reason: `${words}: ${overdue ? 'overdue, ' : ''}${waited(e.createdAt, f.now)}`,
      priority: overdue ? PRIORITY.overdue : PRIORITY.due,
      depth: 0,
      since: e.createdAt,
    };
  });
}

function caseItems(f: WorkFacts, policy: Policy): WorkItem[] {
  const items: WorkItem[] = [];
  const a = f.arrangement;
  if (a?.status === 'broken' && f.actionableArrearsPence > 0) {
    const passed = a.warningDeadline !== null && a.warningDeadline < f.today;
    items.push({
      tenantNo: a.tenantNo,
      action: 'follow_up_broken_arrangement',
      reason: a.warningDeadline
        ? `Arrangement broken; the warning deadline ${passed ? 'passed on' : 'is'} ${formatDay(a.warningDeadline, f.today)}`
        : 'Arrangement broken: a warning with a clear deadline comes first, never a legal step',
      priority: passed ? PRIORITY.overdue : PRIORITY.due,
      depth: 0,
      since: a.changedAt,
    });
  }
  // A crisis hold outlives its hand-off's decision: until an officer resolves it, nothing automated goes.
  if (f.openCrisis) {
    items.push({
      tenantNo: f.openCrisis.tenantNo,
      action: 'resolve_crisis',
      reason: 'A crisis hold is open: no automated texts to any tenant until an officer resolves it',
      priority: PRIORITY.due,
      depth: 0,
      since: f.openCrisis.since,
    });
  }
  const legal = f.legal;
  if (legal?.stage === 'order_suspended' && legal.orderBreached) {
    items.push({
      tenantNo: f.leadTenantNo,
      action: 'review_order_breach',
      reason: 'The terms of the suspended possession order were broken: a person decides what happens next',
      priority: PRIORITY.overdue,
      depth: 0,
      since: legal.recordedAt,
    });
  }
  if (legal?.stage === 'order_outright') {
    items.push({
      tenantNo: f.leadTenantNo,
      action: 'review_outright_order',
      reason: 'An outright possession order was made: a person decides whether to apply for a warrant',
      priority: PRIORITY.due,
      depth: 0,
      since: legal.recordedAt,
    });
  }
  if (legal?.stage === 'notice_served' && legal.expiresOn !== null && legal.expiresOn >= f.today) {
    const warnFrom = addDays(legal.expiresOn, -policy.legal.notice_expiry_warning_days);
    if (f.today >= warnFrom) {
      const name = legal.notice ? NOTICE_WORDS[legal.notice] : 'notice';
      items.push({
        tenantNo: f.leadTenantNo,
        action: 'review_notice_expiry',
        reason: `The ${name} lapses on ${formatDay(legal.expiresOn, f.today)}: issue a claim before then or let it lapse`,
        priority: PRIORITY.due,
        depth: 0,
        since: legal.recordedAt,
      });
    }
  }
  for (const space of f.breathingSpaceEnds) {
    if (space.start <= f.today && space.end >= f.today && space.end <= addDays(f.today, BREATHING_SPACE_WARNING_DAYS)) {
      items.push({
        tenantNo: space.tenantNo,
        action: 'plan_breathing_space_end',
        reason: `Breathing Space ends on ${formatDay(space.end, f.today)}: check the end notice before any arrears contact resumes`,
        priority: PRIORITY.due,
        depth: 0,
        since: new Date(Date.parse(`${space.end}T00:00:00Z`) - BREATHING_SPACE_WARNING_DAYS * DAY_MS),
      });
    }
  }
  return items;
}

function arrearsItems(f: WorkFacts, policy: Policy): WorkItem[] {
  if (f.actionableArrearsPence < policy.arrears.threshold_pence) return [];
  const since = f.arrearsSince ?? f.now;
  const depth = Math.round(f.weeksInArrears * 10);
  const behind = `${f.weeksInArrears} weeks (${formatPence(f.actionableArrearsPence)}) behind`;
  const contactedSince = (at: Date) => f.lastOfficerContactAt !== null && f.lastOfficerContactAt >= at;
  const items: WorkItem[] = [];
  // A held account: once per arrears episode a person makes the early contact automation cannot.
  const [hold] = f.holds;
  // Before the sweep has opened an episode, a contact in the last few days counts as this episode's.
  const episodeStart = f.arrearsSince ?? new Date(f.now.getTime() - CONTACT_RESTS_DAYS * DAY_MS);
  if (hold && !contactedSince(episodeStart)) {
    const kinds = [...new Set(f.holds.map((h) => HOLD_WORDS[h.kind]))].join(', ');
    items.push({
      tenantNo: hold.tenantNo,
      action: 'make_early_contact',
      reason: `${behind} and held from automated contact (${kinds}): a person makes the early contact`,
      priority: PRIORITY.arrears,
      depth,
      since,
    });
  }
  const decision = nextAction(
    {
      ...f.nextAction,
      actionableArrearsPence: f.actionableArrearsPence,
      weeksInArrears: f.weeksInArrears,
      legal: f.legal,
      today: f.today,
    },
    policy,
  );
  const restsAfterContact = new Date(f.now.getTime() - CONTACT_RESTS_DAYS * DAY_MS);
  if (decision.action === 'officer_call' && !contactedSince(restsAfterContact) && !decision.blockedBy) {
    items.push({
      tenantNo: f.leadTenantNo,
      action: 'call_tenant',
      reason: `${behind}: ${decision.reason}`,
      priority: PRIORITY.arrears,
      depth,
      since,
    });
  } else if (decision.action.startsWith('consider_')) {
    items.push({
      tenantNo: f.leadTenantNo,
      action: decision.action,
      reason: `${behind}: ${decision.reason}`,
      priority: PRIORITY.arrears,
      depth,
      since,
    });
  }
  return items;
}

/** The one item for this tenancy (the most urgent of what applies), or null when nobody needs to act. */
export function workItemFor(facts: WorkFacts, policy: Policy): WorkItem | null {
  const candidates = [...escalationItems(facts), ...caseItems(facts, policy), ...arrearsItems(facts, policy)];
  return candidates.sort(compareWorkItems)[0] ?? null;
}
