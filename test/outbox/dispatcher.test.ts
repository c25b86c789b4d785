// The dispatcher end to end against a real database, with Twilio faked only at the network edge (msw):
// what Twilio receives, what the rows and the contact log say afterwards.
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../support/clock.js';
import { listOutbox } from '../../src/outbox/queue.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import {
  contactEvents,
  insertTenant,
  messageRow,
  queue,
  SMS_FROM,
  STATUS_CALLBACK,
  testDispatcher,
  TUESDAY_10AM,
} from './fixtures.js';

const db = await useTestDatabase();
const clock = fixedClock(TUESDAY_10AM);
const twilio = useTwilioMock({ now: () => clock.now() });

beforeEach(() => clock.set(TUESDAY_10AM));

describe('sending queued messages', () => {
  it('sends a queued SMS through the Twilio SDK with To, From, Body and the status callback, and records the sid', async () => {
    const tenant = await insertTenant(db.sql, 'SEND-001');
    const id = await queue(db.sql, tenant, { body: 'Hello from Demo Homes', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    const counts = await dispatcher.runOnce();

    expect(counts).toEqual({ sent: 1, held: 0, blocked: 0, failed: 0, retried: 0, kept: 0 });
    expect(twilio.accepted).toHaveLength(1);
    expect(twilio.accepted[0]?.form).toMatchObject({
      To: tenant.mobile,
      From: SMS_FROM,
      Body: 'Hello from Demo Homes',
      StatusCallback: STATUS_CALLBACK,
    });
    const row = await messageRow(db.sql, id);
    expect(row).toMatchObject({
      status: 'sent',
      twilio_sid: twilio.accepted[0]?.sid,
      attempts: 1,
      from_address: SMS_FROM,
    });
    expect((await contactEvents(db.sql, id)).map((e) => e.event)).toEqual(['message_queued', 'message_sent']);
  });

  it('sends nothing that is not yet due, and sends it once the clock reaches not_before', async () => {
    const tenant = await insertTenant(db.sql, 'SEND-002');
    const id = await queue(db.sql, tenant, { now: clock.now(), notBefore: new Date('2026-11-24T11:00:00Z') });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect((await dispatcher.runOnce()).sent).toBe(0);
    clock.set('2026-11-24T11:00:00Z');
    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect((await messageRow(db.sql, id)).status).toBe('sent');
  });

  it('marks the tenant contacted about arrears when an arrears message goes out', async () => {
    const tenant = await insertTenant(db.sql, 'SEND-003');
    await queue(db.sql, tenant, { purpose: 'arrears', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    await dispatcher.runOnce();

    const [row] = await db.sql<
      { last_arrears_message_at: Date | null }[]
    >`select last_arrears_message_at from tenants where tenancy_ref = 'SEND-003'`;
    expect(row?.last_arrears_message_at?.toISOString()).toBe(TUESDAY_10AM.replace('Z', '.000Z'));
  });

  it('keeps messages that pass their guards when there are no Twilio credentials, and lists them for the CLI', async () => {
    const tenant = await insertTenant(db.sql, 'KEEP-001');
    const id = await queue(db.sql, tenant, { body: 'Kept for later', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock, sender: null });

    const counts = await dispatcher.runOnce();

    expect(counts.kept).toBe(1);
    expect(twilio.attempts).toHaveLength(0);
    expect((await messageRow(db.sql, id)).status).toBe('kept');
    const listed = await listOutbox(db.sql, { status: ['kept'] });
    expect(listed.map((m) => ({ id: m.id, tenancy_ref: m.tenancy_ref, body: m.body }))).toContainEqual({
      id,
      tenancy_ref: 'KEEP-001',
      body: 'Kept for later',
    });
  });

  it('answers a number we could not match to a tenant, since it just wrote to us', async () => {
    const stranger = '+447700955555';
    await db.sql`insert into messages (direction, channel, to_address, from_address, body, status, twilio_sid, created_at, updated_at)
                 values ('inbound', 'sms', ${SMS_FROM}, ${stranger}, 'hi', 'received', 'SMinbound0001', ${clock.now()}, ${clock.now()})`;
    const id = await queue(
      db.sql,
      { ref: null, tenantNo: null, mobile: stranger },
      { purpose: 'system', now: clock.now() },
    );
    clock.set('2026-11-24T21:30:00Z'); // after the contact window: a reply to someone who just texted still goes
    await db.sql`update messages set created_at = ${clock.now()} where twilio_sid = 'SMinbound0001'`;
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect((await dispatcher.runOnce()).sent).toBe(1);
    expect((await messageRow(db.sql, id)).status).toBe('sent');
    expect(twilio.accepted[0]?.form.To).toBe(stranger);
  });

  it('wakes on NOTIFY after start(), not only on its poll timer, and stop() waits for the send in flight', async () => {
    const tenant = await insertTenant(db.sql, 'START-001');
    const { dispatcher } = testDispatcher(db.sql, { clock, pollMs: 600_000 });
    dispatcher.start();
    const first = await queue(db.sql, tenant, { body: 'first', now: clock.now() });
    await expect.poll(async () => (await messageRow(db.sql, first)).status, { timeout: 5_000 }).toBe('sent');
    // The start-up round is over by now and the poll timer is ten minutes away: only NOTIFY can send this.
    const second = await queue(db.sql, tenant, { body: 'second', now: clock.now() });
    await expect.poll(async () => (await messageRow(db.sql, second)).status, { timeout: 5_000 }).toBe('sent');
    await dispatcher.stop();
    expect(twilio.accepted.map((m) => m.body)).toEqual(['first', 'second']);
  });
});
