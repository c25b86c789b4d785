// POST /slack/events itself: signatures checked on the raw body, Slack's URL check answered, retries of an
// event acknowledged without reprocessing, and the officer-only App Home and /rent command.
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { SLACK_SIGNING_SECRET, useVendorMock } from '../support/msw-slack.js';
import {
  OFFICER,
  PATCH_OFFICER,
  STRANGER,
  insertTenantInArrears,
  slackHarness,
  tenantMakesOffer,
  textOf,
  type SlackHarness,
} from './harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness(db.sql);
});

describe('the Slack endpoint', () => {
  it('refuses a request whose signature does not match its body', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc' });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const tampered = await h.app.request('/slack/events', {
      method: 'POST',
      body: body.replace('abc', 'abd'),
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
    });
    expect(tampered.status).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const old = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${stale}:${body}`).digest('hex')}`;
    expect(
      (
        await h.app.request('/slack/events', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': stale, 'x-slack-signature': old },
        })
      ).status,
    ).toBe(401);
    expect(
      (await h.app.request('/slack/events', { method: 'POST', body, headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(401);
  });

  it('refuses a correctly signed request timestamped more than five minutes in the future', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc' });
    const sign = (ts: string) =>
      `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const ahead = String(Math.floor(Date.now() / 1000) + 3600);
    const refused = await h.app.request('/slack/events', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': ahead,
        'x-slack-signature': sign(ahead),
      },
    });
    expect(refused.status).toBe(401);
    const slightlyAhead = String(Math.floor(Date.now() / 1000) + 60);
    const accepted = await h.app.request('/slack/events', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': slightlyAhead,
        'x-slack-signature': sign(slightlyAhead),
      },
    });
    expect(accepted.status).toBe(200);
  });

  it("answers Slack's URL verification challenge when signed", async () => {
    const response = await h.signedPost(
      JSON.stringify({ type: 'url_verification', challenge: 'challenge-123' }),
      'application/json',
    );
    expect(await response.json()).toEqual({ challenge: 'challenge-123' });
  });

  it("publishes App Home with the officer's own patch first, and a short note for anyone else", async () => {
    const { mobile } = await insertTenantInArrears(db.sql);
    await tenantMakesOffer(h, db.sql, mobile);
    await h.event({ type: 'app_home_opened', user: PATCH_OFFICER, channel: 'D1', tab: 'home' }, 'EvHome1');
    await h.slack.idle();
    await h.event({ type: 'app_home_opened', user: STRANGER, channel: 'D2', tab: 'home' }, 'EvHome2');
    await h.slack.idle();
    const [officerHome, strangerHome] = vendors.calls('views.publish');
    expect(officerHome?.user_id).toBe(PATCH_OFFICER);
    expect(textOf(officerHome?.view)).toContain('*Your patch*\\n1 waiting');
    expect(strangerHome?.user_id).toBe(STRANGER);
    expect(textOf(strangerHome?.view)).not.toContain('SL-');
  });

  it('answers /rent with an ephemeral account summary for officers only, never the phone number', async () => {
    const { ref, mobile } = await insertTenantInArrears(db.sql);
    expect((await h.command({ command: '/rent', text: ref, user_id: OFFICER })).status).toBe(200);
    await h.slack.idle();
    expect((await h.command({ command: '/rent', text: ref, user_id: STRANGER })).status).toBe(200);
    await h.slack.idle();
    const [summary, refusal] = vendors.responses;
    expect(summary).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(summary)).toContain(ref);
    expect(textOf(summary)).toContain('£402.00');
    expect(textOf(summary)).not.toContain(mobile);
    expect(refusal).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('only income officers'),
    });
    expect(textOf(refusal)).not.toContain('£402.00');
  });
});
