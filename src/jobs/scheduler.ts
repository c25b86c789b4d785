// The cron side: node-cron ticks in the landlord's time zone and each tick only enqueues a durable run
// keyed by (job, scheduled time); a runner then claims and runs pending runs one at a time. Every instance
// ticks and every instance may claim, yet each scheduled run happens once. At start, the latest scheduled
// time of each job is enqueued too, so a tick missed while the service was down is caught up, unless it is
// now too late to make sense (then it is recorded as skipped and the next run covers it).
import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../lib/clock.js';
import { errorFields } from '../lib/logger.js';
import { claimJobRun, enqueueJobRun, finishJobRun, type JobRun } from './job-runs.js';
import { runJob } from './run-job.js';
import { cronExpression, defaultSchedules, latestOccurrence, tooLate, type JobSchedule } from './schedule.js';
import type { JobDeps } from './types.js';

interface SchedulerDeps extends JobDeps {
  clock: Clock;
  schedules?: JobSchedule[];
  /** A claimed run whose runner has been silent this long is taken back (default 30 minutes). */
  leaseMs?: number;
  /** Attempts before a failing run is given up as `failed` (default 3). */
  maxAttempts?: number;
  runnerId?: string;
  /** Start-up catch-up waits this long, so a service restarted in a loop does not sweep every time (default 10 s). */
  catchUpDelayMs?: number;
}

interface JobRunner {
  /** Enqueues the latest scheduled time of `schedule` (idempotent across instances). */
  tick(schedule: JobSchedule): Promise<void>;
  /** Claims and runs pending runs until none is left; resolves with how many this runner ran. */
  runPending(): Promise<number>;
}

const DEFAULT_LATENESS_MS = 20 * 3_600_000;

export function createJobRunner(deps: SchedulerDeps): JobRunner {
  const schedules = deps.schedules ?? defaultSchedules(deps.policy);
  const leaseMs = deps.leaseMs ?? 30 * 60_000;
  const maxAttempts = deps.maxAttempts ?? 3;
  const runner = deps.runnerId ?? `${hostname()}:${process.pid}`;
  const latenessOf = (job: string) => schedules.find((s) => s.job === job)?.maxLatenessMs ?? DEFAULT_LATENESS_MS;

  async function runClaimed(run: JobRun): Promise<void> {
    const now = deps.clock.now();
    if (tooLate({ maxLatenessMs: latenessOf(run.job) }, run.scheduled_for, now)) {
      deps.logger.warn(
        { job: run.job, scheduledFor: run.scheduled_for.toISOString() },
        'scheduled run is too late to make sense; skipped',
      );
      await finishJobRun(deps.sql, run, { status: 'skipped', now, result: { reason: 'too_late' } });
      return;
    }
    try {
      const reports = await runJob({ ...deps, keepDecisions: false }, run.job, now);
      const result = Object.fromEntries(reports.map((r) => [r.job, r.counts]));
      await finishJobRun(deps.sql, run, { status: 'done', now: deps.clock.now(), result });
      deps.logger.info(
        { job: run.job, scheduledFor: run.scheduled_for.toISOString(), dryRun: deps.dryRun, result },
        'scheduled job done',
      );
    } catch (error) {
      const status = run.attempts >= maxAttempts ? 'failed' : 'pending';
      deps.logger.error(
        {
          job: run.job,
          attempt: run.attempts,
          err: errorFields(error),
        },
        'scheduled job failed',
      );
      await finishJobRun(deps.sql, run, { status, now: deps.clock.now(), error: (error as Error).message });
    }
  }

  return {
    async tick(schedule) {
      const now = deps.clock.now();
      await enqueueJobRun(deps.sql, schedule.job, latestOccurrence(schedule, now, deps.timeZone), now);
    },
    async runPending() {
      let ran = 0;
      for (;;) {
        const run = await claimJobRun(deps.sql, deps.clock.now(), { leaseMs, runner });
        if (!run) return ran;
        await runClaimed(run);
        ran += 1;
      }
    },
  };
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** Starts the cron table; call stop() on shutdown (waits for a run in progress). */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const schedules = deps.schedules ?? defaultSchedules(deps.policy);
  const runner = createJobRunner({ ...deps, schedules });
  let chain: Promise<unknown> = Promise.resolve();
  // One run at a time per instance: ticks queue behind whatever is running.
  const serially = (work: () => Promise<unknown>) => {
    chain = chain
      .then(work)
      .catch((error: unknown) => deps.logger.error({ err: errorFields(error) }, 'scheduler round failed'));
    return chain;
  };
  const catchUp = () =>
    serially(async () => {
      for (const schedule of schedules) {
        const scheduledFor = latestOccurrence(schedule, deps.clock.now(), deps.timeZone);
        if (!tooLate(schedule, scheduledFor, deps.clock.now())) await runner.tick(schedule);
      }
      await runner.runPending();
    });
  const catchUpTimer = setTimeout(() => void catchUp(), deps.catchUpDelayMs ?? 10_000);
  catchUpTimer.unref();
  const tasks: ScheduledTask[] = schedules.map((schedule) =>
    cron.schedule(
      cronExpression(schedule),
      () =>
        serially(async () => {
          await runner.tick(schedule);
          await runner.runPending();
        }),
      { timezone: deps.timeZone, noOverlap: true, name: `rentline:${schedule.job}` },
    ),
  );
  return {
    async stop() {
      clearTimeout(catchUpTimer);
      for (const task of tasks) await task.stop();
      await chain;
    },
  };
}
