// The SQL twin of the Breathing Space hold agrees with the pure rule: for generated joint tenancies and
// days, the tenancy-wide SQL predicate is true exactly when holdsOf finds a Breathing Space hold (of any
// tenant) on that day.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/rent/calendar-date.js';
import { holdsOf, type TenantHoldFacts } from '../../src/rent/holds.js';
import { breathingSpaceActiveSql, tenancyInBreathingSpaceSql } from '../../src/rent/holds-sql.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();

const space = fc.option(
  fc.record({
    startOffset: fc.integer({ min: -90, max: 30 }),
    length: fc.option(fc.integer({ min: 0, max: 90 })),
    mentalHealth: fc.boolean(),
  }),
);

describe('the Breathing Space SQL twin', () => {
  it('agrees with holdsOf for any tenants and day, joint tenants included', async () => {
    const today = '2026-11-10';
    const samples = fc.sample(fc.array(space, { minLength: 1, maxLength: 3 }), { numRuns: 120, seed: 42 });
    const refs: string[] = [];
    const expected = new Map<string, boolean>();
    for (const [i, tenants] of samples.entries()) {
      const ref = `BS-SQL-${i}`;
      refs.push(ref);
      await db.sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day) values (${ref}, 'secure', '2020-04-06', 'weekly', 10000, 'monday')`;
      const facts: TenantHoldFacts[] = [];
      for (const [n, s] of tenants.entries()) {
        const start = s ? addDays(today, s.startOffset) : null;
        const end = s && s.length !== null ? addDays(start as string, s.length) : null;
        await db.sql`
          insert into tenants (tenancy_ref, tenant_no, first_name, last_name, breathing_space_start, breathing_space_end, breathing_space_mental_health)
          values (${ref}, ${n + 1}, 'T', 'T', ${start}, ${end}, ${s?.mentalHealth ?? false})`;
        facts.push({
          tenantNo: n + 1,
          vulnerable: false,
          vulnerableSince: null,
          vulnerableReviewOn: null,
          doNotContact: false,
          breathingSpace: start ? { start, end, mentalHealth: s?.mentalHealth ?? false } : null,
          disputedAt: null,
          smsOptedOutAt: null,
          whatsappOptedOutAt: null,
          pausedUntil: null,
          pauseReason: null,
        });
      }
      const holds = holdsOf(facts, [], new Date(`${today}T12:00:00Z`), 'Europe/London');
      expected.set(
        ref,
        holds.some((h) => h.kind === 'breathing_space' || h.kind === 'breathing_space_mental_health'),
      );
    }
    const rows = await db.sql.unsafe<{ tenancy_ref: string; held: boolean; tenant_no: number; own: boolean }[]>(
      `select t.tenancy_ref, t.tenant_no, ${tenancyInBreathingSpaceSql('t.tenancy_ref', today)} as held, ${breathingSpaceActiveSql('t', today)} as own
       from tenants t where t.tenancy_ref = any($1::text[])`,
      [refs],
    );
    expect(rows.length).toBeGreaterThan(refs.length);
    for (const row of rows) expect(row.held, row.tenancy_ref).toBe(expected.get(row.tenancy_ref));
    // Some samples of each kind, so the agreement is not vacuous.
    expect(new Set([...expected.values()])).toEqual(new Set([true, false]));
  });

  it('refuses a day that is not a YYYY-MM-DD date, and an alias that is not a plain identifier', () => {
    expect(() => breathingSpaceActiveSql('t', "2026-11-10'; drop table tenants; --")).toThrow('YYYY-MM-DD');
    expect(() => breathingSpaceActiveSql('t; drop', '2026-11-10')).toThrow('identifier');
  });
});
