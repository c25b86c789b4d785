// The per-sender limit on automated replies end to end (docs/rules.md#reply-limit): a phone's auto-responder
// sends 200 signed Twilio webhooks in a burst, to two replicas of the service on one database, batched and one
// by one. Every text is stored; at most the limit of replies reaches Twilio; officers get ONE card for the
// pause and no Slack post per text; another tenant texting meanwhile is answered; after the window, replies
// resume. Twilio and Slack are faked only at the network edge (msw).
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.js';
import { createSlackPoster } from '../../src/slack/poster.js';
import { useTestDatabase } from '../support/database.js';
import { BOT_TOKEN, TEST_SLACK_API_URL, useVendorMock } from '../support/msw-slack.js';
import { insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
const NOW = '2026-11-25T10:00:00Z';
const LIMIT = 15;
const AUTO_REPLY = "Auto-reply: I'm driving right now and will get back to you";
const PAUSE = /automated replies paused: \d+ texts in 10 minutes — possibly an auto-responder/;

let tenants = 0;
async function tenant() {
  tenants += 1;
  const ref = `LIMIT${tenants}`;
  const mobile = `+4477009${String(30_000 + tenants).slice(-5)}`;
  await insertTenantInArrears(db.sql, ref, mobile);
  return { ref, mobile };
}

function poster(clock: { now(): Date }, policy: Awaited<ReturnType<typeof testService>>['policy']) {
  return createSlackPoster({
    sql: db.sql,
    client: new webApi.WebClient(BOT_TOKEN, { slackApiUrl: TEST_SLACK_API_URL, retryConfig: { retries: 0 } }),
    channel: 'CESCALATE',
    clock,
    logger: silentLogger(),
    policy,
    timeZone: 'Europe/London',
  });
}

let sids = 0;
/** A MessageSid no replica has used (each test service counts its own from 1). */
const sid = () => ({ sid: `SMLIMIT${String((sids += 1)).padStart(27, '0')}` });

const repliesTo = (mobile: string) => vendors.texts.filter((t) => t.to === mobile);

async function storedTexts(mobile: string) {
  return db.sql<{ linked: number; total: number }[]>`
    select count(*)::int as total, count(tenancy_ref)::int as linked from messages where direction = 'inbound' and from_address = ${mobile}`;
}

describe.each([
  ['batched, across two replicas', { batching: undefined, replicas: 2 }],
  ['one text at a time', { batching: false as const, replicas: 1 }],
])('an auto-responder texting 200 times in a burst (%s)', (_name, setup) => {
  it('stores every text, answers at most the limit, tells an officer once, and answers again after the window', async () => {
    const replicas = await Promise.all(
      Array.from({ length: setup.replicas }, () =>
        testService(db.sql, { now: NOW, ...(setup.batching === false ? { batching: false } : {}) }),
      ),
    );
    const [a] = replicas;
    if (!a) throw new Error('no replica');
    const slack = poster(a.clock, a.policy);
    await slack.drain(); // what an earlier test left queued
    vendors.reset();
    const looping = await tenant();
    const other = await tenant();

    // 200 texts at once, spread over the replicas (the batched replicas group them into micro-batches), with
    // another tenant's first text in the middle of the burst.
    const burst = Array.from({ length: 200 }, (_, i) => {
      const replica = replicas[i % replicas.length] ?? a;
      return setup.batching === false
        ? () => replica.text(looping.mobile, AUTO_REPLY, sid())
        : replica.text(looping.mobile, AUTO_REPLY, sid());
    });
    const responses: Response[] = [];
    if (setup.batching === false) {
      for (const [i, send] of burst.entries()) {
        responses.push(await (send as () => Promise<Response>)());
        if (i === 100) responses.push(await a.text(other.mobile, 'Hi, I got a letter about my rent', sid()));
      }
    } else {
      responses.push(
        ...(await Promise.all([
          ...(burst as Promise<Response>[]),
          a.text(other.mobile, 'Hi, I got a letter about my rent', sid()),
        ])),
      );
    }
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    for (let round = 0; round < 3; round++) await a.dispatchAll();
    // A text mirrored before its card is posted waits a moment; the fixed clock is moved on for it.
    for (let round = 0; round < 4; round++) {
      await slack.drain();
      for (const r of replicas) r.clock.advance(5_000);
    }

    // Every text is kept, linked to the tenant, in full.
    expect(await storedTexts(looping.mobile)).toEqual([{ total: 200, linked: 200 }]);
    const bodies =
      await db.sql`select distinct body from messages where direction = 'inbound' and from_address = ${looping.mobile}`;
    expect(bodies).toEqual([{ body: AUTO_REPLY }]);

    // At most the limit of replies reached Twilio (each reply here is one text), and the other tenant was answered.
    expect(repliesTo(looping.mobile)).toHaveLength(LIMIT);
    expect(repliesTo(other.mobile).map((t) => t.body)).toEqual([
      expect.stringMatching(/^Hi Sam, thanks for your message/),
    ]);
    const [queued] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from messages where direction = 'outbound' and to_address = ${looping.mobile}`;
    expect(queued?.n).toBe(LIMIT);

    // ONE card says replies are paused; the script's own cards all came before it (from the 15 answered texts).
    const escalations = await db.sql<{ id: number; reason: string; summary: string }[]>`
      select id::int as id, reason, summary from escalations where tenancy_ref = ${looping.ref} order by id`;
    const pauses = escalations.filter((e) => PAUSE.test(e.summary));
    expect(pauses).toHaveLength(1);
    expect(pauses[0]).toMatchObject({ reason: 'human_only', id: escalations.at(-1)?.id });
    expect(escalations.length).toBeLessThanOrEqual(1 + Math.ceil(LIMIT / 4));
    const [told] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contact_log where tenancy_ref = ${looping.ref} and event = 'automated_replies_paused'`;
    expect(told?.n).toBe(1);

    // Slack: one card per escalation, and no thread post for any text kept quietly while paused.
    const posts = vendors.calls('chat.postMessage');
    const cards = posts.filter((p) => !p.thread_ts);
    expect(cards).toHaveLength(escalations.length); // the other tenant raised none
    expect(cards.filter((c) => PAUSE.test(JSON.stringify(c.blocks)))).toHaveLength(1);
    const [quiet] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contact_log where tenancy_ref = ${looping.ref} and event = 'message_received'
        and detail ? 'automated_replies_paused'`;
    expect(quiet?.n).toBe(200 - LIMIT - 1);
    const [mirrored] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from slack_outbox o join messages m on m.id = o.message_id
      where o.kind = 'mirror_message' and m.from_address = ${looping.mobile}`;
    const threads = await db.sql<{ slack_ts: string }[]>`
      select slack_ts from escalations where tenancy_ref = ${looping.ref} and slack_ts is not null`;
    const inThreads = new Set(threads.map((t) => t.slack_ts));
    expect(posts.filter((p) => inThreads.has(String(p.thread_ts)))).toHaveLength(mirrored?.n ?? -1);
    expect(mirrored?.n).toBeLessThanOrEqual(LIMIT + 1);

    // Ten minutes on, the sender is answered again.
    for (const r of replicas) r.clock.advance(10 * 60_000 + 1_000);
    expect((await a.text(looping.mobile, AUTO_REPLY, sid())).status).toBe(200);
    await a.dispatchAll();
    expect(repliesTo(looping.mobile)).toHaveLength(LIMIT + 1);
  }, 120_000);
});
