// THE KILL TEST: a dispatcher process is SIGKILLed mid-batch, some messages accepted by "Twilio" (a local
// stand-in) but not yet recorded; a second process takes over. Every message reaches Twilio exactly once
// and every row ends `sent` with the sid Twilio gave it.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/msw-twilio.js';
import { startTwilioStandin } from '../support/twilio-standin.js';
import { insertTenant, queue, SMS_FROM } from './fixtures.js';

const db = await useTestDatabase();
const SCRIPT = resolve(import.meta.dirname, 'dispatcher-process.ts');
const MESSAGES = 100;
const KILL_AFTER = 30;

let first: ChildProcess | null = null;
const standin = await startTwilioStandin({
  latencyMs: 50,
  onMessage: (_message, count) => {
    // Right as Twilio records a message and before it answers: the worst moment to die.
    if (count === KILL_AFTER) first?.kill('SIGKILL');
  },
});
afterAll(() => standin.close());

function runDispatcher(leaseMs: number): {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, String(leaseMs)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: db.url,
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_SMS_FROM: SMS_FROM,
      TWILIO_API_BASE_URL: standin.url,
      SEND_RATE_PER_SECOND: '1000',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal, stderr })),
  );
  return { child, exited };
}

describe('a dispatcher killed mid-batch', () => {
  it('loses and duplicates nothing: a second dispatcher finishes, and Twilio saw every message exactly once', async () => {
    const now = new Date();
    const tenants = [];
    for (let t = 0; t < 25; t++) tenants.push(await insertTenant(db.sql, `KILL-${t}`));
    // An officer's own words (takeover): the send window does not apply, so the test passes at any hour of the real clock.
    for (let n = 0; n < MESSAGES; n++)
      await queue(db.sql, tenants[n % 25]!, { purpose: 'takeover', body: `Kill test message ${n}`, now });

    const killed = runDispatcher(60_000);
    first = killed.child;
    const death = await killed.exited;
    expect(death.signal).toBe('SIGKILL');

    const [stuck] = await db.sql<{ sending: number; sent: number }[]>`
      select count(*) filter (where status = 'sending')::int as sending, count(*) filter (where status = 'sent')::int as sent
      from messages where direction = 'outbound'`;
    expect(stuck?.sending).toBeGreaterThan(0);
    expect(stuck?.sent).toBeLessThan(KILL_AFTER);

    const survivor = runDispatcher(500);
    const finished = await survivor.exited;
    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);

    const bodies = standin.received.map((m) => m.body);
    expect(bodies).toHaveLength(MESSAGES);
    expect(new Set(bodies).size).toBe(MESSAGES);
    const rows = await db.sql<{ body: string; status: string; twilio_sid: string | null }[]>`
      select body, status, twilio_sid from messages where direction = 'outbound' order by id`;
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const sidByBody = new Map(standin.received.map((m) => [m.body, m.sid]));
    expect(rows.filter((r) => r.twilio_sid !== sidByBody.get(r.body))).toEqual([]);
    const [recovered] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contact_log where event = 'message_sent' and detail->>'recovered' = 'true'`;
    expect(recovered?.n).toBeGreaterThan(0);
  }, 60_000);
});
