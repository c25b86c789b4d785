// Property tests: invariants that must hold for any ledger or amount, not just the hand-worked tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessAccount } from '../../src/rent/account.js';
import { addDays } from '../../src/rent/calendar-date.js';
import { formatPence, parsePoundsToPence } from '../../src/rent/money.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { BENEFITS, TRANSACTION_TYPES, type LedgerEntry } from '../../src/rent/types.js';

const entryArb: fc.Arbitrary<LedgerEntry> = fc.record({
  date: fc.integer({ min: 0, max: 120 }).map((n) => addDays('2026-08-01', n)),
  type: fc.constantFrom(...TRANSACTION_TYPES),
  amountPence: fc.integer({ min: -100_000, max: 100_000 }),
  account: fc.constantFrom('rent' as const, 'rechargeable_repair' as const),
  description: fc.constantFrom('Direct Debit', 'Card payment', 'Housing Benefit', 'UC'),
});

describe('invariants', () => {
  it('reads back every amount it formats', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (p) => parsePoundsToPence(formatPence(p)) === p));
  });

  it('splits arrears exactly into technical and actionable, never negative, and ignores sub-accounts', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 40 }), fc.constantFrom(...BENEFITS), (entries, benefit) => {
        const input = {
          schedule: {
            frequency: 'weekly' as const,
            amountPence: 10000,
            dueDay: 'monday' as const,
            startDate: '2026-04-06',
            endDate: null,
          },
          benefit,
          entries,
          today: '2026-11-20',
        };
        const figures = assessAccount(input, DEFAULT_POLICY);
        expect(figures.arrearsPence).toBeGreaterThanOrEqual(0);
        expect(figures.technicalPence).toBeGreaterThanOrEqual(0);
        expect(figures.technicalPence + figures.actionableArrearsPence).toBe(figures.arrearsPence);
        expect(figures.arrearsPence).toBeLessThanOrEqual(Math.max(0, figures.balancePence));
        const rentOnly = assessAccount(
          { ...input, entries: entries.filter((e) => e.account === 'rent') },
          DEFAULT_POLICY,
        );
        expect(rentOnly.arrearsPence).toBe(figures.arrearsPence);
        expect(JSON.stringify(figures.reasons)).not.toMatch(/evict/i);
      }),
    );
  });
});
