// Table tests for arrangements: instalment dates, expected arrears, and kept / broken with 5 days' tolerance.
import { describe, expect, it } from 'vitest';
import { assessArrangement, instalments } from '../../src/rent/arrangement.js';
import { DEFAULT_POLICY } from '../support/policy.js';

type ArrangementInput = Parameters<typeof assessArrangement>[0];

// £20 a week off £100.00 arrears from Monday 7 Dec 2026: 5 instalments, 7, 14, 21, 28 Dec and 4 Jan.
const plan: Omit<ArrangementInput, 'payments' | 'today'> = {
  startArrearsPence: 10000,
  amountPence: 2000,
  frequency: 'weekly',
  startDate: '2026-12-07',
};

function assess(today: string, payments: [string, number][] = []) {
  return assessArrangement(
    { ...plan, today, payments: payments.map(([date, amountPence]) => ({ date, amountPence })) },
    DEFAULT_POLICY,
  );
}

describe('instalments', () => {
  it('makes the last instalment smaller when the arrears do not divide evenly', () => {
    // 10500 ÷ 2000 = 5.25 → 6 instalments, the sixth 10500 - 5 × 2000 = 500.
    const all = instalments({ ...plan, startArrearsPence: 10500 });
    expect(all.map((i) => i.amountPence)).toEqual([2000, 2000, 2000, 2000, 2000, 500]);
    expect(all.at(-1)).toEqual({ number: 6, date: '2027-01-11', amountPence: 500, cumulativePence: 10500 });
  });

  it('keeps monthly instalments on the start day, clamped to short months', () => {
    const monthly = instalments({
      startArrearsPence: 30000,
      amountPence: 10000,
      frequency: 'monthly',
      startDate: '2027-01-31',
    });
    expect(monthly.map((i) => i.date)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
  });

  it('refuses an instalment of nothing', () => {
    expect(() => instalments({ ...plan, amountPence: 0 })).toThrow(/more than £0.00/);
  });
});

describe('assessArrangement', () => {
  it('is active before the first instalment falls due', () => {
    expect(assess('2026-12-01')).toEqual({
      status: 'active',
      nextInstalmentDate: '2026-12-07',
      shortfallPence: 0,
      expectedArrearsPence: 10000,
      reason: 'Starts 7 Dec: first instalment £20.00',
    });
  });

  it('is kept when every instalment due so far is paid', () => {
    // Due by 15 Dec: 7 and 14 Dec = 4000; paid 4000. Expected arrears 10000 - 4000 = 6000.
    expect(
      assess('2026-12-15', [
        ['2026-12-07', 2000],
        ['2026-12-14', 2000],
      ]),
    ).toEqual({
      status: 'kept',
      nextInstalmentDate: '2026-12-21',
      shortfallPence: 0,
      expectedArrearsPence: 6000,
      reason: 'Kept: £40.00 paid of £40.00 due so far; next £20.00 on 21 Dec',
    });
  });

  it.each([
    // 7 Dec unpaid; its tolerance runs to 12 Dec inclusive.
    ['2026-12-10', 'kept', 2000],
    ['2026-12-12', 'kept', 2000],
    ['2026-12-13', 'broken', 2000],
  ] as const)('with the 7 Dec instalment unpaid, on %s it is %s with %i pence short', (today, status, shortfall) => {
    const result = assess(today);
    expect(result.status).toBe(status);
    expect(result.shortfallPence).toBe(shortfall);
  });

  it('explains a break with the missed instalment and the grace period', () => {
    expect(assess('2026-12-13').reason).toBe(
      "Broken: the £20.00 instalment due 7 Dec was not paid by 12 Dec (5 days' grace); £20.00 short now",
    );
  });

  it('stays kept when a payment arrives on the last day of the tolerance', () => {
    expect(
      assess('2026-12-15', [
        ['2026-12-12', 2000],
        ['2026-12-14', 2000],
      ]).status,
    ).toBe('kept');
  });

  it('counts a payment more than 5 days late as a break even once caught up', () => {
    // 7 Dec instalment paid 13 Dec (6 days late) together with 14 Dec's: 4000 paid of 4000 due.
    const result = assess('2026-12-15', [['2026-12-13', 4000]]);
    expect(result).toMatchObject({ status: 'broken', shortfallPence: 0 });
    expect(result.reason).toContain('since caught up');
  });

  it('is completed once the starting arrears are paid, even early', () => {
    expect(
      assess('2026-12-20', [
        ['2026-12-07', 2000],
        ['2026-12-14', 8000],
      ]),
    ).toEqual({
      status: 'completed',
      nextInstalmentDate: null,
      shortfallPence: 0,
      expectedArrearsPence: 6000,
      reason: 'Completed: £100.00 paid in full',
    });
  });

  it('has no next instalment once the last date has passed', () => {
    // Paid 4 × 2000 on time; the 4 Jan instalment is unpaid but within tolerance on 6 Jan.
    const result = assess('2027-01-06', [
      ['2026-12-07', 2000],
      ['2026-12-14', 2000],
      ['2026-12-21', 2000],
      ['2026-12-28', 2000],
    ]);
    expect(result).toMatchObject({
      status: 'kept',
      nextInstalmentDate: null,
      shortfallPence: 2000,
      expectedArrearsPence: 0,
    });
  });
});
