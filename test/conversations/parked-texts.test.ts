// Issue 10: a text Twilio delivered must never be lost. In the soak, webhooks waited behind slow batches
// until Twilio's side gave up, and texts still waiting in memory were never stored. Now a webhook answers only
// once its text is durably stored, and waits a bounded time for that: here the sender's per-number lock is
// held by another transaction (slow work, made slow on purpose), so processing cannot finish, and the texts
// are answered 200 parked. The process is then "killed" (its pool ended, its batch never commits); a new
// one takes the parked texts through the same path, once each, in the sender's order, and a Twilio retry of
// one is a duplicate. Without the bounded wait the first webhook never answers while the lock is held.
import { describe, expect, it } from 'vitest';
import { createSql, type Sql } from '../../src/db/connect.js';
import { startConversation } from '../../src/conversations/start.js';
import { useTestDatabase } from '../support/database.js';
import { TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const NOW = '2026-11-25T10:00:00Z';
const db = await useTestDatabase();

let tenants = 0;
async function tenantMidConversation(): Promise<string> {
  tenants += 1;
  const ref = `PARK${tenants}`;
  const mobile = `+44770095${String(tenants).padStart(4, '0')}`;
  await insertTenantInArrears(db.sql, ref, mobile);
  const service = await testService(db.sql, { now: NOW });
  await db.sql.begin((tx) =>
    startConversation(
      tx,
      { flows: service.flows, policy: service.policy, timeZone: TIME_ZONE },
      { tenancyRef: ref, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: service.clock.now() },
    ),
  );
  return mobile;
}

/** Holds the sender's per-number lock (every inbound path takes it first) until released. */
async function holdSenderLock(mobile: string): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`conversation:${mobile}`}, 0))`;
    locked();
    await released;
  });
  await taken;
  return {
    async release() {
      release();
      await holder;
    },
  };
}

/** A service in a process of its own: its own pool, which ending kills everything it had in flight. */
async function processWithItsOwnPool(): Promise<{ sql: Sql; service: Awaited<ReturnType<typeof testService>> }> {
  const sql = createSql(db.url, { max: 4 });
  return { sql, service: await testService(sql, { now: NOW, parkAfterMs: 50 }) };
}

async function inboundSids(mobile: string): Promise<string[]> {
  const rows = await db.sql<{ twilio_sid: string }[]>`
    select twilio_sid from messages where direction = 'inbound' and from_address = ${mobile} order by id`;
  return rows.map((r) => r.twilio_sid);
}

async function parkedSids(mobile: string): Promise<string[]> {
  const rows = await db.sql<{ twilio_sid: string }[]>`
    select twilio_sid from inbound_parked where from_address = ${mobile} order by id`;
  return rows.map((r) => r.twilio_sid);
}

async function repliesTo(mobile: string): Promise<string[]> {
  const rows = await db.sql<{ body: string }[]>`
    select body from messages where direction = 'outbound' and to_address = ${mobile} and purpose = 'reply' order by id`;
  return rows.map((r) => r.body);
}

const sid = (n: number) => `SMpark${String(n).padStart(28, '0')}`;

describe('a text whose processing is held up', () => {
  it('is answered once stored parked, survives the process being killed, and is received once, in order', async () => {
    const mobile = await tenantMidConversation();
    const lock = await holdSenderLock(mobile);
    const killed = await processWithItsOwnPool();

    const first = await killed.service.text(mobile, '12/03/1985', { sid: sid(1) });
    const second = await killed.service.text(mobile, '2', { sid: sid(2) });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await first.text()).toContain('<Response></Response>');
    // Durably stored before the answer, and nothing processed: the batch is still waiting for the lock.
    expect(await parkedSids(mobile)).toEqual([sid(1), sid(2)]);
    expect(await inboundSids(mobile)).toEqual([]);

    // The process dies with its batch in flight; the slow work then lets go.
    await killed.sql.end({ timeout: 0 });
    await lock.release();

    const next = await testService(db.sql, { now: NOW });
    expect(await next.intake.recover()).toBe(2);
    expect(await inboundSids(mobile)).toEqual([sid(1), sid(2)]);
    expect(await parkedSids(mobile)).toEqual([]);
    // In the sender's order: confirmed who they are (the menu), then chose a plan.
    expect(await repliesTo(mobile)).toEqual([
      expect.stringMatching(/Your rent account is £[\d.,]+ behind/),
      expect.stringMatching(/^Let's set up a plan/),
    ]);

    // Twilio delivers the first text again: answered, not stored or answered twice.
    expect((await next.text(mobile, '12/03/1985', { sid: sid(1) })).status).toBe(200);
    expect(await next.intake.recover()).toBe(0);
    expect(await inboundSids(mobile)).toEqual([sid(1), sid(2)]);
    expect(await repliesTo(mobile)).toEqual([
      expect.stringMatching(/Your rent account is £[\d.,]+ behind/),
      expect.stringMatching(/^Let's set up a plan/),
    ]);
  });

  it('is taken before the same sender’s next text, even when that text comes before the worker', async () => {
    const mobile = await tenantMidConversation();
    const lock = await holdSenderLock(mobile);
    const killed = await processWithItsOwnPool();
    expect((await killed.service.text(mobile, '12/03/1985', { sid: sid(11) })).status).toBe(200);
    await killed.sql.end({ timeout: 0 });
    await lock.release();

    // The new process's first text from this sender: its batch takes the parked one first.
    const next = await testService(db.sql, { now: NOW });
    expect((await next.text(mobile, '2', { sid: sid(12) })).status).toBe(200);
    expect(await inboundSids(mobile)).toEqual([sid(11), sid(12)]);
    expect(await parkedSids(mobile)).toEqual([]);
    expect(await repliesTo(mobile)).toEqual([
      expect.stringMatching(/Your rent account is £[\d.,]+ behind/),
      expect.stringMatching(/^Let's set up a plan/),
    ]);
    expect(await next.intake.recover()).toBe(0);
  });
});
