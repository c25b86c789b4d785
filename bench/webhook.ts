// Benchmark (issue 3): signed inbound webhooks for 10,000 tenants in open conversations.
// Targets: p99 < 50 ms at 500 messages a second, and saturated throughput at least 0.3x a bare Hono
// route doing one INSERT per request, measured in the same run on the same database.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import twilio from 'twilio';
import type { Sql } from '../src/db/connect.js';
import { startSession } from '../src/engine/index.js';
import { loadFlows } from '../src/engine/index.js';
import { loadPolicyFile } from '../src/accounts/policy-file.js';
import { benchDatabase, machine } from './support.js';

const TENANTS = 10_000;
const NOW = '2026-11-25T10:00:00Z';
export const AUTH_TOKEN = 'bench-twilio-auth-token';
export const PUBLIC = 'https://rentline.example.org';

export function mobileOf(i: number): string {
  return `+4477${String(10_000_000 + i).slice(-8)}`;
}

/** Tenants W1…Wn, each with a short ledger and a missed-payment conversation waiting for their reply. */
export async function seedOpenConversations(sql: Sql, options: { tenants?: number; now?: string } = {}): Promise<void> {
  const TENANTS = options.tenants ?? 10_000;
  const NOW = options.now ?? '2026-11-25T10:00:00Z';
  const policy = loadPolicyFile('flows', 'Europe/London');
  const flows = loadFlows('flows');
  const { session } = startSession(flows, 'missed_payment', {
    now: new Date(NOW),
    timeZone: 'Europe/London',
    language: 'en',
    channel: 'sms',
    tenancyRef: 'X',
    tenant: { firstName: 'Sam', dateOfBirth: '1985-03-12', postcode: 'SW1A 1AA' },
    account: { balancePence: 30000, arrearsPence: 20000, weeklyRentPence: 10000, nextDueDate: '2026-11-30' },
    policy,
    whatsappWindowOpen: false,
  });
  await sql`
    insert into tenancies (tenancy_ref, tenure, start_date, rent_frequency, rent_amount_pence, rent_due_day)
    select 'W' || n, 'secure', '2026-01-05', 'weekly', 10000, 'monday' from generate_series(1, ${TENANTS}) n`;
  await sql`
    insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, date_of_birth, postcode)
    select 'W' || n, 1, 'Sam', 'Jones', m, m, '1985-03-12', 'SW1A 1AA'
    from generate_series(1, ${TENANTS}) n, lateral (select '+4477' || right((10000000 + n)::text, 8) as m) x`;
  await sql`
    insert into transactions (transaction_id, tenancy_ref, date, type, amount_pence, account, description)
    select 'W' || n || '-' || w, 'W' || n, date '2026-09-07' + w * 7, case when w % 2 = 0 then 'rent' else 'payment' end,
      case when w % 2 = 0 then 10000 else -8000 end, 'rent', ''
    from generate_series(1, ${TENANTS}) n, generate_series(0, 23) w`;
  await sql`
    insert into conversations (tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, started_at, updated_at, purpose)
    select 'W' || n, 1, ${session.flowId}, ${session.flowVersion}, 'sms', 'active', ${sql.json(session as never)}, ${new Date(NOW)}, ${new Date(NOW)}, 'arrears'
    from generate_series(1, ${TENANTS}) n`;
  // Each conversation began with a text that was delivered, logged as the service logs it: a landlord with
  // 10,000 open conversations has at least this much history, and the planner's statistics should know it.
  await sql`
    with sent as (
      insert into messages (direction, tenancy_ref, tenant_no, conversation_id, channel, to_address, body, purpose, status, twilio_sid,
                            created_at, sent_at, updated_at)
      select 'outbound', c.tenancy_ref, c.tenant_no, c.id, 'sms', t.mobile_e164, 'Hello Sam, this is your landlord…', 'arrears', 'delivered',
        'SMseed' || c.id, ${new Date(NOW)}, ${new Date(NOW)}, ${new Date(NOW)}
      from conversations c join tenants t using (tenancy_ref, tenant_no)
      returning id, tenancy_ref, tenant_no)
    insert into contact_log (at, tenancy_ref, tenant_no, event, actor, channel, message_id, detail)
    select ${new Date(NOW)}, tenancy_ref, tenant_no, e.event, 'rentline', 'sms', id, '{}'::jsonb
    from sent, unnest(array['conversation_started', 'message_queued', 'message_delivered']) as e(event)`;
  await sql`analyze`;
}

