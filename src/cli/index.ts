// The operator CLI: `npm run rentline -- <command>`. Same configuration as the service.
import { parseArgs } from 'node:util';
import { accountSummary } from './accounts/summary.js';
import { setBenefitClaimPending } from './accounts/benefit-claim.js';
import { decideEscalation, type OfficerDecision } from './cases/decisions.js';
import { flowsCheck, flowsTest } from './cli/flows.js';
import { printImportReport } from './cli/imports.js';
import { HOLD_USAGE, HoldUsageError, checkHoldArgs, runHoldCommand, type HoldCommand } from './cli/holds.js';
import { printEscalations, printEvidence, printOutbox } from './cli/lists.js';
import { CASEWORK_USAGE, CaseworkUsageError, runCaseworkCommand } from './cli/casework.js';
import { REPORTS_USAGE, ReportsUsageError, runReportsCommand } from './cli/reports.js';
import { ConfigError, loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { loadFlows } from './engine/index.js';
import { parseFrequency, parseMoney, parseUkDate } from './engine/parsers/index.js';
import { loadPolicyFile } from './accounts/policy-file.js';
import { ImportFileError, importCsvFiles } from './imports/index.js';
import { JobUsageError, runFromCli } from './jobs/cli-run.js';
import { systemClock } from './lib/clock.js';
import { createLogger } from './lib/logger.js';
import { formatPence } from './rent/money.js';
import { localDateOf } from './rent/schedule.js';
import { openRuntime, type Runtime } from './runtime.js';

const USAGE = `Usage: npm run rentline -- <command>

  migrate                          apply database migrations
  import <file.csv>... [--skip-invalid]
                                   import tenancies or transactions files (kind from the header row)
  account <tenancy_ref>            print the account summary
  run <job> [--at <ISO time>] [--dry-run]
                                   run a scheduled job now, as if the clock read --at
                                   (reminders, missed-payments, arrangements, timeouts, daily, weekly-digest)
  flows check                      validate the flow files
  flows test [--update]            run the flow transcripts (--update rewrites expected bot lines)
  outbox [--all] [--limit N]       texts waiting, held, blocked, failed or kept (no Twilio credentials)
  escalations [--all] [--limit N]  escalations waiting for an officer (kept when Slack is not configured)
  decide <escalation_id> accept|refer <agency_id>|counter <amount> <frequency> <start> --officer <name>
                                   settle an escalation without Slack
  evidence <tenancy_ref>           the contact log of a tenancy as CSV (pre-action protocol evidence)
  benefit-claim <tenancy_ref> pending|cleared --officer <name>
                                   mark the tenant's HB/UC claim pending (no notice is recommended meanwhile)
${CASEWORK_USAGE}${REPORTS_USAGE}${HOLD_USAGE}  help                             this text
`;

class UsageError extends Error {}

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const runtime = await openRuntime(config, {
    logger: createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
  });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

function listOptions(args: string[]) {
  const { values } = parseArgs({ args, options: { all: { type: 'boolean' }, limit: { type: 'string' } } });
  return { all: values.all ?? false, limit: Number(values.limit ?? 50) };
}

function parseDecision(args: string[], now: Date, timeZone: string): OfficerDecision {
  const [kind, ...rest] = args;
  if (kind === 'accept') return { kind: 'accept' };
  if (kind === 'refer') {
    if (!rest[0]) throw new UsageError('refer needs an agency id from flows/policy.yaml (referral.agencies)');
    return { kind: 'refer', agencyId: rest[0], note: null };
  }
  if (kind === 'counter') {
    const amountPence = parseMoney(rest[0] ?? '');
    const frequency = parseFrequency(rest[1] ?? '');
    const startDate = parseUkDate(rest[2] ?? '', now, timeZone);
    if (!amountPence || !frequency || !startDate)
      throw new UsageError('counter needs an amount, a frequency and a start date, e.g. counter £20 weekly 2026-12-04');
    return { kind: 'counter', offer: { amountPence, frequency, startDate } };
  }
  throw new UsageError('decide needs accept, refer <agency_id> or counter <amount> <frequency> <start>');
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return withRuntime(async (rt) => {
        const applied = await migrate(rt.db.sql);
        console.log(applied.length ? `Applied ${applied.join(', ')}.` : 'The database is up to date.');
        return 0;
      });
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
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
    case 'account': {
      const [ref] = rest;
      if (!ref) throw new UsageError('account needs a tenancy reference');
      return withRuntime(async (rt) => {
        const today = localDateOf(systemClock.now(), rt.config.timeZone);
        const summary = await accountSummary(rt.db.sql, ref, { today, policy: rt.policy, now: systemClock.now() });
        if (!summary) {
          console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
          return 1;
        }
        console.log(JSON.stringify(summary, null, 2));
        console.log(
          `\n${summary.tenancy_ref}: balance ${formatPence(summary.balance_pence)}. ${summary.reasons.arrears} ${summary.reasons.weeks_in_arrears}`,
        );
        console.log(
          `Next recommended action: ${summary.next_action.action.replaceAll('_', ' ')}. ${summary.next_action.reason}`,
        );
        for (const hold of summary.holds)
          console.log(`Hold: ${hold.kind} (tenant ${hold.tenant_no}, since ${hold.since}): ${hold.reason}`);
        return 0;
      });
    }
    case 'run': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { at: { type: 'string' }, 'dry-run': { type: 'boolean' } },
        allowPositionals: true,
      });
      return withRuntime(async (rt) => {
        const flows = loadFlows(rt.config.flowsDir);
        await runFromCli(
          { sql: rt.db.jobsSql, flows, policy: rt.policy, timeZone: rt.config.timeZone, logger: rt.logger },
          {
            job: positionals[0],
            at: values.at,
            dryRun: (values['dry-run'] ?? false) || rt.config.dryRun,
            now: systemClock.now(),
          },
        );
        return 0;
      });
    }
    case 'flows': {
      const config = loadConfig();
      const { values, positionals } = parseArgs({
        args: rest,
        options: { update: { type: 'boolean' } },
        allowPositionals: true,
      });
      if (positionals[0] === 'check') return flowsCheck(config.flowsDir);
      if (positionals[0] === 'test')
        return flowsTest(config.flowsDir, loadPolicyFile(config.flowsDir), values.update ?? false);
      throw new UsageError('flows needs check or test');
    }
    case 'outbox':
      return withRuntime(async (rt) => {
        await printOutbox(rt.db.sql, listOptions(rest));
        return 0;
      });
    case 'escalations':
      return withRuntime(async (rt) => {
        await printEscalations(rt.db.sql, listOptions(rest));
        return 0;
      });
    case 'decide': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { officer: { type: 'string' } },
        allowPositionals: true,
      });
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || !values.officer)
        throw new UsageError('decide needs an escalation id and --officer <name>');
      return withRuntime(async (rt) => {
        const flows = loadFlows(rt.config.flowsDir);
        const decision = parseDecision(positionals.slice(1), systemClock.now(), rt.config.timeZone);
        const result = await decideEscalation(
          { sql: rt.db.sql, flows, policy: rt.policy, clock: systemClock, timeZone: rt.config.timeZone },
          { escalationId: id, officerId: `cli:${values.officer}`, officerName: values.officer as string, decision },
        );
        if (result.outcome === 'not_found') console.error(`No escalation ${id}.`);
        else if (result.outcome === 'already_decided')
          console.error(`Escalation ${id} was already ${result.escalation.status} by ${result.escalation.decided_by}.`);
        else
          console.log(
            `Escalation ${id} ${result.escalation.status}; ${result.messageIds.length} text(s) queued for the tenant.`,
          );
        return result.outcome === 'decided' ? 0 : 1;
      });
    }
    case 'benefit-claim': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { officer: { type: 'string' } },
        allowPositionals: true,
      });
      const [ref, state] = positionals;
      if (!ref || (state !== 'pending' && state !== 'cleared') || !values.officer) {
        throw new UsageError('benefit-claim needs a tenancy reference, pending or cleared, and --officer <name>');
      }
      return withRuntime(async (rt) => {
        const change = await setBenefitClaimPending(rt.db.sql, {
          tenancyRef: ref,
          pending: state === 'pending',
          officer: `cli:${values.officer}`,
          now: systemClock.now(),
        });
        if (change === 'not_found')
          console.error(`No tenancy ${ref}. Check the reference, or import the tenancies file first.`);
        else if (change === 'unchanged') console.log(`${ref}: the benefit claim was already ${state}.`);
        else console.log(`${ref}: benefit claim ${state}; logged as evidence.`);
        return change === 'not_found' ? 1 : 0;
      });
    }
    case 'vulnerable':
    case 'dispute':
    case 'crisis': {
      checkHoldArgs(command as HoldCommand, rest);
      return withRuntime((rt) => runHoldCommand(rt.db.sql, command as HoldCommand, rest, systemClock.now()));
    }
    case 'evidence': {
      const [ref] = rest;
      if (!ref) throw new UsageError('evidence needs a tenancy reference');
      return withRuntime(async (rt) => ((await printEvidence(rt.db.sql, ref)) > 0 ? 0 : 1));
    }
    case 'log':
    case 'legal':
    case 'worklist':
    case 'protocol':
      return runCaseworkCommand(command, rest, withRuntime) as Promise<number>;
    case 'kpis':
    case 'statement':
    case 'evidence-pack':
      return withRuntime((rt) => runReportsCommand(rt, command, rest));
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
    if (
      error instanceof UsageError ||
      error instanceof JobUsageError ||
      error instanceof CaseworkUsageError ||
      error instanceof ReportsUsageError ||
      error instanceof HoldUsageError
    )
      console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError || error instanceof ImportFileError) console.error(error.message);
    else console.error(`rentline: ${(error as Error).message ?? String(error)}`);
    process.exit(2);
  },
);
