// The outbox's claim order: every due conversational text (a reply to a tenant who has just written, an
// officer's words) before bulk outreach (openers, reminders, nudges), so a daily run's tens of thousands of
// openers never hold back a crisis reply; each tier in due order; and one tenant's texts still strictly in
// their own order, an opener a reply waits behind claimed in the reply's tier. The outbox index (migration
// 0083) leads with the claim's tier.
import { describe, expect, it } from 'vitest';
import { claimDueMessages } from '../../src/outbox/store.js';
import { OUTREACH_PURPOSES } from '../../src/rent/contact-rule.js';
import { MESSAGE_PURPOSES } from '../../src/outbox/types.js';
import { useTestDatabase } from '../support/database.js';
import { TUESDAY_10AM, insertTenant, queue } from './fixtures.js';

const db = await useTestDatabase();
const now = new Date(TUESDAY_10AM);

describe('claimDueMessages', () => {
  it('claims a reply queued after thirty openers before any of them, then the openers in order', async () => {
    const openers: number[] = [];
    for (let i = 0; i < 30; i++) {
      const tenant = await insertTenant(db.sql, `CO-${i}`);
      openers.push(await queue(db.sql, tenant, { now, purpose: 'arrears' }));
    }
    const writer = await insertTenant(db.sql, 'CO-REPLY');
    const reply = await queue(db.sql, writer, { now, purpose: 'reply', body: 'Samaritans: 116 123' });
    const officer = await queue(db.sql, await insertTenant(db.sql, 'CO-OFFICER'), { now, purpose: 'officer' });
    const first = await claimDueMessages(db.sql, now, 10);
    expect(first.map((m) => m.id)).toEqual([...openers.slice(0, 8), reply, officer].sort((a, b) => a - b));
    const next = await claimDueMessages(db.sql, now, 5);
    expect(next.map((m) => m.id)).toEqual(openers.slice(8, 13));
  });

  it('keeps one tenant’s texts in order, and brings forward the opener a reply of theirs waits behind', async () => {
    for (let i = 0; i < 30; i++)
      await queue(db.sql, await insertTenant(db.sql, `CO-B-${i}`), { now, purpose: 'arrears' });
    // A tenant writes in while their own opener is still queued: the reply (a crisis text's, say) waits
    // for that opener, which is claimed with the conversational texts, not after the thirty others.
    const tenant = await insertTenant(db.sql, 'CO-SAME');
    const opener = await queue(db.sql, tenant, { now, purpose: 'arrears' });
    const reply = await queue(db.sql, tenant, { now, purpose: 'reply' });
    const first = await claimDueMessages(db.sql, now, 3);
    expect(first.map((m) => m.id)).toContain(opener);
    expect(first.map((m) => m.id)).not.toContain(reply);
    await db.sql`update messages set status = 'sent' where id = ${opener}`;
    const next = await claimDueMessages(db.sql, now, 3);
    expect(next.map((m) => m.id)).toContain(reply);
  });

  it('orders by the expression the outbox index holds, naming exactly the bulk purposes', async () => {
    const [row] = await db.sql<{ def: string }[]>`select pg_get_indexdef('messages_outbox'::regclass) as def`;
    const keys = (row?.def ?? '').split(' WHERE ')[0] ?? '';
    const listed = [...keys.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...OUTREACH_PURPOSES].sort());
    expect(OUTREACH_PURPOSES.every((p) => MESSAGE_PURPOSES.includes(p))).toBe(true);
  });
});
