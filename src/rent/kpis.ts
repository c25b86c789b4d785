// Income-team KPIs on the rent account (sub-accounts never count), for a period `from`–`to` in the
// financial year 1 April–31 March that contains `to`. Pure: the per-tenancy contribution and the final
// ratios live here; src/kpis/ gathers the same contributions in bulk with set-based SQL (kpis/account-sql.ts)
// and a test keeps the two equal.
//
// - current_arrears_pct_of_debit: arrears of tenancies running at `to` (the sum of positive rent balances)
//   ÷ the annual rent debit × 100. The annual debit is what the financial year charges from each tenancy's
//   schedule and the charge calendar (rent-free weeks, 53-week years) for the part of the year it runs.
// - collection_rate_pct: credits (payments, HB, UC; not adjustments or write-offs) from 1 April to `to`
//   ÷ rent charged over the same span × 100. Arrears brought forward are excluded from the charge; the
//   `_incl_bf` variant adds them (positive balances on 31 March).

import { addDays } from './calendar-date.js';
import type { Policy } from './policy.js';
import { dueDates, rentYearOf } from './schedule.js';
import type { LedgerEntry, Pence, RentSchedule } from './types.js';

/** Arrears bands in weeks of rent: under 1, 1–4, 4–8, 8 and over (by actionable arrears). */
export const ARREARS_BANDS = ['under_1', '1_to_4', '4_to_8', '8_plus'] as const;
type ArrearsBand = (typeof ARREARS_BANDS)[number];

export function arrearsBandOf(weeksInArrears: number): ArrearsBand {
  if (weeksInArrears < 1) return 'under_1';
  if (weeksInArrears < 4) return '1_to_4';
  if (weeksInArrears < 8) return '4_to_8';
  return '8_plus';
}

/** The sums the account KPIs are made of; one tenancy's contribution or a whole landlord's. */
export interface AccountKpiTotals {
  annualDebitPence: Pence;
  /** Positive rent balances of tenancies running at `to`. */
  currentArrearsPence: Pence;
  /** Credits (payments, HB, UC) dated in the financial year up to `to`, as a positive number. */
  creditsPence: Pence;
  /** Rent-account charges dated in the financial year up to `to`. */
  chargedPence: Pence;
  /** Positive rent balances on the day before the financial year starts. */
  broughtForwardPence: Pence;
  tenanciesInArrears: number;
  technicalArrearsPence: Pence;
  actionableArrearsPence: Pence;
  bands: Record<ArrearsBand, { tenancies: number; arrears_pence: Pence }>;
}

export function emptyTotals(): AccountKpiTotals {
  return {
    annualDebitPence: 0,
    currentArrearsPence: 0,
    creditsPence: 0,
    chargedPence: 0,
    broughtForwardPence: 0,
    tenanciesInArrears: 0,
    technicalArrearsPence: 0,
    actionableArrearsPence: 0,
    bands: Object.fromEntries(
      ARREARS_BANDS.map((b) => [b, { tenancies: 0, arrears_pence: 0 }]),
    ) as AccountKpiTotals['bands'],
  };
}

export function addTotals(into: AccountKpiTotals, more: AccountKpiTotals): AccountKpiTotals {
  into.annualDebitPence += more.annualDebitPence;
  into.currentArrearsPence += more.currentArrearsPence;
  into.creditsPence += more.creditsPence;
  into.chargedPence += more.chargedPence;
  into.broughtForwardPence += more.broughtForwardPence;
  into.tenanciesInArrears += more.tenanciesInArrears;
  into.technicalArrearsPence += more.technicalArrearsPence;
  into.actionableArrearsPence += more.actionableArrearsPence;
  for (const b of ARREARS_BANDS) {
    into.bands[b].tenancies += more.bands[b].tenancies;
    into.bands[b].arrears_pence += more.bands[b].arrears_pence;
  }
  return into;
}

/** The financial year (1 April–31 March) containing `to`: the KPIs' year. */
export function financialYearOf(to: string): { start: string; end: string } {
  return rentYearOf(to);
}

/** What one tenancy's schedule charges in the financial year containing `to` (its annual rent debit). */
export function annualDebitOf(schedule: RentSchedule, to: string, policy: Policy): Pence {
  const year = financialYearOf(to);
  return dueDates(schedule, policy, year.start, year.end).length * schedule.amountPence;
}

