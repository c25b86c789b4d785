// Cards in order after a Slack outage: while Slack answers 500, 503 or "rate limited", cards raised
// meanwhile wait behind the first one; once it is back they arrive in the order they were raised, each
// once, and a card's thread replies never before the card, even with two posters (two replicas) at work.
// A card Slack will not take is given up after bounded tries and a notice takes its place, so it holds
// nothing back for ever; while Slack is down altogether nothing is given up.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../support/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createSlackPoster, type SlackPoster } from '../../src/slack/poster.js';
import { useTestDatabase } from '../support/database.js';
import { BOT_TOKEN, SLACK_SIGNING_SECRET, TEST_SLACK_API_URL } from '../support/msw-slack.js';
import { CHANNEL, NOW, insertTenantInArrears, slackHarness, type SlackHarness } from './harness.js';

const db = await useTestDatabase();

type Outage = 'http_500' | 'http_503' | 'http_429' | 'ratelimited';

/** Slack's Web API at the network edge, able to be down in the ways Slack is, or to refuse one card. */
const slack = {
  outage: null as Outage[] | null,
  /** Escalation ids whose card (with blocks) Slack answers 500 to, however often it is tried. */
  poisoned: new Set<number>(),
  /** Everything Slack accepted, in order. */
  accepted: [] as { method: string; ts: string; body: Record<string, unknown> }[],
  refused: 0,
  refusedCalls: [] as { method: string; card: number | null }[],
  /** The Authorization header of every chat.postMessage. */
  authorizations: [] as (string | null)[],
  ts: 1_700_000_000,
};

function cardId(body: Record<string, unknown>): number | null {
  const metadata = body.metadata as { event_payload?: { escalation_id?: number } } | undefined;
  return metadata?.event_payload?.escalation_id ?? null;
}

