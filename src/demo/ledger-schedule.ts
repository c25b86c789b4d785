// The calendar of one demo ledger: when rent falls due, when benefit credits land and when the tenant
// tends to pay. Amounts that depend on the running balance (benefit credits, payments) are left for
// ledger.ts to settle while it walks the events in date order.

import {
  civilFromDay,
  dayInMonth,
  firstMonthDayOnOrAfter,
  firstWeekdayOnOrAfter,
  isoFromDay,
  isRentFreeWeek,
  MONDAY,
  rentYearOf,
} from './calendar.js';
import type { Rng } from './random.js';
import { firstDueDay, type TenancyProfile } from './tenancy-profile.js';

/**
 * Same-day order: a brought-forward balance, then benefit (paid in arrears, so a Monday's HB credit covers
 * the weeks before that Monday's charge), then the charge, other entries, payments, and closing entries.
 */
const EVENT_ORDER = { opening: 0, benefit: 1, rent: 2, fixed: 3, payment: 4, closing: 5 } as const;
type EventKind = keyof typeof EVENT_ORDER;

export interface LedgerEvent {
  day: number;
  kind: EventKind;
  /** day × 8 + same-day order: one number to sort on. */
  sortKey: number;
  type: string;
  account: string;
  description: string;
  /** Signed pence for rent and fixed entries; worked out during the walk for the others. */
  pence: number;
}

export function ledgerEvent(
  day: number,
  kind: EventKind,
  type: string,
  account: string,
  description: string,
  pence = 0,
): LedgerEvent {
  return { day, kind, sortKey: day * 8 + EVENT_ORDER[kind], type, account, description, pence };
}

/** Social rents rise each April; older charges are the current rent deflated by this much per year. */
const ANNUAL_RENT_RISE = 1.027;
/** Weeks charged in a year with two rent-free weeks at Christmas and two at the end of March. */
const CHARGE_WEEKS_PER_YEAR = 48;

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The per-period rent in force on a day (the rent year starts in April). */
export class RentTable {
  private readonly byYearsBack: number[] = [];
  private readonly currentRentYear: number;

  constructor(
    private readonly profile: TenancyProfile,
    todayDay: number,
  ) {
    this.currentRentYear = rentYearOf(todayDay);
  }

  periodRent(day: number): number {
    const yearsBack = Math.max(0, this.currentRentYear - rentYearOf(day));
    let pence = this.byYearsBack[yearsBack];
    if (pence === undefined) {
      pence = Math.round(this.profile.rentPence / ANNUAL_RENT_RISE ** yearsBack);
      this.byYearsBack[yearsBack] = pence;
    }
    return pence;
  }

  /** The weekly rent in force on a day (monthly rents converted back with × 12 ÷ 52). */
  weeklyRent(day: number): number {
    const period = this.periodRent(day);
    return this.profile.periodWeeks > 0 ? period / this.profile.periodWeeks : (period * 12) / 52;
  }

  /** What one calendar month of rent comes to, as UC and monthly direct debits reckon it. */
  monthlyRent(day: number): number {
    return this.profile.periodWeeks > 0 ? (this.weeklyRent(day) * CHARGE_WEEKS_PER_YEAR) / 12 : this.periodRent(day);
  }
}

/**
 * Rent charges from `fromDay` to `toDay`. Weekly rents skip rent-free weeks; fortnightly and four-weekly
 * charges are reduced pro rata for the rent-free weeks inside their period; monthly rents fall every month.
 */
export function rentCharges(profile: TenancyProfile, rents: RentTable, fromDay: number, toDay: number): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  const first = firstDueDay(profile);
  if (profile.periodWeeks > 0) {
    const periodDays = profile.periodWeeks * 7;
    let day = first >= fromDay ? first : first + Math.ceil((fromDay - first) / periodDays) * periodDays;
    for (; day <= toDay; day += periodDays) {
      let chargeWeeks = 0;
      for (let w = 0; w < profile.periodWeeks; w++) if (!isRentFreeWeek(day + w * 7)) chargeWeeks++;
      if (chargeWeeks === 0) continue;
      const pence = Math.round((rents.periodRent(day) * chargeWeeks) / profile.periodWeeks);
      events.push(ledgerEvent(day, 'rent', 'rent', 'rent', `Rent w/c ${isoFromDay(day)}`, pence));
    }
    return events;
  }
  const firstInRange = firstMonthDayOnOrAfter(Math.max(first, fromDay), profile.dueDayOfMonth);
  const civil = civilFromDay(firstInRange);
  for (let m = 0; ; m++) {
    const day = dayInMonth(civil, m, profile.dueDayOfMonth);
    if (day > toDay) break;
    const { month, year } = civilFromDay(day);
    events.push(
      ledgerEvent(day, 'rent', 'rent', 'rent', `Rent ${MONTH_NAMES[month - 1]} ${year}`, rents.periodRent(day)),
    );
  }
  return events;
}

