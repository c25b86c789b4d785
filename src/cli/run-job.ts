// `rentline run <job> [--at <ISO time>] [--dry-run]`: runs one job now, as if the clock read --at, and
// prints what it did. In a dry run it lists what it would start, by tenancy and tenant, and why.
import { parseArgs } from 'node:util';
import type { Sql } from '../db/connect.js';
import { loadFlows, type FlowSet } from '../engine/index.js';
import { runJob } from '../jobs/run-job.js';
import { isJobName, JOB_NAMES, type JobReport } from '../jobs/types.js';
import { systemClock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Policy } from '../rent/policy.js';
import { UsageError, type WithRuntime } from './shared.js';

class JobUsageError extends UsageError {}

function parseRunArgs(
  job: string | undefined,
  at: string | undefined,
): { job: (typeof JOB_NAMES)[number]; now: Date | null } {
  if (!job || !isJobName(job)) throw new JobUsageError(`run needs a job: ${JOB_NAMES.join(', ')}`);
  if (at === undefined) return { job, now: null };
  const now = new Date(at);
  if (Number.isNaN(now.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(at))
    throw new JobUsageError(`--at needs an ISO-8601 date-time such as 2026-11-24T10:00:00Z, got "${at}"`);
  return { job, now };
}

function formatReport(report: JobReport): string {
  const counts =
    Object.entries(report.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'nothing to do';
  const lines = [
    `${report.job} at ${report.now}${report.dryRun ? ' (dry run: nothing started or sent)' : ''}: ${counts}`,
  ];
  for (const d of report.decisions) {
    const who = d.tenantNo === null ? d.tenancyRef : `${d.tenancyRef}/${d.tenantNo}`;
    lines.push(`  ${d.outcome.padEnd(11)} ${d.action.padEnd(22)} ${who.padEnd(16)} ${d.reason}`);
  }
  return lines.join('\n');
}

async function runFromCli(
  deps: { sql: Sql; flows: FlowSet; policy: Policy; timeZone: string; logger: Logger },
  options: { job: string | undefined; at: string | undefined; dryRun: boolean; now: Date },
): Promise<JobReport[]> {
  const parsed = parseRunArgs(options.job, options.at);
  const reports = await runJob({ ...deps, dryRun: options.dryRun }, parsed.job, parsed.now ?? options.now);
  for (const report of reports) console.log(formatReport(report));
  return reports;
}

/** `run <job> [--at …] [--dry-run]`; DRY_RUN=true in the environment makes every run a dry run. */
export async function runJobCommand(args: string[], withRuntime: WithRuntime): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
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
