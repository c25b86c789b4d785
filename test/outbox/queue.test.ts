// Queueing inside the caller's transaction: the message, its contact-log entry and the wake-up NOTIFY all
// exist exactly when the transaction commits, and not at all when it rolls back.
import { describe, expect, it } from 'vitest';
import { enqueueMessage, listOutbox, OUTBOX_CHANNEL, type NewOutboundMessage } from '../../src/outbox/queue.js';
import { useTestDatabase } from '../support/database.js';
import { insertTenant } from './fixtures.js';

const db = await useTestDatabase();
const now = new Date('2026-11-24T10:00:00Z');
const tenant = await insertTenant(db.sql, 'QUEUE-001');

function message(overrides: Partial<NewOutboundMessage> = {}): NewOutboundMessage {
  return {
    tenancyRef: tenant.ref,
    tenantNo: tenant.tenantNo,
    conversationId: null,
    channel: 'sms',
    to: tenant.mobile as string,
    body: 'Please contact us about your rent account.',
    purpose: 'arrears',
    now,
    ...overrides,
  };
}

describe('enqueueMessage', () => {
  it('queues the message with its contact-log entry and wakes the dispatcher on commit', async () => {
    const woken: string[] = [];
    const listening = await db.sql.listen(OUTBOX_CHANNEL, (payload) => woken.push(payload));
    const id = await db.sql.begin((tx) =>
      enqueueMessage(tx, message({ templateKey: 'rent_contact', templateVariables: { '1': 'Demo Homes' } })),
    );

    const [row] =
      await db.sql`select direction, status, purpose, channel, to_address, template_key, template_variables, not_before, created_at from messages where id = ${id}`;
    expect(row).toEqual({
      direction: 'outbound',
      status: 'queued',
      purpose: 'arrears',
      channel: 'sms',
      to_address: tenant.mobile,
      template_key: 'rent_contact',
      template_variables: { '1': 'Demo Homes' },
      not_before: null,
      created_at: now,
    });
    const logs =
      await db.sql`select event, actor, channel, tenancy_ref, detail from contact_log where message_id = ${id}`;
    expect(logs).toEqual([
      {
        event: 'message_queued',
        actor: 'rentline',
        channel: 'sms',
        tenancy_ref: 'QUEUE-001',
        detail: { purpose: 'arrears' },
      },
    ]);
    await expect.poll(() => woken.length).toBeGreaterThan(0);
    await listening.unlisten();
  });

  it("leaves nothing behind when the caller's transaction rolls back", async () => {
    const before = await db.sql`select count(*)::int as n from messages`;
    await expect(
      db.sql.begin(async (tx) => {
        await enqueueMessage(tx, message({ body: 'rolled back' }));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await db.sql`select count(*)::int as n from messages`).toEqual(before);
  });

  it('refuses a number that is not E.164, naming the field but not the value', async () => {
    await expect(db.sql.begin((tx) => enqueueMessage(tx, message({ to: '07700 900123' })))).rejects.toThrow(
      /`to` must be an E.164 number/,
    );
  });
});

describe('listOutbox', () => {
  it('lists outbound messages newest first, filtered by status, for the CLI', async () => {
    const kept = await db.sql.begin((tx) =>
      enqueueMessage(tx, message({ body: 'to keep', now: new Date('2026-11-24T11:00:00Z') })),
    );
    await db.sql`update messages set status = 'kept' where id = ${kept}`;

    const keptOnly = await listOutbox(db.sql, { status: ['kept'] });
    expect(keptOnly.map((m) => m.id)).toEqual([kept]);
    expect(keptOnly[0]).toMatchObject({
      tenancy_ref: 'QUEUE-001',
      channel: 'sms',
      purpose: 'arrears',
      status: 'kept',
      blocked_reason: null,
      body: 'to keep',
    });
    const all = await listOutbox(db.sql, { limit: 1 });
    expect(all.map((m) => m.id)).toEqual([kept]);
  });
});