/**
 * Days benefit is credited: Housing Benefit four-weekly in arrears on a Monday, UC paid to the landlord
 * monthly on the claimant's payment day (docs/rules.md#background-benefit-timing). A new claim's first credit comes four weeks
 * (HB) or about five weeks (UC) after it starts; a claim already running (`running`) simply continues its
 * cycle, and ledger.ts brings the in-arrears part forward with the opening balance.
 */
export function benefitCreditDays(
  profile: TenancyProfile,
  rng: Rng,
  fromDay: number,
  toDay: number,
  running: boolean,
): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  if (profile.benefit === 'hb') {
    let day = firstWeekdayOnOrAfter(fromDay + (running ? 0 : 28), MONDAY) + 7 * rng.int(0, 3);
    for (; day <= toDay; day += 28) events.push(ledgerEvent(day, 'benefit', 'hb', 'rent', 'Housing Benefit'));
  } else if (profile.benefit === 'uc_apa') {
    const payDay = rng.int(1, 28);
    const civil = civilFromDay(firstMonthDayOnOrAfter(fromDay + (running ? 0 : 35), payDay));
    for (let m = 0; ; m++) {
      const day = dayInMonth(civil, m, payDay);
      if (day > toDay) break;
      events.push(ledgerEvent(day, 'benefit', 'uc', 'rent', 'Universal Credit - managed payment'));
    }
  }
  return events;
}

/** Days of rent a benefit credit pays for: four weeks of HB, a calendar month of UC. */
export function benefitCycleDays(profile: TenancyProfile): number {
  return profile.benefit === 'hb' ? 28 : 365.25 / 12;
}

export interface PaymentCadence {
  /** 7, 14 or 28 days, or 0 for calendar-monthly. */
  periodDays: number;
  /** The day of the month for monthly payers. */
  dayOfMonth: number;
  /** Weeks of rent one payment is meant to cover (monthly: 52 ÷ 12). */
  weeksCovered: number;
  directDebit: boolean;
  description: string;
}

const WEEKLY_METHODS = [
  'Payment - Allpay card',
  'Payment - Post Office',
  'Payment - PayPoint',
  'Payment - online',
  'Payment - telephone card',
  'Cash payment - office',
];
const REGULAR_METHODS = ['Standing order', 'Payment - online', 'Payment - bank transfer', 'Payment - Allpay card'];

/** How often and how this tenant pays: weekly payers mostly pay weekly, some by monthly direct debit; UC claimants monthly after their UC lands. */
export function choosePaymentCadence(profile: TenancyProfile, rng: Rng): PaymentCadence {
  const reliable = profile.behaviour === 'on_time' || profile.behaviour === 'credit';
  if (profile.benefit === 'uc') {
    return {
      periodDays: 0,
      dayOfMonth: rng.int(1, 28),
      weeksCovered: 52 / 12,
      directDebit: false,
      description: rng.pick(REGULAR_METHODS),
    };
  }
  if (profile.periodWeeks === 0 || (profile.periodWeeks === 1 && reliable && rng.chance(0.4))) {
    const directDebit = reliable || rng.chance(0.3);
    const dayOfMonth = profile.periodWeeks === 0 ? profile.dueDayOfMonth : rng.pick([1, 1, 15, 28]);
    return {
      periodDays: 0,
      dayOfMonth,
      weeksCovered: 52 / 12,
      directDebit,
      description: directDebit ? 'Direct Debit' : rng.pick(REGULAR_METHODS),
    };
  }
  const periodWeeks = profile.periodWeeks === 1 && rng.chance(0.3) ? 2 : profile.periodWeeks;
  const description = periodWeeks === 1 ? rng.pick(WEEKLY_METHODS) : rng.pick(REGULAR_METHODS);
  return { periodDays: periodWeeks * 7, dayOfMonth: 0, weeksCovered: periodWeeks, directDebit: false, description };
}

/** The days this tenant would pay on, each moved up to `maxDelay` days late. */
export function paymentSlotDays(
  profile: TenancyProfile,
  cadence: PaymentCadence,
  rng: Rng,
  fromDay: number,
  toDay: number,
  maxDelay: number,
): number[] {
  const days: number[] = [];
  const push = (day: number): void => {
    const paid = day + (maxDelay > 0 ? rng.int(0, maxDelay) : 0);
    if (paid >= fromDay && paid <= toDay) days.push(paid);
  };
  if (cadence.periodDays > 0) {
    // Cash payers pay some time in the rent week (due Monday, paid by Friday).
    const weekdayOffset = rng.int(0, 4);
    const first = firstWeekdayOnOrAfter(Math.max(firstDueDay(profile), fromDay), MONDAY) + weekdayOffset;
    for (let day = first; day <= toDay; day += cadence.periodDays) push(day);
    return days;
  }
  const civil = civilFromDay(firstMonthDayOnOrAfter(Math.max(firstDueDay(profile), fromDay), cadence.dayOfMonth));
  for (let m = 0; ; m++) {
    const day = dayInMonth(civil, m, cadence.dayOfMonth);
    if (day > toDay) break;
    push(day);
  }
  return days;
}
