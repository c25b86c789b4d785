// One import run: any number of sources (CSV files or JSON arrays) validated row by row, staged with COPY,
// checked across rows and merged, all in ONE transaction. With any invalid row nothing is written unless
// skipInvalid is set, in which case only the valid rows are.
import type { Sql } from '../db/connect.js';
import { copyIntoLedger } from './direct.js';
import { copyTenancies } from './direct-tenancies.js';
import {
  checkTenancyRecord,
  checkTransactionRecord,
  type FieldProblem,
  type ImportKind,
  type TenancyRecord,
  type TransactionRecord,
} from './records.js';
import {
  checkStagedTenancies,
  checkStagedTransactions,
  createStagingTables,
  discardStaged,
  mergeTenancies,
  mergeTransactions,
  stageTenancies,
  stageTransactions,
  type MergeCounts,
  type StagedProblem,
} from './staging.js';

/** Where a record came from: `line` for CSV (the header is line 1), `index` for JSON arrays. */
export interface RawRow {
  position: number;
  raw: Record<string, unknown>;
}

export interface ImportSource {
  name: string;
  kind: ImportKind;
  positionLabel: 'line' | 'index';
  /** Batches of rows: the pipeline pays one await per batch, which matters at a million rows. */
  rows: AsyncIterable<RawRow[]> | Iterable<RawRow[]>;
  /** A CSV file's path: its transactions can then be read again, straight into the ledger (direct.ts). */
  path?: string;
}

export interface ImportProblem {
  source: string;
  line?: number;
  index?: number;
  field: string;
  message: string;
}

export interface ImportReport {
  /** True when the rows were written (all of them, or the valid ones with skipInvalid). */
  imported: boolean;
  rows: { tenancies: number; transactions: number };
  tenancies: MergeCounts;
  tenants: MergeCounts;
  transactions: { inserted: number; alreadyPresent: number };
  errors: ImportProblem[];
  errorCount: number;
  warnings: ImportProblem[];
  warningCount: number;
}

const MAX_LISTED = 1000;

class Rollback extends Error {}

function emptyCounts(): MergeCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

export interface ImportOptions {
  skipInvalid?: boolean;
  demo?: boolean;
  /** Called after each phase with its duration: the benchmark reports where the time goes. */
  onPhase?: (phase: string, ms: number) => void;
}

