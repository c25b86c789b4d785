// Chaos benchmarks: the real service in its own process, its own restartable Postgres, and local Twilio
// and Slack stand-ins, all on loopback, each run bounded in time and count. Every run ends with the same
// questions: did the service stay up, is every text a tenant sent stored exactly once, did every reply go
// out exactly once, is anything stuck. Run one with `npm run bench -- chaos-pg-restart` (or chaos-kill9,
// chaos-twilio-storm, chaos-slack-outage); logs of the service go to bench/out/.
import { join } from 'node:path';
import { machine } from './support.js';
import {
  chaosWorld,
  duplicateSends,
  get,
  ledgerOfTexts,
  sendTexts,
  sleep,
  startService,
  text,
  waitUntil,
  type Service,
} from './chaos-harness.js';
import { startFaultySlack, startFaultyTwilio } from './standins.js';

const OUT = 'bench/out';
const CONFIRM = '12/03/1985';

function logFile(name: string): string {
  return join(OUT, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
}

/** Texts from tenants first…first+count-1, one each, with MessageSids from `seq`. */
function oneTextEach(first: number, count: number, seqBase: number, body = CONFIRM) {
  return Array.from({ length: count }, (_, i) => text(first + i, body, seqBase + i));
}

async function healthy(service: Service): Promise<boolean> {
  return (await get(service.port, '/healthz').catch(() => 0)) === 200;
}

/** Postgres stopped (every backend terminated) for 3 s while texts arrive at 100 a second. */
export async function chaosPgRestart(): Promise<Record<string, unknown>> {
  const tenants = 2000;
  const world = await chaosWorld(tenants);
  const twilio = await startFaultyTwilio();
  const log = logFile('chaos-pg-restart');
  let service = await startService({ databaseUrl: world.pg.url, twilio, logFile: log });
  try {
    const shots = oneTextEach(1, tenants, 1);
    let restartedAt = 0;
    const restart = (async () => {
      await sleep(5000);
      await world.pg.restart(3000);
      restartedAt = Date.now();
    })();
    let crashed: { exit: number | string | null } | null = null;
    let recoveredMs: number | null = null;
    // Texts not answered 200 are sent again once the service answers /healthz again (as a tenant would
    // text again); if it died, it is started again first, so the run can still say what was lost.
    const recover = async () => {
      await restart;
      recoveredMs = await waitUntil(async () => !service.alive() || (await healthy(service)), 30_000);
      if (!service.alive()) {
        crashed = { exit: service.exitCode() };
        recoveredMs = null;
        service = await startService({ databaseUrl: world.pg.url, twilio, logFile: log });
      }
    };
    const load = await sendTexts(() => service.port, shots, 100, { timeoutMs: 15_000, retryAfter: recover });
    if (load.retried === 0) await recover();
    const stayedUp = crashed === null;
    const exit = (crashed as { exit: number | string | null } | null)?.exit ?? null;
    const drainedMs = await waitUntil(
      async () => (await ledgerOfTexts(world.sql, [])).outbound_pending === 0 && twilio.accepted.length >= tenants,
      90_000,
    );
    const ledger = await ledgerOfTexts(
      world.sql,
      shots.map((s) => s.sid),
    );
    return {
      machine: machine(),
      scenario: `${tenants} texts at 100/s; Postgres stopped (fast shutdown) at 5 s for 3 s, then started on the same port`,
      serviceStayedUp: stayedUp,
      ...(stayedUp
        ? {}
        : {
            serviceExit: exit,
            note: 'the service died during the restart (see the log); it was started again to finish the checks',
          }),
      healthyAfterRestartMs: recoveredMs === null ? (stayedUp ? 'not within 30 s' : 'died') : recoveredMs,
      restartedAt: new Date(restartedAt).toISOString(),
      load,
      textsStored: ledger.stored,
      textsMissing: ledger.missing,
      duplicateTexts: ledger.stored - ledger.distinct_sids,
      repliesSent: twilio.accepted.length,
      duplicateReplies: duplicateSends(twilio),
      repliesPendingAtEnd: ledger.outbound_pending,
      repliesFailed: ledger.outbound_failed,
      drainedInMs: drainedMs ?? 'not within 90 s',
      log,
      met:
        stayedUp &&
        ledger.missing === 0 &&
        ledger.stored === ledger.distinct_sids &&
        duplicateSends(twilio) === 0 &&
        ledger.outbound_pending === 0,
    };
  } finally {
    await service.kill('SIGKILL');
    await twilio.close();
    await world.close();
  }
}

/** kill -9 while texts are being stepped, and again while replies are being sent; restarted each time. */
export async function chaosKill9(): Promise<Record<string, unknown>> {
  const tenants = 2000;
  const world = await chaosWorld(tenants);
  const twilio = await startFaultyTwilio();
  twilio.latencyMs = 20;
  const log = logFile('chaos-kill9');
  let service = await startService({ databaseUrl: world.pg.url, twilio, logFile: log });
  const restart = async () => {
    service = await startService({ databaseUrl: world.pg.url, twilio, logFile: log });
  };
  try {
    // 1. During flow steps: 1,000 texts at 200/s, the service killed 2 s in.
    const stepShots = oneTextEach(1, 1000, 1);
    let firstKill: Promise<void> | null = null;
    const killer = (async () => {
      await sleep(2000);
      firstKill = service.kill('SIGKILL');
      await firstKill;
      await restart();
    })();
    const duringSteps = await sendTexts(() => service.port, stepShots, 200, {
      timeoutMs: 5000,
      retryAfter: () => killer,
    });
    await killer;

    // 2. During dispatch: the next 1,000 texts queue 1,000 replies; killed when Twilio has taken 300 of them.
    const before = twilio.accepted.length;
    let killedInDispatch: Promise<void> | null = null;
    twilio.onAccept = (_m, count) => {
      if (count === before + 300 && !killedInDispatch) {
        killedInDispatch = (async () => {
          await service.kill('SIGKILL');
          await restart();
        })();
      }
    };
    const dispatchShots = oneTextEach(1001, 1000, 1001);
    const duringDispatch = await sendTexts(() => service.port, dispatchShots, 400, {
      timeoutMs: 5000,
      retryAfter: async () => {
        await waitUntil(async () => killedInDispatch !== null, 30_000);
        await killedInDispatch;
      },
    });
    await waitUntil(async () => killedInDispatch !== null, 60_000);
    await killedInDispatch;
    twilio.onAccept = null;
    const drainedMs = await waitUntil(
      async () => (await ledgerOfTexts(world.sql, [])).outbound_pending === 0 && twilio.accepted.length >= tenants,
      90_000,
    );
    const all = [...stepShots, ...dispatchShots];
    const ledger = await ledgerOfTexts(
      world.sql,
      all.map((s) => s.sid),
    );
    const duplicates = duplicateSends(twilio);
    return {
      machine: machine(),
      scenario: `${tenants} tenants, one text each: kill -9 2 s into 1,000 texts at 200/s (flow steps), restart; then kill -9 when Twilio has accepted 300 of the next 1,000 replies (dispatch), restart`,
      duringSteps,
      duringDispatch,
      killedDuringDispatch: killedInDispatch !== null,
      textsStored: ledger.stored,
      textsMissing: ledger.missing,
      textsStillParked: ledger.parked,
      duplicateTexts: ledger.stored - ledger.distinct_sids,
      repliesSent: twilio.accepted.length,
      duplicateReplies: duplicates,
      repliesPendingAtEnd: ledger.outbound_pending,
      repliesFailed: ledger.outbound_failed,
      drainedInMs: drainedMs ?? 'not within 90 s',
      log,
      met:
        ledger.missing === 0 &&
        ledger.stored === ledger.distinct_sids &&
        duplicates === 0 &&
        twilio.accepted.length === tenants &&
        ledger.outbound_pending === 0,
    };
  } finally {
    await service.kill('SIGKILL');
    await twilio.close();
    await world.close();
  }
}

/** Twilio answers 429 (Retry-After 1) or 5xx to most sends for 30 s. */
export async function chaosTwilioStorm(): Promise<Record<string, unknown>> {
  const tenants = 2000;
  const stormMs = 30_000;
  const world = await chaosWorld(tenants);
  const twilio = await startFaultyTwilio();
  const log = logFile('chaos-twilio-storm');
  const service = await startService({ databaseUrl: world.pg.url, twilio, logFile: log });
  try {
    const faults = [429, 429, 429, 500, 502, 503];
    twilio.fault = () => (Math.random() < 0.8 ? (faults[Math.floor(Math.random() * faults.length)] as number) : null);
    const stormStarted = Date.now();
    const stormOver = sleep(stormMs).then(() => {
      twilio.fault = null;
    });
    const shots = oneTextEach(1, tenants, 1);
    const load = await sendTexts(() => service.port, shots, 100, { timeoutMs: 10_000 });
    await stormOver;
    const stormEnded = Date.now();
    const drainedMs = await waitUntil(
      async () => (await ledgerOfTexts(world.sql, [])).outbound_pending === 0 && twilio.accepted.length >= tenants,
      180_000,
    );
    const ledger = await ledgerOfTexts(
      world.sql,
      shots.map((s) => s.sid),
    );
    const duplicates = duplicateSends(twilio);
    return {
      machine: machine(),
      scenario: `${tenants} texts at 100/s; for the first ${stormMs / 1000} s Twilio refuses 80% of sends (429 with Retry-After: 1, or 500/502/503)`,
      load,
      refusedByTwilio: Object.fromEntries(twilio.refused),
      acceptedDuringStorm: twilio.accepted.filter((m) => m.dateCreated.getTime() < stormStarted + stormMs).length,
      repliesSent: twilio.accepted.length,
      duplicateReplies: duplicates,
      repliesPendingAtEnd: ledger.outbound_pending,
      repliesFailed: ledger.outbound_failed,
      drainedAfterStormMs: drainedMs === null ? 'not within 180 s' : drainedMs,
      stormEndedAt: new Date(stormEnded).toISOString(),
      textsStored: ledger.stored,
      textsMissing: ledger.missing,
      serviceStayedUp: service.alive(),
      log,
      met:
        service.alive() &&
        ledger.missing === 0 &&
        duplicates === 0 &&
        twilio.accepted.length === tenants &&
        ledger.outbound_pending === 0 &&
        ledger.outbound_failed === 0,
    };
  } finally {
    await service.kill('SIGKILL');
    await twilio.close();
    await world.close();
  }
}

/** Slack answers 503 to everything for 60 s while tenants' texts raise escalations; the cards must follow, in order. */
export async function chaosSlackOutage(): Promise<Record<string, unknown>> {
  const tenants = 300;
  const outageMs = 60_000;
  const world = await chaosWorld(tenants);
  const twilio = await startFaultyTwilio();
  const slack = await startFaultySlack();
  const log = logFile('chaos-slack-outage');
  const service = await startService({ databaseUrl: world.pg.url, twilio, slack, logFile: log });
  try {
    slack.down = true;
    const outageOver = sleep(outageMs).then(() => {
      slack.down = false;
    });
    // "I've already paid" at any step is a dispute: an escalation, so a card for officers.
    const shots = oneTextEach(1, tenants, 1, "I've already paid");
    const load = await sendTexts(() => service.port, shots, 10, { timeoutMs: 10_000 });
    await outageOver;
    const upAt = Date.now();
    const [expected] = await world.sql<{ n: number }[]>`select count(*)::int as n from escalations`;
    const cards = () => slack.posts.filter((p) => p.metadata?.event_payload?.escalation_id !== undefined);
    const arrivedMs = await waitUntil(async () => cards().length >= (expected?.n ?? 0), 120_000);
    const ids = cards().map((p) => Number(p.metadata?.event_payload?.escalation_id));
    const inOrder = ids.every((id, i) => i === 0 || id > (ids[i - 1] as number));
    // Cards posted after a card of a later escalation: how far from "in order" the arrival was.
    let highest = -Infinity;
    const late = ids.filter((id) => {
      const behind = id < highest;
      highest = Math.max(highest, id);
      return behind;
    });
    const duplicates = ids.length - new Set(ids).size;
    // Thread replies (tenants' texts mirrored under their card) must follow the card they hang from.
    const replies = slack.posts.filter((p) => p.threadTs !== null);
    const repliesBeforeTheirCard = replies.filter(
      (r) => slack.posts.findIndex((p) => p.ts === r.threadTs) > slack.posts.indexOf(r),
    ).length;
    const ledger = await ledgerOfTexts(
      world.sql,
      shots.map((s) => s.sid),
    );
    return {
      machine: machine(),
      scenario: `${tenants} tenants text "I've already paid" at 10/s (an escalation each) while Slack answers 503 to every call for ${outageMs / 1000} s`,
      load,
      escalations: expected?.n ?? 0,
      slackCallsRefusedDuringOutage: slack.refusedWhileDown,
      cardsPosted: ids.length,
      cardsInEscalationOrder: inOrder,
      cardsPostedAfterALaterOne: late.length,
      firstCardsInArrivalOrder: ids.slice(0, 12),
      duplicateCards: duplicates,
      threadReplies: replies.length,
      threadRepliesBeforeTheirCard: repliesBeforeTheirCard,
      allCardsArrivedAfterOutageMs: arrivedMs ?? 'not within 120 s',
      lastCardAfterOutageMs: slack.posts.length > 0 ? Math.max(0, (slack.posts.at(-1)?.at ?? upAt) - upAt) : null,
      textsStored: ledger.stored,
      textsMissing: ledger.missing,
      serviceStayedUp: service.alive(),
      log,
      met:
        service.alive() &&
        ids.length === (expected?.n ?? -1) &&
        inOrder &&
        duplicates === 0 &&
        repliesBeforeTheirCard === 0 &&
        ledger.missing === 0,
    };
  } finally {
    await service.kill('SIGKILL');
    await slack.close();
    await twilio.close();
    await world.close();
  }
}
