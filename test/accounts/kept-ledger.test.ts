// The kept ledger (migrations/0084, src/accounts/kept-ledger.ts): whatever writes the ledger and wherever
// the split stands, a whole-landlord sweep that reads it gives exactly the figures and year sums of a
// sweep over `transactions` itself; a day before the split falls back to the ledger; settling moves
// lines and never changes a figure. The demo generator's ledgers (two years, HB and UC, Direct Debits,
// other accounts) go in through the importer, then lines are changed and removed behind its back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  keptLedgerServes,
  keptLedgerSplit,
  rebuildKeptLedger,
  settleKeptLedger,
} from '../../src/accounts/kept-ledger.js';
import { findLedger, findTenancy, type TenancyRow } from '../../src/accounts/queries.js';
import { scheduleOf } from '../../src/accounts/summary.js';
import { assessAccount } from '../../src/rent/account.js';
import type { Sql } from '../../src/db/connect.js';
import { writeDemoCsv } from '../../src/demo/write-csv.js';
import { importCsvFiles } from '../../src/imports/index.js';
import { sweepAccounts, type AccountSnapshot, type LedgerYearSums } from '../../src/jobs/account-sweep.js';
import { addDays } from '../../src/rent/calendar-date.js';
import { rentYearOf } from '../../src/rent/schedule.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();
const today = '2026-11-16';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Swept {
  snapshots: AccountSnapshot[];
  yearSums: LedgerYearSums | null;
}

/** A sweep on `day`: of every tenancy (the kept ledger, when it serves), or of `refs` (always the ledger). */
async function sweep(sql: Sql, day: string, refs: string[] | null): Promise<Swept> {
  const snapshots: AccountSnapshot[] = [];
  let yearSums: LedgerYearSums | null = null;
  await sweepAccounts(
    sql,
    {
      today: day,
      policy: DEFAULT_POLICY,
      refs,
      batchSize: 40,
      yearSums: { yearStart: rentYearOf(day).start, receive: (sums) => (yearSums = sums) },
    },
    (batch) => void snapshots.push(...batch),
  );
  snapshots.sort((a, b) => a.tenancyRef.localeCompare(b.tenancyRef));
  return { snapshots, yearSums };
}

async function allRefs(sql: Sql): Promise<string[]> {
  return (await sql<{ tenancy_ref: string }[]>`select tenancy_ref from tenancies order by tenancy_ref`).map(
    (r) => r.tenancy_ref,
  );
}

/** Both sweeps on `day` agree, and the kept ledger was the one read (its split is at or before the window). */
async function expectKeptEqualsLedger(day: string): Promise<void> {
  const split = await keptLedgerSplit(db.sql, { lock: false });
  expect(keptLedgerServes(split, { windowStart: addDays(day, -130), yearStart: rentYearOf(day).start })).toBe(true);
  const kept = await sweep(db.sql, day, null);
  const ledger = await sweep(db.sql, day, await allRefs(db.sql));
  expect(kept.snapshots.length).toBeGreaterThan(100);
  expect(kept.snapshots).toEqual(ledger.snapshots);
  expect(kept.yearSums).toEqual(ledger.yearSums);
}

/**
 * And both agree with the rules on each account's whole ledger as the account view reads it (descriptions
 * and all): the oracle the sweep's shortcuts (sums, windows, Direct Debit flags) must not move from.
 */
async function expectAssessedAlike(day: string): Promise<void> {
  const { snapshots } = await sweep(db.sql, day, null);
  let inArrears = 0;
  let directDebits = 0;
  for (const snapshot of snapshots) {
    const tenancy = await findTenancy(db.sql, snapshot.tenancyRef);
    const entries = await findLedger(db.sql, snapshot.tenancyRef);
    directDebits += entries.filter((e) => e.description === 'Direct Debit').length;
    const figures = assessAccount(
      { schedule: scheduleOf(tenancy as TenancyRow), benefit: snapshot.benefit, entries, today: day },
      DEFAULT_POLICY,
    );
    expect({
      ref: snapshot.tenancyRef,
      arrears: snapshot.arrearsPence,
      actionable: snapshot.actionableArrearsPence,
      technical: snapshot.technicalPence,
      weeks: snapshot.weeksInArrears,
      balance: snapshot.balancePence,
    }).toEqual({
      ref: snapshot.tenancyRef,
      arrears: figures.arrearsPence,
      actionable: figures.actionableArrearsPence,
      technical: figures.technicalPence,
      weeks: figures.weeksInArrears,
      balance: figures.balancePence,
    });
    if (figures.arrearsPence > 0) inArrears += 1;
  }
  // The generated ledgers must exercise what the shortcuts cut: arrears, and Direct Debits among the credits.
  expect(inArrears).toBeGreaterThan(50);
  expect(directDebits).toBeGreaterThan(100);
}

