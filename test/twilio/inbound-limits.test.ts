// What a signed inbound text may hold: a NUL byte once made the webhook answer 500 and the text was lost
// (Twilio does not retry); a signed 10 MB text was stored whole. Now control characters are replaced and
// the text kept and answered, an over-long body is cut to what a phone can send, and an oversized request
// is refused with 413 before anything reads it. The body limits hold on the other routes too.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { bearer } from '../support/app.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
const service = await testService(db.sql, { now: '2026-11-25T10:00:00Z' });
const twilioMock = useTwilioMock({ now: () => service.clock.now() });

async function storedBodies(mobile: string): Promise<string[]> {
  const rows = await db.sql<
    { body: string }[]
  >`select body from messages where direction = 'inbound' and from_address = ${mobile} order by id`;
  return rows.map((r) => r.body);
}

describe('inbound text limits', () => {
  it('keeps and answers a text with a NUL byte, the control character shown as U+FFFD', async () => {
    const mobile = '+447700930001';
    await insertTenantInArrears(db.sql, 'LIM1', mobile);
    const res = await service.text(mobile, 'hello\u0000there\u0007');
    expect(res.status).toBe(200);
    expect(await storedBodies(mobile)).toEqual(['hello\uFFFDthere\uFFFD']);
    await service.dispatchAll();
    expect(twilioMock.accepted.filter((m) => m.to === mobile).map((m) => m.body)).toEqual([
      expect.stringMatching(/^Hi Sam, thanks for your message to Demo Homes[\s\S]*date of birth/),
    ]);
  });

  it('stores at most 1,600 characters of an SMS', async () => {
    const mobile = '+447700930002';
    await insertTenantInArrears(db.sql, 'LIM2', mobile);
    expect((await service.text(mobile, 'a'.repeat(5000))).status).toBe(200);
    expect(await storedBodies(mobile)).toEqual(['a'.repeat(1600)]);
  });

  it('refuses a signed 10 MB text with 413 naming the limit, storing nothing', async () => {
    const mobile = '+447700930003';
    const res = await service.text(mobile, 'x'.repeat(10 * 1024 * 1024));
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'payload_too_large' });
    expect(body.error.message).toMatch(/larger than 64 KB/);
    expect(await storedBodies(mobile)).toEqual([]);
  });

  it('refuses an import over 25 MB and a Slack request over 1 MB with 413', async () => {
    const big = await service.app.request('/api/transactions', {
      method: 'POST',
      headers: bearer(),
      body: `[${'"x",'.repeat(7 * 1024 * 1024)}"x"]`,
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { message: string } }).error.message).toMatch(
      /larger than 25 MB.*split the file/,
    );
    const slack = await service.app.request('/slack/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(slack.status).toBe(413);
  });
});
