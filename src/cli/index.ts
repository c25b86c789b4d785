// The operator CLI: `npm run rentline -- <command>`, on the same configuration as the service. This module
// names every command and sends it to its module; each module parses its arguments, calls the use-case
// and prints. Exit codes: 0 done, 1 the command ran but found a problem (no such tenancy, invalid rows),
// 2 the command line or the configuration is wrong (the message says what to fix).
import { parseArgs } from 'node:util';
import { loadPolicyFile } from '../accounts/policy-file.js';
import { ConfigError, loadConfig } from '../config.js';
import { ImportFileError } from '../imports/index.js';
import { systemClock } from '../lib/clock.js';
import { accountCommand, benefitClaimCommand } from './accounts.js';
import { CASEWORK_USAGE, runCaseworkCommand } from './casework.js';
import { decideCommand } from './decide.js';
import { flowsCheck, flowsTest } from './flows.js';
import { HOLD_USAGE, checkHoldArgs, runHoldCommand, type HoldCommand } from './holds.js';
import { importCommand, migrateCommand } from './imports.js';
import { escalationsCommand, evidenceCommand, outboxCommand } from './lists.js';
import { REPORTS_USAGE, runReportsCommand } from './reports.js';
import { runJobCommand } from './run-job.js';
import { UsageError, withRuntime } from './shared.js';

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

function flowsCommand(args: string[]): number {
  const config = loadConfig();
  const { values, positionals } = parseArgs({
    args,
    options: { update: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals[0] === 'check') return flowsCheck(config.flowsDir, config.timeZone);
  if (positionals[0] === 'test')
    return flowsTest(config.flowsDir, loadPolicyFile(config.flowsDir, config.timeZone), values.update ?? false);
  throw new UsageError('flows needs check or test');
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate':
      return migrateCommand(withRuntime);
    case 'import':
      return importCommand(rest, withRuntime);
    case 'account':
      return accountCommand(rest, withRuntime);
    case 'run':
      return runJobCommand(rest, withRuntime);
    case 'flows':
      return flowsCommand(rest);
    case 'outbox':
      return outboxCommand(rest, withRuntime);
    case 'escalations':
      return escalationsCommand(rest, withRuntime);
    case 'decide':
      return decideCommand(rest, withRuntime);
    case 'benefit-claim':
      return benefitClaimCommand(rest, withRuntime);
    case 'vulnerable':
    case 'dispute':
    case 'crisis': {
      checkHoldArgs(command as HoldCommand, rest);
      return withRuntime((rt) => runHoldCommand(rt.db.sql, command as HoldCommand, rest, systemClock.now()));
    }
    case 'evidence':
      return evidenceCommand(rest, withRuntime);
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

/** Runs one command line and resolves with the process's exit code; every error is printed here. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else if (error instanceof ConfigError || error instanceof ImportFileError) console.error(error.message);
    else console.error(`rentline: ${(error as Error).message ?? String(error)}`);
    return 2;
  }
}
