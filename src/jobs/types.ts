// What every scheduled job is handed (capabilities come in as arguments), what it reports, and the
// decisions it makes about each tenant: started, would start (dry run), skipped (and why), or changed.
import type { Sql } from '../db/connect.js';
import type { FlowSet } from '../engine/index.js';
import type { Logger } from '../lib/logger.js';
import type { PhaseTimer } from '../lib/phase-timer.js';
import type { Policy } from '../rent/policy.js';

export const JOB_NAMES = [
  'reminders',
  'missed-payments',
  'arrangements',
  'timeouts',
  'daily',
  'weekly-digest',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export function isJobName(name: string): name is JobName {
  return (JOB_NAMES as readonly string[]).includes(name);
}

export interface JobDeps {
  sql: Sql;
  flows: FlowSet;
  policy: Policy;
  timeZone: string;
  logger: Logger;
  /** Decide and list, but start nothing and send nothing (a landlord's first week). */
  dryRun: boolean;
  /**
   * Keep every decision in the returned reports (the CLI lists them; the default). The scheduler passes
   * false: decisions are then written to job_decisions a batch at a time and dropped from memory.
   */
  keepDecisions?: boolean;
  /** Conversations started at once (each in its own transaction); default 8. */
  concurrency?: number;
  /**
   * Dry run only: tenants ("ref/no") a job earlier in the same run would have started a conversation
   * with, so a later job lists them as busy, as it would find them after a real run.
   */
  plannedTenants?: Set<string>;
  /** Adds up the time spent in each phase of the run (the daily benchmark passes one). */
  timer?: PhaseTimer;
}

type DecisionOutcome = 'started' | 'would_start' | 'skipped' | 'changed';

/** One thing a job decided about one tenant (or, with tenantNo null, about the account). */
export interface JobDecision {
  job: JobName;
  tenancyRef: string;
  tenantNo: number | null;
  /** What: rent_reminder, first_text, second_text, arrangement_nudge, arrangement_broken, ... */
  action: string;
  outcome: DecisionOutcome;
  /** Why, in words an officer can read (or a stable code for skips: breathing_space, opted_out...). */
  reason: string;
}

export interface JobReport {
  job: JobName;
  now: string;
  dryRun: boolean;
  counts: Record<string, number>;
  decisions: JobDecision[];
}

export function emptyReport(job: JobName, now: Date, dryRun: boolean): JobReport {
  return { job, now: now.toISOString(), dryRun, counts: {}, decisions: [] };
}

export function count(report: JobReport, key: string, by = 1): void {
  report.counts[key] = (report.counts[key] ?? 0) + by;
}