export interface Shot {
  path: string;
  body: string;
  signature: string;
}

export function webhookShot(i: number, text: string, seq: number): Shot {
  const params = {
    MessageSid: `SM${String(seq).padStart(32, '0')}`,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: mobileOf(i),
    To: '+447700900001',
    Body: text,
    NumMedia: '0',
  };
  return {
    path: '/twilio/messages',
    body: new URLSearchParams(params).toString(),
    signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC}/twilio/messages`, params),
  };
}

function fire(port: number, agent: Agent, shot: Shot): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: shot.path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': shot.signature,
          'content-length': Buffer.byteLength(shot.body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(shot.body);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Open loop: one request every 1000/rate ms regardless of answers, so slow answers show as latency. */
async function atRate(port: number, shots: Shot[], rate: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: Promise<number>[] = [];
  const start = performance.now();
  for (let i = 0; i < shots.length; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    latencies.push(fire(port, agent, shots[i] as Shot));
  }
  const result = await Promise.all(latencies);
  agent.destroy();
  return result;
}

/** Closed loop with fixed concurrency: requests a second when the server is the bottleneck. */
async function saturated(port: number, shots: Shot[], concurrency: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < shots.length) await fire(port, agent, shots[next++] as Shot);
    }),
  );
  agent.destroy();
  return shots.length / ((performance.now() - start) / 1000);
}

export async function benchWebhook(): Promise<Record<string, unknown>> {
  const db = await benchDatabase('webhook');
  const server = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=bench/out'] : []),
      '--import',
      'tsx',
      'bench/webhook-server.ts',
      db.url,
      AUTH_TOKEN,
      PUBLIC,
      NOW,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    console.log(`seeding ${TENANTS} tenants in open conversations…`);
    await seedOpenConversations(db.sql, { tenants: TENANTS, now: NOW });
    const [line] = (await once(server.stdout!, 'data')) as [Buffer];
    const port = Number(/listening (\d+)/.exec(line.toString())?.[1]);
    let seq = 0;
    // Warm-up (not measured): JIT, and every pooled connection prepares its statements, as in steady service.
    const warm = Array.from({ length: 800 }, (_, i) => webhookShot(i + 9201, '12/03/1985', ++seq));
    await saturated(port, warm, 16);

    // 500 a second for 10 s: tenants 1-5000 confirm who they are (a step, a context load and a reply).
    const rateShots = Array.from({ length: 5000 }, (_, i) => webhookShot(i + 1, '12/03/1985', ++seq));
    const latencies = await atRate(port, rateShots, 500);

    const concurrency = 32;
    const ceilingShots = Array.from({ length: 4000 }, (_, i) => ({
      path: '/bench/ceiling',
      body: `n=${i}`,
      signature: '',
    }));
    const ceiling = await saturated(port, ceilingShots, concurrency);
    // Saturated: 4,000 more tenants confirm who they are.
    const satShots = Array.from({ length: 4000 }, (_, i) => webhookShot(i + 5001, '12/03/1985', ++seq));
    const throughput = await saturated(port, satShots, concurrency);

    const [outbox] = await db.sql`select count(*)::int as n from messages where direction = 'outbound'`;
    return {
      machine: machine(),
      tenantsInOpenConversations: TENANTS,
      at500PerSecond: {
        requests: latencies.length,
        p50Ms: +percentile(latencies, 50).toFixed(1),
        p99Ms: +percentile(latencies, 99).toFixed(1),
        maxMs: +percentile(latencies, 100).toFixed(1),
      },
      saturated: {
        concurrency,
        webhookPerSecond: Math.round(throughput),
        bareInsertCeilingPerSecond: Math.round(ceiling),
        ratio: +(throughput / ceiling).toFixed(2),
      },
      repliesQueued: outbox?.n,
      target: 'p99 < 50 ms at 500/s; throughput >= 0.3 x ceiling',
      ratioMet: throughput >= 0.3 * ceiling,
      met: percentile(latencies, 99) < 50 && throughput >= 0.3 * ceiling,
    };
  } finally {
    server.kill('SIGTERM');
    await db.close();
  }
}
