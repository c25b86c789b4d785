// Shared set-up for the Slack round trips: the service built as main.ts builds it (src/service.ts), with
// the Slack app mounted and the Slack poster and the text dispatcher talking to msw; a tenant with arrears
// who makes an offer by text; and requests signed exactly as Slack signs them (v0 HMAC-SHA256 of `v0:{ts}:{body}` with the signing secret).
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { receiveInboundText } from '../../src/conversations/receive.js';
import type { Sql } from '../../src/db/connect.js';
import { fixedClock } from '../support/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { buildService } from '../../src/service.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/msw-twilio.js';
import { BOT_TOKEN, SLACK_SIGNING_SECRET, TEST_SLACK_API_URL, buttonClickPayload } from '../support/msw-slack.js';

export const CHANNEL = 'CESCALATE';
export const OFFICER = 'UOFFICER1';
export const OTHER_OFFICER = 'UOFFICER2';
export const PATCH_OFFICER = 'UPATCH01';
export const STRANGER = 'USTRANGER';
export const SMS_FROM = '+447700900001';
/** Tuesday 24 November 2026, 10:00 in London: inside the contact window. */
export const NOW = '2026-11-24T10:00:00Z';

let tenants = 0;

export async function slackHarness(sql: Sql) {
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  });
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_FROM,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    SLACK_ESCALATION_CHANNEL: CHANNEL,
    SLACK_OFFICER_IDS: [OFFICER, OTHER_OFFICER].join(','),
    SLACK_API_URL: TEST_SLACK_API_URL,
    SEND_RATE_PER_SECOND: '1000',
    TIME_ZONE: 'Europe/London',
  });
  const clock = fixedClock(NOW);
  const service = await buildService(config, {
    database: { sql },
    clock,
    logger,
    slackRetries: 0,
  });
  const { app, policy, flows, dispatcher } = service;
  const { slack, slackPoster: poster } = service;
  if (!slack || !poster) throw new Error('the harness configures Slack, so the service has its app and poster');
  const conversationDeps = { sql, flows, policy, clock, logger, timeZone: 'Europe/London' };
  let sid = 0;

  async function signedPost(body: string, contentType: string, headers: Record<string, string> = {}) {
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    return app.request('/slack/events', {
      method: 'POST',
      body,
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': ts,
        'x-slack-signature': signature,
        ...headers,
      },
    });
  }

  return {
    app,
    slack,
    poster,
    dispatcher,
    clock,
    policy,
    flows,
    logLines,
    /** Settles everything the click started: listeners, then the card outbox. */
    async settle() {
      await slack.idle();
      await poster.drain();
    },
    /** Sends every queued text (the dispatcher sends one tenant's texts one round at a time). */
    async sendTexts() {
      for (let round = 0; round < 20; round += 1) {
        const counts = await dispatcher.runOnce();
        if (Object.values(counts).every((n) => n === 0)) return;
      }
    },
    signedPost,
    interactive(payload: Record<string, unknown>) {
      return signedPost(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
      );
    },
    event(event: Record<string, unknown>, eventId: string, headers: Record<string, string> = {}) {
      return signedPost(
        JSON.stringify({
          type: 'event_callback',
          team_id: 'T1',
          api_app_id: 'A1',
          event_id: eventId,
          event_time: 1,
          event,
        }),
        'application/json',
        headers,
      );
    },
    command(fields: Record<string, string>) {
      return signedPost(
        new URLSearchParams({
          token: 'x',
          team_id: 'T1',
          channel_id: CHANNEL,
          response_url: 'https://hooks.slack.test/commands/T1/1/abc',
          trigger_id: 't.1',
          ...fields,
        }).toString(),
        'application/x-www-form-urlencoded',
      );
    },
    /** A click on a card button, as Slack sends it. */
    click(
      action: string,
      escalationId: number,
      user: string,
      messageTs = '1700000001.000100',
      extra: Record<string, unknown> = {},
    ) {
      return this.interactive({
        ...buttonClickPayload(CHANNEL, action, escalationId, user, messageTs),
        ...extra,
      });
    },
    submitView(callbackId: string, user: string, privateMetadata: string, values: Record<string, unknown>) {
      return this.interactive({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: user, name: user.toLowerCase(), team_id: 'T1' },
        api_app_id: 'A1',
        token: 'x',
        trigger_id: 't.2',
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: callbackId,
          private_metadata: privateMetadata,
          hash: 'h',
          state: { values },
        },
      });
    },
    /** A tenant's text, through the same use-case the Twilio webhook calls. */
    async tenantTexts(mobile: string, body: string) {
      sid += 1;
      return receiveInboundText(conversationDeps, {
        messageSid: `SM${String(sid).padStart(32, '0')}${Date.now()}`.slice(0, 34),
        from: mobile,
        to: SMS_FROM,
        body,
        channel: 'sms',
      });
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof slackHarness>>;

/** A tenant £412 behind, on PATCH_OFFICER's patch, with a date of birth to confirm who they are. */
export async function insertTenantInArrears(
  sql: Sql,
  options: { vulnerable?: boolean } = {},
): Promise<{ ref: string; mobile: string }> {
  tenants += 1;
  const ref = `SL-${String(tenants).padStart(4, '0')}-${process.pid}`;
  const mobile = `+4477009${String(20_000 + tenants + (process.pid % 50) * 100).slice(-5)}`;
  await sql`
    insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day, officer_slack_id, benefit)
    values (${ref}, 'secure', '2024-04-01', 'weekly', 10300, 'monday', ${PATCH_OFFICER}, 'uc')`;
  await sql`
    insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, date_of_birth, postcode, vulnerable)
    values (${ref}, 1, 'Sam', 'Tenant', ${mobile}, ${mobile}, '1985-03-12', 'SW1A 1AA', ${options.vulnerable ?? false})`;
  await sql`
    insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account)
    values (${`${ref}-arrears`}, ${ref}, '2026-10-05', 'adjustment', 41200, 'rent'), (${`${ref}-paid`}, ${ref}, '2026-10-20', 'payment', -1000, 'rent')`;
  return { ref, mobile };
}

/** The tenant texts in and offers £15 a week from Friday; returns the offer's escalation id. */
export async function tenantMakesOffer(h: SlackHarness, sql: Sql, mobile: string): Promise<number> {
  for (const text of ['Hi, I got a letter about my rent', '12/03/1985', 'I can pay £15 a week from Friday', 'yes'])
    await h.tenantTexts(mobile, text);
  const [row] = await sql<{ id: number }[]>`
    select e.id::int as id from escalations e join tenants t using (tenancy_ref, tenant_no) where t.mobile_e164 = ${mobile} and e.reason = 'offer'`;
  if (!row) throw new Error('the offer was not escalated');
  return row.id;
}

export async function cardTs(sql: Sql, escalationId: number): Promise<string> {
  const [row] = await sql<{ slack_ts: string | null }[]>`select slack_ts from escalations where id = ${escalationId}`;
  if (!row?.slack_ts) throw new Error(`escalation ${escalationId} has no card`);
  return row.slack_ts;
}

/** All text in a Block Kit payload, for "shows X" / "never shows Y" assertions. */
export function textOf(value: unknown): string {
  return JSON.stringify(value);
}

type Block = {
  type: string;
  elements?: { type: string; action_id?: string; value?: string; style?: string; options?: { value: string }[] }[];
};

export function actionsOf(blocks: unknown): NonNullable<Block['elements']> {
  return (blocks as Block[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}
