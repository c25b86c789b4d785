// STOP while an officer has taken the conversation over: the script stays quiet, but the opt-out is
// recorded, so neither Rentline nor the officer texts the tenant again. Through the batched webhook path
// (the service's) and the one-text path alike.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
// Wednesday 25 November 2026, 10:00 London: inside the contact window.
const batched = await testService(db.sql, { now: '2026-11-25T10:00:00Z' });
const oneByOne = await testService(db.sql, { now: '2026-11-25T10:00:00Z', batching: false });
useTwilioMock({ now: () => batched.clock.now() });

describe.each([
  ['batched', batched, 'TAKE1', '+447700930001'],
  ['one text at a time', oneByOne, 'TAKE2', '+447700930002'],
] as const)('STOP to a taken-over conversation (%s)', (_path, service, ref, mobile) => {
  it("records the opt-out and blocks the officer's next text", async () => {
    await insertTenantInArrears(db.sql, ref, mobile);
    // Each service numbers its MessageSids from 1: the tenancy keeps them apart.
    const sid = (n: number) => `SM${ref}${String(n).padStart(34 - ref.length - 2, '0')}`;
    expect((await service.text(mobile, 'Hi, I got a letter about my rent', { sid: sid(1) })).status).toBe(200);
    await service.dispatchAll();
    await db.sql`update conversations set taken_over_by = 'U0OFFICER1' where tenancy_ref = ${ref}`;

    expect((await service.text(mobile, 'STOP', { sid: sid(2) })).status).toBe(200);
    const [tenant] = await db.sql<
      { sms_opted_out_at: Date | null }[]
    >`select sms_opted_out_at from tenants where tenancy_ref = ${ref}`;
    expect(tenant?.sms_opted_out_at).not.toBeNull();
    // The STOP is logged and the opt-out recorded as the tenant's; the script queues no reply to it.
    const log = await db.sql`
      select l.event, l.actor, m.body from contact_log l left join messages m on m.id = l.message_id
      where l.tenancy_ref = ${ref} order by l.id`;
    expect(log.map((l) => [l.event, l.actor, l.body])).toEqual([
      ['message_received', 'tenant', 'Hi, I got a letter about my rent'],
      ['message_queued', 'rentline', expect.stringMatching(/^Hi Sam, thanks for your message[\s\S]*date of birth/)],
      ['message_sent', 'rentline', expect.stringMatching(/^Hi Sam, thanks for your message/)],
      ['message_received', 'tenant', 'STOP'],
      ['opted_out', 'tenant', null],
    ]);

    await db.sql`
      insert into messages (direction, tenancy_ref, tenant_no, channel, to_address, body, purpose, status, created_at, updated_at)
      values ('outbound', ${ref}, 1, 'sms', ${mobile}, 'An officer writing after the STOP', 'officer', 'queued', now(), now())`;
    await service.dispatchAll();
    const [officerText] = await db.sql<{ status: string; blocked_reason: string | null }[]>`
      select status, blocked_reason from messages where tenancy_ref = ${ref} and body = 'An officer writing after the STOP'`;
    expect(officerText).toEqual({ status: 'blocked', blocked_reason: 'opted_out' });
  });
});
