// POST /twilio/status: signed delivery callbacks, checked against PUBLIC_BASE_URL, stored once each, and
// moving a message's status only forward however late or out of order they arrive.
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { recordSent, type ClaimedMessage } from '../../src/outbox/store.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { parseTwilioForm } from '../../src/twilio/signature.js';
import { createTwilioStatusRoute } from '../../src/twilio/status.js';
import { useTestDatabase } from '../support/database.js';

const db = await useTestDatabase();
const AUTH_TOKEN = 'status-test-auth-token';
const PUBLIC_BASE_URL = 'https://rentline.example.org';
const clock = fixedClock('2026-11-24T10:00:00Z');

function appWith(authToken: string | null = AUTH_TOKEN) {
  const route = createTwilioStatusRoute({
    sql: db.sql,
    clock,
    logger: silentLogger(),
    authToken,
    publicBaseUrl: PUBLIC_BASE_URL,
  });
  return createApp(
    { sql: db.sql, clock, logger: silentLogger(), policy: DEFAULT_POLICY, apiToken: null, timeZone: 'Europe/London' },
    { twilioStatus: route },
  );
}

async function postStatus(
  params: Record<string, string>,
  options: { signature?: string; signedUrl?: string; authToken?: string | null } = {},
) {
  const signature =
    options.signature ??
    twilio.getExpectedTwilioSignature(AUTH_TOKEN, options.signedUrl ?? `${PUBLIC_BASE_URL}/twilio/status`, params);
  // The internal URL differs from the public one, as it does behind a proxy.
  return appWith(options.authToken === undefined ? AUTH_TOKEN : options.authToken).request(
    'http://10.0.0.5:3000/twilio/status',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    },
  );
}

let sids = 0;
async function sentMessage(): Promise<{ id: number; sid: string }> {
  sids += 1;
  const sid = `SM${String(sids).padStart(32, '0')}`;
  const [row] = await db.sql<{ id: number }[]>`
    insert into messages (direction, channel, to_address, body, purpose, status, twilio_sid, created_at, updated_at, sent_at)
    values ('outbound', 'sms', '+447700900123', 'hello', 'reply', 'sent', ${sid}, ${clock.now()}, ${clock.now()}, ${clock.now()})
    returning id::int as id`;
  return { id: row!.id, sid };
}

async function statusOf(id: number): Promise<string> {
  const [row] = await db.sql<{ status: string }[]>`select status from messages where id = ${id}`;
  return row!.status;
}

async function eventsFor(sid: string): Promise<string[]> {
  return (
    await db.sql<{ status: string }[]>`select status from message_status_events where twilio_sid = ${sid} order by id`
  ).map((r) => r.status);
}

describe('POST /twilio/status', () => {
  it('stores a signed delivery callback and moves the message to delivered, answering 200 with an empty body', async () => {
    const { id, sid } = await sentMessage();
    const res = await postStatus({ MessageSid: sid, MessageStatus: 'delivered', AccountSid: 'AC123' });

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(await statusOf(id)).toBe('delivered');
    expect(await eventsFor(sid)).toEqual(['delivered']);
    const [log] = await db.sql`select event, detail from contact_log where message_id = ${id}`;
    expect(log).toMatchObject({ event: 'message_status', detail: { status: 'delivered' } });
  });

  it('rejects a forged signature with 403 and stores nothing', async () => {
    const { id, sid } = await sentMessage();
    const forged = twilio.getExpectedTwilioSignature('not-our-token', `${PUBLIC_BASE_URL}/twilio/status`, {
      MessageSid: sid,
      MessageStatus: 'delivered',
    });
    const res = await postStatus({ MessageSid: sid, MessageStatus: 'delivered' }, { signature: forged });

    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect(await eventsFor(sid)).toEqual([]);
    expect(await statusOf(id)).toBe('sent');
  });

  it('rejects a tampered body, a missing signature, and a signature over the internal URL', async () => {
    const { sid } = await sentMessage();
    const good = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}/twilio/status`, {
      MessageSid: sid,
      MessageStatus: 'failed',
    });
    expect((await postStatus({ MessageSid: sid, MessageStatus: 'delivered' }, { signature: good })).status).toBe(403);
    expect((await postStatus({ MessageSid: sid, MessageStatus: 'delivered' }, { signature: '' })).status).toBe(403);
    expect(
      (
        await postStatus(
          { MessageSid: sid, MessageStatus: 'delivered' },
          { signedUrl: 'http://10.0.0.5:3000/twilio/status' },
        )
      ).status,
    ).toBe(403);
    expect(await eventsFor(sid)).toEqual([]);
  });

  it('answers 503 saying which variable to set when there is no auth token', async () => {
    const res = await postStatus({ MessageSid: 'SMx', MessageStatus: 'sent' }, { authToken: null });
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('TWILIO_AUTH_TOKEN');
  });

  it('keeps delivered when a late sent callback arrives after it, and stores both events', async () => {
    const { id, sid } = await sentMessage();
    await postStatus({ MessageSid: sid, MessageStatus: 'delivered' });
    const late = await postStatus({ MessageSid: sid, MessageStatus: 'sent' });

    expect(late.status).toBe(200);
    expect(await statusOf(id)).toBe('delivered');
    expect(await eventsFor(sid)).toEqual(['delivered', 'sent']);
  });

  it('stores a repeated callback once', async () => {
    const { sid } = await sentMessage();
    await postStatus({ MessageSid: sid, MessageStatus: 'delivered' });
    await postStatus({ MessageSid: sid, MessageStatus: 'delivered' });
    expect(await eventsFor(sid)).toEqual(['delivered']);
  });

  it('records a failure callback with its error code', async () => {
    const { id, sid } = await sentMessage();
    await postStatus({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' });
    const [row] = await db.sql`select status, error_code from messages where id = ${id}`;
    expect(row).toEqual({ status: 'undelivered', error_code: 30003 });
  });

  it('applies a callback that arrived before the dispatcher recorded the send', async () => {
    const sid = 'SM' + 'f'.repeat(32);
    const early = await postStatus({ MessageSid: sid, MessageStatus: 'delivered' });
    expect(early.status).toBe(200);

    const claimedAt = clock.now();
    const [row] = await db.sql<{ id: number }[]>`
      insert into messages (direction, channel, to_address, body, purpose, status, claimed_at, created_at, updated_at)
      values ('outbound', 'sms', '+447700900123', 'hello', 'reply', 'sending', ${claimedAt}, ${claimedAt}, ${claimedAt})
      returning id::int as id`;
    const claimed = {
      id: row!.id,
      tenancy_ref: null,
      tenant_no: null,
      channel: 'sms',
      claimed_at: claimedAt,
    } as ClaimedMessage;
    await recordSent(db.sql, claimed, { sid, status: 'queued' }, clock.now());

    expect(await statusOf(row!.id)).toBe('delivered');
  });

  it('answers 400 to a signed callback without MessageSid or MessageStatus', async () => {
    expect((await postStatus({ AccountSid: 'AC123' })).status).toBe(400);
  });
});

describe('reading the signed form', () => {
  it('keeps repeated keys as arrays for the signature and the first value for handlers', () => {
    const { signed, params } = parseTwilioForm('A=1&B=x&A=2');
    expect(signed).toEqual({ A: ['1', '2'], B: 'x' });
    expect(params).toEqual({ A: '1', B: 'x' });
  });
});
