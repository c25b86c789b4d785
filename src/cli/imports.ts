// `rentline migrate` and `rentline import <file.csv>... [--skip-invalid]`: the database and the landlord's
// files. An import's outcome reads on the terminal as every problem by file, line and field, then the counts.
import { parseArgs } from 'node:util';
import { migrate } from '../db/migrate.js';
import { importCsvFiles, type ImportReport } from '../imports/index.js';
import { UsageError, type WithRuntime } from './shared.js';

export function migrateCommand(withRuntime: WithRuntime): Promise<number> {
  return withRuntime(async (rt) => {
    const applied = await migrate(rt.db.sql);
    console.log(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
    return 0;
  });
}

export async function importCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'skip-invalid': { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('import needs at least one CSV file');
  return withRuntime(async (rt) => {
    const report = await importCsvFiles(rt.db.sql, positionals, { skipInvalid: values['skip-invalid'] ?? false });
    printImportReport(report);
    return report.imported ? 0 : 1;
  });
}

function printImportReport(report: ImportReport): void {
  const where = (p: { source: string; line?: number; index?: number }) =>
    `${p.source} ${p.line !== undefined ? `line ${p.line}` : `record ${p.index}`}`;
  for (const e of report.errors) console.log(`  error   ${where(e)}, ${e.field}: ${e.message}`);
  if (report.errorCount > report.errors.length)
    console.log(`  … and ${report.errorCount - report.errors.length} more errors`);
  for (const w of report.warnings.slice(0, 50)) console.log(`  warning ${where(w)}, ${w.field}: ${w.message}`);
  if (report.warningCount > 50) console.log(`  … and ${report.warningCount - 50} more warnings`);
  if (!report.imported) {
    console.log(
      `Nothing was imported: ${report.errorCount} problem(s). Fix the rows above, or run again with --skip-invalid to import only the valid rows.`,
    );
    return;
  }
  const t = report.tenancies;
  const p = report.tenants;
  console.log(
    `Imported ${report.rows.tenancies} tenancy rows and ${report.rows.transactions} transaction rows${report.errorCount ? ` (${report.errorCount} problem(s) skipped)` : ''}.`,
  );
  console.log(`  tenancies:    ${t.inserted} new, ${t.updated} updated, ${t.unchanged} unchanged`);
  console.log(`  tenants:      ${p.inserted} new, ${p.updated} updated, ${p.unchanged} unchanged`);
  console.log(
    `  transactions: ${report.transactions.inserted} new, ${report.transactions.alreadyPresent} already present`,
  );
}
