// Group commit must not change what a text does: the same texts, received one by one through
// receiveInboundText in one database and as ONE batch through receiveInboundBatch in an identical one,
// leave the same rows (ids aside) and give the same results. The texts cover plain steps, two and three
// texts from one sender, a conversation that ends and is followed by a new one, and every rarer path.
import { describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { startConversation } from '../../src/conversations/start.js';
import {
  receiveInboundText,
  type ConversationDeps,
  type InboundText,
  type ReceiveResult,
} from '../../src/conversations/receive.js';
import { receiveInboundBatch } from '../../src/conversations/receive-batch.js';
import { silentLogger } from '../../src/lib/logger.js';
import { useTestDatabase } from '../support/database.js';
import { SMS_NUMBER, TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const oneByOne = await useTestDatabase();
const batched = await useTestDatabase();
// Wednesday 25 November 2026, 10:00 London: inside the contact window.
const service = await testService(oneByOne.sql, { now: '2026-11-25T10:00:00Z' });
// Auto-accept on, so an offer's escalation id comes back as a result too.
const policy = { ...service.policy, offers: { ...service.policy.offers, auto_accept_within_policy: true } };
const depsFor = (sql: Sql): ConversationDeps => ({
  sql,
  flows: service.flows,
  policy,
  clock: service.clock,
  logger: silentLogger(),
  timeZone: TIME_ZONE,
});

const mobileOf = (n: number) => `+44770093${String(n).padStart(4, '0')}`;

/** The same tenants in both databases: most mid-conversation, some with a twist. */
async function seed(sql: Sql): Promise<void> {
  const deps = { flows: service.flows, policy, timeZone: TIME_ZONE };
  for (let n = 1; n <= 17; n++) {
    await insertTenantInArrears(sql, `EQ${n}`, mobileOf(n), {
      ...(n === 10 ? { language: 'cy' } : {}),
      ...(n === 6 ? { flags: { vulnerable: true } } : {}),
    });
    if (n === 7) continue; // no open conversation: a text starts a tenant-initiated one
    await sql.begin((tx) =>
      startConversation(tx, deps, {
        tenancyRef: `EQ${n}`,
        tenantNo: 1,
        flowId: 'missed_payment',
        purpose: 'arrears',
        now: service.clock.now(),
      }),
    );
  }
  await sql`update conversations set taken_over_by = 'U0OFFICER1' where tenancy_ref = 'EQ8'`;
  // A conversation that has ended (pay now): the tenant's next texts start a new one, the first in sets.
  await sql`update conversations set status = 'ended', ended_at = '2026-11-25T09:00:00Z' where tenancy_ref = 'EQ17'`;
  await sql`update conversations set session = jsonb_set(session, '{expiresAt}', '"2026-11-01T00:00:00.000Z"') where tenancy_ref = 'EQ12'`;
  await sql`update tenants set last_whatsapp_inbound_at = '2026-11-24T09:00:00.123456Z' where tenancy_ref = 'EQ14'`;
  // An auto-responder one reply short of the limit (15 in 10 minutes), and one already past it whose pause an
  // officer has been told of: the first pauses in the batch through the one-text path, the second in sets.
  const replies = (n: number, count: number) => sql`
    insert into messages (direction, tenancy_ref, tenant_no, channel, to_address, body, purpose, status, created_at, updated_at)
    select 'outbound', ${`EQ${n}`}, 1, 'sms', ${mobileOf(n)}, 'Sorry, I did not catch that.', 'reply', 'sent', t, t
    from generate_series(1, ${count}) as g(i), lateral (select timestamptz '2026-11-25T09:55:00Z' + g.i * interval '1 second' as t) x`;
  await replies(15, 14);
  await replies(16, 15);
  await sql`insert into contact_log (at, tenancy_ref, tenant_no, event, actor, channel)
            values ('2026-11-25T09:56:00Z', 'EQ16', 1, 'automated_replies_paused', 'rentline', 'sms')`;
}

let sid = 0;
function text(n: number | string, body: string, options: { sid?: string; whatsapp?: boolean } = {}): InboundText {
  sid += 1;
  return {
    messageSid: options.sid ?? `SMeq${String(sid).padStart(30, '0')}`,
    from: typeof n === 'number' ? mobileOf(n) : n,
    to: SMS_NUMBER,
    body,
    channel: options.whatsapp ? 'whatsapp' : 'sms',
  };
}

const TEXTS: InboundText[] = [
  text(1, '12/03/1985'),
  text(2, 'my birthday is 01/01/1990'),
  text(3, '12/03/1985'),
  text(4, 'STOP'),
  text(3, 'I can pay £15 a week from Friday'),
  text(5, 'I already paid that last week'),
  text(6, 'hi can I pay less this week'),
  text(7, 'Hello, can I sort my rent out?'),
  text(8, 'are you there?'),
  text(9, "I can't cope any more, I don't want to be here"),
  text('+447700900999', 'what do I owe?'),
  text(10, '12/03/1985'),
  text(3, 'yes'),
  text(4, 'what happens now'),
  text(11, '12/03/1985'),
  text(11, '1'),
  text(8, 'hello?'),
  text(9, 'please help'),
  text(12, 'hi'),
  text(11, 'thanks'),
  text(13, 'SW1A 1AA', { whatsapp: true }),
  text(14, 'banana'),
  text(14, 'banana again'),
  text('+447700900999', 'hello?'),
  text(2, '12/03/1985'),
  text(15, 'Auto-reply: I am away'),
  text(16, 'Auto-reply: I am away'),
  text(15, 'Auto-reply: I am away'),
  text(16, 'STOP'),
  text(15, 'Auto-reply: I am away'),
  text(16, 'Auto-reply: I am away'),
  text(17, 'I can pay £10 a week from next monday'),
  text(17, '12/03/1985'),
];

/** Every row a text can touch, with ids replaced by what they point at and rows in a per-tenant order. */
async function snapshot(sql: Sql) {
  const messages = await sql`
    select direction, channel, tenancy_ref, tenant_no, to_address, from_address, body, purpose, status, twilio_sid, template_key,
      template_variables, not_before, created_at, updated_at, (select c.flow_id from conversations c where c.id = m.conversation_id) as conversation_flow
    from messages m order by coalesce(tenancy_ref, ''), coalesce(from_address, to_address), direction, id`;
  const contactLog = await sql`
    select l.at, l.tenancy_ref, l.tenant_no, l.event, l.actor, l.channel, l.detail, m.direction, m.body as message_body, m.twilio_sid, e.reason as escalation_reason
    from contact_log l left join messages m on m.id = l.message_id left join escalations e on e.id = l.escalation_id
    order by coalesce(l.tenancy_ref, ''), l.id`;
  const conversations = await sql`
    select tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, taken_over_by, started_at, updated_at, ended_at, purpose
    from conversations order by tenancy_ref, id`;
  const timers = await sql`
    select c.tenancy_ref, c.flow_id, substr(t.timer_id, length(t.conversation_id::text) + 2) as timer, t.fire_at, t.fired_at
    from conversation_timers t join conversations c on c.id = t.conversation_id order by c.tenancy_ref, c.id, t.timer_id`;
  // created_at and updated_at come from the database's own clock (the seeding), not the application's.
  const tenants = (await sql`select * from tenants order by tenancy_ref, tenant_no`).map(
    ({ created_at: _c, updated_at: _u, ...rest }) => rest,
  );
  const escalations = await sql`
    select tenancy_ref, tenant_no, reason, urgency, summary, status, (select flow_id from conversations c where c.id = e.conversation_id) as conversation_flow,
      (select raw_text from arrangements a where a.id = e.arrangement_id) as arrangement_text
    from escalations e order by tenancy_ref, id`;
  const arrangements = await sql`
    select tenancy_ref, tenant_no, amount_pence, frequency, start_date, reason, raw_text, status, start_arrears_pence, within_policy
    from arrangements order by tenancy_ref, id`;
  return { messages, contactLog, conversations, timers, tenants, escalations, arrangements };
}

describe('a batch of texts from many tenants', () => {
  it('leaves exactly the rows and results that taking them one by one does', async () => {
    await seed(oneByOne.sql);
    await seed(batched.sql);
    const expected: ReceiveResult[] = [];
    for (const t of TEXTS) expected.push(await receiveInboundText(depsFor(oneByOne.sql), t));
    const actual = await receiveInboundBatch(depsFor(batched.sql), TEXTS);

    const outcomes = (results: typeof expected) =>
      results.map((r) => ({ outcome: r.outcome, autoAccept: r.autoAcceptEscalationId !== null }));
    expect(outcomes(actual)).toEqual(outcomes(expected));
    // The mix covers the plain path and every rarer one.
    expect(new Set(expected.map((r) => r.outcome))).toEqual(
      new Set(['stepped', 'started', 'taken_over', 'human_only', 'unknown_number', 'paused']),
    );
    expect(expected.some((r) => r.autoAcceptEscalationId !== null)).toBe(true);

    const [want, got] = await Promise.all([snapshot(oneByOne.sql), snapshot(batched.sql)]);
    expect(got.messages.length).toBeGreaterThan(40);
    expect(got.contactLog.length).toBeGreaterThan(60);
    for (const table of Object.keys(want) as (keyof typeof want)[])
      expect([table, got[table]]).toEqual([table, want[table]]);
  });

  it('pauses replies past the limit in a batch as one by one: one officer told, the texts kept, STOP honoured', async () => {
    const escalated = await batched.sql`
      select tenancy_ref, summary from escalations where tenancy_ref in ('EQ15', 'EQ16') order by id`;
    expect(escalated).toEqual([
      {
        tenancy_ref: 'EQ15',
        summary: expect.stringContaining(
          'automated replies paused: 2 texts in 10 minutes — possibly an auto-responder',
        ),
      },
    ]);
    const kept = await batched.sql`
      select tenancy_ref, count(*)::int as texts from messages where direction = 'inbound' and tenancy_ref in ('EQ15', 'EQ16')
      group by tenancy_ref order by tenancy_ref`;
    expect(kept).toEqual([
      { tenancy_ref: 'EQ15', texts: 3 },
      { tenancy_ref: 'EQ16', texts: 3 },
    ]);
    const [eq16] = await batched.sql`select sms_opted_out_at from tenants where tenancy_ref = 'EQ16'`;
    expect(eq16?.sms_opted_out_at).toEqual(service.clock.now());
  });

  it('lets a later text from the same sender see what an earlier one in the batch did', async () => {
    const replies = await batched.sql<
      { body: string }[]
    >`select body from messages where direction = 'outbound' and tenancy_ref = 'EQ3' and purpose = 'reply' order by id`;
    // Verified by the first text, so the second's offer is read back and the third's "yes" records it.
    expect(replies.map((r) => r.body)).toEqual([
      expect.stringMatching(/£200\.00 behind/),
      expect.stringMatching(/^So that's £15\.00 a week from Fri 27 Nov/),
      expect.stringMatching(/^Thank you\. We've sent your offer/),
    ]);
    const [after] = await batched.sql`select count(*)::int as n from conversations where tenancy_ref = 'EQ11'`;
    // "1" ended the conversation (pay now); the next text found none open and started a new one.
    expect(after?.n).toBe(2);
  });
});