describe('the kept ledger', () => {
  it('holds rent_year_start equal to rentYearOf', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }),
        async (d) => {
          const date = d.toISOString().slice(0, 10);
          const [row] = await db.sql<{ start: string }[]>`select rent_year_start(${date}::date)::text as start`;
          expect(row?.start).toBe(rentYearOf(date).start);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the ledger’s own figures through imports, changes, removals, settling and a truncate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rentline-kept-'));
    dirs.push(dir);
    const files = await writeDemoCsv(dir, { tenancies: 500, seed: 11, today, years: 2 });
    const report = await importCsvFiles(db.sql, [files.tenanciesFile, files.transactionsFile]);
    // A first load, so the recent part's index was set aside and rebuilt with the ledger's (bulk-load.ts).
    expect(report.transactions.inserted).toBeGreaterThan(50_000);
    const indexes = await db.sql`select indexname from pg_indexes where tablename = 'ledger_recent'`;
    expect(indexes.map((i) => i.indexname)).toEqual(['ledger_recent_by_date']);

    // The split in the middle of the history: both parts hold lines of several rent years.
    await rebuildKeptLedger(db.sql, '2025-09-17');
    await expectKeptEqualsLedger(today);
    await expectAssessedAlike(today);
    await expectKeptEqualsLedger('2026-04-02'); // a rent year's second day: brought forward is almost all
    await expectKeptEqualsLedger('2026-03-31'); // and its last: the year's sums straddle the split

    // Lines changed and removed behind the importer's back, on both sides of the split, and one moved across it.
    await db.sql`update transactions set amount_pence = amount_pence + 137 where transaction_id in (
      select transaction_id from transactions where account = 'rent' order by transaction_id limit 400)`;
    await db.sql`update transactions set date = date + 200 where transaction_id in (
      select transaction_id from transactions where account = 'rent' and date < '2025-09-17' order by transaction_id desc limit 50)`;
    await db.sql`delete from transactions where transaction_id in (
      select transaction_id from transactions where account = 'rent' order by md5(transaction_id) limit 300)`;
    await db.sql`update transactions set account = 'loan' where transaction_id in (
      select transaction_id from transactions where account = 'rent' and type = 'charge' limit 20)`;
    await expectKeptEqualsLedger(today);

    // A day's settling moves lines into the settled sums; the figures do not move with them.
    const before = await sweep(db.sql, today, null);
    expect(await settleKeptLedger(db.sql, today)).toBe(addDays(today, -150));
    expect(await settleKeptLedger(db.sql, addDays(today, -20))).toBe(addDays(today, -150)); // never back
    const [recent] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from ledger_recent where date < ${addDays(today, -150)}`;
    expect(recent?.n).toBe(0);
    expect(await sweep(db.sql, today, null)).toEqual(before);
    await expectKeptEqualsLedger(today);

    // A day whose window starts before the split reads the ledger: still the same figures.
    const early = '2026-06-01';
    expect(
      keptLedgerServes(await keptLedgerSplit(db.sql, { lock: false }), { windowStart: addDays(early, -130) }),
    ).toBe(false);
    expect(await sweep(db.sql, early, null)).toEqual(await sweep(db.sql, early, await allRefs(db.sql)));

    // A run `--at` years ahead settles no further than the database's own date allows.
    const [limit] = await db.sql<{ day: string }[]>`select (current_date - 150)::text as day`;
    expect(await settleKeptLedger(db.sql, '2031-01-01')).toBe(limit?.day);

    // Emptied with the ledger.
    await db.sql`truncate transactions`;
    const [left] = await db.sql<{ n: number }[]>`
      select ((select count(*) from ledger_recent) + (select count(*) from ledger_settled))::int as n`;
    expect(left?.n).toBe(0);
    const empty = await sweep(db.sql, today, null);
    expect(empty.snapshots.every((s) => s.balancePence === 0)).toBe(true);
  });

  it('serves only sweeps whose window it holds, with year sums from a rent year’s first day', () => {
    expect(keptLedgerServes(null, { windowStart: '2026-07-01' })).toBe(false);
    expect(keptLedgerServes('2026-07-01', { windowStart: '2026-06-30' })).toBe(false);
    expect(keptLedgerServes('2026-07-01', { windowStart: '2026-07-01' })).toBe(true);
    expect(keptLedgerServes('2026-07-01', { windowStart: '2026-07-09', yearStart: '2026-04-01' })).toBe(true);
    expect(keptLedgerServes('2026-07-01', { windowStart: '2026-07-09', yearStart: '2026-01-01' })).toBe(false);
  });
});
