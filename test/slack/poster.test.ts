// The Slack outbox poster: urgent hand-offs become urgent cards, Slack failures are retried or given up
// as the error says, and without a channel the cards wait in the database rather than being dropped.
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { createSlackPoster } from '../../src/slack/poster.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { CHANNEL, actionsOf, insertTenantInArrears, slackHarness, textOf, type SlackHarness } from './harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
beforeAll(() => {
  h = slackHarness(db.sql);
});

async function outbox(escalationId: number) {
  return db.sql<{ kind: string; status: string; attempts: number; last_error: string | null }[]>`
    select kind, status, attempts, last_error from slack_outbox where escalation_id = ${escalationId} order by id`;
}

async function latestEscalation(ref: string): Promise<number> {
  const [row] = await db.sql<{ id: number }[]>`select id::int as id from escalations where tenancy_ref = ${ref} order by id desc limit 1`;
  return row?.id as number;
}

describe('the Slack card poster', () => {
  it('posts an urgent hand-off as an urgent card with Take over as the main action', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    expect((await h.tenantTexts(mobile, 'I cannot cope any more')).outcome).toBe('human_only');
    await h.poster.drain();
    const [card] = vendors.calls('chat.postMessage');
    expect(card?.channel).toBe(CHANNEL);
    expect(String(card?.text)).toMatch(/^URGENT /);
    expect(textOf(card?.blocks)).toContain('Vulnerable');
    expect(actionsOf(card?.blocks)[0]).toMatchObject({ action_id: ACTIONS.takeOver, style: 'primary', value: String(await latestEscalation(ref)) });
    expect(textOf(card)).not.toContain(mobile);
  });

  it('retries a failed post, and gives up on an error that will not get better', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Please call me');
    const id = await latestEscalation(ref);
    vendors.failNext('chat.postMessage', 'internal_error');
    await h.poster.runOnce();
    expect(await outbox(id)).toEqual([{ kind: 'post_card', status: 'queued', attempts: 1, last_error: 'internal_error' }]);
    await db.sql`update slack_outbox set not_before = null where escalation_id = ${id}`;
    vendors.failNext('chat.postMessage', 'channel_not_found');
    await h.poster.runOnce();
    expect(await outbox(id)).toEqual([{ kind: 'post_card', status: 'failed', attempts: 2, last_error: 'channel_not_found' }]);
  });

  it('keeps cards waiting in the database while no escalation channel is configured', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Hello?');
    const id = await latestEscalation(ref);
    const unconfigured = createSlackPoster({ sql: db.sql, client: h.slack.bolt.client, channel: null, clock: h.clock, logger: silentLogger(), policy: h.policy, timeZone: 'Europe/London' });
    await unconfigured.runOnce();
    expect(vendors.calls('chat.postMessage')).toEqual([]);
    expect(await outbox(id)).toEqual([{ kind: 'post_card', status: 'queued', attempts: 0, last_error: 'waiting for SLACK_ESCALATION_CHANNEL to be set' }]);
  });
});
