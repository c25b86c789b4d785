// Timeouts: flow waits fire from the durable conversation_timers table, each claimed with SKIP LOCKED in
// its own transaction (fireTimer marks it fired there), so two instances never fire one twice and the
// engine ignores a timer that is not the session's current one (a stale timer never acts on a newer
// step). Conversations past their expiry are then closed, and queued reminders whose due date has come are
// withdrawn, and urgent hand-offs nobody picked up within 4 working hours are raised again, marked overdue.
import { fireTimer } from '../conversations/start.js';
import { localDateOf } from '../rent/schedule.js';
import { count, emptyReport, type JobDeps, type JobReport } from './types.js';
import { withdrawStaleReminders } from './withdrawals.js';
import { raiseOverdueHandOffs } from '../cases/overdue.js';
import { endConversations } from '../db/queries/conversations.js';

/** Timers fired per run at most; the next run (five minutes on) carries on. */
const MAX_TIMERS_PER_RUN = 5000;

async function fireOneDueTimer(deps: JobDeps, now: Date): Promise<boolean> {
  return deps.sql.begin(async (tx) => {
    const [timer] = await tx<{ timer_id: string; conversation_id: number }[]>`
      select timer_id, conversation_id::int as conversation_id from conversation_timers
      where fired_at is null and fire_at <= ${now}
      order by fire_at, timer_id limit 1 for update skip locked`;
    if (!timer) return false;
    await fireTimer(tx, deps, { conversationId: timer.conversation_id, timerId: timer.timer_id, now });
    return true;
  });
}

/** Ends active conversations whose expiry has passed (unless an officer has taken one over). */
async function closeExpired(deps: JobDeps, now: Date): Promise<number> {
  const expired = deps.sql`select id from conversations where status = 'active' and taken_over_by is null and (session->>'expiresAt')::timestamptz <= ${now}`;
  return endConversations(deps.sql, expired, 'expired', now);
}

export async function runTimeouts(deps: JobDeps, now: Date): Promise<JobReport> {
  const report = emptyReport('timeouts', now, deps.dryRun);
  if (deps.dryRun) {
    const [due] = await deps.sql<
      { n: number }[]
    >`select count(*)::int as n from conversation_timers where fired_at is null and fire_at <= ${now}`;
    report.counts.timers_due = due?.n ?? 0;
    return report;
  }
  const workers = Array.from({ length: deps.concurrency ?? 8 }, async () => {
    while ((report.counts.timers_fired ?? 0) < MAX_TIMERS_PER_RUN && (await fireOneDueTimer(deps, now)))
      count(report, 'timers_fired');
  });
  await Promise.all(workers);
  report.counts.conversations_expired = await closeExpired(deps, now);
  report.counts.reminders_withdrawn = await withdrawStaleReminders(deps.sql, now, localDateOf(now, deps.timeZone));
  report.counts.hand_offs_overdue = await raiseOverdueHandOffs(deps.sql, deps.policy, now);
  return report;
}
