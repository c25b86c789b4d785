// Two replicas of the service on one database, end to end over HTTP: each listens on its own port and
// runs its own dispatcher, Slack card poster and scheduler. Both run the daily job for the same moment
// (their schedulers, and two `run daily --at` runs besides); one tenant's texts arrive at both, some at
// the same instant and one delivered twice (a Twilio retry landing on the other replica); two officers
// click Accept on the card at once, each through a different replica. At the msw-faked Twilio and Slack
// and in the database: every inbound text stored once, every text and reminder sent exactly once, in
// order, one decision, the other officer told it was already made, and the conversation exactly what the
// same texts give one at a time through a single replica.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/run-job.js';
import { fixedClock } from '../support/clock.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { useTestDatabase } from '../support/database.js';
import { useVendorMock } from '../support/msw-slack.js';
import { insertTenantInArrears } from '../support/service.js';
import { insertTenancy, post, weeklyCharges } from '../jobs/support.js';
import { OFFICER, OTHER_OFFICER, startReplica, type Replica } from './replica.js';

const db = await useTestDatabase();
const vendors = useVendorMock({ loopback: true });
/** Saturday 9 May 2026, 10:00 in London: the daily job's time. */
const clock = fixedClock('2026-05-09T09:00:00Z');
let a: Replica;
let b: Replica;
let dueToday: { refs: string[]; mobiles: string[] };

