// Issue 3 end to end: signed Twilio webhooks through app.request(), the real flows, the outbox, and the
// Twilio SDK faked only at the network edge (msw records what Twilio received).
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/conversations/start.js';
import { useTestDatabase } from '../support/database.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, useTwilioMock } from '../support/msw-twilio.js';
import { PUBLIC_BASE_URL, SMS_NUMBER, TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
// Wednesday 25 November 2026, 10:00 London: inside the contact window.
const service = await testService(db.sql, { now: '2026-11-25T10:00:00Z' });
const twilioMock = useTwilioMock({ now: () => service.clock.now() });

let tenants = 0;
async function tenantInArrears(options: { language?: string } = {}) {
  tenants += 1;
  const ref = `CONV${tenants}`;
  const mobile = `+4477009${String(20_000 + tenants).slice(-5)}`;
  await insertTenantInArrears(db.sql, ref, mobile, options);
  return { ref, mobile };
}

async function beginMissedPayment(ref: string) {
  await db.sql.begin((tx) =>
    startConversation(
      tx,
      { flows: service.flows, policy: service.policy, timeZone: TIME_ZONE },
      { tenancyRef: ref, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: service.clock.now() },
    ),
  );
  await service.dispatchAll();
}

function sentTo(mobile: string): string[] {
  return twilioMock.accepted.filter((m) => m.to === mobile).map((m) => m.body);
}

describe('a tenant arranging a plan by text', () => {
  it('turns "I can pay £15 a week from Friday" after the identity check into a proposed arrangement and an escalation', async () => {
    const { ref, mobile } = await tenantInArrears();
    await beginMissedPayment(ref);
    const [first] = sentTo(mobile);
    expect(first).toMatch(/^Hi Sam, it's Demo Homes/);
    expect(first).not.toMatch(/£|arrears|evict/i);

    expect((await service.text(mobile, '12/03/1985')).status).toBe(200);
    await service.dispatchAll();
    // £300 owed, of which the charge due on Monday 23 Nov is still inside the 3-day grace: £200 behind.
    expect(sentTo(mobile)[1]).toMatch(/Your rent account is £200\.00 behind/);

    await service.text(mobile, 'I can pay £15 a week from Friday');
    await service.text(mobile, 'yes');
    await service.dispatchAll();

    const [arrangement] =
      await db.sql`select amount_pence, frequency, start_date, status, raw_text from arrangements where tenancy_ref = ${ref}`;
    // Wednesday 25 Nov: "Friday" is Friday 27 Nov in London.
    expect(arrangement).toEqual({
      amount_pence: 1500,
      frequency: 'weekly',
      start_date: '2026-11-27',
      status: 'proposed',
      raw_text: 'I can pay £15 a week from Friday',
    });
    const escalations = await db.sql`select reason, urgency, status from escalations where tenancy_ref = ${ref}`;
    expect(escalations).toEqual([{ reason: 'offer', urgency: 'normal', status: 'pending' }]);

    const texts = twilioMock.accepted.filter((m) => m.to === mobile);
    expect(texts.map((m) => m.form.From)).toEqual(texts.map(() => SMS_NUMBER));
    expect(texts.map((m) => m.body)).toEqual([
      expect.stringMatching(/date of birth/),
      expect.stringMatching(/£200\.00 behind/),
      "So that's £15.00 a week from Fri 27 Nov, on top of your rent. Is that right? Reply YES or NO.",
      expect.stringMatching(/^Thank you\. We've sent your offer to an income officer[\s\S]*StepChange: 0800 138 1111/),
    ]);
    expect(texts.every((m) => m.form.StatusCallback === `${PUBLIC_BASE_URL}/twilio/status`)).toBe(true);

    const summary = await service.app.request(`/api/tenancies/${ref}`, {
      headers: { authorization: 'Bearer test-api-token-0123456789' },
    });
    expect(((await summary.json()) as { arrangement: unknown }).arrangement).toEqual({
      amount_pence: 1500,
      frequency: 'weekly',
      start_date: '2026-11-27',
      status: 'proposed',
    });
  });

  it('keeps every message in and out in the contact log, in order, and refuses to change it', async () => {
    const { ref, mobile } = await tenantInArrears();
    await beginMissedPayment(ref);
    for (const text of ['12/03/1985', 'I can pay £15 a week from Friday', 'yes']) {
      await service.text(mobile, text);
      await service.dispatchAll();
    }
    const log = await db.sql`
      select l.event, l.actor, m.direction, m.body from contact_log l join messages m on m.id = l.message_id
      where l.tenancy_ref = ${ref} and l.event in ('message_received', 'message_sent') order by l.id`;
    expect(log.map((l) => [l.event, l.direction, l.body])).toEqual([
      ['message_sent', 'outbound', expect.stringMatching(/^Hi Sam, it's Demo Homes[\s\S]*date of birth/)],
      ['message_received', 'inbound', '12/03/1985'],
      ['message_sent', 'outbound', expect.stringMatching(/£200\.00 behind/)],
      ['message_received', 'inbound', 'I can pay £15 a week from Friday'],
      [
        'message_sent',
        'outbound',
        "So that's £15.00 a week from Fri 27 Nov, on top of your rent. Is that right? Reply YES or NO.",
      ],
      ['message_received', 'inbound', 'yes'],
      ['message_sent', 'outbound', expect.stringMatching(/^Thank you\. We've sent your offer to an income officer/)],
    ]);
    await expect(db.sql`update contact_log set actor = 'x' where tenancy_ref = ${ref}`).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from contact_log where tenancy_ref = ${ref}`).rejects.toThrow(/append-only/);
    const [kept] = await db.sql`select count(*)::int as n from contact_log where tenancy_ref = ${ref} and actor = 'x'`;
    expect(kept?.n).toBe(0);
  });
});

describe('webhook signatures and retries', () => {
  it('refuses forged, replayed-with-changes and unsigned requests with 403 and stores nothing', async () => {
    const { mobile } = await tenantInArrears();
    const params = {
      MessageSid: 'SMforged000000000000000000000001',
      AccountSid: TEST_ACCOUNT_SID,
      From: mobile,
      To: SMS_NUMBER,
      Body: 'hello',
    };
    const url = `${PUBLIC_BASE_URL}/twilio/messages`;
    const forged = twilio.getExpectedTwilioSignature('not-our-auth-token', url, params);
    const stale = twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, { ...params, Body: 'an earlier message' });
    const wrongUrl = twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, 'http://10.1.2.3:3000/twilio/messages', params);
    for (const signature of [forged, stale, wrongUrl, '']) {
      const res = await service.text(mobile, 'hello', { sid: params.MessageSid, signature });
      expect(res.status).toBe(403);
    }
    const [count] = await db.sql`select count(*)::int as n from messages where from_address = ${mobile}`;
    expect(count?.n).toBe(0);
  });

  it('processes one MessageSid delivered three times once, and answers it once', async () => {
    const { mobile } = await tenantInArrears();
    for (let i = 0; i < 3; i++)
      expect(
        (await service.text(mobile, 'Hello, can I sort my rent out?', { sid: 'SMretried0000000000000000000000001' }))
          .status,
      ).toBe(200);
    await service.dispatchAll();
    const inbound =
      await db.sql`select twilio_sid, body from messages where direction = 'inbound' and from_address = ${mobile}`;
    expect(inbound).toEqual([
      { twilio_sid: 'SMretried0000000000000000000000001', body: 'Hello, can I sort my rent out?' },
    ]);
    // One reply: the identity check that opens a conversation the tenant started.
    expect(sentTo(mobile)).toEqual([
      expect.stringMatching(/^Hi Sam, thanks for your message to Demo Homes[\s\S]*reply with your date of birth/),
    ]);
  });

  it('takes two texts from one tenant in the same moment one after the other, as if they came in turn', async () => {
    const { ref, mobile } = await tenantInArrears();
    await beginMissedPayment(ref);
    const identity = '12/03/1985';
    const offer = 'I can pay £15 a week from Friday';
    await Promise.all([service.text(mobile, identity), service.text(mobile, offer)]);
    await service.dispatchAll();

    // Taken in turn, the two orders end in one of two states; a lost update would end in neither.
    const identityFirst = {
      steps: ['check_identity', 'menu', 'make_plan', 'confirm_plan'],
      replies: [
        expect.stringMatching(/£200\.00 behind/),
        expect.stringMatching(/^So that's £15\.00 a week from Fri 27 Nov/),
      ],
    };
    const offerFirst = {
      steps: ['check_identity', 'menu'],
      replies: [
        expect.stringMatching(/^Sorry, I didn't catch that\. Please reply with your date of birth/),
        expect.stringMatching(/£200\.00 behind/),
      ],
    };
    const [conversation] = await db.sql`
      select id, session->>'stepId' as step, session->'history' as history from conversations where tenancy_ref = ${ref}`;
    const steps = (conversation?.history as { stepId: string }[]).map((h) => h.stepId);
    const expected = steps.length === identityFirst.steps.length ? identityFirst : offerFirst;
    expect(steps).toEqual(expected.steps);
    expect(conversation?.step).toBe(expected.steps.at(-1));
    expect(sentTo(mobile).slice(1)).toEqual(expected.replies);
    const inbound =
      await db.sql`select body, conversation_id from messages where direction = 'inbound' and from_address = ${mobile} order by body`;
    expect(inbound).toEqual([
      { body: identity, conversation_id: conversation?.id },
      { body: offer, conversation_id: conversation?.id },
    ]);
  });

  it('answers an unknown number politely without disclosing anything', async () => {
    const res = await service.text('+447700900999', 'what do I owe?');
    expect(res.status).toBe(200);
    await service.dispatchAll();
    const [reply] = sentTo('+447700900999');
    expect(reply).toMatch(/can't match this number to a tenancy/);
    expect(reply).not.toMatch(/£|Sam|arrears/);
  });
});

describe('consent and safety words', () => {
  it('opts out on STOP (even messages already queued are not sent) and back in on START', async () => {
    const { ref, mobile } = await tenantInArrears();
    await beginMissedPayment(ref);
    await service.text(mobile, 'STOP');
    // Something queued before the opt-out was applied at send time:
    await db.sql`insert into messages (direction, tenancy_ref, tenant_no, channel, to_address, body, purpose, status, created_at, updated_at)
                 values ('outbound', ${ref}, 1, 'sms', ${mobile}, 'a queued reminder', 'arrears', 'queued', now(), now())`;
    await service.dispatchAll();
    expect(sentTo(mobile)).toHaveLength(1); // only the first message, before STOP
    const [t] = await db.sql`select sms_opted_out_at from tenants where tenancy_ref = ${ref}`;
    expect(t?.sms_opted_out_at).not.toBeNull();
    const blocked = await db.sql`select blocked_reason from messages where tenancy_ref = ${ref} and status = 'blocked'`;
    expect(blocked.map((b) => b.blocked_reason)).toContain('opted_out');

    await service.text(mobile, 'START');
    await service.dispatchAll();
    const [after] = await db.sql`select sms_opted_out_at from tenants where tenancy_ref = ${ref}`;
    expect(after?.sms_opted_out_at).toBeNull();
    expect(sentTo(mobile)[1]).toBe(
      'Thanks, texts from Demo Homes (demo landlord) are turned back on. Reply STOP at any time to stop them.',
    );
    expect(sentTo(mobile)).not.toContain('a queued reminder');
    const events =
      await db.sql`select event from contact_log where tenancy_ref = ${ref} and event in ('opted_out', 'opted_in') order by id`;
    expect(events.map((e) => e.event)).toEqual(['opted_out', 'opted_in']);
  });

  it('stops the script on crisis words, acknowledges once and raises an urgent escalation', async () => {
    const { ref, mobile } = await tenantInArrears();
    await beginMissedPayment(ref);
    await service.text(mobile, '12/03/1985');
    await service.dispatchAll();
    const before = sentTo(mobile).length;
    await service.text(mobile, "I can't cope any more, I don't want to be here");
    await service.text(mobile, 'please help');
    await service.dispatchAll();
    const after = sentTo(mobile).slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(
      /^Thank you for telling us\. We've paused our automatic texts[\s\S]*Samaritans free on 116 123/,
    );
    expect(after[0]).not.toMatch(/£/);
    const escalations = await db.sql`select reason, urgency from escalations where tenancy_ref = ${ref}`;
    expect(escalations).toEqual([{ reason: 'crisis', urgency: 'urgent' }]);
    // The conversation ends: no scripted text follows the hand-off.
    const conversations = await db.sql`select status from conversations where tenancy_ref = ${ref}`;
    expect(conversations).toEqual([{ status: 'ended' }]);
  });

  it('freezes automation when the tenant says they already paid, and tells an officer', async () => {
    const { ref, mobile } = await tenantInArrears();
    await beginMissedPayment(ref);
    await service.text(mobile, 'I already paid that last week');
    await service.dispatchAll();
    const [t] = await db.sql`select disputed_at from tenants where tenancy_ref = ${ref}`;
    expect(t?.disputed_at).not.toBeNull();
    expect(sentTo(mobile)).toHaveLength(2);
    expect(sentTo(mobile)[1]).toMatch(
      /^Thanks for letting us know\. An officer will check your account, and we won't text you about it/,
    );
    const [esc] = await db.sql`select reason from escalations where tenancy_ref = ${ref}`;
    expect(esc?.reason).toBe('already_paid');
    // A later automated arrears text is held back by the dispute.
    await db.sql`insert into messages (direction, tenancy_ref, tenant_no, channel, to_address, body, purpose, status, created_at, updated_at)
                 values ('outbound', ${ref}, 1, 'sms', ${mobile}, 'an arrears text', 'arrears', 'queued', now(), now())`;
    await service.dispatchAll();
    expect(sentTo(mobile)).toHaveLength(2);
    const [held] =
      await db.sql`select status, blocked_reason from messages where tenancy_ref = ${ref} and body = 'an arrears text'`;
    expect(held).toEqual({ status: 'blocked', blocked_reason: 'dispute' });
  });

  it('hands a vulnerable tenant who writes in to officers without any scripted reply', async () => {
    tenants += 1;
    const ref = `CONV${tenants}`;
    const mobile = `+4477009${String(20_000 + tenants).slice(-5)}`;
    await insertTenantInArrears(db.sql, ref, mobile, { flags: { vulnerable: true } });
    await service.text(mobile, 'hi can I pay less this week');
    await service.dispatchAll();
    expect(sentTo(mobile)).toHaveLength(0);
    const [esc] = await db.sql`select reason, urgency from escalations where tenancy_ref = ${ref}`;
    expect(esc).toEqual({ reason: 'human_only', urgency: 'urgent' });
  });

  it('speaks Welsh to a tenant whose language is cy', async () => {
    const { ref, mobile } = await tenantInArrears({ language: 'cy' });
    await beginMissedPayment(ref);
    expect(sentTo(mobile)[0]).toMatch(/^Helo Sam/);
  });
});
