// One replica of the service, in-process, built by buildService as main.ts builds it: its own connection pools to the shared
// database, the HTTP app (Twilio webhooks and the Slack app) listening on its own loopback port, the text
// dispatcher, the Slack card poster and the scheduler all running in the background. Twilio and Slack are
// msw at the network edge; every replica shares one clock, as replicas share the wall clock.
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import twilio from 'twilio';
import { loadConfig } from '../../src/config.js';
import { createSql, type Sql } from '../../src/db/connect.js';
import type { JobDeps } from '../../src/jobs/types.js';
import type { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { buildService } from '../../src/service.js';
import type { SlackApp } from '../../src/slack/app.js';
import type { SlackPoster } from '../../src/slack/poster.js';
import { BOT_TOKEN, SLACK_SIGNING_SECRET, TEST_SLACK_API_URL, buttonClickPayload } from '../support/msw-slack.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/msw-twilio.js';
import { PUBLIC_BASE_URL, SMS_NUMBER, TIME_ZONE } from '../support/service.js';

export const CHANNEL = 'CESCALATE';
export const OFFICER = 'UOFFICER1';
export const OTHER_OFFICER = 'UOFFICER2';

export interface Replica {
  name: string;
  url: string;
  sql: Sql;
  jobDeps: JobDeps;
  slack: SlackApp;
  poster: SlackPoster;
  /** A tenant's text, form-encoded and signed with Twilio's own helper, POSTed to this replica's port. */
  text(from: string, body: string, sid: string): Promise<number>;
  /** A button click on a card, signed with the Slack signing secret, POSTed to this replica's port. */
  click(action: string, escalationId: number, user: string, messageTs: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startReplica(
  databaseUrl: string,
  name: string,
  clock: ReturnType<typeof fixedClock>,
): Promise<Replica> {
  const sql = createSql(databaseUrl, { max: 10 });
  const jobsSql = createSql(databaseUrl, { max: 4 });
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_NUMBER,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    SLACK_ESCALATION_CHANNEL: CHANNEL,
    SLACK_API_URL: TEST_SLACK_API_URL,
    SLACK_OFFICER_IDS: `${OFFICER},${OTHER_OFFICER}`,
    TIME_ZONE,
  });
  // Built as main.ts builds the service (src/service.ts); the background work starts with it.
  const service = await buildService(config, {
    database: { sql, jobsSql },
    clock,
    logger: silentLogger(),
    slackRetries: 0,
    // Catch-up at once: the latest daily run due is enqueued and run, by whichever replica claims it.
    background: { runnerId: name, catchUpDelayMs: 0, posterPollMs: 500 },
  });
  const jobDeps: JobDeps = {
    sql: jobsSql,
    flows: service.flows,
    policy: service.policy,
    timeZone: TIME_ZONE,
    logger: service.logger,
    dryRun: false,
  };
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: service.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  service.start();
  const slack = service.slack as SlackApp;
  const poster = service.slackPoster as SlackPoster;

  async function post(path: string, body: string, headers: Record<string, string>): Promise<number> {
    const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
    await response.arrayBuffer();
    return response.status;
  }

  return {
    name,
    url,
    sql,
    jobDeps,
    slack,
    poster,
    text(from, body, sid) {
      const params = {
        MessageSid: sid,
        AccountSid: TEST_ACCOUNT_SID,
        From: from,
        To: SMS_NUMBER,
        Body: body,
        NumMedia: '0',
      };
      const signature = twilio.getExpectedTwilioSignature(
        TEST_AUTH_TOKEN,
        `${PUBLIC_BASE_URL}/twilio/messages`,
        params,
      );
      return post('/twilio/messages', new URLSearchParams(params).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      });
    },
    click(action, escalationId, user, messageTs) {
      const payload = buttonClickPayload(CHANNEL, action, escalationId, user, messageTs);
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
      return post('/slack/events', body, {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature,
      });
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
      await service.stop();
      await sql.end({ timeout: 1 });
      await jobsSql.end({ timeout: 1 });
    },
  };
}