const server = setupServer(
  http.post(`${TEST_SLACK_API_URL}:method`, async ({ request, params }) => {
    const method = String(params.method);
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    const body = Object.fromEntries(
      Object.entries(form).map(([k, v]) => [k, /^[[{]/.test(v) ? (JSON.parse(v) as unknown) : v]),
    );
    if (slack.outage) {
      slack.refused += 1;
      slack.refusedCalls.push({ method, card: cardId(body) });
      const kind = slack.outage[slack.refused % slack.outage.length];
      if (kind === 'http_500') return new HttpResponse('Internal Server Error', { status: 500 });
      if (kind === 'http_503') return new HttpResponse('Service Unavailable', { status: 503 });
      if (kind === 'http_429') return new HttpResponse('', { status: 429, headers: { 'retry-after': '1' } });
      return HttpResponse.json({ ok: false, error: 'ratelimited' });
    }
    const poisoned = cardId(body);
    if (method === 'chat.postMessage' && body.blocks && poisoned !== null && slack.poisoned.has(poisoned))
      return new HttpResponse('Internal Server Error', { status: 500 });
    switch (method) {
      case 'chat.postMessage': {
        slack.authorizations.push(request.headers.get('authorization'));
        slack.ts += 1;
        const ts = `${slack.ts}.000100`;
        slack.accepted.push({ method, ts, body });
        return HttpResponse.json({ ok: true, channel: body.channel, ts });
      }
      case 'chat.update':
        slack.accepted.push({ method, ts: String(body.ts), body });
        return HttpResponse.json({ ok: true, channel: body.channel, ts: body.ts });
      case 'conversations.history':
      case 'conversations.replies':
        return HttpResponse.json({ ok: true, messages: [], has_more: false });
      case 'auth.test':
        return HttpResponse.json({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
      default:
        return HttpResponse.json({ ok: false, error: 'unknown_method' });
    }
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let h: SlackHarness;
const clock = fixedClock(NOW);
beforeAll(async () => {
  h = await slackHarness(db.sql);
});
beforeEach(() => {
  slack.outage = null;
  slack.poisoned.clear();
  slack.accepted.length = 0;
  slack.refused = 0;
  slack.refusedCalls.length = 0;
  slack.authorizations.length = 0;
});

function poster(options: { maxAttempts?: number } = {}): SlackPoster {
  return createSlackPoster({
    sql: db.sql,
    client: h.slack.posterClient,
    channel: CHANNEL,
    clock,
    logger: silentLogger(),
    policy: h.policy,
    timeZone: 'Europe/London',
    ...options,
  });
}

/** Lets the posters' backoff run out, as time passing would. */
function later(seconds: number): void {
  clock.set(new Date(clock.now().getTime() + seconds * 1000).toISOString());
}

/** `count` tenants, each raising a hand-off card; returns their escalation ids in the order raised. */
async function raiseCards(count: number): Promise<{ ids: number[]; mobiles: string[] }> {
  const ids: number[] = [];
  const mobiles: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Please call me');
    const [row] = await db.sql<
      { id: number }[]
    >`select id::int as id from escalations where tenancy_ref = ${ref} order by id desc limit 1`;
    ids.push(row?.id as number);
    mobiles.push(mobile);
  }
  return { ids, mobiles };
}

/** What Slack shows, in the order it took it: each card by escalation id, each thread reply by its parent's ts. */
function postsInOrder() {
  return slack.accepted
    .filter((a) => a.method === 'chat.postMessage')
    .map((a) => ({ ts: a.ts, card: cardId(a.body), threadTs: (a.body.thread_ts as string | undefined) ?? null }));
}

async function openRows(): Promise<number> {
  const [row] = await db.sql<
    { n: number }[]
  >`select count(*)::int as n from slack_outbox where status in ('queued', 'sending')`;
  return row?.n ?? 0;
}

describe('Slack cards after an outage', () => {
  it('posts the cards raised during an outage in the order they were raised, each once, replies after their card', async () => {
    slack.outage = ['http_503', 'http_500', 'http_429', 'ratelimited'];
    const first = await raiseCards(4);
    // Two of the tenants text again: their words go to their card's thread, which has no card yet.
    await h.tenantTexts(first.mobiles[0] as string, 'It is urgent, my boiler is broken too');
    const second = await raiseCards(3);
    await h.tenantTexts(first.mobiles[2] as string, 'Any news?');
    await h.tenantTexts(second.mobiles[1] as string, 'Hello again');
    const raised = [...first.ids, ...second.ids];

    // Ten minutes of outage, two replicas' posters polling it: nothing gets through, and only the first
    // card is ever tried (the cards and replies behind it wait their turn), once per round at most.
    const a = poster();
    const b = poster();
    for (let round = 0; round < 20; round += 1) {
      const tried = slack.refusedCalls.length;
      await Promise.all([a.runOnce(), b.runOnce()]);
      expect(slack.refusedCalls.slice(tried).filter((c) => c.method === 'chat.postMessage').length).toBeLessThanOrEqual(
        1,
      );
      later(30);
    }
    expect(postsInOrder()).toEqual([]);
    const tries = slack.refusedCalls.filter((c) => c.method === 'chat.postMessage');
    expect(tries.length).toBeGreaterThanOrEqual(10);
    expect(new Set(tries.map((c) => c.card))).toEqual(new Set([raised[0]]));
    const [waiting] = await db.sql<{ n: number; failed: number }[]>`
      select count(*) filter (where status = 'queued')::int as n, count(*) filter (where status = 'failed')::int as failed
      from slack_outbox where escalation_id = any(${raised}::bigint[])`;
    expect(waiting?.failed).toBe(0);
    expect(waiting?.n).toBeGreaterThanOrEqual(raised.length + 3);

    slack.outage = null;
    later(30);
    await Promise.all([a.drain(), b.drain()]);
    expect(await openRows()).toBe(0);

    const posts = postsInOrder();
    const cards = posts.filter((p) => p.threadTs === null).map((p) => p.card);
    expect(cards).toEqual(raised);
    // Each thread reply comes after its card, in its card's thread.
    const replies = posts.filter((p) => p.threadTs !== null);
    expect(replies.length).toBeGreaterThanOrEqual(3);
    for (const reply of replies) {
      const parentAt = posts.findIndex((p) => p.ts === reply.threadTs);
      expect(parentAt).toBeGreaterThanOrEqual(0);
      expect(parentAt).toBeLessThan(posts.indexOf(reply));
    }
  });

  it('gives up a card Slack keeps refusing while it answers everything else, and the cards behind it follow', async () => {
    const { ids } = await raiseCards(3);
    slack.poisoned.add(ids[0] as number);
    const p = poster({ maxAttempts: 3 });
    for (let round = 0; round < 6; round += 1) {
      await p.runOnce();
      later(60);
    }
    await p.drain();
    expect(await openRows()).toBe(0);
    const posts = postsInOrder().filter((post) => post.threadTs === null);
    // The poisoned card's notice first (no blocks, in its place), then the others in order.
    expect(posts.map((post) => post.card)).toEqual(ids);
    expect(slack.accepted[0]?.body.blocks).toBeUndefined();
    expect(String(slack.accepted[0]?.body.text)).toContain(`could not post the card for escalation ${ids[0]}`);
    const [row] = await db.sql<{ status: string; last_error: string }[]>`
      select status, last_error from slack_outbox where escalation_id = ${ids[0] as number} and kind = 'post_card'`;
    expect(row).toEqual({
      status: 'failed',
      last_error: 'given up after 3 attempt(s): slack_webapi_http_error; a notice was posted in its place',
    });
  });

  it('never gives a card up while Slack is down altogether, however many tries', async () => {
    const { ids } = await raiseCards(2);
    slack.outage = ['http_503'];
    const p = poster({ maxAttempts: 2 });
    for (let round = 0; round < 8; round += 1) {
      await p.runOnce();
      later(60);
    }
    const [row] = await db.sql<{ status: string; attempts: number }[]>`
      select status, attempts from slack_outbox where escalation_id = ${ids[0] as number} and kind = 'post_card'`;
    expect(row?.status).toBe('queued');
    expect(row?.attempts).toBeGreaterThan(2);
    slack.outage = null;
    later(60);
    await p.drain();
    expect(
      postsInOrder()
        .filter((post) => post.threadTs === null)
        .map((post) => post.card),
    ).toEqual(ids);
  });

  it("posts with the bot token when the bot's ids are looked up rather than given, as the service starts", async () => {
    const { ids } = await raiseCards(1);
    const service = createSlackApp({
      sql: db.sql,
      flows: h.flows,
      policy: h.policy,
      clock,
      logger: silentLogger(),
      timeZone: 'Europe/London',
      botToken: BOT_TOKEN,
      signingSecret: SLACK_SIGNING_SECRET,
      officerIds: [],
      apiUrl: TEST_SLACK_API_URL,
    });
    const p = createSlackPoster({
      sql: db.sql,
      client: service.posterClient,
      channel: CHANNEL,
      clock,
      logger: silentLogger(),
      policy: h.policy,
      timeZone: 'Europe/London',
    });
    await p.drain();
    expect(postsInOrder().map((post) => post.card)).toEqual(ids);
    expect(slack.authorizations).toEqual([`Bearer ${BOT_TOKEN}`]);
  });
});
