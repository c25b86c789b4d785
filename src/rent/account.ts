// Account figures for one tenancy: rent balance, sub-account balances, gross arrears after the grace
// period, the part that is only the timing of expected HB/UC/Direct Debit credits, and weeks in arrears.
// Only actionable arrears may trigger arrears messages (docs/rules.md#arrears); sub-accounts never count.

import { addDays, formatDay } from './calendar-date.js';
import type { CreditStream } from './credit-streams.js';
import { describePeriod, findCreditStreams } from './credit-streams.js';
import { formatPence } from './money.js';
import type { Policy } from './policy.js';
import { weeklyEquivalentPence } from './schedule.js';
import type { Account, Benefit, LedgerEntry, Pence, RentSchedule } from './types.js';

interface AccountInput {
  schedule: RentSchedule;
  benefit: Benefit;
  entries: LedgerEntry[];
  /** Balance before the first entry, per account: lets SQL pre-aggregate old history. */
  openingBalances?: Partial<Record<Account, Pence>>;
  today: string;
}

interface AccountReasons {
  balance: string;
  arrears: string;
  technical: string;
  weeksInArrears: string;
  lastPayment: string;
}

interface AccountFigures {
  /** Rent account only, all entries dated on or before today. Negative is credit. */
  balancePence: Pence;
  /** Every other account that has entries or an opening balance. */
  subAccounts: Partial<Record<Account, Pence>>;
  /** Rent-account debit balance ignoring rent/charges due within the last grace_days; never negative. */
  arrearsPence: Pence;
  /** Part of arrears explained only by the timing of expected HB / UC / Direct Debit credits. */
  technicalPence: Pence;
  /** arrears - technical: only this may trigger arrears messages. */
  actionableArrearsPence: Pence;
  /** Actionable arrears / weekly equivalent rent, floored to 1 decimal. */
  weeksInArrears: number;
  /** Latest date the tenant paid their own money into the rent account. */
  lastPaymentDate: string | null;
  /** Total (positive) paid by the tenant on lastPaymentDate. */
  lastPaymentPence: Pence | null;
  reasons: AccountReasons;
  /** The regular credit streams found, on track or not (for officers' screens). */
  expectedCredits: CreditStream[];
}

const CHARGE_TYPES = new Set(['rent', 'charge']);

function sum(entries: LedgerEntry[]): Pence {
  return entries.reduce((total, e) => total + e.amountPence, 0);
}

function subAccountBalances(input: AccountInput, visible: LedgerEntry[]): Partial<Record<Account, Pence>> {
  const balances: Partial<Record<Account, Pence>> = {};
  for (const [account, opening] of Object.entries(input.openingBalances ?? {}) as [Account, Pence][]) {
    if (account !== 'rent') balances[account] = opening;
  }
  for (const e of visible) {
    if (e.account !== 'rent') balances[e.account] = (balances[e.account] ?? 0) + e.amountPence;
  }
  return balances;
}

function lastPayment(rentEntries: LedgerEntry[]): { date: string; pence: Pence } | null {
  const payments = rentEntries.filter((e) => e.type === 'payment' && e.amountPence < 0);
  const date = payments
    .map((e) => e.date)
    .sort()
    .at(-1);
  if (date === undefined) return null;
  return { date, pence: -sum(payments.filter((e) => e.date === date)) };
}

function formatWeeks(weeks: number): string {
  return `${weeks} week${weeks === 1 ? '' : 's'}`;
}

function describeStream(s: CreditStream, today: string): string {
  return `${describePeriod(s.period)}, last ${formatDay(s.lastDate, today)}, next due about ${formatDay(s.nextExpectedDate, today)}`;
}

