// The account KPI totals kept per day (migrations/0070): the daily sweep leaves its day's, and a request
// computed from the ledger leaves its own, so a view of the KPIs never waits for a pass over the ledger
// unless something changed since. A row counts only while its generation is the ledger's current one:
// every statement writing the ledger or a tenancy's schedule moves the generation on.
import { jsonParam } from '../db/params.js';
import { createHash } from 'node:crypto';
import type { Sql } from '../db/connect.js';
import type { AccountSnapshot, LedgerYearSums } from '../jobs/account-sweep.js';
import { arrearsBandOf, emptyTotals, financialYearOf, type AccountKpiTotals } from '../rent/kpis.js';
import type { Policy } from '../rent/policy.js';

/** The lock the ledger's writers hold shared until they commit (migrations/0070). */
const LEDGER_WRITERS_LOCK = 72_646_070;

/** Any change to the policy may change the figures (threshold, grace, charge calendar): it keys the rows. */
function policyKey(policy: Policy): string {
  return createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 32);
}

/**
 * The generation figures about to be read belong to, or null when a writer is in flight (its rows might
 * commit after the figures' snapshot without moving the generation again): then nothing is stored.
 */
export async function generationBeforeReading(sql: Sql): Promise<string | null> {
  return sql.begin(async (tx) => {
    const [lock] = await tx<{ ok: boolean }[]>`select pg_try_advisory_xact_lock(${LEDGER_WRITERS_LOCK}) as ok`;
    if (!lock?.ok) return null;
    const [row] = await tx<{ n: string }[]>`select last_value::text as n from kpi_ledger_generation`;
    return row?.n ?? '0';
  });
}

export async function storedAccountTotals(sql: Sql, asOf: string, policy: Policy): Promise<AccountKpiTotals | null> {
  const [row] = await sql<{ totals: AccountKpiTotals }[]>`
    select totals from kpi_account_totals
    where as_of = ${asOf} and policy_key = ${policyKey(policy)}
      and generation = (select last_value from kpi_ledger_generation)`;
  return row?.totals ?? null;
}

/** Keeps `totals` for `asOf`, and drops rows of older generations (they can never be read again). */
export async function storeAccountTotals(
  sql: Sql,
  input: { asOf: string; policy: Policy; generation: string; totals: AccountKpiTotals },
): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from kpi_account_totals where generation <> ${input.generation}`;
    await tx`
      insert into kpi_account_totals (as_of, policy_key, generation, totals)
      values (${input.asOf}, ${policyKey(input.policy)}, ${input.generation}, ${jsonParam(tx, input.totals)})
      on conflict (as_of, policy_key) do update set generation = excluded.generation, totals = excluded.totals,
        computed_at = now()`;
  });
}

/**
 * Gathers the account KPI totals from one sweep of the accounts at `asOf`: pass `yearSums` and `visit` to
 * sweepAccounts, then `totals` with the annual debit. Arrears come from the sweep's own assessment, so
 * the KPIs and the texts read arrears by the same rule.
 */
export function accountTotalsCollector(asOf: string, policy: Policy) {
  const totals = emptyTotals();
  let ledger: LedgerYearSums | null = null;
  return {
    yearSums: { yearStart: financialYearOf(asOf).start, receive: (sums: LedgerYearSums) => (ledger = sums) },
    visit(snapshots: readonly AccountSnapshot[]): void {
      for (const s of snapshots) {
        totals.technicalArrearsPence += s.technicalPence;
        totals.actionableArrearsPence += s.actionableArrearsPence;
        if (s.actionableArrearsPence > 0 && s.actionableArrearsPence >= policy.arrears.threshold_pence) {
          totals.tenanciesInArrears += 1;
          const band = totals.bands[arrearsBandOf(s.weeksInArrears)];
          band.tenancies += 1;
          band.arrears_pence += s.actionableArrearsPence;
        }
      }
    },
    totals(annualDebitPence: number): AccountKpiTotals {
      if (!ledger) throw new Error('the sweep did not report its year sums');
      const sums: LedgerYearSums = ledger;
      return { ...totals, ...sums, annualDebitPence };
    },
  };
}
