import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../support/policy.js';
import {
  accountKpis,
  addTotals,
  annualDebitOf,
  arrearsBandOf,
  emptyTotals,
  percent,
  tenancyKpiTotals,
} from '../../src/rent/kpis.js';
import { KPI_LEDGER, KPI_TO } from '../kpis/ledger-fixture.js';

const noArrears = { technicalPence: 0, actionableArrearsPence: 0, weeksInArrears: 0 };

describe('account KPIs on a small ledger worked by hand', () => {
  const [a, b, c] = KPI_LEDGER;
  const arrears = {
    KA: { technicalPence: 0, actionableArrearsPence: 14_000, weeksInArrears: 1.4 },
    KB: { technicalPence: 10_000, actionableArrearsPence: 0, weeksInArrears: 0 },
    KC: noArrears,
  } as const;
  const totals = KPI_LEDGER.reduce(
    (sum, t) =>
      addTotals(
        sum,
        tenancyKpiTotals(
          { schedule: t.schedule, entries: t.entries, arrears: arrears[t.ref as keyof typeof arrears] },
          KPI_TO,
          DEFAULT_POLICY,
        ),
      ),
    emptyTotals(),
  );
  const k = accountKpis(totals);

  it.each([
    ['weekly £100 all year less 4 rent-free weeks', a, 480_000],
    ['monthly £400 from June', b, 400_000],
    ['weekly £80 ended in May', c, 64_000],
  ])('annual debit: %s', (_name, t, pence) => {
    expect(annualDebitOf(t!.schedule, KPI_TO, DEFAULT_POLICY)).toBe(pence);
  });

  it('current arrears as a % of the debit: £240 of £9,440 is 2.54%', () => {
    expect(k.annual_rent_debit_pence).toBe(944_000);
    expect(k.current_arrears_pence).toBe(24_000);
    expect(k.current_arrears_pct_of_debit).toBe(2.54);
  });

  it('collection rate excludes arrears brought forward: £1,040 of £1,080 is 96.30% (79.39% with the £230 b/f)', () => {
    expect(k.rent_collected_pence).toBe(104_000);
    expect(k.rent_charged_pence).toBe(108_000);
    expect(k.arrears_brought_forward_pence).toBe(23_000);
    expect(k.collection_rate_pct).toBe(96.3);
    expect(k.collection_rate_incl_bf_pct).toBe(79.39);
  });

  it('counts tenancies in actionable arrears at or above the threshold, in weeks-of-rent bands', () => {
    expect(k.tenancies_in_arrears).toBe(1);
    expect(k.technical_arrears_pence).toBe(10_000);
    expect(k.actionable_arrears_pence).toBe(14_000);
    expect(k.arrears_bands['1_to_4']).toEqual({ tenancies: 1, arrears_pence: 14_000 });
    expect(
      k.arrears_bands.under_1.tenancies + k.arrears_bands['4_to_8'].tenancies + k.arrears_bands['8_plus'].tenancies,
    ).toBe(0);
  });

  it('a former tenancy adds its debit and collections but no current arrears', () => {
    const former = tenancyKpiTotals(
      {
        schedule: c!.schedule,
        entries: [
          ...c!.entries,
          { date: '2026-05-25', type: 'rent', amountPence: 8_000, account: 'rent', description: '' },
        ],
        arrears: noArrears,
      },
      KPI_TO,
      DEFAULT_POLICY,
    );
    expect(former.currentArrearsPence).toBe(0);
    expect(former.chargedPence).toBe(16_000);
  });

  it.each([
    [0.9, 'under_1'],
    [1, '1_to_4'],
    [3.9, '1_to_4'],
    [4, '4_to_8'],
    [7.9, '4_to_8'],
    [8, '8_plus'],
    [20, '8_plus'],
  ])('%s weeks falls in band %s', (weeks, band) => {
    expect(arrearsBandOf(weeks)).toBe(band);
  });

  it('percent rounds to two places and has no rate for a zero base', () => {
    expect(percent(1, 3)).toBe(33.33);
    expect(percent(5, 0)).toBeNull();
  });
});