/** Polls until `check` gives something (not null/false), or fails saying what it waited for. */
async function until<T>(what: string, check: () => Promise<T | null | false | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== null && value !== false && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Nothing left to send, to Twilio or to Slack. */
async function quiet(): Promise<boolean> {
  const [row] = await db.sql<{ texts: number; slack: number }[]>`
    select (select count(*) from messages where direction = 'outbound' and status in ('queued', 'sending'))::int as texts,
           (select count(*) from slack_outbox where status in ('queued', 'sending'))::int as slack`;
  return row?.texts === 0 && row.slack === 0;
}

/** Quiet, and still quiet a moment later (a duplicate would have had time to go out). */
async function settled(): Promise<void> {
  await until('every text and card to be sent', quiet);
  await new Promise((r) => setTimeout(r, 700));
  await Promise.all([a.slack.idle(), b.slack.idle()]);
  await until('every text and card to be sent', quiet);
}

/** Three tenancies due a text on Saturday 9 May: a reminder, a missed-payment text (joint: two tenants), a nudge. */
async function tenanciesDueATextOnSaturday(): Promise<{ refs: string[]; mobiles: string[] }> {
  const refs = ['RR-REMIND', 'RR-ARREARS', 'RR-NUDGE'];
  const mobiles: string[] = [];
  mobiles.push(...(await insertTenancy(db.sql, { ref: 'RR-REMIND', wantsReminders: true })).mobiles);
  await weeklyCharges(db.sql, 'RR-REMIND', '2026-04-06', '2026-05-04', 10_000);
  for (const d of ['2026-04-06', '2026-04-13', '2026-04-20', '2026-04-27', '2026-05-04'])
    await post(db.sql, 'RR-REMIND', d, 'payment', -10_000);
  mobiles.push(...(await insertTenancy(db.sql, { ref: 'RR-ARREARS', tenants: 2 })).mobiles);
  await weeklyCharges(db.sql, 'RR-ARREARS', '2026-04-06', '2026-05-04', 10_000);
  mobiles.push(...(await insertTenancy(db.sql, { ref: 'RR-NUDGE' })).mobiles);
  await post(db.sql, 'RR-NUDGE', '2026-04-01', 'charge', 5000, 'Old arrears');
  await db.sql`
    insert into arrangements (tenancy_ref, tenant_no, amount_pence, frequency, start_date, status, start_arrears_pence, created_at, updated_at)
    values ('RR-NUDGE', 1, 1000, 'weekly', '2026-05-10', 'active', 5000, '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z')`;
  return { refs, mobiles };
}

beforeAll(async () => {
  // The tenancies are there before the replicas start: each scheduler's catch-up finds today's daily run due.
  dueToday = await tenanciesDueATextOnSaturday();
  a = await startReplica(db.url, 'replica-a', clock);
  b = await startReplica(db.url, 'replica-b', clock);
  // Whichever replica claimed the catch-up run finishes it before any test moves the clock on.
  await until('the schedulers to catch up on 10:00 today', async () => {
    const [row] = await db.sql<{ open: number; done: number }[]>`
      select count(*) filter (where status in ('pending', 'running'))::int as open,
             count(*) filter (where job = 'daily' and status = 'done')::int as done from job_runs`;
    return row?.open === 0 && row.done > 0;
  });
}, 60_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe('two replicas on one database', () => {
  it('runs the daily job once and sends each of its texts once, with both schedulers and two --at runs at the same moment', async () => {
    // Both schedulers caught up on 10:00 today; two operators also run `rentline run daily --at` on each.
    await Promise.all([runJob(a.jobDeps, 'daily', clock.now()), runJob(b.jobDeps, 'daily', clock.now())]);
    const runs = await db.sql<{ job: string; status: string; attempts: number }[]>`
      select job, status, attempts from job_runs where job = 'daily' and scheduled_for = '2026-05-09T09:00:00Z'`;
    expect(runs).toEqual([{ job: 'daily', status: 'done', attempts: 1 }]);
    await settled();

    const outbound = await db.sql<{ tenancy_ref: string; tenant_no: number; purpose: string; status: string }[]>`
      select tenancy_ref, tenant_no, purpose, status from messages
      where direction = 'outbound' and tenancy_ref = any(${dueToday.refs}::text[]) order by tenancy_ref, tenant_no`;
    expect(outbound.map((m) => `${m.tenancy_ref}/${m.tenant_no}:${m.purpose}:${m.status}`)).toEqual([
      'RR-ARREARS/1:arrears:sent',
      'RR-ARREARS/2:arrears:sent',
      'RR-NUDGE/1:arrangement:sent',
      'RR-REMIND/1:reminder:sent',
    ]);
    const texted = vendors.texts.filter((t) => dueToday.mobiles.includes(t.to)).map((t) => t.to);
    expect(texted.sort()).toEqual([...dueToday.mobiles].sort());

    // The reminders job again on both, for the same moment: everyone due a text has had it; nothing more goes.
    await Promise.all([runJob(a.jobDeps, 'reminders', clock.now()), runJob(b.jobDeps, 'reminders', clock.now())]);
    await settled();
    expect(vendors.texts.filter((t) => dueToday.mobiles.includes(t.to))).toHaveLength(4);
  });

  it("keeps one tenant's conversation whole across both replicas, and one officer decision from two clicks at once", async () => {
    clock.set('2026-11-24T10:00:00Z'); // Tuesday, 10:00 in London
    const tenant = { ref: 'RR-TENANT', mobile: '+447700900871' };
    const twin = { ref: 'RR-TWIN', mobile: '+447700900872' };
    await insertTenantInArrears(db.sql, tenant.ref, tenant.mobile);
    await insertTenantInArrears(db.sql, twin.ref, twin.mobile);
    const sid = (n: number) => `SM${'e2e'.padEnd(29, '0')}${String(n).padStart(3, '0')}`;

    // The first text reaches A, and Twilio's retry of it reaches B at the same moment.
    expect(
      await Promise.all([
        a.text(tenant.mobile, 'Hi, I got a letter about my rent', sid(1)),
        b.text(tenant.mobile, 'Hi, I got a letter about my rent', sid(1)),
      ]),
    ).toEqual([200, 200]);
    // The tenant sends the date of birth twice in a hurry: one reaches each replica at the same instant.
    expect(
      await Promise.all([b.text(tenant.mobile, '12/03/1985', sid(2)), a.text(tenant.mobile, '12/03/1985', sid(3))]),
    ).toEqual([200, 200]);
    // And the offer twice, again one to each replica at once; then yes.
    expect(
      await Promise.all([
        a.text(tenant.mobile, 'I can pay £15 a week from Friday', sid(4)),
        b.text(tenant.mobile, 'I can pay £15 a week from Friday', sid(5)),
      ]),
    ).toEqual([200, 200]);
    expect(await b.text(tenant.mobile, 'yes', sid(7))).toBe(200);

    const inbound = await db.sql<{ twilio_sid: string; body: string }[]>`
      select twilio_sid, body from messages where direction = 'inbound' and from_address = ${tenant.mobile} order by id`;
    expect(inbound.map((m) => m.twilio_sid).sort()).toEqual([1, 2, 3, 4, 5, 7].map(sid));

    // The same texts, in the order the replicas took them, one at a time through one replica.
    for (const [i, m] of inbound.entries()) expect(await a.text(twin.mobile, m.body, sid(100 + i))).toBe(200);
    await settled();

    const conversationOf = async (ref: string, mobile: string) => {
      const replies = await db.sql<{ body: string; status: string }[]>`
        select body, status from messages where direction = 'outbound' and tenancy_ref = ${ref} order by id`;
      const [conversation] = await db.sql<{ status: string; session: unknown }[]>`
        select status, session from conversations where tenancy_ref = ${ref} order by id desc limit 1`;
      return {
        replies: replies.map((r) => `${r.status}: ${r.body.replaceAll(ref, '<ref>')}`),
        atTwilio: vendors.texts.filter((t) => t.to === mobile).map((t) => `sent: ${t.body.replaceAll(ref, '<ref>')}`),
        conversation: JSON.parse(JSON.stringify(conversation).replaceAll(ref, '<ref>')) as unknown,
      };
    };
    const across = await conversationOf(tenant.ref, tenant.mobile);
    const alone = await conversationOf(twin.ref, twin.mobile);
    expect(across.replies.length).toBeGreaterThanOrEqual(4);
    // Every reply sent, once each, in the order queued; and exactly what one replica alone would have said.
    expect(across.atTwilio).toEqual(across.replies);
    expect(across).toEqual(alone);

    // The offer's card is posted once, by whichever poster claimed it.
    const [offer] = await db.sql<{ id: number; slack_ts: string }[]>`
      select id::int as id, slack_ts from escalations where tenancy_ref = ${tenant.ref} and reason = 'offer'`;
    expect(offer?.slack_ts).toBeTruthy();
    const id = offer?.id as number;
    const ts = offer?.slack_ts as string;
    const cardPosts = (escalationId: number) =>
      vendors
        .calls('chat.postMessage')
        .filter(
          (c) =>
            (c.metadata as { event_payload?: { escalation_id?: number } } | undefined)?.event_payload?.escalation_id ===
            escalationId,
        );
    expect(cardPosts(id)).toHaveLength(1);

    // Two officers click Accept at once, one through each replica.
    vendors.reset();
    expect(
      await Promise.all([a.click(ACTIONS.accept, id, OFFICER, ts), b.click(ACTIONS.accept, id, OTHER_OFFICER, ts)]),
    ).toEqual([200, 200]);
    await until('both clicks to be answered', async () => {
      await Promise.all([a.slack.idle(), b.slack.idle()]);
      return vendors.calls('chat.postEphemeral').length > 0;
    });
    await settled();
    const [decided] = await db.sql<{ status: string; decided_by: string; arrangement: string }[]>`
      select e.status, e.decided_by, a.status as arrangement from escalations e join arrangements a on a.id = e.arrangement_id
      where e.id = ${id}`;
    expect(decided?.status).toBe('accepted');
    const winner = decided?.decided_by as string;
    const loser = winner === OFFICER ? OTHER_OFFICER : OFFICER;
    const [decisions] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from contact_log where escalation_id = ${id} and event = 'officer_accepted'`;
    expect(decisions?.n).toBe(1);
    expect(vendors.calls('chat.postEphemeral')).toEqual([
      expect.objectContaining({ user: loser, text: `Already accepted by <@${winner}> at 10:00. Nothing was changed.` }),
    ]);
    expect(
      vendors.calls('chat.update').some((u) => JSON.stringify(u.blocks).includes(`Accepted by <@${winner}>`)),
    ).toBe(true);
    const news = vendors.texts.filter((t) => t.to === tenant.mobile);
    expect(news).toHaveLength(1);
    expect(news[0]?.body).toContain('news about the plan you offered');

    // The tenant confirms who they are, through the other replica from the one they last used: plan agreed, once.
    vendors.reset();
    expect(await a.text(tenant.mobile, '12/03/1985', sid(6))).toBe(200);
    await settled();
    expect(vendors.texts.filter((t) => t.to === tenant.mobile).map((t) => t.body)).toEqual([
      expect.stringContaining('your plan is agreed. £15.00 a week from Fri 27 Nov'),
    ]);
    const arrangements = await db.sql<{ status: string }[]>`
      select status from arrangements where tenancy_ref = ${tenant.ref}`;
    expect(arrangements).toEqual([{ status: 'active' }]);
    // The tenant's text joined the card's thread once; no card was posted twice.
    const mirrored = vendors.calls('chat.postMessage').filter((c) => c.thread_ts === ts);
    expect(mirrored).toHaveLength(1);
    expect(cardPosts(id)).toHaveLength(0);

    // Nothing anywhere sent twice or given up: every outbox row of the run went out once.
    const [left] = await db.sql<{ failed_texts: number; failed_cards: number; dupes: number }[]>`
      select (select count(*) from messages where direction = 'outbound' and status <> 'sent')::int as failed_texts,
             (select count(*) from slack_outbox where status <> 'sent')::int as failed_cards,
             (select count(*) from (select twilio_sid from messages where direction = 'inbound' group by twilio_sid having count(*) > 1) d)::int as dupes`;
    expect(left).toEqual({ failed_texts: 0, failed_cards: 0, dupes: 0 });
  }, 90_000);
});
