// The Slack outbox poster: urgent hand-offs become urgent cards, Slack failures are retried or given up
// as the error says, a retry finds a card an interrupted attempt already posted, and without a channel the
// cards wait in the database rather than being dropped, and a round stuck on a statement that never settles
// is abandoned at its lease and the next one finishes the work, posting nothing twice. An urgent card is
// never held behind a backlog of normal ones, nor a normal one behind held accounts' tasks.
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { createSlackPoster } from '../../src/slack/poster.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { CHANNEL, actionsOf, insertTenantInArrears, slackHarness, textOf, type SlackHarness } from './harness.js';

const db = await useTestDatabase();
const vendors = useVendorMock();
let h: SlackHarness;
beforeAll(async () => {
  h = await slackHarness(db.sql);
});

async function outbox(escalationId: number) {
  return db.sql<{ kind: string; status: string; attempts: number; last_error: string | null }[]>`
    select kind, status, attempts, last_error from slack_outbox where escalation_id = ${escalationId} order by id`;
}

async function latestEscalation(ref: string): Promise<number> {
  const [row] = await db.sql<
    { id: number }[]
  >`select id::int as id from escalations where tenancy_ref = ${ref} order by id desc limit 1`;
  return row?.id as number;
}

/** A pending escalation of a new tenant's, raised straight in the table (its card queued by the trigger). */
async function raiseEscalation(reason: string, summary: string): Promise<number> {
  const { ref } = await insertTenantInArrears(db.sql);
  const [row] = await db.sql<{ id: number }[]>`
    insert into escalations (tenancy_ref, tenant_no, reason, urgency, summary, created_at, updated_at)
    values (${ref}, 1, ${reason}, 'normal', ${summary}, now(), now()) returning id::int as id`;
  return row?.id as number;
}

/** `count` held accounts' tasks queued at once, as the daily job raises them on a pilot's first day. */
async function heldAccountCards(count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push(await raiseEscalation('held_contact', 'Held account in arrears'));
  return ids;
}

