// The weekly KPI digest (Mondays 09:00): last week's activity and the accounts as at last Sunday, queued
// for the escalation channel through the Slack outbox (migrations/0050), so it goes once, waits while
// Slack is not configured, and is retried like any card. Run by hand with `rentline run weekly-digest`.
import { jsonParam } from '../db/params.js';
import { computeKpis } from '../kpis/index.js';
import { addDays } from '../rent/calendar-date.js';
import { localDateOf } from '../rent/schedule.js';
import { buildKpiMessage } from '../slack/blocks/kpis.js';
import { SLACK_OUTBOX_CHANNEL } from '../slack/ids.js';
import { count, emptyReport, type JobDeps, type JobReport } from './types.js';

/** The week the digest covers: the seven days up to yesterday. */
function digestWeek(today: string): { from: string; to: string } {
  return { from: addDays(today, -7), to: addDays(today, -1) };
}

export async function runWeeklyDigest(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport('weekly-digest', now, deps.dryRun);
  const week = digestWeek(localDateOf(now, deps.timeZone));
  const kpis = await computeKpis(deps.sql, week, { policy: deps.policy, timeZone: deps.timeZone });
  const message = buildKpiMessage(kpis, 'Weekly rent digest');
  if (deps.dryRun) {
    count(report, 'would_post');
    return report;
  }
  await deps.sql`
    insert into slack_outbox (kind, payload, created_at) values ('post_digest', ${jsonParam(deps.sql, message)}, ${now})`;
  await deps.sql`select pg_notify(${SLACK_OUTBOX_CHANNEL}, '')`;
  count(report, 'queued');
  return report;
}
