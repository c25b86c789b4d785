// Several dispatchers over one outbox: SKIP LOCKED claims mean each message is sent exactly once, and one
// tenant's messages still go out in the order they were queued.
import { afterAll, describe, expect, it } from 'vitest';
import { createSql } from '../../src/db/connect.js';
import { fixedClock } from '../support/clock.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { insertTenant, queue, testDispatcher, TUESDAY_10AM } from './fixtures.js';

const db = await useTestDatabase();
const clock = fixedClock(TUESDAY_10AM);
const twilio = useTwilioMock({ now: () => clock.now() });
const poolA = createSql(db.url, { max: 5 });
const poolB = createSql(db.url, { max: 5 });
afterAll(async () => {
  await poolA.end();
  await poolB.end();
});

async function remaining(): Promise<number> {
  const [row] = await db.sql<
    { n: number }[]
  >`select count(*)::int as n from messages where direction = 'outbound' and status in ('queued', 'sending')`;
  return row?.n ?? 0;
}

describe('two dispatchers at once', () => {
  it('send each of 200 queued messages exactly once, in order per tenant', async () => {
    const tenants = [];
    for (let t = 0; t < 40; t++) tenants.push(await insertTenant(db.sql, `CONC-${t}`));
    for (let n = 0; n < 200; n++) {
      await queue(db.sql, tenants[n % 40]!, { body: `Message ${n}`, now: clock.now() });
    }
    const a = testDispatcher(poolA, { clock, batchSize: 15, concurrency: 4 }).dispatcher;
    const b = testDispatcher(poolB, { clock, batchSize: 15, concurrency: 4 }).dispatcher;

    const drain = async (dispatcher: typeof a) => {
      let sent = 0;
      while ((await remaining()) > 0) sent += (await dispatcher.runOnce()).sent;
      return sent;
    };
    const [sentByA, sentByB] = await Promise.all([drain(a), drain(b)]);

    expect(sentByA + sentByB).toBe(200);
    expect(sentByA).toBeGreaterThan(0);
    expect(sentByB).toBeGreaterThan(0);
    const bodies = twilio.accepted.map((m) => m.body);
    expect(bodies).toHaveLength(200);
    expect(new Set(bodies).size).toBe(200);
    const [counts] =
      await db.sql`select count(*)::int as sent, count(distinct twilio_sid)::int as sids from messages where direction = 'outbound' and status = 'sent'`;
    expect(counts).toEqual({ sent: 200, sids: 200 });
    for (const tenant of tenants) {
      const order = twilio.accepted.filter((m) => m.to === tenant.mobile).map((m) => Number(m.body.split(' ')[1]));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
  });
});
