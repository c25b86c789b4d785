// Table tests for account figures, with the arithmetic worked by hand in the comments.
// Default policy throughout: 3-day grace, credits may be 5 days late and still count as on their way.
import { describe, expect, it } from 'vitest';
import { assessAccount } from '../../src/rent/account.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import type { Account, LedgerEntry, RentSchedule, TransactionType } from '../../src/rent/types.js';

type AccountInput = Parameters<typeof assessAccount>[0];

const weeklyMonday: RentSchedule = {
  frequency: 'weekly',
  amountPence: 10000,
  dueDay: 'monday',
  startDate: '2026-04-06',
  endDate: null,
};

function entry(
  date: string,
  type: TransactionType,
  amountPence: number,
  description = '',
  account: Account = 'rent',
): LedgerEntry {
  return { date, type, amountPence, account, description: description || type };
}

const rent = (date: string) => entry(date, 'rent', 10000, 'Weekly rent');

function assess(input: Partial<AccountInput> & Pick<AccountInput, 'entries' | 'today'>) {
  return assessAccount({ schedule: weeklyMonday, benefit: 'none', ...input }, DEFAULT_POLICY);
}

describe('assessAccount', () => {
  it('shows a weekly payer who has paid ahead as in credit with nothing owed', () => {
    // 100.00 + 100.00 charged; 110.00 + 104.20 paid: 20000 - 21420 = -1420, in credit by £14.20.
    const figures = assess({
      today: '2026-11-12',
      entries: [
        rent('2026-11-02'),
        entry('2026-11-02', 'payment', -11000, 'Card payment'),
        rent('2026-11-09'),
        entry('2026-11-09', 'payment', -10420, 'Card payment'),
      ],
    });
    expect(figures).toMatchObject({
      balancePence: -1420,
      arrearsPence: 0,
      technicalPence: 0,
      actionableArrearsPence: 0,
      weeksInArrears: 0,
      lastPaymentDate: '2026-11-09',
      lastPaymentPence: 10420,
    });
    expect(figures.reasons).toMatchObject({
      balance: 'In credit by £14.20',
      weeksInArrears: 'Not behind',
      lastPayment: 'Last payment £104.20 on 9 Nov',
    });
  });

  // Weekly rent of £100 charged every Monday; the tenant pays annual ÷ 12 = 100.00 × 52 ÷ 12 = £433.33
  // by Direct Debit on the 5th. Mondays 5 Oct to 30 Nov 2026 are 9 charges (Oct 5,12,19,26; Nov 2,9,16,23,30)
  // against 2 collections: 90000 - 2 × 43333 = 3334 owed, only because November has five Mondays.
  const directDebitPayer: LedgerEntry[] = [
    entry('2026-10-05', 'payment', -43333, 'Direct Debit'),
    ...['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26'].map(rent),
    entry('2026-11-05', 'payment', -43333, 'DD collection'),
    ...['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30'].map(rent),
  ];

  it('treats a monthly Direct Debit payer whose balance dips only by timing as not in arrears', () => {
    // Today 4 Dec: the grace cut-off is 1 Dec, so all nine charges count: arrears 3334.
    // DD stream: 5 Oct → 5 Nov is 31 days, so monthly; next about 5 Dec, on track. Technical = min(3334, 43333).
    const figures = assess({ today: '2026-12-04', entries: directDebitPayer });
    expect(figures).toMatchObject({
      balancePence: 3334,
      arrearsPence: 3334,
      technicalPence: 3334,
      actionableArrearsPence: 0,
      weeksInArrears: 0,
      lastPaymentDate: '2026-11-05',
      lastPaymentPence: 43333,
    });
    expect(figures.reasons.technical).toBe(
      '£33.34 is Direct Debit not yet credited (monthly, last 5 Nov, next due about 5 Dec)',
    );
    expect(figures.reasons.weeksInArrears).toBe('Not behind: the shortfall is only the timing of expected credits');
  });

  it('counts the shortfall as real once the expected Direct Debit is more than 5 days late', () => {
    // Today 11 Dec: the DD was due about 5 Dec, tolerance ends 10 Dec, so it explains nothing.
    // Monday 7 Dec's charge is past the grace cut-off (8 Dec): 3334 + 10000 = 13334 actionable.
    // 13334 ÷ 10000 a week = 1.33 → floored to 1.3 weeks.
    const figures = assess({ today: '2026-12-11', entries: [...directDebitPayer, rent('2026-12-07')] });
    expect(figures).toMatchObject({
      arrearsPence: 13334,
      technicalPence: 0,
      actionableArrearsPence: 13334,
      weeksInArrears: 1.3,
    });
    expect(figures.reasons.technical).toBe(
      'None: no Housing Benefit, Universal Credit or Direct Debit credit is on its way; Direct Debit looks stopped (last 5 Nov, was due about 5 Dec)',
    );
    expect(figures.reasons.weeksInArrears).toBe('1.3 weeks behind: last payment 5 Nov');
  });

  it('explains nothing by a Direct Debit that was returned unpaid', () => {
    const returned = [...directDebitPayer, entry('2026-11-10', 'payment', 43333, 'DD returned unpaid')];
    // 3334 + 43333 = 46667 owed, none of it technical.
    const figures = assess({ today: '2026-12-04', entries: returned });
    expect(figures).toMatchObject({
      arrearsPence: 46667,
      technicalPence: 0,
      actionableArrearsPence: 46667,
      weeksInArrears: 4.6,
    });
    expect(figures.reasons.technical).toContain('Direct Debit returned unpaid after 5 Nov');
  });

  it('treats a Housing Benefit tenant awaiting the 4-weekly HB credit as technical, not actionable', () => {
    // Owed £300.00 on 4 Oct (the usual lag). Charges Oct 5 → Nov 23: 8 × 10000 = 80000.
    // HB in arrears: 8 Oct and 5 Nov, 40000 each = 80000. Balance 30000 + 80000 - 80000 = 30000.
    // HB stream: 8 Oct → 5 Nov is 28 days, so 4-weekly; next about 3 Dec; today 26 Nov is on track.
    // Technical = min(30000, 40000) = 30000; actionable 0.
    const figures = assess({
      benefit: 'hb',
      today: '2026-11-26',
      openingBalances: { rent: 30000 },
      entries: [
        ...[
          '2026-10-05',
          '2026-10-12',
          '2026-10-19',
          '2026-10-26',
          '2026-11-02',
          '2026-11-09',
          '2026-11-16',
          '2026-11-23',
        ].map(rent),
        entry('2026-10-08', 'hb', -40000, 'Housing Benefit'),
        entry('2026-11-05', 'hb', -40000, 'Housing Benefit'),
      ],
    });
    expect(figures).toMatchObject({
      balancePence: 30000,
      arrearsPence: 30000,
      technicalPence: 30000,
      actionableArrearsPence: 0,
      weeksInArrears: 0,
      lastPaymentDate: null,
      lastPaymentPence: null,
    });
    expect(figures.reasons.technical).toBe(
      '£300.00 is Housing Benefit not yet credited (4-weekly, last 5 Nov, next due about 3 Dec)',
    );
    expect(figures.reasons.lastPayment).toBe('No payment from the tenant on record');
  });

  it('ignores HB credits when the tenancy is not recorded as on Housing Benefit', () => {
    // Owed 100000 before; charge 23 Nov +10000; HB 29 Oct and 26 Nov, 40000 each: 110000 - 80000 = 30000.
    // Recorded as on HB, the 4-weekly stream (next about 24 Dec) explains all of it; recorded as none, nothing.
    const input = {
      today: '2026-11-26',
      openingBalances: { rent: 100000 },
      entries: [rent('2026-11-23'), entry('2026-10-29', 'hb', -40000), entry('2026-11-26', 'hb', -40000)],
    };
    expect(assess({ ...input, benefit: 'hb' })).toMatchObject({
      arrearsPence: 30000,
      technicalPence: 30000,
      weeksInArrears: 0,
    });
    expect(assess({ ...input, benefit: 'none' })).toMatchObject({
      arrearsPence: 30000,
      technicalPence: 0,
      weeksInArrears: 3,
    });
  });

  it('puts a tenant genuinely 3 weeks behind at 3 weeks and names the last payment date', () => {
    // Charges Oct 5, 12, 19, 26, Nov 2 = 50000; paid Oct 5 and 12 = 20000. Owed 30000.
    // Today 5 Nov: cut-off 2 Nov, so Monday 2 Nov counts. 30000 ÷ 10000 = 3.0 weeks.
    const figures = assess({
      today: '2026-11-05',
      entries: [
        ...['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02'].map(rent),
        entry('2026-10-05', 'payment', -10000, 'Card payment'),
        entry('2026-10-12', 'payment', -10000, 'Card payment'),
      ],
    });
    expect(figures).toMatchObject({
      arrearsPence: 30000,
      technicalPence: 0,
      actionableArrearsPence: 30000,
      weeksInArrears: 3,
    });
    expect(figures.reasons.weeksInArrears).toBe('3 weeks behind: last payment 12 Oct');
    expect(figures.reasons.arrears).toBe('£300.00 owed from rent due on or before 2 Nov');
  });

  it.each([
    // Charge due Monday 9 Nov, unpaid. Tuesday 10 Nov: cut-off 7 Nov, so it is in the grace period.
    ['2026-11-10', 0, 'No arrears yet: the £100.00 owed fell due in the last 3 days (grace period)'],
    // Wednesday 11 Nov: cut-off 8 Nov, still in grace.
    ['2026-11-11', 0, 'No arrears yet: the £100.00 owed fell due in the last 3 days (grace period)'],
    // Thursday 12 Nov: cut-off 9 Nov, now it counts.
    ['2026-11-12', 10000, '£100.00 owed from rent due on or before 9 Nov'],
  ])('applies the grace rule on %s: arrears %i', (today, arrears, reason) => {
    const figures = assess({ today, entries: [rent('2026-11-09')] });
    expect(figures.balancePence).toBe(10000);
    expect(figures.arrearsPence).toBe(arrears);
    expect(figures.reasons.arrears).toBe(reason);
  });

  it('counts older arrears but not the charge inside the grace period', () => {
    // Owed 20000 before; Monday 9 Nov adds 10000. Tuesday 10 Nov: 30000 balance, 20000 arrears.
    const figures = assess({ today: '2026-11-10', openingBalances: { rent: 20000 }, entries: [rent('2026-11-09')] });
    expect(figures).toMatchObject({ balancePence: 30000, arrearsPence: 20000, weeksInArrears: 2 });
    expect(figures.reasons.arrears).toBe(
      '£200.00 owed from rent due on or before 7 Nov; £100.00 due since is within the 3-day grace period',
    );
  });

  it('never counts sub-account debts such as rechargeable repairs or court costs as rent arrears', () => {
    // Rent account: 10000 charged, 10000 paid = 0. Repairs 25000 + 5000 opening, court costs 35000.
    const figures = assess({
      today: '2026-11-20',
      openingBalances: { rechargeable_repair: 5000, storage: 1200 },
      entries: [
        rent('2026-11-09'),
        entry('2026-11-09', 'payment', -10000, 'Card payment'),
        entry('2026-11-01', 'charge', 25000, 'Broken door recharge', 'rechargeable_repair'),
        entry('2026-11-03', 'court_costs', 35000, 'Court costs', 'court_costs'),
      ],
    });
    expect(figures).toMatchObject({ balancePence: 0, arrearsPence: 0, actionableArrearsPence: 0, weeksInArrears: 0 });
    expect(figures.subAccounts).toEqual({ rechargeable_repair: 30000, court_costs: 35000, storage: 1200 });
    expect(figures.reasons.balance).toBe('Rent account is clear');
  });

  it('gives joint tenants one set of figures, since the account belongs to the tenancy', () => {
    // Payments from each joint tenant are credits on the same rent account: 20000 - 6000 - 4000 = 10000.
    const figures = assess({
      today: '2026-11-20',
      entries: [
        rent('2026-11-02'),
        rent('2026-11-09'),
        entry('2026-11-10', 'payment', -6000, 'Tenant 1'),
        entry('2026-11-10', 'payment', -4000, 'Tenant 2'),
      ],
    });
    expect(figures).toMatchObject({ arrearsPence: 10000, lastPaymentDate: '2026-11-10', lastPaymentPence: 10000 });
  });

  it('ignores entries dated after today', () => {
    const figures = assess({
      today: '2026-11-20',
      entries: [rent('2026-11-09'), entry('2026-11-21', 'payment', -10000, 'Card payment')],
    });
    expect(figures).toMatchObject({ balancePence: 10000, arrearsPence: 10000, lastPaymentDate: null });
  });

  it('treats UC paid to the landlord (APA) arriving monthly as technical until it is late', () => {
    // UC £433.33 on 15 Oct and 16 Nov (32 days: monthly), next about 16 Dec.
    // Owed 86666 before; charges 23 Nov, 30 Nov, 7 Dec: 86666 + 30000 - 86666 = 30000 owed on 10 Dec
    // (cut-off 7 Dec, so 7 Dec counts); technical min(30000, 43333) = 30000.
    const input = {
      benefit: 'uc_apa' as const,
      openingBalances: { rent: 86666 },
      entries: [
        entry('2026-10-15', 'uc', -43333, 'UC APA'),
        entry('2026-11-16', 'uc', -43333, 'UC APA'),
        ...['2026-11-23', '2026-11-30', '2026-12-07'].map(rent),
      ],
    };
    expect(assess({ ...input, today: '2026-12-10' })).toMatchObject({
      arrearsPence: 30000,
      technicalPence: 30000,
      actionableArrearsPence: 0,
    });
    // 22 Dec: 16 Dec + 5 days tolerance = 21 Dec has passed. Dec 14 charge adds 10000 (Dec 21 is rent-free).
    expect(assess({ ...input, today: '2026-12-22', entries: [...input.entries, rent('2026-12-14')] })).toMatchObject({
      arrearsPence: 40000,
      technicalPence: 0,
      weeksInArrears: 4,
    });
  });

  it("treats a UC tenant's own regular monthly payment as the expected credit, but not their weekly ones", () => {
    // Owed 106666 before; paid £433.33 on 20 Oct and 20 Nov (31 days: monthly): 106666 - 86666 = 20000 owed
    // on 10 Dec, with the next payment about 20 Dec. Technical = min(20000, 43333) = 20000.
    const monthly = assess({
      benefit: 'uc',
      today: '2026-12-10',
      openingBalances: { rent: 106666 },
      entries: [
        entry('2026-10-20', 'payment', -43333, 'Card payment'),
        entry('2026-11-20', 'payment', -43333, 'Card payment'),
      ],
    });
    expect(monthly).toMatchObject({ arrearsPence: 20000, technicalPence: 20000, actionableArrearsPence: 0 });
    // Owed 40000 before; weekly payments 7 days apart (40000 - 20000 = 20000 owed) are not a monthly UC
    // cycle: all 20000 is actionable, 2 weeks.
    const weekly = assess({
      benefit: 'uc',
      today: '2026-12-10',
      openingBalances: { rent: 40000 },
      entries: [
        entry('2026-12-01', 'payment', -10000, 'Card payment'),
        entry('2026-12-08', 'payment', -10000, 'Card payment'),
      ],
    });
    expect(weekly).toMatchObject({
      arrearsPence: 20000,
      technicalPence: 0,
      actionableArrearsPence: 20000,
      weeksInArrears: 2,
    });
  });

  it('floors weeks in arrears for monthly rent using the weekly equivalent', () => {
    // Monthly £433.33 → 43333 × 12 ÷ 52 = 9999.92 → 10000 a week. Owed 25000: 2.5 weeks.
    const figures = assessAccount(
      {
        schedule: { frequency: 'monthly', amountPence: 43333, dueDay: 1, startDate: '2026-04-01', endDate: null },
        benefit: 'none',
        today: '2026-11-20',
        openingBalances: { rent: 25000 },
        entries: [],
      },
      DEFAULT_POLICY,
    );
    expect(figures).toMatchObject({ arrearsPence: 25000, weeksInArrears: 2.5 });
    expect(figures.reasons.weeksInArrears).toBe('2.5 weeks behind: no payment on record');
  });

  it('never uses the word eviction in any reason', () => {
    const figures = assess({ today: '2026-11-12', openingBalances: { rent: 90000 }, entries: [rent('2026-11-09')] });
    expect(JSON.stringify(figures.reasons)).not.toMatch(/evict/i);
  });
});
