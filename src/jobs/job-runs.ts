// Durable job runs. A cron tick only inserts (job, scheduled_for) with ON CONFLICT DO NOTHING, so every
// instance may tick and still one row exists; a runner claims pending rows with SKIP LOCKED, so one
// instance runs each. A claim whose runner died is taken back after its lease: the jobs themselves are
// idempotent (each message has its own unique key), so running one again never sends anything twice.
import { jsonParam } from '../db/params.js';
import type { Sql } from '../db/connect.js';
import type { JobName } from './types.js';

export interface JobRun {
  job: JobName;
  scheduled_for: Date;
  attempts: number;
}

/** Queues one scheduled run; true when this call created it (false: another instance, or a retry, did). */
export async function enqueueJobRun(sql: Sql, job: JobName, scheduledFor: Date, now: Date): Promise<boolean> {
  const rows = await sql`
    insert into job_runs (job, scheduled_for, status, created_at) values (${job}, ${scheduledFor}, 'pending', ${now})
    on conflict (job, scheduled_for) do nothing returning job`;
  return rows.length > 0;
}

/** Claims the oldest pending run (or one whose runner's lease ran out), committing the claim at once. */
export async function claimJobRun(
  sql: Sql,
  now: Date,
  options: { leaseMs: number; runner: string },
): Promise<JobRun | null> {
  const expired = new Date(now.getTime() - options.leaseMs);
  const [row] = await sql<JobRun[]>`
    with next as (
      select job, scheduled_for from job_runs
      where status = 'pending' or (status = 'running' and claimed_at < ${expired})
      order by scheduled_for, job
      limit 1
      for update skip locked
    )
    update job_runs r set status = 'running', claimed_at = ${now}, claimed_by = ${options.runner}, attempts = r.attempts + 1
    from next where r.job = next.job and r.scheduled_for = next.scheduled_for
    returning r.job, r.scheduled_for, r.attempts`;
  return row ?? null;
}

export async function finishJobRun(
  sql: Sql,
  run: JobRun,
  outcome: {
    status: 'done' | 'skipped' | 'failed' | 'pending';
    now: Date;
    result?: Record<string, unknown>;
    error?: string;
  },
): Promise<void> {
  await sql`
    update job_runs set status = ${outcome.status}, finished_at = ${outcome.status === 'pending' ? null : outcome.now},
      result = ${outcome.result ? jsonParam(sql, outcome.result) : null}, error = ${outcome.error ?? null},
      claimed_at = case when ${outcome.status} = 'pending' then null else claimed_at end
    where job = ${run.job} and scheduled_for = ${run.scheduled_for}`;
}
