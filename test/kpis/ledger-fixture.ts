// A small landlord worked by hand for the KPI tests (to = Monday 30 November 2026, financial year
// 1 April 2026–31 March 2027, the shipped policy: rent-free weeks w/c 21 and 28 Dec 2026, 22 and 29 Mar 2027).
//
// A weekly £100 (Mondays), running. 52 Mondays in the year less 4 rent-free = 48 × £100 = £4,800 debit.
//   b/f £150; charged £200; credits £150 payment + £30 HB = £180 (the £20 adjustment and £10 write-off
//   are not collections); balance at 30 Nov: 150 + 200 − 150 − 30 − 20 − 10 = £140. A £500 service
//   charge sits on a sub-account and counts nowhere.
// B monthly £400 on the 1st, from 1 June 2026, running. June–March = 10 × £400 = £4,000 debit.
//   charged £800; paid £400 + £300 = £700; balance £100.
// C weekly £80 (Mondays), ended 31 May 2026 (former). Mondays 6 Apr–25 May = 8 × £80 = £640 debit.
//   b/f £80; charged £80; paid £160; balance £0; not running, so no current arrears.
//
// Totals: debit £9,440; current arrears £140 + £100 = £240 → 240 ÷ 9,440 = 2.54%.
// Collection (excl. b/f): credits £1,040 ÷ charged £1,080 = 96.30%. Incl. b/f: 1,040 ÷ (1,080 + 230) = 79.39%.
import type { LedgerEntry, RentSchedule } from '../../src/rent/types.js';

export interface FixtureTenancy {
  ref: string;
  schedule: RentSchedule;
  entries: LedgerEntry[];
}

const e = (
  date: string,
  type: LedgerEntry['type'],
  pounds: number,
  account: LedgerEntry['account'] = 'rent',
): LedgerEntry => ({
  date,
  type,
  amountPence: Math.round(pounds * 100),
  account,
  description: '',
});

export const KPI_TO = '2026-11-30';

export const KPI_LEDGER: FixtureTenancy[] = [
  {
    ref: 'KA',
    schedule: { frequency: 'weekly', amountPence: 10_000, dueDay: 'monday', startDate: '2025-01-06', endDate: null },
    entries: [
      e('2026-03-02', 'rent', 150),
      e('2026-04-06', 'rent', 100),
      e('2026-04-13', 'rent', 100),
      e('2026-04-13', 'payment', -150),
      e('2026-04-20', 'hb', -30),
      e('2026-04-20', 'adjustment', -20),
      e('2026-04-27', 'write_off', -10),
      e('2026-05-01', 'charge', 500, 'service_charge'),
    ],
  },
  {
    ref: 'KB',
    schedule: { frequency: 'monthly', amountPence: 40_000, dueDay: 1, startDate: '2026-06-01', endDate: null },
    entries: [
      e('2026-06-01', 'rent', 400),
      e('2026-06-01', 'payment', -400),
      e('2026-07-01', 'rent', 400),
      e('2026-07-05', 'payment', -300),
    ],
  },
  {
    ref: 'KC',
    schedule: {
      frequency: 'weekly',
      amountPence: 8_000,
      dueDay: 'monday',
      startDate: '2024-04-01',
      endDate: '2026-05-31',
    },
    entries: [e('2026-03-30', 'rent', 80), e('2026-04-06', 'rent', 80), e('2026-04-10', 'payment', -160)],
  },
];
