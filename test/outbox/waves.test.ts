// Waves (dispatcher.ts): several named tenants' messages decided in one transaction and recorded in
// another. Each message still meets its own guards with its own tenant as they are at send time; a tenant
// row another transaction holds is not skipped over but waited for on its own, and its change is seen.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimedMessage } from '../../src/outbox/store.js';
import { recordSentMany } from '../../src/outbox/store-waves.js';
import { fixedClock } from '../support/clock.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { contactEvents, insertTenant, messageRow, queue, testDispatcher, TUESDAY_10AM } from './fixtures.js';

const db = await useTestDatabase();
const clock = fixedClock(TUESDAY_10AM);
const twilio = useTwilioMock({ now: () => clock.now() });

beforeEach(() => clock.set(TUESDAY_10AM));

describe('a wave of messages', () => {
  it('gives each message its own guards: sent, blocked and held side by side, one contact-log line each', async () => {
    const plain = await insertTenant(db.sql, 'WAVE-SEND');
    const flagged = await insertTenant(db.sql, 'WAVE-DNC', { doNotContact: true });
    const capped = await insertTenant(db.sql, 'WAVE-CAP', {
      lastArrearsMessageAt: new Date('2026-11-23T10:00:00Z'),
    });
    const other = await insertTenant(db.sql, 'WAVE-SEND2');
    const sent = await queue(db.sql, plain, { purpose: 'arrears', body: 'to plain', now: clock.now() });
    const blocked = await queue(db.sql, flagged, { purpose: 'arrears', body: 'to flagged', now: clock.now() });
    const held = await queue(db.sql, capped, { purpose: 'arrears', body: 'to capped', now: clock.now() });
    const sent2 = await queue(db.sql, other, { purpose: 'reply', body: 'to other', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock, concurrency: 8 });

    expect(await dispatcher.runOnce()).toEqual({ sent: 2, held: 1, blocked: 1, failed: 0, retried: 0, kept: 0 });

    expect(twilio.accepted.map((m) => m.body).sort()).toEqual(['to other', 'to plain']);
    expect(await messageRow(db.sql, sent)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await messageRow(db.sql, sent2)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await messageRow(db.sql, blocked)).toMatchObject({ status: 'blocked', blocked_reason: 'do_not_contact' });
    expect(await messageRow(db.sql, held)).toMatchObject({ status: 'queued', blocked_reason: 'frequency_cap' });
    for (const [id, last] of [
      [sent, 'message_sent'],
      [sent2, 'message_sent'],
      [blocked, 'message_blocked'],
      [held, 'message_held'],
    ] as const)
      expect((await contactEvents(db.sql, id)).map((e) => e.event)).toEqual(['message_queued', last]);
    const [marks] = await db.sql<{ plain: Date | null; other: Date | null }[]>`
      select (select last_arrears_message_at from tenants where tenancy_ref = 'WAVE-SEND') as plain,
             (select last_arrears_message_at from tenants where tenancy_ref = 'WAVE-SEND2') as other`;
    // Only the arrears message marks its tenant contacted (the frequency cap's mark).
    expect(marks?.plain?.toISOString()).toBe(new Date(TUESDAY_10AM).toISOString());
    expect(marks?.other).toBeNull();
  });

  it("waits for a tenant row another transaction holds, and decides with that transaction's change", async () => {
    const busy = await insertTenant(db.sql, 'WAVE-BUSY');
    const free = await insertTenant(db.sql, 'WAVE-FREE');
    const busyId = await queue(db.sql, busy, { purpose: 'arrears', body: 'to busy', now: clock.now() });
    const freeId = await queue(db.sql, free, { purpose: 'arrears', body: 'to free', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock, concurrency: 8 });

    // An officer marks the tenant do-not-contact in a transaction still open when the wave is decided.
    let locked!: () => void;
    const rowLocked = new Promise<void>((resolve) => (locked = resolve));
    const officer = db.sql.begin(async (tx) => {
      await tx`update tenants set do_not_contact = true where tenancy_ref = 'WAVE-BUSY'`;
      locked();
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await rowLocked;
    const counts = await dispatcher.runOnce();
    await officer;

    expect(counts).toMatchObject({ sent: 1, blocked: 1 });
    expect(twilio.accepted.map((m) => m.body)).toEqual(['to free']);
    expect(await messageRow(db.sql, freeId)).toMatchObject({ status: 'sent' });
    expect(await messageRow(db.sql, busyId)).toMatchObject({ status: 'blocked', blocked_reason: 'do_not_contact' });
  });

  it('records its sends together, each only under its own claim, applying a delivery callback that raced ahead', async () => {
    const claimedAt = clock.now();
    const rows = await db.sql<{ id: number }[]>`
      insert into messages (direction, channel, to_address, body, purpose, status, claimed_at, created_at, updated_at)
      select 'outbound', 'sms', '+44770090' || (1000 + n), 'hello', 'reply', 'sending', ${claimedAt}, ${claimedAt}, ${claimedAt}
      from generate_series(1, 3) n
      returning id::int as id`;
    const claimed = rows.map(
      (r) =>
        ({ id: r.id, tenancy_ref: null, tenant_no: null, channel: 'sms', claimed_at: claimedAt }) as ClaimedMessage,
    );
    const sids = ['SM' + 'a'.repeat(32), 'SM' + 'b'.repeat(32), 'SM' + 'c'.repeat(32)];
    // The first one's callback came before its send was recorded; the third's claim is no longer ours.
    await db.sql`insert into message_status_events (twilio_sid, status, error_code, received_at)
                 values (${sids[0]!}, 'delivered', null, ${claimedAt})`;
    await db.sql`update messages set claimed_at = ${new Date(claimedAt.getTime() + 1000)} where id = ${rows[2]!.id}`;

    const recorded = await recordSentMany(
      db.sql,
      claimed.map((m, i) => ({ m, sent: { sid: sids[i]!, status: 'queued' }, detail: {} })),
      clock.now(),
    );

    expect([...recorded].sort()).toEqual([rows[0]!.id, rows[1]!.id].sort());
    const after = await db.sql<{ id: number; status: string; twilio_sid: string | null }[]>`
      select id::int as id, status, twilio_sid from messages where id = any(${rows.map((r) => r.id)}) order by id`;
    expect(after.map((r) => [r.status, r.twilio_sid])).toEqual([
      ['delivered', sids[0]],
      ['sent', sids[1]],
      ['sending', null],
    ]);
    expect((await contactEvents(db.sql, rows[1]!.id)).map((e) => [e.event, e.detail])).toEqual([
      ['message_sent', { sid: sids[1] }],
    ]);
    expect(await contactEvents(db.sql, rows[2]!.id)).toEqual([]);
  });
});
