// Plumbing for the chaos and soak benchmarks: a Postgres the bench may stop and start (its own embedded
// server on a fixed loopback port, never the machine's shared one), the real service (`src/main.ts`) in
// a child process wired to the Twilio and Slack stand-ins, signed texts with a timeout, and the checks
// every run ends with: texts stored once, replies sent once, nothing left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createSql, type Sql } from '../src/db/connect.js';
import { freePort, loadEmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import type { FaultySlack, FaultyTwilio } from './standins.js';
import { AUTH_TOKEN, PUBLIC, seedOpenConversations, webhookShot, type Shot } from './webhook.js';

export const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
export const SLACK_SIGNING_SECRET = 'bench-slack-signing-secret';
export const SLACK_CHANNEL = 'CCHAOS01';

export interface ChaosPostgres {
  url: string;
  /** Stops the server (fast shutdown: every backend is terminated), waits, starts it again on the same port. */
  restart(downMs: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startChaosPostgres(): Promise<ChaosPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'rentline-chaos-pg-'));
  if (userInfo().uid === 0) await chmod(dir, 0o755);
  const port = await freePort();
  // Loaded as the service loads it: without the exit hooks that overwrite the process's exit code.
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    port,
    user: 'postgres',
    password: 'chaos',
    persistent: true, // false would delete the data on stop()
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: () => {},
    onError: () => {},
  });
  await mkdir(dir, { recursive: true });
  await server.initialise();
  await server.start();
  const admin = createSql(`postgres://postgres:chaos@127.0.0.1:${port}/postgres`, { max: 1 });
  await admin`create database rentline`;
  await admin.end();
  return {
    url: `postgres://postgres:chaos@127.0.0.1:${port}/rentline`,
    async restart(downMs) {
      await server.stop();
      await new Promise((r) => setTimeout(r, downMs));
      await server.start();
    },
    async destroy() {
      await server.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Service {
  port: number;
  child: ChildProcess;
  /** True while the process has not exited. */
  alive(): boolean;
  exitCode(): number | string | null;
  rssMb(): Promise<number | null>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** The real service, as `npm start` runs it, against the given database and stand-ins. Logs go to `logFile`. */
export async function startService(options: {
  databaseUrl: string;
  twilio: FaultyTwilio;
  slack?: FaultySlack;
  logFile: string;
  extraEnv?: Record<string, string>;
  /** Node flags before the script (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  nodeArgs?: string[];
}): Promise<Service> {
  const port = await freePort();
  await mkdir(join(options.logFile, '..'), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: options.databaseUrl,
    PORT: String(port),
    PUBLIC_BASE_URL: PUBLIC,
    LOG_LEVEL: 'info',
    DEMO_SEED: 'off',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_SMS_FROM: '+447700900001',
    TWILIO_API_BASE_URL: options.twilio.url,
    SEND_RATE_PER_SECOND: '400',
    ...(options.slack
      ? {
          SLACK_BOT_TOKEN: 'xoxb-chaos',
          SLACK_SIGNING_SECRET,
          SLACK_ESCALATION_CHANNEL: SLACK_CHANNEL,
          SLACK_API_URL: `${options.slack.url}/api/`,
        }
      : {}),
    ...options.extraEnv,
  };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  let exit: number | string | null = null;
  child.once('exit', (code, signal) => {
    exit = signal ?? code;
  });
  const service: Service = {
    port,
    child,
    alive: () => exit === null,
    exitCode: () => exit,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => null);
      const kb = status ? Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) : NaN;
      return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
    },
    async kill(signal) {
      if (exit !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
  // Ready when /healthz answers.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!service.alive())
      throw new Error(`the service exited (${String(exit)}) before it was ready; see ${options.logFile}`);
    if ((await get(port, '/healthz').catch(() => 0)) === 200) return service;
    await sleep(200);
  }
  throw new Error(`the service did not answer /healthz within 60 s; see ${options.logFile}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * One signed webhook; resolves with the HTTP status, or 0 when the connection failed or timed out (then
 * `failure` says how: `timeout`, or the socket error's code, e.g. ECONNRESET).
 */
export function post(
  port: number,
  agent: Agent,
  shot: Shot,
  timeoutMs = 10_000,
): Promise<{ status: number; ms: number; failure?: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: shot.path,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': shot.signature,
          'content-length': Buffer.byteLength(shot.body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: 0, ms: performance.now() - started, failure: error.code ?? error.message }),
    );
    req.end(shot.body);
  });
}

/** A text from tenant `i` with a MessageSid unique to `seq`. */
export function text(i: number, body: string, seq: number): Shot & { sid: string } {
  const shot = webhookShot(i, body, seq);
  return { ...shot, sid: `SM${String(seq).padStart(32, '0')}` };
}

/**
 * Sends texts open-loop at `rate` a second; every text not answered 200 is sent again (same MessageSid,
 * as a Twilio retry would be) once `retryAfter` resolves. Returns what happened.
 */
export async function sendTexts(
  port: () => number,
  shots: (Shot & { sid: string })[],
  rate: number,
  options: { retryAfter?: () => Promise<void>; timeoutMs?: number } = {},
) {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const results: Promise<{ status: number; ms: number }>[] = [];
  const start = performance.now();
  for (let i = 0; i < shots.length; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    results.push(post(port(), agent, shots[i] as Shot, options.timeoutMs));
  }
  const first = await Promise.all(results);
  const failed = shots.filter((_, i) => first[i]?.status !== 200);
  const statuses: Record<string, number> = {};
  for (const r of first) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
  let retriedOk = 0;
  const stillFailing: string[] = [];
  if (failed.length > 0 && options.retryAfter) {
    await options.retryAfter();
    for (const shot of failed) {
      const r = await post(port(), agent, shot, options.timeoutMs);
      if (r.status === 200) retriedOk++;
      else stillFailing.push(shot.sid);
    }
  }
  agent.destroy();
  const latencies = first
    .filter((r) => r.status === 200)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    +(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
  return {
    sent: shots.length,
    firstAttempt: statuses,
    retried: failed.length,
    retriedOk,
    stillFailing: stillFailing.length,
    p50Ms: pct(50),
    p99Ms: pct(99),
  };
}

/** Waits until `check` is true, polling; returns the milliseconds waited, or null on timeout. */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(everyMs);
  }
  return null;
}

