import { describe, expect, it } from 'vitest';
import { buildStatement, statementSpan, statementSummary } from '../../src/rent/statement.js';
import type { LedgerEntry } from '../../src/rent/types.js';

const e = (
  date: string,
  type: LedgerEntry['type'],
  pence: number,
  description = '',
  account: LedgerEntry['account'] = 'rent',
): LedgerEntry => ({ date, type, amountPence: pence, account, description });

describe('rent statements', () => {
  const ledger = [
    e('2026-08-03', 'rent', 10_000),
    e('2026-08-10', 'rent', 10_000),
    e('2026-08-10', 'payment', -5_000, 'Card'),
    e('2026-08-31', 'rent', 10_000),
    e('2026-09-01', 'charge', 2_500, 'Boarding up', 'rechargeable_repair'),
    e('2026-09-02', 'hb', -7_500),
    e('2026-09-07', 'rent', 10_000),
    e('2026-09-08', 'payment', -12_000, 'Direct Debit'),
    e('2026-09-14', 'rent', 10_000), // after the statement ends
  ];

  it('13 weeks to a Monday start the Tuesday 13 weeks earlier', () => {
    expect(statementSpan(13, '2026-11-30')).toEqual({ from: '2026-09-01', to: '2026-11-30' });
    expect(statementSpan(1, '2026-09-13')).toEqual({ from: '2026-09-07', to: '2026-09-13' });
  });

  it('runs the balance on from the balance brought forward, rent account only', () => {
    const s = buildStatement(ledger, { from: '2026-08-31', to: '2026-09-13' });
    // Brought forward: 100 + 100 − 50 = £150.
    expect(s.brought_forward_pence).toBe(15_000);
    expect(s.lines).toEqual([
      { date: '2026-08-31', description: 'Rent', debit_pence: 10_000, credit_pence: 0, balance_pence: 25_000 },
      {
        date: '2026-09-02',
        description: 'Housing Benefit',
        debit_pence: 0,
        credit_pence: 7_500,
        balance_pence: 17_500,
      },
      { date: '2026-09-07', description: 'Rent', debit_pence: 10_000, credit_pence: 0, balance_pence: 27_500 },
      {
        date: '2026-09-08',
        description: 'Payment: Direct Debit',
        debit_pence: 0,
        credit_pence: 12_000,
        balance_pence: 15_500,
      },
    ]);
    expect(s).toMatchObject({ total_debit_pence: 20_000, total_credit_pence: 19_500, balance_pence: 15_500 });
    expect(statementSummary(s, 2)).toBe(
      'Rent statement, 2 weeks from 31 Aug 2026 to 13 Sep 2026: balance brought forward £150.00, rent and charges £200.00, paid £195.00, balance now £155.00.',
    );
  });

  it('an empty span still shows the balance brought forward; a credit reads as credit', () => {
    const s = buildStatement([e('2026-01-05', 'payment', -2_000)], { from: '2026-02-01', to: '2026-02-28' });
    expect(s).toMatchObject({ brought_forward_pence: -2_000, lines: [], balance_pence: -2_000 });
    expect(statementSummary(s, 4)).toContain('balance now £20.00 in credit');
  });
});
