// Every guard is checked when the message is SENT, against the tenant as they are then: the contact window
// and the frequency cap hold a message back; opt-outs, flags and a changed number block it for good.
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../support/clock.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { contactEvents, insertTenant, messageRow, queue, testDispatcher, TUESDAY_10AM } from './fixtures.js';

const db = await useTestDatabase();
const clock = fixedClock(TUESDAY_10AM);
const twilio = useTwilioMock({ now: () => clock.now() });

const SUNDAY_NOON = '2026-11-22T12:00:00Z';
const MONDAY_9AM_LONDON = '2026-11-23T09:00:00.000Z';

beforeEach(() => clock.set(TUESDAY_10AM));

describe('send-time guards', () => {
  it('holds a Sunday arrears message until Monday 09:00 Europe/London, logs why, and sends it then', async () => {
    clock.set(SUNDAY_NOON);
    const tenant = await insertTenant(db.sql, 'GUARD-SUN');
    const id = await queue(db.sql, tenant, { purpose: 'arrears', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ held: 1, sent: 0 });
    const held = await messageRow(db.sql, id);
    expect(held).toMatchObject({ status: 'queued', blocked_reason: 'outside_contact_window', attempts: 0 });
    expect(held.not_before?.toISOString()).toBe(MONDAY_9AM_LONDON);
    expect((await contactEvents(db.sql, id)).at(-1)).toMatchObject({
      event: 'message_held',
      detail: { reason: 'outside_contact_window', until: MONDAY_9AM_LONDON },
    });
    expect(twilio.attempts).toHaveLength(0);

    clock.set(MONDAY_9AM_LONDON);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'sent', blocked_reason: null });
  });

  it('does not hold a Sunday reply to a tenant who has just written', async () => {
    clock.set(SUNDAY_NOON);
    const tenant = await insertTenant(db.sql, 'GUARD-REPLY', { lastInboundAt: new Date('2026-11-22T11:58:00Z') });
    const id = await queue(db.sql, tenant, { purpose: 'reply', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1, held: 0 });
    expect((await messageRow(db.sql, id)).status).toBe('sent');
  });

  it('reads the tenant as they are at send time: a flag set after queueing blocks the message', async () => {
    const tenant = await insertTenant(db.sql, 'GUARD-LATE');
    const id = await queue(db.sql, tenant, { purpose: 'arrears', now: clock.now() });
    await db.sql`update tenants set vulnerable = true where tenancy_ref = 'GUARD-LATE'`;
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'blocked', blocked_reason: 'vulnerable' });
    expect((await contactEvents(db.sql, id)).at(-1)).toMatchObject({
      event: 'message_blocked',
      detail: { reason: 'vulnerable' },
    });
    expect(twilio.attempts).toHaveLength(0);
  });

  it.each([
    ['do_not_contact', 'do_not_contact = true'],
    ['breathing_space', `breathing_space_start = '2026-11-01'`],
    ['dispute', `disputed_at = '2026-11-20T10:00:00Z'`],
    ['opted_out', `sms_opted_out_at = '2026-11-20T10:00:00Z'`],
  ])('blocks an arrears message when the tenant is %s', async (reason, set) => {
    const ref = `GUARD-${reason}`;
    const tenant = await insertTenant(db.sql, ref);
    // The column names are this test's own constants, never input.
    await db.sql.unsafe(`update tenants set ${set} where tenancy_ref = $1`, [ref]);
    const id = await queue(db.sql, tenant, { purpose: 'arrears', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'blocked', blocked_reason: reason });
  });

  it('holds a second arrears contact inside the frequency cap, but sends two lines queued together', async () => {
    const tenant = await insertTenant(db.sql, 'GUARD-CAP');
    const first = await queue(db.sql, tenant, { purpose: 'arrears', body: 'Line one', now: clock.now() });
    const second = await queue(db.sql, tenant, { purpose: 'arrears', body: 'Line two', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1, held: 0 });
    expect(twilio.accepted.map((m) => m.body)).toEqual(['Line one', 'Line two']);

    clock.advance(24 * 3600 * 1000);
    const later = await queue(db.sql, tenant, { purpose: 'arrears', now: clock.now() });
    expect(await dispatcher.runOnce()).toMatchObject({ held: 1 });
    const row = await messageRow(db.sql, later);
    expect(row).toMatchObject({ status: 'queued', blocked_reason: 'frequency_cap' });
    expect(row.not_before?.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect([(await messageRow(db.sql, first)).status, (await messageRow(db.sql, second)).status]).toEqual([
      'sent',
      'sent',
    ]);
  });

  it("blocks a message whose number is no longer the named tenant's", async () => {
    const tenant = await insertTenant(db.sql, 'GUARD-NUMBER');
    const id = await queue(db.sql, tenant, { now: clock.now() });
    await db.sql`update tenants set mobile_e164 = '+447700988888' where tenancy_ref = 'GUARD-NUMBER'`;
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'blocked', blocked_reason: 'number_not_linked' });
    expect(twilio.attempts).toHaveLength(0);
  });

  it('restores the arrears contact mark when the arrears message could not be sent', async () => {
    const before = new Date('2026-11-10T10:00:00Z');
    const tenant = await insertTenant(db.sql, 'GUARD-RESTORE', { lastArrearsMessageAt: before });
    await queue(db.sql, tenant, { purpose: 'arrears', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });
    twilio.failNext({ kind: 'twilio_error', status: 400, code: 21614 });

    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    const [row] = await db.sql<
      { last_arrears_message_at: Date }[]
    >`select last_arrears_message_at from tenants where tenancy_ref = 'GUARD-RESTORE'`;
    expect(row?.last_arrears_message_at.toISOString()).toBe(before.toISOString());
  });
});
