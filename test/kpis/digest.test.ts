// The weekly digest is scheduled for Monday 09:00 in London, queued like any Slack work and posted to the
// escalation channel by the poster; `/rent stats` answers an officer with the same KPIs.
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/run-job.js';
import { headlinePercents, kpisText, type Kpis } from '../../src/kpis/index.js';
import { buildKpiMessage } from '../../src/slack/blocks/kpis.js';
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
    expect(String(posted?.text)).toMatch(
      /^Weekly rent digest: 2026-11-16 to 2026-11-22\. Collection rate (\d+\.\d%|n\/a), arrears (\d+\.\d%|n\/a) of the debit/,
    );
    expect(`${String(posted?.text)} ${textOf(posted?.blocks)}`).not.toMatch(/\d\.\d\d+%/);
    expect(textOf(posted?.blocks)).toContain('Tenancies in arrears');
    const [row] = await db.sql`select status from slack_outbox where kind = 'post_digest'`;
    expect(row?.status).toBe('sent');
  });

  it('rounds every percentage to one decimal place from the sums, as the CLI prints them', () => {
    // 96,346 of 100,000 is 96.346%: one place gives 96.3 (rounding the two-place 96.35 again would give 96.4).
    const k = {
      from: '2026-11-16',
      to: '2026-11-22',
      financial_year: { start: '2026-04-01', end: '2027-03-31' },
      annual_rent_debit_pence: 944_000,
      current_arrears_pence: 24_000,
      current_arrears_pct_of_debit: 2.54,
      rent_charged_pence: 100_000,
      rent_collected_pence: 96_346,
      arrears_brought_forward_pence: 23_000,
      collection_rate_pct: 96.35,
      collection_rate_incl_bf_pct: 78.33,
      tenancies_in_arrears: 2,
      technical_arrears_pence: 0,
      actionable_arrears_pence: 24_000,
      arrears_bands: {
        under_1: { tenancies: 0, arrears_pence: 0 },
        '1_to_4': { tenancies: 2, arrears_pence: 24_000 },
        '4_to_8': { tenancies: 0, arrears_pence: 0 },
        '8_plus': { tenancies: 0, arrears_pence: 0 },
      },
      arrangements: { made: 1, kept: 0, broken: 0, completed: 0 },
      texts: { sent: 3, delivered: 2 },
      response: {
        tenants_texted: 3,
        tenants_replied: 2,
        response_rate_pct: 66.67,
        median_time_to_first_reply_minutes: 60,
      },
      referrals_by_agency: {},
      notices_served: 0,
      evictions: 0,
    } satisfies Kpis;
    const message = buildKpiMessage(k, 'Weekly rent digest');
    expect(message.text).toBe(
      'Weekly rent digest: 2026-11-16 to 2026-11-22. Collection rate 96.3%, arrears 2.5% of the debit, 2 tenancies in arrears.',
    );
    const blocks = textOf(message.blocks);
    expect(blocks).toContain('*Collection rate (excl. arrears b/f)*: 96.3%');
    expect(blocks).toContain('*Collection rate (incl. arrears b/f)*: 78.3%');
    expect(blocks).toContain('*Replied within 7 days of a first text*: 66.7%');
    expect(kpisText(k)).toMatch(/Current arrears as % of debit\s+2\.5%/);
    expect(headlinePercents({ ...k, rent_charged_pence: 8, rent_collected_pence: 1 }).collection).toBe('12.5%');
    // Nobody texted: no response rate rather than a division by zero.
    expect(
      headlinePercents({ ...k, response: { ...k.response, tenants_texted: 0, tenants_replied: 0 } }).response,
    ).toBe('n/a');
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
