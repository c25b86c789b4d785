// The weekly digest is scheduled for Monday 09:00 in London, queued like any Slack work and posted to the
// escalation channel by the poster; `/rent stats` answers an officer with the same KPIs.
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/run-job.js';
import { cronExpression, defaultSchedules, latestOccurrence } from '../../src/jobs/schedule.js';
import { silentLogger } from '../../src/lib/logger.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { CHANNEL, OFFICER, STRANGER, insertTenantInArrears, slackHarness, textOf } from '../slack/harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();

describe('the weekly KPI digest', () => {
  const weekly = defaultSchedules({ reminders: { time: '10:00' } } as never).find((s) => s.job === 'weekly-digest');

  it('is scheduled for Mondays at 09:00, and the latest run is the last Monday 09:00 that has passed', () => {
    expect(weekly).toBeDefined();
    expect(cronExpression(weekly!)).toBe('0 9 * * 1');
    // Wednesday 25 Nov 2026 → Monday 23 Nov 09:00 GMT; Monday 23 Nov 08:59 → Monday 16 Nov; summer time honoured.
    expect(latestOccurrence(weekly!, new Date('2026-11-25T12:00:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
    expect(latestOccurrence(weekly!, new Date('2026-11-23T08:59:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-11-16T09:00:00.000Z',
    );
    expect(latestOccurrence(weekly!, new Date('2026-06-01T08:30:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-06-01T08:00:00.000Z',
    );
  });

  it('is queued in the Slack outbox and posted to the escalation channel with the KPIs', async () => {
    const h = await slackHarness(db.sql);
    await insertTenantInArrears(db.sql);
    const [report] = await runJob(
      {
        sql: db.sql,
        flows: h.flows,
        policy: h.policy,
        timeZone: 'Europe/London',
        logger: silentLogger(),
        dryRun: false,
      },
      'weekly-digest',
      new Date('2026-11-23T09:00:00Z'),
    );
    expect(report?.counts).toEqual({ queued: 1 });
    await h.poster.drain();
    const [posted] = vendors.calls('chat.postMessage');
    expect(posted?.channel).toBe(CHANNEL);
    expect(String(posted?.text)).toMatch(/^Weekly rent digest: 2026-11-16 to 2026-11-22\. Collection rate/);
    expect(textOf(posted?.blocks)).toContain('Tenancies in arrears');
    const [row] = await db.sql`select status from slack_outbox where kind = 'post_digest'`;
    expect(row?.status).toBe('sent');
  });

  it('/rent stats shows an officer the KPIs, and nobody else', async () => {
    const h = await slackHarness(db.sql);
    await h.command({ command: '/rent', text: 'stats 2026-11-01 2026-11-24', user_id: OFFICER });
    await h.slack.idle();
    const [answer] = vendors.responses;
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer?.text)).toMatch(/^Rent KPIs: 2026-11-01 to 2026-11-24/);
    expect(textOf(answer?.blocks)).toContain('Collection rate (excl. arrears b/f)');
    vendors.reset();
    await h.command({ command: '/rent', text: 'stats', user_id: STRANGER });
    await h.slack.idle();
    expect(textOf(vendors.responses[0])).not.toContain('Collection rate');
  });
});
