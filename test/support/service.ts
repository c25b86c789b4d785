// The whole service in-process for conversation tests, built as main.ts builds it (src/service.ts): the Hono
// app with the Twilio webhooks, the real flows and policy, a fixed clock, and a dispatcher sending through
// the Twilio SDK (msw at the edge). Nothing is started: tests drive the dispatcher round by round.
import twilio from 'twilio';
import { loadConfig } from '../../src/config.js';
import type { Sql } from '../../src/db/connect.js';
import { fixedClock } from './clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { Policy } from '../../src/rent/policy.js';
import { buildService } from '../../src/service.js';
import type { InboundIntakeOptions } from '../../src/conversations/inbound-intake.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './msw-twilio.js';
import { TEST_API_TOKEN } from './app.js';

export const PUBLIC_BASE_URL = 'https://rentline.example.org';
export const SMS_NUMBER = '+447700900001';
export const TIME_ZONE = 'Europe/London';

/** `batching: false` takes every text alone through receiveInboundText; the default groups concurrent texts as the service does. */
export async function testService(sql: Sql, options: { now: string; policy?: Policy } & InboundIntakeOptions) {
  const config = loadConfig({
    PUBLIC_BASE_URL,
    API_TOKEN: TEST_API_TOKEN,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_SMS_FROM: SMS_NUMBER,
    TIME_ZONE,
  });
  const clock = fixedClock(options.now);
  const service = await buildService(config, {
    database: { sql },
    clock,
    logger: silentLogger(),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.batching === undefined ? {} : { batching: options.batching }),
    ...(options.parkAfterMs === undefined ? {} : { intake: { parkAfterMs: options.parkAfterMs } }),
  });
  const { app, policy, flows, dispatcher, intake } = service;
  let sids = 0;

  /** A tenant's text as Twilio would deliver it: form-encoded and signed with the account's auth token. */
  async function text(
    from: string,
    body: string,
    options: { sid?: string; signature?: string } = {},
  ): Promise<Response> {
    sids += 1;
    const params = {
      MessageSid: options.sid ?? `SM${String(sids).padStart(32, '0')}`,
      AccountSid: TEST_ACCOUNT_SID,
      From: from,
      To: SMS_NUMBER,
      Body: body,
      NumMedia: '0',
    };
    const signature =
      options.signature ??
      twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}/twilio/messages`, params);
    return app.request('/twilio/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
  }

  /** Sends everything due, as many rounds as it takes (one message per tenant per round). */
  async function dispatchAll(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      const counts = await dispatcher.runOnce();
      if (counts.sent + counts.held + counts.blocked + counts.failed + counts.retried + counts.kept === 0) return;
    }
  }

  return { app, clock, policy, flows, dispatcher, intake, text, dispatchAll };
}

/** A weekly tenancy £100 a week from 5 Jan 2026, paid up to 2 Nov: £300 behind by 23 Nov. */
export async function insertTenantInArrears(
  sql: Sql,
  ref: string,
  mobile: string,
  extra: { language?: string; flags?: Partial<{ vulnerable: boolean }> } = {},
): Promise<void> {
  await sql`insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day, officer_slack_id)
            values (${ref}, 'secure', '2026-01-05', 'weekly', 10000, 'monday', 'U0OFFICER1')`;
  await sql`insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, language, date_of_birth, postcode, vulnerable)
            values (${ref}, 1, 'Sam', 'Jones', ${mobile}, ${mobile}, ${extra.language ?? 'en'}, '1985-03-12', 'SW1A 1AA', ${extra.flags?.vulnerable ?? false})`;
  await sql`
    insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
    select ${ref} || '-R' || n, ${ref}, d::date, 'rent', 10000, 'rent', 'Rent'
    from generate_series(0, 46) n, lateral (select date '2026-01-05' + n * 7 as d) x
    union all
    select ${ref} || '-P' || n, ${ref}, d::date, 'payment', -10000, 'rent', 'Card'
    from generate_series(0, 43) n, lateral (select date '2026-01-05' + n * 7 as d) x`;
}
