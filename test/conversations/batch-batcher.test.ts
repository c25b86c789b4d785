// The inbound batcher and the batch transaction at their edges: a lone text goes at once, texts arriving
// while a batch is in flight go together, a MessageSid is received once whether it repeats inside a batch or
// across batches, and a text that fails its batch does not take the others with it.
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/conversations/start.js';
import { createInboundBatcher } from '../../src/conversations/inbound-batcher.js';
import type { ConversationDeps, InboundText } from '../../src/conversations/receive.js';
import { receiveInboundBatch } from '../../src/conversations/receive-batch.js';
import { silentLogger } from '../../src/lib/logger.js';
import { useTestDatabase } from '../support/database.js';
import { SMS_NUMBER, TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
const service = await testService(db.sql, { now: '2026-11-25T10:00:00Z' });
const deps: ConversationDeps = {
  sql: db.sql,
  flows: service.flows,
  policy: service.policy,
  clock: service.clock,
  logger: silentLogger(),
  timeZone: TIME_ZONE,
};

let tenants = 0;
async function tenantMidConversation(): Promise<{ ref: string; mobile: string }> {
  tenants += 1;
  const ref = `BAT${tenants}`;
  const mobile = `+44770094${String(tenants).padStart(4, '0')}`;
  await insertTenantInArrears(db.sql, ref, mobile);
  await db.sql.begin((tx) =>
    startConversation(tx, deps, {
      tenancyRef: ref,
      tenantNo: 1,
      flowId: 'missed_payment',
      purpose: 'arrears',
      now: service.clock.now(),
    }),
  );
  return { ref, mobile };
}

let sids = 0;
function text(from: string, body: string, sid?: string): InboundText {
  sids += 1;
  return { messageSid: sid ?? `SMbat${String(sids).padStart(29, '0')}`, from, to: SMS_NUMBER, body, channel: 'sms' };
}

async function inboundCount(sid: string): Promise<number> {
  const [row] = await db.sql`select count(*)::int as n from messages where twilio_sid = ${sid}`;
  return row?.n as number;
}

async function replies(ref: string): Promise<number> {
  const [row] =
    await db.sql`select count(*)::int as n from messages where tenancy_ref = ${ref} and direction = 'outbound' and purpose = 'reply'`;
  return row?.n as number;
}

describe('a MessageSid delivered twice', () => {
  it('is received once when both deliveries land in one batch', async () => {
    const a = await tenantMidConversation();
    const b = await tenantMidConversation();
    const first = text(a.mobile, '12/03/1985');
    const results = await receiveInboundBatch(deps, [first, text(b.mobile, '12/03/1985'), { ...first }]);
    expect(results.map((r) => r.outcome)).toEqual(['stepped', 'stepped', 'duplicate']);
    expect(await inboundCount(first.messageSid)).toBe(1);
    expect(await replies(a.ref)).toBe(1);
  });

  it('is received once when the second delivery comes in a later batch', async () => {
    const a = await tenantMidConversation();
    const first = text(a.mobile, '12/03/1985');
    await receiveInboundBatch(deps, [first]);
    const again = await receiveInboundBatch(deps, [text(a.mobile, 'I can pay £15 a week from Friday'), { ...first }]);
    expect(again.map((r) => r.outcome)).toEqual(['stepped', 'duplicate']);
    expect(await inboundCount(first.messageSid)).toBe(1);
    expect(await replies(a.ref)).toBe(2);
  });
});

describe('the batcher', () => {
  it('sends a lone text at once, and groups texts that arrive while a batch is in flight', async () => {
    const batcher = createInboundBatcher(deps, { maxInFlight: 1 });
    const lone = await tenantMidConversation();
    expect((await batcher.receive(text(lone.mobile, '12/03/1985'))).outcome).toBe('stepped');
    expect(batcher.stats()).toEqual({ batches: 1, texts: 1, failedBatches: 0 });

    const many = await Promise.all(Array.from({ length: 6 }, () => tenantMidConversation()));
    const results = await Promise.all(many.map((t) => batcher.receive(text(t.mobile, '12/03/1985'))));
    expect(results.map((r) => r.outcome)).toEqual(many.map(() => 'stepped'));
    // The first went alone; the five that arrived meanwhile shared the next transaction.
    expect(batcher.stats()).toEqual({ batches: 3, texts: 7, failedBatches: 0 });
    for (const t of many) expect(await replies(t.ref)).toBe(1);
  });

  it('retries a failed batch text by text, so only the bad text fails', async () => {
    const [a, b, c] = await Promise.all([tenantMidConversation(), tenantMidConversation(), tenantMidConversation()]);
    // A sender that is not a phone number: the polite reply to an unknown number cannot be queued.
    const bad = text('not-a-phone-number', 'hello');
    await expect(
      receiveInboundBatch(deps, [text(a.mobile, '12/03/1985', 'SMbatprobe000000000000000000000001'), bad]),
    ).rejects.toThrow(/E\.164/);
    expect(await inboundCount('SMbatprobe000000000000000000000001')).toBe(0);

    const batcher = createInboundBatcher(deps, { maxInFlight: 1 });
    const opener = batcher.receive(text(a!.mobile, '12/03/1985'));
    const rest = [
      batcher.receive(text(b!.mobile, '12/03/1985')),
      batcher.receive(bad),
      batcher.receive(text(c!.mobile, '12/03/1985')),
    ];
    const settled = await Promise.allSettled([opener, ...rest]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(batcher.stats()).toEqual({ batches: 2, texts: 4, failedBatches: 1 });
    for (const t of [a!, b!, c!]) expect(await replies(t.ref)).toBe(1);
    expect(await inboundCount(bad.messageSid)).toBe(0);
  });
});