function technicalReason(arrears: Pence, technical: Pence, streams: CreditStream[], today: string): string {
  const onTrack = streams.filter((s) => s.onTrack);
  const stopped = streams
    .filter((s) => !s.onTrack)
    .map((s) =>
      s.returnedUnpaid
        ? `${s.label} returned unpaid after ${formatDay(s.lastDate, today)}`
        : `${s.label} looks stopped (last ${formatDay(s.lastDate, today)}, was due about ${formatDay(s.nextExpectedDate, today)})`,
    );
  const stoppedNote = stopped.length > 0 ? `; ${stopped.join('; ')}` : '';
  if (arrears === 0) return 'None: there are no arrears';
  if (technical === 0)
    return `None: no Housing Benefit, Universal Credit or Direct Debit credit is on its way${stoppedNote}`;
  const [only] = onTrack;
  if (onTrack.length === 1 && only !== undefined) {
    return `${formatPence(technical)} is ${only.label} not yet credited (${describeStream(only, today)})${stoppedNote}`;
  }
  const parts = onTrack.map((s) => `${s.label} ${formatPence(s.expectedPence)} (${describeStream(s, today)})`);
  return `${formatPence(technical)} is expected credits not yet received: ${parts.join('; ')}${stoppedNote}`;
}

/** Works out the figures (and the plain-English reasons behind them) for one tenancy's accounts on `today`. */
export function assessAccount(input: AccountInput, policy: Policy): AccountFigures {
  const { today } = input;
  const visible = input.entries.filter((e) => e.date <= today);
  const rentEntries = visible.filter((e) => e.account === 'rent');
  const balance = (input.openingBalances?.rent ?? 0) + sum(rentEntries);

  // Charges dated after this cut-off are still inside the grace period.
  const graceDays = policy.arrears.grace_days;
  const lastCountedDay = addDays(today, -graceDays);
  const inGrace = sum(
    rentEntries.filter((e) => CHARGE_TYPES.has(e.type) && e.amountPence > 0 && e.date > lastCountedDay),
  );
  const arrears = Math.max(0, balance - inGrace);

  const streams = findCreditStreams(input.benefit, rentEntries, policy, today);
  const expected = streams.filter((s) => s.onTrack).reduce((total, s) => total + s.expectedPence, 0);
  const technical = Math.min(arrears, expected);
  const actionable = arrears - technical;

  const weekly = weeklyEquivalentPence(input.schedule);
  // Integer division avoids floating-point floors such as 2.9999 → 2.9.
  const weeksInArrears = weekly > 0 ? Math.floor((actionable * 10) / weekly) / 10 : 0;
  const payment = lastPayment(rentEntries);

  // The plain-English reasons are worked out when first read: the daily sweep assesses 75,000 accounts in
  // arrears for their figures alone, and formatting every sentence was a tenth of its time in JavaScript.
  let reasons: AccountReasons | null = null;
  const explain = (): AccountReasons => {
    const paymentText = payment ? `last payment ${formatDay(payment.date, today)}` : 'no payment on record';
    return {
      balance:
        balance < 0
          ? `In credit by ${formatPence(-balance)}`
          : balance === 0
            ? 'Rent account is clear'
            : `Owes ${formatPence(balance)} on the rent account`,
      arrears:
        arrears > 0
          ? `${formatPence(arrears)} owed from rent due on or before ${formatDay(lastCountedDay, today)}` +
            (inGrace > 0 && balance > arrears
              ? `; ${formatPence(balance - arrears)} due since is within the ${graceDays}-day grace period`
              : '')
          : balance > 0
            ? `No arrears yet: the ${formatPence(balance)} owed fell due in the last ${graceDays} days (grace period)`
            : 'No arrears: the rent account is not in debit',
      technical: technicalReason(arrears, technical, streams, today),
      weeksInArrears:
        actionable === 0
          ? technical > 0
            ? 'Not behind: the shortfall is only the timing of expected credits'
            : 'Not behind'
          : `${weeksInArrears === 0 ? 'Under 0.1 weeks' : formatWeeks(weeksInArrears)} behind: ${paymentText}`,
      lastPayment: payment
        ? `Last payment ${formatPence(payment.pence)} on ${formatDay(payment.date, today)}`
        : 'No payment from the tenant on record',
    };
  };

  return {
    balancePence: balance,
    subAccounts: subAccountBalances(input, visible),
    arrearsPence: arrears,
    technicalPence: technical,
    actionableArrearsPence: actionable,
    weeksInArrears,
    lastPaymentDate: payment?.date ?? null,
    lastPaymentPence: payment?.pence ?? null,
    get reasons(): AccountReasons {
      return (reasons ??= explain());
    },
    expectedCredits: streams,
  };
}
