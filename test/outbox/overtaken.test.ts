// Openers held for the contact window are re-judged when it opens: one whose conversation has since
// ended, been taken over by an officer, or been answered by the tenant texting in first is cancelled at
// send time with the reason, and never reaches Twilio.
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/conversations/start.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
// Saturday 28 November 2026, 07:00 London: before the window opens at 09:00.
const service = await testService(db.sql, { now: '2026-11-28T07:00:00Z', batching: false });
const twilio = useTwilioMock({ now: () => service.clock.now() });

let n = 0;
async function openerHeldUntilNine(): Promise<{
  ref: string;
  mobile: string;
  messageId: number;
  conversationId: number;
}> {
  n += 1;
  const ref = `OPEN-${n}`;
  const mobile = `+4477009${String(40_000 + n).slice(-5)}`;
  await insertTenantInArrears(db.sql, ref, mobile);
  service.clock.set('2026-11-28T07:00:00Z');
  const started = await db.sql.begin((tx) =>
    startConversation(
      tx,
      { flows: service.flows, policy: service.policy, timeZone: TIME_ZONE },
      { tenancyRef: ref, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: service.clock.now() },
    ),
  );
  if (!started.started) throw new Error('not started');
  await service.dispatchAll();
  const [row] = await db.sql<
    { status: string; not_before: Date }[]
  >`select status, not_before from messages where id = ${started.messageIds[0] ?? 0}`;
  expect(row).toEqual({ status: 'queued', not_before: new Date('2026-11-28T09:00:00Z') });
  return { ref, mobile, messageId: started.messageIds[0] as number, conversationId: started.conversationId };
}

async function atNine(messageId: number): Promise<{ status: string; blocked_reason: string | null }> {
  service.clock.set('2026-11-28T09:05:00Z');
  await service.dispatchAll();
  const [row] = await db.sql<
    { status: string; blocked_reason: string | null }[]
  >`select status, blocked_reason from messages where id = ${messageId}`;
  return row as { status: string; blocked_reason: string | null };
}

const openerSent = (mobile: string) =>
  twilio.accepted.some((m) => m.to === mobile && /^Hi Sam, it's Demo Homes/.test(m.body));

describe('an opener held until 09:00', () => {
  it('is cancelled when the tenant texted in first', async () => {
    const { mobile, messageId } = await openerHeldUntilNine();
    service.clock.set('2026-11-28T08:10:00Z');
    await service.text(mobile, 'Hi, I want to sort my rent out');
    expect(await atNine(messageId)).toEqual({ status: 'blocked', blocked_reason: 'tenant_texted_since' });
    expect(openerSent(mobile)).toBe(false);
  });

  it('is cancelled when an officer has taken the conversation over', async () => {
    const { mobile, messageId, conversationId } = await openerHeldUntilNine();
    await db.sql`update conversations set taken_over_by = 'UOFFICER1' where id = ${conversationId}`;
    expect(await atNine(messageId)).toEqual({ status: 'blocked', blocked_reason: 'taken_over' });
    expect(openerSent(mobile)).toBe(false);
  });

  it('is cancelled when its conversation has ended since', async () => {
    const { mobile, messageId, conversationId } = await openerHeldUntilNine();
    await db.sql`update conversations set status = 'ended', ended_at = '2026-11-28T08:30:00Z' where id = ${conversationId}`;
    expect(await atNine(messageId)).toEqual({ status: 'blocked', blocked_reason: 'conversation_ended' });
    const [log] =
      await db.sql`select detail->>'reason' as reason from contact_log where message_id = ${messageId} and event = 'message_blocked'`;
    expect(log).toEqual({ reason: 'conversation_ended' });
    expect(openerSent(mobile)).toBe(false);
  });

  it('goes at 09:00 when nothing has overtaken it', async () => {
    const { mobile, messageId } = await openerHeldUntilNine();
    expect((await atNine(messageId)).status).toBe('sent');
    expect(openerSent(mobile)).toBe(true);
  });
});
