// Soak: signed texts at 200 a second for `--minutes` (30 by default) into the real service in its own
// process, with its own Postgres and a Twilio stand-in taking every reply. The service's RSS is sampled
// every 5 s and a least-squares slope reported (MB per minute, after the first minute of warm-up), with
// latency and errors minute by minute. Flat memory is a slope near 0; a leak shows as a steady climb.
//   npm run bench -- soak --minutes 5
import { Agent } from 'node:http';
import { join } from 'node:path';
import { machine } from './support.js';
import { chaosWorld, ledgerOfTexts, post, sleep, startService, text, waitUntil } from './chaos-harness.js';
import { startFaultyTwilio } from './standins.js';

const RATE = 200;
const TENANTS = 20_000;
// Replies a tenant might send, cycled: the first confirms who they are, the rest move the flow on or not.
const BODIES = ['12/03/1985', '1', 'I can pay £10 a week from next monday', 'yes', 'ok thanks', 'what do I owe?'];

function slope(points: { minute: number; mb: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.minute, 0) / n;
  const my = points.reduce((a, p) => a + p.mb, 0) / n;
  const num = points.reduce((a, p) => a + (p.minute - mx) * (p.mb - my), 0);
  const den = points.reduce((a, p) => a + (p.minute - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

export async function soak(options: { minutes?: number } = {}): Promise<Record<string, unknown>> {
  const minutes = options.minutes ?? 30;
  const world = await chaosWorld(TENANTS);
  const twilio = await startFaultyTwilio();
  twilio.keep = false;
  const log = join('bench/out', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const service = await startService({
    databaseUrl: world.pg.url,
    twilio,
    logFile: log,
    extraEnv: { LOG_LEVEL: 'warn' },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const samples: { minute: number; mb: number }[] = [];
  const perMinute: {
    minute: number;
    sent: number;
    ok: number;
    errors: number;
    p50Ms: number;
    p99Ms: number;
    rssMb: number | null;
  }[] = [];
  try {
    const started = performance.now();
    const endAt = started + minutes * 60_000;
    const sampler = setInterval(() => {
      void service.rssMb().then((mb) => {
        if (mb !== null) samples.push({ minute: (performance.now() - started) / 60_000, mb });
      });
    }, 5000);
    let seq = 0;
    let minute = 0;
    let latencies: number[] = [];
    let errors = 0;
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    /** Requests not answered 200, by how they failed (timeout at 10 s, a socket error's code, an HTTP status). */
    const failures: Record<string, number> = {};
    const closeMinute = async () => {
      const sorted = latencies.sort((a, b) => a - b);
      const pct = (p: number) =>
        +(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(1);
      perMinute.push({
        minute: minute + 1,
        sent,
        ok: sorted.length,
        errors,
        p50Ms: pct(50),
        p99Ms: pct(99),
        rssMb: await service.rssMb(),
      });
      console.log(
        `  minute ${minute + 1}: ${sent} sent, ${errors} errors, p99 ${pct(99)} ms, RSS ${perMinute.at(-1)?.rssMb} MB`,
      );
      latencies = [];
      errors = 0;
      sent = 0;
      minute++;
    };
    while (performance.now() < endAt && service.alive()) {
      const due = started + (seq * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      if (performance.now() - started >= (minute + 1) * 60_000) await closeMinute();
      const i = (seq % TENANTS) + 1;
      const body = BODIES[Math.floor(seq / TENANTS) % BODIES.length] as string;
      seq++;
      sent++;
      const p = post(service.port, agent, text(i, body, seq), 10_000).then((r) => {
        if (r.status === 200) latencies.push(r.ms);
        else {
          errors++;
          const kind = r.status === 0 ? (r.failure ?? 'connection') : `HTTP ${r.status}`;
          failures[kind] = (failures[kind] ?? 0) + 1;
        }
      });
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
    if (sent > 0) await closeMinute();
    clearInterval(sampler);
    const drainedMs = await waitUntil(async () => (await ledgerOfTexts(world.sql, [])).outbound_pending === 0, 120_000);
    const [stored] = await world.sql<
      { n: number; d: number }[]
    >`select count(*)::int as n, count(distinct twilio_sid)::int as d from messages where direction = 'inbound'`;
    const steady = samples.filter((s) => s.minute >= 1);
    const mbPerMinute = +slope(steady).toFixed(2);
    const rss = samples.map((s) => s.mb);
    return {
      machine: machine(),
      scenario: `${RATE} signed texts a second for ${minutes} min from ${TENANTS} tenants (each reply a real flow step), replies sent to a Twilio stand-in`,
      textsSent: seq,
      textsStored: stored?.n ?? 0,
      duplicateTexts: (stored?.n ?? 0) - (stored?.d ?? 0),
      failures,
      textsStillParked: (await ledgerOfTexts(world.sql, [])).parked,
      repliesSent: twilio.acceptedCount,
      repliesPendingAfterDrain: (await ledgerOfTexts(world.sql, [])).outbound_pending,
      drainedInMs: drainedMs ?? 'not within 120 s',
      rss: {
        samples: rss.length,
        firstMb: rss[0] ?? null,
        minMb: Math.min(...rss),
        maxMb: Math.max(...rss),
        lastMb: rss.at(-1) ?? null,
        slopeMbPerMinuteAfterMinute1: mbPerMinute,
      },
      perMinute,
      serviceStayedUp: service.alive(),
      log,
      target: 'RSS flat (slope near 0 MB/min), no errors, every text stored once',
      met:
        service.alive() &&
        Math.abs(mbPerMinute) < 1 &&
        perMinute.every((m) => m.errors === 0) &&
        (stored?.n ?? 0) === seq &&
        stored?.n === stored?.d,
    };
  } finally {
    agent.destroy();
    await service.kill('SIGKILL');
    await twilio.close();
    await world.close();
  }
}
