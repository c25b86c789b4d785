// How an import's outcome reads on the terminal: every problem by file, line and field, then the counts.
import type { ImportReport } from '../imports/index.js';

export function printImportReport(report: ImportReport): void {
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