/** The database checks every chaos run ends with. */
export async function ledgerOfTexts(sql: Sql, sids: string[]) {
  const [row] = await sql<
    {
      stored: number;
      distinct_sids: number;
      missing: number;
      parked: number;
      outbound_pending: number;
      outbound_failed: number;
    }[]
  >`
    with wanted as (select unnest(${sids}::text[]) as sid)
    select
      (select count(*) from messages m join wanted w on m.twilio_sid = w.sid where m.direction = 'inbound')::int as stored,
      (select count(distinct m.twilio_sid) from messages m join wanted w on m.twilio_sid = w.sid where m.direction = 'inbound')::int as distinct_sids,
      (select count(*) from wanted w where not exists (select 1 from messages m where m.twilio_sid = w.sid and m.direction = 'inbound'))::int as missing,
      -- Stored by the webhook but not yet received (its batch had not committed in the bounded wait).
      (select count(*) from inbound_parked)::int as parked,
      (select count(*) from messages where direction = 'outbound' and status in ('queued', 'sending'))::int as outbound_pending,
      (select count(*) from messages where direction = 'outbound' and status = 'failed')::int as outbound_failed`;
  return row as NonNullable<typeof row>;
}

/** Texts Twilio accepted more than once for the same recipient and body. */
export function duplicateSends(twilio: FaultyTwilio): number {
  const seen = new Set<string>();
  let duplicates = 0;
  for (const m of twilio.accepted) {
    const key = `${m.to}\n${m.body}`;
    if (seen.has(key)) duplicates++;
    seen.add(key);
  }
  return duplicates;
}

export interface ChaosWorld {
  pg: ChaosPostgres;
  sql: Sql;
  close(): Promise<void>;
}

/** A restartable Postgres, migrated, with `tenants` tenants in open conversations started a minute ago. */
export async function chaosWorld(tenants: number): Promise<ChaosWorld> {
  const pg = await startChaosPostgres();
  const sql = createSql(pg.url, { max: 4 });
  await migrate(sql);
  await seedOpenConversations(sql, { tenants, now: new Date(Date.now() - 60_000).toISOString() });
  return {
    pg,
    sql,
    async close() {
      await sql.end({ timeout: 1 }).catch(() => {});
      await pg.destroy();
    },
  };
}
