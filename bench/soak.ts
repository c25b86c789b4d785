// Soak: signed texts at 200 a second for `--minutes` (30 by default) into the real service in its own
// process, with its own Postgres and a Twilio stand-in taking every reply. The service's RSS is sampled
// every 5 s and a least-squares slope reported (MB per minute, after the first minute of warm-up), with
// latency and errors minute by minute. Flat memory is a slope near 0; a leak shows as a steady climb.
// Every reply the stand-in takes is counted by its identity (recipient and text, see standins.ts) and
// checked against the outbox: a send beyond the rows recorded as sent with that identity is a duplicate.
// The reply backlog (queued or sending) is read each minute, at the end of the load, and after the drain.
//   npm run bench -- soak --minutes 5
import { Agent } from 'node:http';
import { join } from 'node:path';
import type { Sql } from '../src/db/connect.js';
import { machine } from './support.js';
import { chaosWorld, ledgerOfTexts, post, sleep, startService, text, waitUntil } from './chaos-harness.js';
import { startFaultyTwilio, type FaultyTwilio } from './standins.js';

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

/** Outbound replies queued or being sent now. */
async function backlog(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from messages where direction = 'outbound' and status in ('queued', 'sending')`;
  return row?.n ?? 0;
}

/**
 * The stand-in's sends against the outbox, identity by identity (streamed, so a long run stays bounded),
 * read once the service has stopped: `duplicateSends` is the sends beyond the rows of that identity
 * recorded as sent or still in flight (a message sent twice is recorded once); `sendsBeyondRows` the sends beyond the rows that exist at all (only a duplicate can
 * do that). Also the replies per text, and where the replies came from (purpose; the text's opening words
 * with digits masked: synthetic bench tenants, no personal data).
 */
async function sendLedger(sql: Sql, twilio: FaultyTwilio, texts: number) {
  const counts = new Map(twilio.sendsByIdentity);
  let duplicateSends = 0;
  let sendsBeyondRows = 0;
  let identitiesWithDuplicates = 0;
  const cursor = sql<{ identity: string; rows: number; recorded: number; sending: number }[]>`
    select md5(to_address || E'\n' || body) as identity, count(*)::int as rows,
           count(*) filter (where twilio_sid is not null)::int as recorded,
           count(*) filter (where status = 'sending')::int as sending
    from messages where direction = 'outbound' and coalesce(twilio_sid, '') not like 'SMseed%'
    group by 1`.cursor(5000);
  for await (const page of cursor) {
    for (const r of page) {
      const sent = counts.get(r.identity) ?? 0;
      counts.delete(r.identity);
      // A row still `sending` when the service stopped may have gone without being recorded: not a duplicate.
      const accounted = r.recorded + r.sending;
      if (sent > accounted) identitiesWithDuplicates++;
      duplicateSends += Math.max(0, sent - accounted);
      sendsBeyondRows += Math.max(0, sent - r.rows);
    }
  }
  // Sends of an identity the outbox has no row for at all.
  let sendsWithNoRow = 0;
  for (const n of counts.values()) sendsWithNoRow += n;
  const [rows] = await sql<{ outbound: number; recorded: number }[]>`
    select count(*)::int as outbound, count(twilio_sid)::int as recorded
    from messages where direction = 'outbound' and coalesce(twilio_sid, '') not like 'SMseed%'`;
  const byPurpose = await sql<{ purpose: string; status: string; n: number }[]>`
    select purpose, status, count(*)::int as n from messages
    where direction = 'outbound' and coalesce(twilio_sid, '') not like 'SMseed%' group by 1, 2 order by 3 desc`;
  const byOpening = await sql<{ opening: string; n: number }[]>`
    select regexp_replace(left(body, 40), '[0-9]', '#', 'g') as opening, count(*)::int as n from messages
    where direction = 'outbound' and coalesce(twilio_sid, '') not like 'SMseed%' group by 1 order by 2 desc limit 10`;
  // Claims that outlived their lease and were reconciled: found at the stand-in (recovered) or sent again.
  const [reconciled] = await sql<{ recovered: number; retried: number }[]>`
    select (select count(*) from contact_log where event = 'message_sent' and detail->>'recovered' = 'true')::int as recovered,
           (select count(*) from messages where direction = 'outbound' and attempts > 1)::int as retried`;
  const outbound = rows?.outbound ?? 0;
  return {
    duplicateSends: duplicateSends + sendsWithNoRow,
    identitiesWithDuplicates,
    sendsBeyondRows: sendsBeyondRows + sendsWithNoRow,
    sendsWithNoRow,
    /** Sends the stand-in took minus sids the outbox recorded: a send twice, or one in flight when the service stopped. */
    unrecordedSends: twilio.acceptedCount - (rows?.recorded ?? 0),
    recoveredSends: reconciled?.recovered ?? 0,
    rowsAttemptedMoreThanOnce: reconciled?.retried ?? 0,
    reconciliationLookups: twilio.listRequests,
    identitiesTracked: twilio.sendsByIdentity.size,
    identitiesDropped: twilio.identitiesDropped,
    outboundRows: outbound,
    repliesPerText: texts === 0 ? 0 : +(twilio.acceptedCount / texts).toFixed(3),
    outboundRowsPerText: texts === 0 ? 0 : +(outbound / texts).toFixed(3),
    byPurpose: byPurpose.map((r) => `${r.purpose}/${r.status}: ${r.n}`),
    byOpening: byOpening.map((r) => `${r.n} × ${r.opening}`),
  };
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
    repliesSent: number;
    replyBacklog: number;
  }[] = [];
  let repliesAtLastMinute = 0;
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
      const replies = twilio.acceptedCount;
      perMinute.push({
        minute: minute + 1,
        sent,
        ok: sorted.length,
        errors,
        p50Ms: pct(50),
        p99Ms: pct(99),
        rssMb: await service.rssMb(),
        repliesSent: replies - repliesAtLastMinute,
        replyBacklog: await backlog(world.sql).catch(() => -1),
      });
      repliesAtLastMinute = replies;
      const m = perMinute.at(-1);
      console.log(
        `  minute ${minute + 1}: ${sent} sent, ${errors} errors, p99 ${pct(99)} ms, RSS ${m?.rssMb} MB, ${m?.repliesSent} replies sent, ${m?.replyBacklog} queued`,
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
    const backlogAtEndOfLoad = await backlog(world.sql);
    const repliesAtEndOfLoad = twilio.acceptedCount;
    const drainedMs = await waitUntil(async () => (await ledgerOfTexts(world.sql, [])).outbound_pending === 0, 120_000);
    const [stored] = await world.sql<
      { n: number; d: number }[]
    >`select count(*)::int as n, count(distinct twilio_sid)::int as d from messages where direction = 'inbound'`;
    const pendingAfterDrain = (await ledgerOfTexts(world.sql, [])).outbound_pending;
    // Stopped before the sends are counted, so no send lands between the stand-in's count and the outbox's.
    const stayedUp = service.alive();
    await service.kill('SIGKILL');
    const ledger = await sendLedger(world.sql, twilio, seq);
    console.log(
      `  after the load: ${backlogAtEndOfLoad} replies queued; after the drain (${drainedMs ?? '> 120000'} ms): ${pendingAfterDrain} queued; ` +
        `${twilio.acceptedCount} replies for ${seq} texts (${ledger.repliesPerText} a text), duplicate_sends ${ledger.duplicateSends}`,
    );
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
      repliesSentDuringLoad: repliesAtEndOfLoad,
      replyBacklogAtEndOfLoad: backlogAtEndOfLoad,
      repliesPendingAfterDrain: pendingAfterDrain,
      drainedInMs: drainedMs ?? 'not within 120 s',
      duplicate_sends: ledger.duplicateSends,
      sends: ledger,
      rss: {
        samples: rss.length,
        firstMb: rss[0] ?? null,
        minMb: Math.min(...rss),
        maxMb: Math.max(...rss),
        lastMb: rss.at(-1) ?? null,
        slopeMbPerMinuteAfterMinute1: mbPerMinute,
      },
      perMinute,
      serviceStayedUp: stayedUp,
      log,
      target:
        'RSS flat (slope near 0 MB/min), no errors, every text stored once, every reply sent once, nothing queued after the drain',
      met:
        stayedUp &&
        Math.abs(mbPerMinute) < 1 &&
        perMinute.every((m) => m.errors === 0) &&
        (stored?.n ?? 0) === seq &&
        stored?.n === stored?.d &&
        ledger.duplicateSends === 0 &&
        pendingAfterDrain === 0,
    };
  } finally {
    agent.destroy();
    await service.kill('SIGKILL');
    await twilio.close();
    await world.close();
  }
}
