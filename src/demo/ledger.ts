// One tenancy's ledger: charges, benefit credits, payments and the odd sub-account entry, in date order.
// Payments are steered: each behaviour profile (tenancy-profile.ts) defines the balance the tenant drifts
// towards (nil, a growing debt, a shrinking arrangement debt, a growing credit), and each payment closes
// some of the gap between today's balance and that target, with misses, lateness and rounding on top.
// Expected benefit (HB in arrears, UC paid to the landlord) is left out of the gap, as a tenant would.

import { isoFromDay, poundsFromPence } from './calendar.js';
import { ledgerExtras } from './ledger-extras.js';
import {
  benefitCreditDays,
  benefitCycleDays,
  choosePaymentCadence,
  ledgerEvent,
  paymentSlotDays,
  rentCharges,
  RentTable,
  type LedgerEvent,
  type PaymentCadence,
} from './ledger-schedule.js';
import { Rng, streamSeed } from './random.js';
import type { TransactionRow } from './rows.js';
import type { GenerationWindow, TenancyProfile } from './tenancy-profile.js';

const LEDGER_STREAM = 2;

/** How one tenant pays over the history window. */
interface PaymentPlan {
  /** Balance brought forward from before the window (0 for tenancies that started inside it). */
  opening: number;
  /** The balance (ignoring benefit still to come) the tenant's payments aim for on a day. */
  target: (day: number) => number;
  missChance: number;
  /** Chance of paying only part of what is due. */
  partialChance: number;
  /** Payments are rounded to this many pence (cash payers pay whole pounds, over-payers round fivers). */
  roundTo: number;
  maxDelayDays: number;
  /** From this day on the tenant mostly stops paying (new arrears in the last month). */
  stopDay: number;
  /** Weeks of arrears a chronic payer is heading for; 0 otherwise. */
  depthWeeks: number;
  /** A refund of part of a credit, which the tenant does not pay back. */
  refund: { day: number; pence: number } | null;
}

function planPayments(
  profile: TenancyProfile,
  rng: Rng,
  weekly: number,
  fromDay: number,
  toDay: number,
  todayDay: number,
): PaymentPlan {
  const broughtForward = profile.startDay < fromDay;
  const span = Math.max(1, toDay - fromDay);
  const progress = (day: number): number => Math.min(1, Math.max(0, (day - fromDay) / span));
  const plan: PaymentPlan = {
    opening: 0,
    target: () => 0,
    missChance: 0,
    partialChance: 0,
    roundTo: 1,
    maxDelayDays: 0,
    stopDay: Number.POSITIVE_INFINITY,
    depthWeeks: 0,
    refund: null,
  };
  switch (profile.behaviour) {
    case 'on_time': {
      plan.opening = broughtForward && rng.chance(0.25) ? -rng.int(0, Math.round(2 * weekly)) : 0;
      break;
    }
    case 'late': {
      plan.opening = broughtForward ? rng.int(0, Math.round(1.5 * weekly)) : 0;
      Object.assign(plan, { missChance: 0.15, partialChance: 0.25, roundTo: 100, maxDelayDays: 6 });
      break;
    }
    case 'chronic': {
      // Every depth of arrears from one week to twenty, reached gradually over the window.
      plan.depthWeeks = rng.int(1, 20);
      const finalArrears = Math.round(plan.depthWeeks * weekly);
      plan.opening = broughtForward ? rng.int(0, finalArrears) : 0;
      const opening = plan.opening;
      plan.target = (day) => opening + (finalArrears - opening) * progress(day);
      Object.assign(plan, { missChance: 0.2, partialChance: 0.2, roundTo: 100, maxDelayDays: 4 });
      break;
    }
    case 'new_arrears': {
      plan.stopDay = todayDay - rng.int(21, 35);
      plan.maxDelayDays = 2;
      break;
    }
    case 'arrangement': {
      // An arrangement made before the window: rent plus a small fixed extra every week.
      plan.opening = broughtForward ? rng.int(25_000, 250_000) : 0;
      const opening = plan.opening;
      const extraPerDay = rng.int(300, 1500) / 7;
      plan.target = (day) => Math.max(0, opening - extraPerDay * (day - fromDay));
      plan.missChance = 0.05;
      break;
    }
    case 'credit': {
      plan.opening = broughtForward ? -rng.int(0, Math.round(weekly)) : 0;
      const opening = plan.opening;
      const credit = rng.int(1, 6) * weekly;
      if (rng.chance(0.3)) plan.refund = { day: fromDay + Math.round(span * 0.7), pence: Math.round(credit * 0.4) };
      const refund = plan.refund;
      plan.target = (day) => opening - credit * progress(day) + (refund && day >= refund.day ? refund.pence : 0);
      plan.roundTo = 500;
      break;
    }
  }
  if (profile.behaviour === 'on_time' || profile.behaviour === 'late' || profile.behaviour === 'new_arrears') {
    const opening = plan.opening;
    plan.target = () => opening;
  }
  return plan;
}

