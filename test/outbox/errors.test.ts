// What the dispatcher does with each kind of Twilio failure: opt-outs recorded, bad numbers failed for
// good, outages retried with backoff (on the app clock, no sleeps), and broken connections reconciled
// with Twilio's own records instead of sending twice.
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../support/clock.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { contactEvents, insertTenant, messageRow, queue, testDispatcher, TUESDAY_10AM } from './fixtures.js';

const db = await useTestDatabase();
const clock = fixedClock(TUESDAY_10AM);
const twilio = useTwilioMock({ now: () => clock.now() });

beforeEach(() => clock.set(TUESDAY_10AM));

describe('Twilio errors', () => {
  it('records an opt-out on 21610 and blocks the next message to that tenant without sending it', async () => {
    const tenant = await insertTenant(db.sql, 'ERR-21610');
    const first = await queue(db.sql, tenant, { now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    twilio.failNext({ kind: 'twilio_error', status: 400, code: 21610 });

    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1, sent: 0 });
    expect(await messageRow(db.sql, first)).toMatchObject({
      status: 'blocked',
      blocked_reason: 'opted_out',
      error_code: 21610,
    });
    const [state] = await db.sql<
      { sms_opted_out_at: Date | null }[]
    >`select sms_opted_out_at from tenants where tenancy_ref = 'ERR-21610'`;
    expect(state?.sms_opted_out_at).not.toBeNull();
    expect((await contactEvents(db.sql, first)).map((e) => e.event)).toEqual([
      'message_queued',
      'opted_out',
      'message_blocked',
    ]);

    const second = await queue(db.sql, tenant, { now: clock.now() });
    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1, sent: 0 });
    expect(await messageRow(db.sql, second)).toMatchObject({ status: 'blocked', blocked_reason: 'opted_out' });
    expect(twilio.attempts).toHaveLength(1);
  });

  it('fails an invalid number (21211) at once and never retries it', async () => {
    const tenant = await insertTenant(db.sql, 'ERR-21211');
    const id = await queue(db.sql, tenant, { now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    twilio.failNext({ kind: 'twilio_error', status: 400, code: 21211 });

    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    clock.advance(24 * 3600 * 1000);
    expect(await dispatcher.runOnce()).toMatchObject({ failed: 0, sent: 0, retried: 0 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'failed', error_code: 21211, attempts: 1 });
    expect(twilio.attempts).toHaveLength(1);
  });

  it('retries a 500 after a backoff on the app clock, then sends', async () => {
    const tenant = await insertTenant(db.sql, 'ERR-500');
    const id = await queue(db.sql, tenant, { now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    twilio.failNext({ kind: 'http', status: 500 });

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1, sent: 0 });
    expect((await messageRow(db.sql, id)).not_before?.toISOString()).toBe('2026-11-24T10:00:30.000Z');
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 0, sent: 0 });

    clock.advance(30_000);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(twilio.attempts).toHaveLength(2);
    expect(twilio.accepted).toHaveLength(1);
  });

  it('doubles the backoff on each 429 and gives up as failed after the last attempt', async () => {
    const tenant = await insertTenant(db.sql, 'ERR-429');
    const id = await queue(db.sql, tenant, { now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock, maxAttempts: 3 });
    twilio.failTo(tenant.mobile as string, { kind: 'twilio_error', status: 429, code: 20429 });

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    clock.advance(30_000);
    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    expect((await messageRow(db.sql, id)).not_before?.toISOString()).toBe('2026-11-24T10:01:30.000Z');
    clock.advance(60_000);
    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({
      status: 'failed',
      blocked_reason: 'too_many_attempts',
      attempts: 3,
    });
  });

  it('after a connection broke mid-send, finds the message Twilio accepted and records it instead of sending it again', async () => {
    const tenant = await insertTenant(db.sql, 'ERR-NET');
    const id = await queue(db.sql, tenant, { body: 'Only once, please', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    twilio.failNext({ kind: 'accepted_then_network_error' });

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    expect((await messageRow(db.sql, id)).unconfirmed_since).not.toBeNull();
    clock.advance(30_000);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });

    expect(twilio.attempts).toHaveLength(1);
    expect(await messageRow(db.sql, id)).toMatchObject({
      status: 'sent',
      twilio_sid: twilio.accepted[0]?.sid,
      unconfirmed_since: null,
    });
    expect((await contactEvents(db.sql, id)).at(-1)?.detail).toMatchObject({ recovered: true });
  });

  it('sends again after a broken connection when Twilio has no record of the message', async () => {
    const tenant = await insertTenant(db.sql, 'ERR-NET2');
    const id = await queue(db.sql, tenant, { now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    twilio.failNext({ kind: 'network_error' });

    expect(await dispatcher.runOnce()).toMatchObject({ retried: 1 });
    clock.advance(30_000);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(twilio.attempts).toHaveLength(2);
    expect(twilio.accepted).toHaveLength(1);
    expect((await messageRow(db.sql, id)).status).toBe('sent');
  });
});
