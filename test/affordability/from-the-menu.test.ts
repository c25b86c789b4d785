// End to end, from the ordinary conversation: a tenant who texts in (or answers the missed-payment text)
// and is not sure what they could pay picks "work out what you could afford" at the menu; the affordability
// check carries on in the same conversation without asking who they are again; the tenant offers the
// suggested amount; the card shows the check and the offer against it; once accepted, the checklist shows
// the assessment, the offer and the debt advice as met, with their evidence.
import twilio from 'twilio';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startConversation } from '../../src/conversations/start.js';
import { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { createTwilioStatusRoute } from '../../src/twilio/status.js';
import { bearer, testApp } from '../support/app.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import {
  NOW,
  OFFICER,
  cardTs,
  insertTenantInArrears,
  slackHarness,
  textOf,
  type SlackHarness,
} from '../slack/harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;

/** The six answers of flows/transcripts/missed_payment/51: £130 a month spare suggests £15.00 a week. */
const ANSWERS = ['900, 300, 0', '100, 120', '150, 40, 30', '60, 0', '150', '300, 60, 60'];

beforeAll(async () => {
  h = await slackHarness(db.sql);
});

const AUTH_TOKEN = 'menu-test-auth-token';
const PUBLIC_BASE_URL = 'https://rentline.example.org';

