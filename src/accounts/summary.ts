// The account summary: the figures a landlord checks against their housing system, each with a reason a
// person can read. Served by GET /api/tenancies/:ref and `rentline account <ref>`.
import { currentLegalStage, type LegalSummary } from '../casework/legal-stage.js';
import type { Queryable } from '../db/connect.js';
import { recommendNextAction } from './next-action-facts.js';
import { assessAccount } from '../rent/account.js';
import { loadHolds } from '../db/queries/holds.js';
import { holdsForDisplay, isBreathingSpaceActive, type HoldKind } from '../rent/holds.js';
import type { Policy } from '../rent/policy.js';
import { nextDueDate, weeklyEquivalentPence } from '../rent/schedule.js';
import type { RentSchedule } from '../rent/types.js';
import {
  dueDayOf,
  findLatestArrangement,
  findLedger,
  findTenancy,
  findTenants,
  type TenancyRow,
  type TenancyScheduleColumns,
  type TenantRow,
} from './queries.js';

export interface AccountSummary {
  tenancy_ref: string;
  balance_pence: number;
  sub_accounts: Record<string, number>;
  arrears_pence: number;
  technical_arrears_pence: number;
  actionable_arrears_pence: number;
  weeks_in_arrears: number;
  last_payment_date: string | null;
  weekly_rent_pence: number;
  next_due_date: string | null;
  arrangement: { amount_pence: number; frequency: string; start_date: string; status: string } | null;
  flags: string[];
  tenants: number;
  reasons: { balance: string; arrears: string; technical: string; weeks_in_arrears: string; last_payment: string };
  /** What a person should consider next, and why (recommend only: Rentline never serves a notice). */
  next_action: { action: string; reason: string; blocked_by: string | null };
  /** The legal stage officers recorded, with the notice's name and dates; null before any. */
  legal: LegalSummary | null;
  /** Every hold on the case now: what stops or limits contact, on whom, since when and why. */
  holds: { kind: HoldKind; tenant_no: number; since: string; reason: string }[];
}

export function scheduleOf(t: TenancyScheduleColumns): RentSchedule {
  return {
    frequency: t.rent_frequency,
    amountPence: t.rent_amount_pence,
    dueDay: dueDayOf(t),
    startDate: t.start_date,
    endDate: t.end_date,
  };
}

/** Flags of the tenancy as a whole: a flag on any tenant shows, because officers must see it. */
export function accountFlags(tenancy: TenancyRow, tenants: TenantRow[], today: string): string[] {
  const flags = new Set<string>();
  if (tenants.length > 1) flags.add('joint');
  if (tenancy.end_date !== null && tenancy.end_date < today) flags.add('former_tenancy');
  if (tenancy.demo) flags.add('demo');
  if (tenancy.benefit_claim_pending) flags.add('benefit_claim_pending');
  for (const t of tenants) {
    if (t.vulnerable) flags.add('vulnerable');
    if (t.do_not_contact) flags.add('do_not_contact');
    const space =
      t.breathing_space_start === null
        ? null
        : { start: t.breathing_space_start, end: t.breathing_space_end, mentalHealth: t.breathing_space_mental_health };
    if (isBreathingSpaceActive(space, today))
      flags.add(t.breathing_space_mental_health ? 'mental_health_breathing_space' : 'breathing_space');
    if (t.mobile_e164 === null) flags.add('not_textable');
  }
  return [...flags];
}

export async function accountSummary(
  sql: Queryable,
  ref: string,
  options: { today: string; policy: Policy; now?: Date },
): Promise<AccountSummary | null> {
  const tenancy = await findTenancy(sql, ref);
  if (!tenancy) return null;
  // Holds are judged at `now` (default: noon on `today`, when no exact time is given).
  const now = options.now ?? new Date(`${options.today}T12:00:00Z`);
  const [tenants, entries, arrangement, legal, holds] = await Promise.all([
    findTenants(sql, ref),
    findLedger(sql, ref),
    findLatestArrangement(sql, ref),
    currentLegalStage(sql, ref),
    loadHolds(sql, [ref], now, options.policy.time_zone),
  ]);
  const schedule = scheduleOf(tenancy);
  const figures = assessAccount({ schedule, benefit: tenancy.benefit, entries, today: options.today }, options.policy);
  const recommended = await recommendNextAction(sql, ref, figures, options);
  return {
    tenancy_ref: tenancy.tenancy_ref,
    balance_pence: figures.balancePence,
    sub_accounts: figures.subAccounts as Record<string, number>,
    arrears_pence: figures.arrearsPence,
    technical_arrears_pence: figures.technicalPence,
    actionable_arrears_pence: figures.actionableArrearsPence,
    weeks_in_arrears: figures.weeksInArrears,
    last_payment_date: figures.lastPaymentDate,
    weekly_rent_pence: weeklyEquivalentPence(schedule),
    next_due_date: nextDueDate(schedule, options.policy, options.today),
    arrangement: arrangement
      ? {
          amount_pence: arrangement.amount_pence,
          frequency: arrangement.frequency,
          start_date: arrangement.start_date,
          status: arrangement.status,
        }
      : null,
    flags: accountFlags(tenancy, tenants, options.today),
    tenants: tenants.length,
    reasons: {
      balance: figures.reasons.balance,
      arrears: figures.reasons.arrears,
      technical: figures.reasons.technical,
      weeks_in_arrears: figures.reasons.weeksInArrears,
      last_payment: figures.reasons.lastPayment,
    },
    next_action: { action: recommended.action, reason: recommended.reason, blocked_by: recommended.blockedBy ?? null },
    legal,
    holds: holdsForDisplay(holds.get(ref) ?? []),
  };
}