/** How many of these escalations' cards are still waiting to be posted. */
async function cardsWaiting(escalationIds: number[]): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from slack_outbox
    where kind = 'post_card' and status = 'queued' and escalation_id = any(${escalationIds}::bigint[])`;
  return row?.n ?? 0;
}

describe('the Slack card poster', () => {
  it('posts an urgent hand-off as an urgent card with Take over as the main action', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    expect((await h.tenantTexts(mobile, 'I cannot cope any more')).outcome).toBe('human_only');
    await h.poster.drain();
    const [card] = vendors.calls('chat.postMessage');
    expect(card?.channel).toBe(CHANNEL);
    expect(String(card?.text)).toMatch(/^URGENT /);
    expect(textOf(card?.blocks)).toContain('Vulnerable');
    expect(actionsOf(card?.blocks)[0]).toMatchObject({
      action_id: ACTIONS.takeOver,
      style: 'primary',
      value: String(await latestEscalation(ref)),
    });
    expect(textOf(card)).not.toContain(mobile);
  });

  it('retries a failed post, and gives up on a card Slack refuses, posting a notice in its place', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Please call me');
    const id = await latestEscalation(ref);
    vendors.failNext('chat.postMessage', 'internal_error');
    await h.poster.runOnce();
    expect(await outbox(id)).toEqual([
      { kind: 'post_card', status: 'queued', attempts: 1, last_error: 'internal_error' },
    ]);
    await db.sql`update slack_outbox set not_before = null where escalation_id = ${id}`;
    vendors.failNext('chat.postMessage', 'invalid_blocks');
    await h.poster.runOnce();
    expect(await outbox(id)).toEqual([
      {
        kind: 'post_card',
        status: 'failed',
        attempts: 2,
        last_error: 'given up after 2 attempt(s): invalid_blocks; a notice was posted in its place',
      },
    ]);
    // The notice: no blocks, the reason and where to act, and the escalation's place so its thread follows.
    const notice = vendors.calls('chat.postMessage').at(-1);
    expect(notice?.blocks).toBeUndefined();
    expect(String(notice?.text)).toContain(`could not post the card for escalation ${id} (tenancy ${ref}`);
    expect(String(notice?.text)).toContain('Slack said invalid_blocks');
    expect(String(notice?.text)).not.toContain(mobile);
    const [row] = await db.sql<{ slack_ts: string | null }[]>`select slack_ts from escalations where id = ${id}`;
    expect(row?.slack_ts).toMatch(/^\d+\.\d+$/);
  });

  it('keeps every card waiting, not given up, while Slack refuses the channel itself', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Please ring me back');
    const id = await latestEscalation(ref);
    for (let i = 0; i < 10; i += 1) {
      vendors.failNext('chat.postMessage', 'not_in_channel');
      await h.poster.runOnce();
      await db.sql`update slack_outbox set not_before = null where escalation_id = ${id}`;
    }
    expect(await outbox(id)).toEqual([
      { kind: 'post_card', status: 'queued', attempts: 0, last_error: 'not_in_channel' },
    ]);
    expect(h.logLines.some((l) => l.includes('Slack refuses the app or the channel'))).toBe(true);
    await h.poster.drain();
    expect(await outbox(id)).toEqual([{ kind: 'post_card', status: 'sent', attempts: 1, last_error: null }]);
  });

  it('finds a card an interrupted attempt posted instead of posting it twice', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Can someone ring me');
    const id = await latestEscalation(ref);
    await h.poster.drain();
    expect(vendors.calls('chat.postMessage')).toHaveLength(1);
    expect(vendors.calls('conversations.history')).toEqual([]); // a first attempt never looks
    const [first] = await db.sql<{ slack_ts: string }[]>`select slack_ts from escalations where id = ${id}`;
    // The process stopped after Slack took the card but before its place was saved; the lease then ran out.
    await db.sql`update escalations set slack_ts = null, slack_channel = null where id = ${id}`;
    await db.sql`update slack_outbox set status = 'queued', claimed_at = null where escalation_id = ${id} and kind = 'post_card'`;
    await h.poster.drain();
    expect(vendors.calls('chat.postMessage')).toHaveLength(1);
    expect(vendors.calls('conversations.history')).toMatchObject([{ channel: CHANNEL, include_all_metadata: 'true' }]); // form-encoded
    const [again] = await db.sql<
      { slack_ts: string; slack_channel: string }[]
    >`select slack_ts, slack_channel from escalations where id = ${id}`;
    expect(again).toEqual({ slack_ts: first?.slack_ts, slack_channel: CHANNEL });
  });

  it('keeps cards waiting in the database while no escalation channel is configured', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Hello?');
    const id = await latestEscalation(ref);
    const unconfigured = createSlackPoster({
      sql: db.sql,
      client: h.slack.bolt.client,
      channel: null,
      clock: h.clock,
      logger: silentLogger(),
      policy: h.policy,
      timeZone: 'Europe/London',
    });
    await unconfigured.runOnce();
    expect(vendors.calls('chat.postMessage')).toEqual([]);
    expect(await outbox(id)).toEqual([
      {
        kind: 'post_card',
        status: 'queued',
        attempts: 0,
        last_error: 'waiting for SLACK_ESCALATION_CHANNEL to be set',
      },
    ]);
  });

  it('abandons a round stuck on a statement that never settles, and the next round finishes without posting twice', async () => {
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'Could someone call me please');
    const id = await latestEscalation(ref);
    // Only this card is due (earlier tests leave cards waiting).
    await db.sql`update slack_outbox set status = 'failed' where escalation_id <> ${id} and status <> 'sent'`;
    // The first "done" write never settles, as a pool statement on a terminated backend can.
    let hung = 0;
    const stuckOnce = new Proxy(db.sql, {
      apply(target, thisArg, args: unknown[]) {
        const strings = args[0] as readonly string[] | undefined;
        if (Array.isArray(strings) && strings[0]?.startsWith('update slack_outbox set status = ') && hung++ === 0)
          return new Promise(() => {});
        return Reflect.apply(target, thisArg, args) as unknown;
      },
    });
    const poster = createSlackPoster({
      sql: stuckOnce,
      client: h.slack.bolt.client,
      channel: CHANNEL,
      clock: systemClock,
      logger: silentLogger(),
      policy: h.policy,
      timeZone: 'Europe/London',
      leaseMs: 400,
      pollMs: 50,
    });
    poster.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((await outbox(id))[0]?.status !== 'sent') {
        if (Date.now() > deadline) throw new Error(`card not finished: ${JSON.stringify(await outbox(id))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await poster.stop();
    }
    expect(hung).toBeGreaterThan(1);
    expect(vendors.calls('chat.postMessage')).toHaveLength(1);
    expect(await outbox(id)).toMatchObject([{ kind: 'post_card', status: 'sent' }]);
  });

  it("posts an urgent hand-off before a backlog of normal cards raised ahead of it (the first day's held accounts)", async () => {
    // Fifty normal cards queued at once, as the daily job's held-account tasks are on a pilot's first day.
    const backlog = await heldAccountCards(50);
    const { mobile, ref } = await insertTenantInArrears(db.sql, { vulnerable: true });
    await h.tenantTexts(mobile, 'I cannot cope any more');
    const urgent = await latestEscalation(ref);
    expect(urgent).toBeGreaterThan(Math.max(...backlog));
    await h.poster.runOnce();
    const posted = vendors.calls('chat.postMessage').map((c) => String(c.text));
    expect(posted.filter((t) => t.startsWith('URGENT '))).toHaveLength(1);
    // One round takes at most its batch (20): the urgent card was among them, normal cards still wait.
    expect(await cardsWaiting(backlog)).toBeGreaterThan(0);
    // The tenant writes again: their text reaches the urgent card's thread ahead of the backlog too.
    const [card] = await db.sql<{ slack_ts: string }[]>`select slack_ts from escalations where id = ${urgent}`;
    await h.tenantTexts(mobile, 'Is anyone there');
    await h.poster.runOnce();
    expect(vendors.calls('chat.postMessage').some((c) => c.thread_ts === card?.slack_ts)).toBe(true);
    expect(await cardsWaiting(backlog)).toBeGreaterThan(0);
  });

  it('posts a normal card before the held-account tasks queued ahead of it (those are on the worklist too)', async () => {
    const held = await heldAccountCards(30);
    const broken = await raiseEscalation('arrangement_broken', 'Arrangement broken');
    await h.poster.runOnce();
    const [row] = await db.sql<{ status: string }[]>`
      select status from slack_outbox where kind = 'post_card' and escalation_id = ${broken}`;
    expect(row?.status).toBe('sent');
    expect(await cardsWaiting(held)).toBeGreaterThan(0);
  });
});