export async function runImport(sql: Sql, sources: ImportSource[], options: ImportOptions = {}): Promise<ImportReport> {
  let phaseStart = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    options.onPhase?.(name, now - phaseStart);
    phaseStart = now;
  };
  const report: ImportReport = {
    imported: false,
    rows: { tenancies: 0, transactions: 0 },
    tenancies: emptyCounts(),
    tenants: emptyCounts(),
    transactions: { inserted: 0, alreadyPresent: 0 },
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
  };
  // Tenancies first, so transactions in the same run can refer to them.
  const ordered = [...sources.entries()].sort(([, a], [, b]) =>
    a.kind === b.kind ? 0 : a.kind === 'tenancies' ? -1 : 1,
  );
  const problem = (sourceIndex: number, position: number, p: FieldProblem): ImportProblem => {
    const source = sources[sourceIndex] as ImportSource;
    return { source: source.name, [source.positionLabel]: position, field: p.field, message: p.message };
  };
  const addError = (e: ImportProblem) => {
    report.errorCount++;
    if (report.errors.length < MAX_LISTED) report.errors.push(e);
  };
  const addWarning = (w: ImportProblem) => {
    report.warningCount++;
    if (report.warnings.length < MAX_LISTED) report.warnings.push(w);
  };
  const fromStaged = (p: StagedProblem) => problem(p.source, p.line, p);

  async function* validRows<T>(
    sourceIndex: number,
    source: ImportSource,
    check: (
      raw: Record<string, unknown>,
    ) => { ok: true; record: T; warnings: FieldProblem[] } | { ok: false; errors: FieldProblem[] },
  ) {
    for await (const batch of source.rows) {
      const staged: { source: number; line: number; record: T }[] = [];
      for (const row of batch) {
        const extra = row.raw.__extra;
        const result: ReturnType<typeof check> =
          typeof extra === 'number'
            ? {
                ok: false,
                errors: [
                  {
                    field: 'row',
                    message: `has ${extra} more value(s) than the header has columns; check for an unquoted comma`,
                  },
                ],
              }
            : check(row.raw);
        if (source.kind === 'tenancies') report.rows.tenancies++;
        else report.rows.transactions++;
        if (result.ok) {
          for (const w of result.warnings) addWarning(problem(sourceIndex, row.position, w));
          staged.push({ source: sourceIndex, line: row.position, record: result.record });
        } else {
          for (const e of result.errors) addError(problem(sourceIndex, row.position, e));
        }
      }
      yield staged;
    }
  }

  try {
    await sql.begin(async (tx) => {
      // One import at a time: two overlapping imports would race on the same ids.
      await tx`select pg_advisory_xact_lock(72646002)`;
      await createStagingTables(tx);
      const tenancySources = ordered.filter(([, s]) => s.kind === 'tenancies');
      // A first load of CSV files tries the direct way in (direct-tenancies.ts); anything it gives up on
      // is staged, checked and merged, which reports it.
      let direct = false;
      if (tenancySources.length > 0 && tenancySources.every(([, s]) => s.path !== undefined)) {
        await tx`savepoint direct_tenancies`;
        const files = tenancySources.map(([i, s]) => ({ path: s.path as string, source: i }));
        const outcome = await copyTenancies(tx, files, { demo: options.demo ?? false });
        if (outcome.ok) {
          await tx`release savepoint direct_tenancies`;
          phase('read and copy tenancies');
          direct = true;
          report.rows.tenancies = outcome.rows;
          report.tenancies = { inserted: outcome.tenancies, updated: 0, unchanged: 0 };
          report.tenants = { inserted: outcome.rows, updated: 0, unchanged: 0 };
          for (const w of outcome.warnings) addWarning(problem(w.source, w.line, w.problem));
          report.warningCount += outcome.warningCount - outcome.warnings.length;
        } else {
          await tx`rollback to savepoint direct_tenancies`;
          if (outcome.reason !== 'not a first load') phase(`direct tenancies (gave up: ${outcome.reason})`);
        }
      }
      if (!direct) {
        for (const [i, source] of tenancySources) {
          await stageTenancies(tx, validRows<TenancyRecord>(i, source, checkTenancyRecord));
        }
        phase('read and stage tenancies');
        const tenancyProblems = await checkStagedTenancies(tx);
        phase('check tenancies across rows');
        tenancyProblems.forEach((p) => addError(fromStaged(p)));
        if (report.errorCount > 0 && !options.skipInvalid) {
          // Still read the transactions files so the operator sees every problem at once.
          for (const [i, source] of ordered.filter(([, s]) => s.kind === 'transactions')) {
            for await (const _ of validRows<TransactionRecord>(i, source, checkTransactionRecord)) void _;
          }
          throw new Rollback();
        }
        await discardStaged(tx, 'stage_tenancies', tenancyProblems);
        const merged = await mergeTenancies(tx, { demo: options.demo ?? false });
        phase('merge tenancies');
        report.tenancies = merged.tenancies;
        report.tenants = merged.tenants;
      }

      const transactionSources = ordered.filter(([, s]) => s.kind === 'transactions');
      // CSV files first try the direct way in (direct.ts); JSON arrays, and files it gives up on, are staged.
      const paths = transactionSources.map(([, s]) => s.path);
      if (transactionSources.length > 0 && paths.every((p): p is string => p !== undefined)) {
        await tx`savepoint direct_ledger`;
        const outcome = await copyIntoLedger(tx, paths);
        if (outcome.ok) {
          await tx`release savepoint direct_ledger`;
          phase('read and copy transactions into the ledger');
          report.rows.transactions = outcome.rows;
          report.transactions = { inserted: outcome.rows, alreadyPresent: 0 };
          return;
        }
        await tx`rollback to savepoint direct_ledger`;
        phase(`direct copy (gave up: ${outcome.reason})`);
      }
      let staged = false;
      if (transactionSources.length > 0 && paths.every((p): p is string => p !== undefined)) {
        // The same quick reading, into the staging table: ids already imported or repeated are the staged
        // checks' business. A row that needs reporting sends it to the full read below.
        await tx`savepoint quick_stage`;
        const quick = await copyIntoLedger(tx, paths, { sources: transactionSources.map(([i]) => i) });
        if (quick.ok) {
          await tx`release savepoint quick_stage`;
          report.rows.transactions = quick.rows;
          staged = true;
        } else await tx`rollback to savepoint quick_stage`;
      }
      if (!staged) {
        for (const [i, source] of transactionSources) {
          await stageTransactions(tx, validRows<TransactionRecord>(i, source, checkTransactionRecord));
        }
      }
      phase('read and stage transactions');
      const transactionProblems = await checkStagedTransactions(tx);
      phase('check transactions across rows');
      transactionProblems.forEach((p) => addError(fromStaged(p)));
      if (report.errorCount > 0 && !options.skipInvalid) throw new Rollback();
      await discardStaged(tx, 'stage_transactions', transactionProblems);
      const counts = await mergeTransactions(tx);
      phase('merge transactions');
      report.transactions = { inserted: counts.inserted, alreadyPresent: counts.alreadyPresent };
      for (const c of counts.conflicting) {
        addWarning(
          problem(c.source, c.line, {
            field: 'transaction_id',
            message:
              'already imported with different details; the original is kept (post an adjustment to correct a ledger)',
          }),
        );
      }
    });
    phase('commit');
    report.imported = true;
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    report.tenancies = emptyCounts();
    report.tenants = emptyCounts();
    report.transactions = { inserted: 0, alreadyPresent: 0 };
  }
  const order = (p: ImportProblem) => [p.source, p.line ?? p.index ?? 0] as const;
  report.errors.sort((a, b) =>
    order(a)[0] === order(b)[0] ? order(a)[1] - order(b)[1] : order(a)[0] < order(b)[0] ? -1 : 1,
  );
  return report;
}
