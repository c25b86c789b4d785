// The operator CLI: `npm run rentline -- <command>`. Same configuration as the service.
import { parseArgs } from 'node:util';
import { accountSummary } from './accounts/summary.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateAll } from './db/schema.js';
import { ImportFileError, importCsvFiles, type ImportReport } from './imports/index.js';
import { systemClock } from './lib/clock.js';
import { createLogger } from './lib/logger.js';
import { formatPence } from './rent/money.js';
import { localDateOf } from './rent/schedule.js';
import { openRuntime, type Runtime } from './runtime.js';

const USAGE = `Usage: npm run rentline -- <command>

  migrate                         apply database migrations
  import <file.csv>... [--skip-invalid]
                                  import tenancies or transactions files (kind from the header row)
  account <tenancy_ref>           print the account summary
  help                            this text
`;

class UsageError extends Error {}

function printImportReport(report: ImportReport): void {
  for (const e of report.errors) console.log(`  error   ${e.source} ${e.line !== undefined ? `line ${e.line}` : `record ${e.index}`}, ${e.field}: ${e.message}`);
  if (report.errorCount > report.errors.length) console.log(`  … and ${report.errorCount - report.errors.length} more errors`);
  for (const w of report.warnings.slice(0, 50)) console.log(`  warning ${w.source} ${w.line !== undefined ? `line ${w.line}` : `record ${w.index}`}, ${w.field}: ${w.message}`);
  if (report.warningCount > 50) console.log(`  … and ${report.warningCount - 50} more warnings`);
  if (!report.imported) {
    console.log(`Nothing was imported: ${report.errorCount} problem(s). Fix the rows above, or run again with --skip-invalid to import only the valid rows.`);
    return;
  }
  const t = report.tenancies;
  const p = report.tenants;
  console.log(`Imported ${report.rows.tenancies} tenancy rows and ${report.rows.transactions} transaction rows${report.errorCount ? ` (${report.errorCount} problem(s) skipped)` : ''}.`);
  console.log(`  tenancies:    ${t.inserted} new, ${t.updated} updated, ${t.unchanged} unchanged`);
  console.log(`  tenants:      ${p.inserted} new, ${p.updated} updated, ${p.unchanged} unchanged`);
  console.log(`  transactions: ${report.transactions.inserted} new, ${report.transactions.alreadyPresent} already present`);
}

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openRuntime(config, { logger: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }) });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return withRuntime(async (rt) => {
        const applied = await migrateAll(rt.db.sql);
        console.log(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
        return 0;
      });
    case 'import': {
      const { values, positionals } = parseArgs({ args: rest, options: { 'skip-invalid': { type: 'boolean' } }, allowPositionals: true });
      if (positionals.length === 0) throw new UsageError('import needs at least one CSV file');
      return withRuntime(async (rt) => {
        const report = await importCsvFiles(rt.db.sql, positionals, { skipInvalid: values['skip-invalid'] ?? false });
        printImportReport(report);
        return report.imported ? 0 : 1;
      });
    }
    case 'account': {
      const [ref] = rest;
      if (!ref) throw new UsageError('account needs a tenancy reference');
      return withRuntime(async (rt) => {
        const today = localDateOf(systemClock.now(), rt.config.timeZone);
        const summary = await accountSummary(rt.db.sql, ref, { today, policy: rt.policy });
        if (!summary) {
          console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
          return 1;
        }
        console.log(JSON.stringify(summary, null, 2));
        console.log(`\n${summary.tenancy_ref}: balance ${formatPence(summary.balance_pence)}. ${summary.reasons.arrears} ${summary.reasons.weeks_in_arrears}`);
        return 0;
      });
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError || error instanceof ImportFileError) console.error(error.message);
    else console.error(`rentline: ${(error as Error).message ?? String(error)}`);
    process.exit(2);
  },
);