/** Everything the walk needs to price a payment or a benefit credit. */
interface Walk {
  profile: TenancyProfile;
  rents: RentTable;
  plan: PaymentPlan;
  cadence: PaymentCadence;
  rng: Rng;
  balance: number;
  /** Benefit the landlord can expect for charges already raised (HB in arrears, UC lag). */
  expectedBenefit: number;
}

function paymentAmount(walk: Walk, day: number): number {
  const { plan, profile, cadence, rng, rents } = walk;
  const share = 1 - profile.benefitCoverage;
  if (profile.behaviour === 'on_time' && cadence.periodDays === 0) {
    // A direct debit or standing order is a fixed monthly sum, whatever the balance says that day.
    return Math.round(share * rents.monthlyRent(day));
  }
  if (rng.chance(plan.missChance)) return 0;
  let due = walk.balance - walk.expectedBenefit - plan.target(day);
  if (day >= plan.stopDay) {
    if (rng.chance(0.8)) return 0;
    due *= 0.3 + rng.next() * 0.2;
  } else if (rng.chance(plan.partialChance)) {
    due *= 0.5 + rng.next() * 0.4;
  }
  const usual = share * rents.weeklyRent(day) * cadence.weeksCovered;
  due = Math.min(due, Math.max(1000, usual * (profile.behaviour === 'credit' ? 4 : 2.5)));
  if (plan.roundTo > 1) due = Math.ceil(due / plan.roundTo) * plan.roundTo;
  return due >= 100 ? Math.round(due) : 0;
}

function benefitAmount(walk: Walk, event: LedgerEvent): number {
  const { profile, rents } = walk;
  const afterEnd = profile.endDay !== null && event.day > profile.endDay;
  if (afterEnd || (profile.benefit === 'hb' && profile.periodWeeks > 0))
    return Math.max(0, Math.round(walk.expectedBenefit));
  if (profile.benefit === 'hb') return Math.round((profile.benefitCoverage * rents.periodRent(event.day) * 12) / 13);
  return Math.round(profile.benefitCoverage * rents.monthlyRent(event.day));
}