const CREDIT_TYPES = new Set(['payment', 'hb', 'uc']);
const CHARGE_TYPES = new Set(['rent', 'charge']);

/** A tenancy is running at `to` when it has started and not ended before `to`. */
function isRunningAt(schedule: RentSchedule, to: string): boolean {
  return schedule.startDate <= to && (schedule.endDate === null || schedule.endDate >= to);
}

interface TenancyKpiInput {
  schedule: RentSchedule;
  /** Every ledger entry of the tenancy (sub-accounts are ignored here). */
  entries: readonly LedgerEntry[];
  /** Actionable and technical arrears at `to`, from rent/account.ts (the same rule the jobs use). */
  arrears: { technicalPence: Pence; actionableArrearsPence: Pence; weeksInArrears: number };
}

/** One tenancy's contribution to the account KPIs for the year to `to`. */
export function tenancyKpiTotals(input: TenancyKpiInput, to: string, policy: Policy): AccountKpiTotals {
  const totals = emptyTotals();
  const year = financialYearOf(to);
  const lastDayBefore = addDays(year.start, -1);
  const rent = input.entries.filter((e) => e.account === 'rent');
  let balanceAtTo = 0;
  let balanceBroughtForward = 0;
  for (const e of rent) {
    if (e.date <= to) balanceAtTo += e.amountPence;
    if (e.date <= lastDayBefore) balanceBroughtForward += e.amountPence;
    if (e.date >= year.start && e.date <= to) {
      if (CREDIT_TYPES.has(e.type)) totals.creditsPence -= e.amountPence;
      if (CHARGE_TYPES.has(e.type)) totals.chargedPence += e.amountPence;
    }
  }
  totals.annualDebitPence = annualDebitOf(input.schedule, to, policy);
  totals.broughtForwardPence = Math.max(0, balanceBroughtForward);
  if (!isRunningAt(input.schedule, to)) return totals;
  totals.currentArrearsPence = Math.max(0, balanceAtTo);
  totals.technicalArrearsPence = input.arrears.technicalPence;
  totals.actionableArrearsPence = input.arrears.actionableArrearsPence;
  if (
    input.arrears.actionableArrearsPence >= policy.arrears.threshold_pence &&
    input.arrears.actionableArrearsPence > 0
  ) {
    totals.tenanciesInArrears = 1;
    const band = totals.bands[arrearsBandOf(input.arrears.weeksInArrears)];
    band.tenancies = 1;
    band.arrears_pence = input.arrears.actionableArrearsPence;
  }
  return totals;
}

/** A percentage to two decimal places; null when the base is zero (nothing charged: no rate to report). */
export function percent(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part * 10_000) / whole) / 100;
}

export interface AccountKpis {
  annual_rent_debit_pence: Pence;
  current_arrears_pence: Pence;
  current_arrears_pct_of_debit: number | null;
  rent_charged_pence: Pence;
  rent_collected_pence: Pence;
  arrears_brought_forward_pence: Pence;
  collection_rate_pct: number | null;
  collection_rate_incl_bf_pct: number | null;
  tenancies_in_arrears: number;
  technical_arrears_pence: Pence;
  actionable_arrears_pence: Pence;
  arrears_bands: Record<ArrearsBand, { tenancies: number; arrears_pence: Pence }>;
}

export function accountKpis(t: AccountKpiTotals): AccountKpis {
  return {
    annual_rent_debit_pence: t.annualDebitPence,
    current_arrears_pence: t.currentArrearsPence,
    current_arrears_pct_of_debit: percent(t.currentArrearsPence, t.annualDebitPence),
    rent_charged_pence: t.chargedPence,
    rent_collected_pence: t.creditsPence,
    arrears_brought_forward_pence: t.broughtForwardPence,
    collection_rate_pct: percent(t.creditsPence, t.chargedPence),
    collection_rate_incl_bf_pct: percent(t.creditsPence, t.chargedPence + t.broughtForwardPence),
    tenancies_in_arrears: t.tenanciesInArrears,
    technical_arrears_pence: t.technicalArrearsPence,
    actionable_arrears_pence: t.actionableArrearsPence,
    arrears_bands: t.bands,
  };
}
