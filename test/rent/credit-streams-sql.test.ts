// The Direct Debit test has a SQL twin, is_direct_debit (migrations/0084), for the kept ledger and the daily
// sweep: both must call the same lines Direct Debits.
import { describe, expect, it } from 'vitest';
import { isDirectDebit } from '../../src/rent/credit-streams.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();

const DESCRIPTIONS = [
  'Direct Debit',
  'DIRECT DEBIT 0123',
  'directdebit',
  'Direct  debit collection',
  'DD',
  'dd payment',
  'Payment by DD',
  'DD-RETURNED',
  '(DD)',
  'ADDRESS CHANGE',
  'DD123',
  'ODD payment',
  '_DD_',
  'Standing order',
  'Cash at office',
  'direct credit',
  '',
];

describe('the Direct Debit test and its SQL twin', () => {
  it('agree on every description, and only payments are Direct Debits', async () => {
    for (const type of ['payment', 'hb', 'charge'] as const) {
      const rows = await db.sql<{ description: string; dd: boolean }[]>`
        select d as description, is_direct_debit(${type}, d) as dd from unnest(${DESCRIPTIONS}::text[]) as d`;
      const inSql = Object.fromEntries(rows.map((r) => [r.description, r.dd]));
      const inCode = Object.fromEntries(
        DESCRIPTIONS.map((d) => [d, isDirectDebit({ type, description: d } as Parameters<typeof isDirectDebit>[0])]),
      );
      expect(inSql).toEqual(inCode);
      expect(Object.values(inCode).filter(Boolean)).toHaveLength(type === 'payment' ? 9 : 0);
    }
  });
});