/** Twilio says every text sent so far was delivered, by signed status callbacks as in production. */
async function deliverSentTexts(ref: string): Promise<void> {
  const app = createApp(
    {
      sql: db.sql,
      clock: fixedClock(NOW),
      logger: silentLogger(),
      policy: h.policy,
      apiToken: null,
      timeZone: 'Europe/London',
    },
    {
      twilioStatus: createTwilioStatusRoute({
        sql: db.sql,
        clock: fixedClock(NOW),
        logger: silentLogger(),
        authToken: AUTH_TOKEN,
        publicBaseUrl: PUBLIC_BASE_URL,
      }),
    },
  );
  const sent = await db.sql<{ twilio_sid: string }[]>`
    select twilio_sid from messages where tenancy_ref = ${ref} and direction = 'outbound' and twilio_sid is not null`;
  expect(sent.length).toBeGreaterThan(0);
  for (const { twilio_sid } of sent) {
    const params = {
      MessageSid: twilio_sid,
      MessageStatus: 'delivered',
      AccountSid: 'AC00000000000000000000000000000000',
    };
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}/twilio/status`, params);
    const res = await app.request('http://10.0.0.5:3000/twilio/status', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBeLessThan(300);
  }
}

async function outboundBodies(ref: string): Promise<string[]> {
  const rows = await db.sql<{ body: string }[]>`
    select body from messages where tenancy_ref = ${ref} and direction = 'outbound' order by id`;
  return rows.map((r) => r.body);
}

describe('the affordability check from the tenant menu', () => {
  let ref: string;
  let escalationId: number;

  it('a tenant who texts in picks 5, answers the check and offers the suggested £15 a week', async () => {
    let mobile: string;
    ({ ref, mobile } = await insertTenantInArrears(db.sql));
    for (const text of ['Hi, I got a letter about my rent', '12/03/1985', '5', ...ANSWERS, 'yes', 'Friday', 'yes'])
      await h.tenantTexts(mobile, text);
    const sent = await outboundBodies(ref);
    expect(sent.some((b) => b.includes('5 to work out what you could afford'))).toBe(true);
    // The identity question is asked once: the check does not ask it again.
    expect(sent.filter((b) => b.includes('date of birth'))).toHaveLength(1);
    expect(sent.some((b) => b.startsWith('1 of 6. Money coming in each month'))).toBe(true);
    expect(sent.some((b) => b.includes('We suggest £15.00 a week towards what you owe'))).toBe(true);

    // One conversation: it began as the tenant's own and carried on in the affordability flow.
    const [conversation, ...others] = await db.sql<{ flow_id: string; now_in: string; status: string; id: number }[]>`
      select id::int as id, flow_id, session->>'flowId' as now_in, status from conversations where tenancy_ref = ${ref}`;
    expect(others).toHaveLength(0);
    expect(conversation).toMatchObject({ flow_id: 'tenant_initiated', now_in: 'affordability', status: 'ended' });
    const [check] = await db.sql<{ id: number; conversation_id: number }[]>`
      select id::int as id, conversation_id::int as conversation_id, surplus_pence, suggested_instalment_pence, outcome, assessed_by
      from affordability_checks where tenancy_ref = ${ref}`;
    expect(check).toMatchObject({
      conversation_id: conversation?.id,
      surplus_pence: 13_000,
      suggested_instalment_pence: 1_500,
      outcome: 'surplus',
      assessed_by: 'tenant',
    });
    const [arrangement] = await db.sql`
      select amount_pence, frequency, start_date, status, affordability_id::int as affordability_id
      from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement).toMatchObject({
      amount_pence: 1_500,
      frequency: 'weekly',
      start_date: '2026-11-27',
      status: 'proposed',
      affordability_id: check?.id,
    });
    const [esc] = await db.sql<{ id: number }[]>`
      select id::int as id from escalations where tenancy_ref = ${ref} and reason = 'offer'`;
    escalationId = esc!.id;
  });

  it('the card shows the check and the offer against it; the officer accepts', async () => {
    await h.settle();
    const card = vendors.calls('chat.postMessage').find((c) => textOf(c.blocks).includes('Affordability check'));
    const shown = textOf(card?.blocks);
    expect(shown).toContain('income £1,200.00, outgoings £1,070.00, surplus £130.00 a month; suggested £15.00 weekly');
    expect(shown).toContain(
      '*Offer against the check:* £15.00 a week (£65.00 a month) is 50% of the £130.00 monthly surplus: the suggested £15.00 a week',
    );
    await h.click(ACTIONS.accept, escalationId, OFFICER, await cardTs(db.sql, escalationId));
    await h.settle();
    const [arrangement] = await db.sql`select status from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement?.status).toBe('active');
  });

  it('the checklist then shows the assessment, the offer and the debt advice as met, with evidence', async () => {
    await h.sendTexts();
    await deliverSentTexts(ref);
    const { app } = testApp(db.sql, { now: NOW });
    const res = await app.request(`/api/tenancies/${ref}/protocol`, { headers: bearer() });
    expect(res.status).toBe(200);
    const protocol = (await res.json()) as {
      items: { key: string; status: string; evidence: { event: string }[] }[];
    };
    const item = (key: string) => protocol.items.find((i) => i.key === key);
    for (const key of ['affordability_assessed', 'repayment_offered', 'debt_advice_signposted']) {
      expect(item(key)?.status, key).toBe('met');
      expect(item(key)?.evidence.length, key).toBeGreaterThan(0);
    }
    expect(item('affordability_assessed')?.evidence.map((e) => e.event)).toContain('affordability_assessed');
  });

  it('the missed-payment text leads there too: "I don\'t know what I can pay" at the menu', async () => {
    const { ref: missedRef, mobile } = await insertTenantInArrears(db.sql);
    const started = await db.sql.begin((tx) =>
      startConversation(
        tx,
        { flows: h.flows, policy: h.policy, timeZone: 'Europe/London' },
        { tenancyRef: missedRef, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: new Date(NOW) },
      ),
    );
    expect(started.started).toBe(true);
    await h.settle();
    for (const text of ['SW1A 1AA', "I don't know what I can pay", ...ANSWERS]) await h.tenantTexts(mobile, text);
    const [check] = await db.sql`
      select suggested_instalment_pence, outcome from affordability_checks where tenancy_ref = ${missedRef}`;
    expect(check).toMatchObject({ suggested_instalment_pence: 1_500, outcome: 'surplus' });
    const sent = await outboundBodies(missedRef);
    expect(sent.at(-1)).toContain('We suggest £15.00 a week towards what you owe');
    const [conversation] = await db.sql`
      select flow_id, session->>'flowId' as now_in, status from conversations where tenancy_ref = ${missedRef}`;
    expect(conversation).toMatchObject({ flow_id: 'missed_payment', now_in: 'affordability', status: 'active' });
  });
});