/** The whole ledger of one tenancy from the start of the window (or the tenancy) to today (or its end). */
export function tenancyLedger(profile: TenancyProfile, window: GenerationWindow): TransactionRow[] {
  const rng = new Rng(streamSeed(window.seed, profile.index, LEDGER_STREAM));
  const fromDay = Math.max(window.windowStartDay, profile.startDay);
  const toDay = Math.min(window.todayDay, profile.endDay ?? window.todayDay);
  const rents = new RentTable(profile, window.todayDay);
  const plan = planPayments(profile, rng, rents.weeklyRent(toDay), fromDay, toDay, window.todayDay);
  const cadence = choosePaymentCadence(profile, rng);

  const events: LedgerEvent[] = [];
  const benefitUntil =
    profile.endDay === null || profile.benefit !== 'hb' ? toDay : Math.min(window.todayDay, profile.endDay + 28);
  const claimRunning = profile.startDay < fromDay;
  const benefitCredits = benefitCreditDays(profile, rng, fromDay, benefitUntil, claimRunning);
  // A claim already running at the window start is owed for the days since its last credit: that much of
  // the brought-forward balance is benefit on its way, not the tenant's debt.
  const firstCredit = benefitCredits[0];
  const benefitLag =
    claimRunning && firstCredit
      ? Math.round(
          (profile.benefitCoverage *
            rents.weeklyRent(fromDay) *
            Math.max(0, fromDay - (firstCredit.day - benefitCycleDays(profile)))) /
            7,
        )
      : 0;
  const opening = plan.opening + benefitLag;
  if (opening !== 0)
    events.push(ledgerEvent(fromDay, 'opening', 'adjustment', 'rent', 'Balance brought forward', opening));
  events.push(...rentCharges(profile, rents, fromDay, toDay));
  events.push(...benefitCredits);
  for (const day of paymentSlotDays(profile, cadence, rng, fromDay, toDay, plan.maxDelayDays)) {
    events.push(ledgerEvent(day, 'payment', 'payment', 'rent', cadence.description));
  }
  events.push(...ledgerExtras(rng, { profile, fromDay, toDay, arrearsDepthWeeks: plan.depthWeeks }));
  if (plan.refund && plan.refund.day <= toDay) {
    events.push(ledgerEvent(plan.refund.day, 'fixed', 'refund', 'rent', 'Refund of credit balance', plan.refund.pence));
  }
  if (profile.endDay !== null) {
    const closeDay = profile.endDay + rng.int(35, 60);
    if (closeDay <= window.todayDay)
      events.push(ledgerEvent(closeDay, 'closing', 'write_off', 'rent', 'Former tenant arrears written off'));
  }
  events.sort((a, b) => a.sortKey - b.sortKey);

  const walk: Walk = { profile, rents, plan, cadence, rng, balance: 0, expectedBenefit: benefitLag };
  const rows: TransactionRow[] = [];
  const emit = (event: LedgerEvent, type: string, pence: number, description: string): void => {
    rows.push({
      transaction_id: `T${profile.ref}-${String(rows.length + 1).padStart(4, '0')}`,
      tenancy_ref: profile.ref,
      date: isoFromDay(event.day),
      type,
      amount: poundsFromPence(pence),
      account: event.account,
      description,
    });
  };
  for (const event of events) {
    switch (event.kind) {
      case 'opening':
      case 'fixed':
        if (event.account === 'rent') walk.balance += event.pence;
        emit(event, event.type, event.pence, event.description);
        break;
      case 'rent':
        walk.balance += event.pence;
        walk.expectedBenefit += Math.round(event.pence * profile.benefitCoverage);
        emit(event, event.type, event.pence, event.description);
        break;
      case 'benefit': {
        const pence = benefitAmount(walk, event);
        if (pence <= 0) break;
        walk.balance -= pence;
        walk.expectedBenefit -= pence;
        emit(event, event.type, -pence, event.description);
        break;
      }
      case 'payment': {
        const pence = paymentAmount(walk, event.day);
        if (pence <= 0) break;
        walk.balance -= pence;
        emit(event, event.type, -pence, event.description);
        break;
      }
      case 'closing':
        // A former tenant's debt is often written off; a credit is refunded.
        if (walk.balance > 100 && rng.chance(0.6)) {
          emit(event, 'write_off', -walk.balance, event.description);
          walk.balance = 0;
        } else if (walk.balance < -100) {
          emit(event, 'refund', -walk.balance, 'Refund of credit balance');
          walk.balance = 0;
        }
        break;
    }
  }
  return rows;
}
