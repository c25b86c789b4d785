// The officer's casework end to end on a real database: the daily job fills the worklist, events refresh
// it through their dirty marks, officers log contact and legal stages through the API, and the checklist
// and the account summary follow.
import { beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/run-job.js';
import { fixedClock } from '../support/clock.js';
import { bearer, testApp } from '../support/app.js';
import { useTestDatabase } from '../support/database.js';
import { insertTenancy, jobDeps, post, weeklyCharges } from '../jobs/support.js';

const db = await useTestDatabase();
const NOW = '2026-11-25T10:00:00Z';
const { app } = testApp(db.sql, { now: NOW });
const clock = fixedClock(NOW);

interface Item {
  tenancy_ref: string;
  tenant_no: number;
  patch: string | null;
  action: string;
  reason: string;
  priority: number;
  since: string;
}

async function worklist(query = ''): Promise<{ items: Item[]; total: number; counts: Record<string, number> }> {
  const res = await app.request(`/api/worklist${query}`, { headers: bearer() });
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Item[]; total: number; counts: Record<string, number> };
}

/** Weekly £100 rent every Monday from 7 Sep; paid up to 28 Sep, nothing since: 8 weeks behind by 23 Nov. */
async function inArrears(ref: string, patch: string, tenure = 'secure', tenants = 1): Promise<void> {
  await insertTenancy(db.sql, { ref, startDate: '2026-09-07', tenants });
  await db.sql`update tenancies set patch = ${patch}, tenure = ${tenure} where tenancy_ref = ${ref}`;
  const dates = await weeklyCharges(db.sql, ref, '2026-09-07', '2026-11-23', 10_000);
  for (const d of dates.filter((x) => x <= '2026-09-28')) await post(db.sql, ref, d, 'payment', -10_000, 'Card');
}

beforeAll(async () => {
  await inArrears('CW-VULN', 'north');
  await db.sql`update tenants set vulnerable = true where tenancy_ref = 'CW-VULN'`;
  await inArrears('CW-DNC', 'south');
  await db.sql`update tenants set do_not_contact = true where tenancy_ref = 'CW-DNC'`;
  await inArrears('CW-TEXT', 'north');
  await inArrears('CW-ASSURED', 'south', 'assured', 2);
  await runJob(jobDeps(db.sql), 'daily', clock.now());
});

describe('the worklist', () => {
  it('lists held accounts in arrears for a person to contact, and leaves automated cases to the texts', async () => {
    const view = await worklist();
    expect(view.items.map((i) => [i.tenancy_ref, i.action])).toEqual(
      expect.arrayContaining([
        ['CW-VULN', 'make_early_contact'],
        ['CW-DNC', 'make_early_contact'],
      ]),
    );
    expect(view.items.find((i) => i.tenancy_ref === 'CW-TEXT')).toBeUndefined();
    const vulnerable = view.items.find((i) => i.tenancy_ref === 'CW-VULN');
    // The daily job raised a held_contact task (a card) for it: a task due, above the arrears ladder.
    expect(vulnerable).toMatchObject({ tenant_no: 1, patch: 'north', priority: 3 });
    expect(vulnerable?.reason).toMatch(/Held from automated contact while in arrears/);
  });

  it('filters by patch', async () => {
    const view = await worklist('?patch=south');
    expect(view.items.every((i) => i.patch === 'south')).toBe(true);
    expect(view.items.map((i) => i.tenancy_ref)).toContain('CW-DNC');
  });

  it('puts a crisis hand-off first as soon as it is raised, and takes it off once settled', async () => {
    const [esc] = await db.sql<{ id: number }[]>`
      insert into escalations (tenancy_ref, tenant_no, reason, urgency, summary, created_at, updated_at)
      values ('CW-TEXT', 1, 'crisis', 'urgent', 'crisis words', ${clock.now()}, ${clock.now()}) returning id::int as id`;
    const view = await worklist();
    expect(view.items[0]).toMatchObject({ tenancy_ref: 'CW-TEXT', action: 'respond_to_crisis', priority: 1 });
    // Closing the hand-off is not enough: an open crisis holds the tenancy until an officer resolves it.
    await db.sql`update escalations set status = 'closed', decided_by = 'U1', decided_at = ${clock.now()}, updated_at = ${clock.now()} where id = ${esc?.id ?? 0}`;
    expect((await worklist()).items.find((i) => i.tenancy_ref === 'CW-TEXT')).toMatchObject({
      action: 'resolve_crisis',
    });
    const resolved = await app.request('/api/tenancies/CW-TEXT/crisis/resolve', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ note: 'spoke to tenant, safe', officer: 'Priya' }),
    });
    expect(resolved.status).toBe(200);
    expect((await worklist()).items.find((i) => i.tenancy_ref === 'CW-TEXT')).toBeUndefined();
  });

  it('refreshes only what changed for a view: tenancies nobody touched keep their row untouched', async () => {
    const [before] = await db.sql<
      { refreshed_at: Date }[]
    >`select refreshed_at from worklist where tenancy_ref = 'CW-DNC'`;
    await worklist();
    const [after] = await db.sql<
      { refreshed_at: Date }[]
    >`select refreshed_at from worklist where tenancy_ref = 'CW-DNC'`;
    expect(after?.refreshed_at).toEqual(before?.refreshed_at);
    expect((await db.sql`select * from worklist_dirty`).length).toBe(0);
  });

  it('clears a mark once refreshed, even one stamped with microseconds', async () => {
    await db.sql`insert into worklist_dirty (tenancy_ref, marked_at) values ('CW-DNC', '2026-11-25 09:59:59.123456+00')`;
    await worklist();
    expect(await db.sql`select tenancy_ref, marked_at::text from worklist_dirty`).toEqual([]);
  });
});

describe('officer-logged contact', () => {
  it('logs a call into the contact log, and the early contact takes the held account off the worklist', async () => {
    const res = await app.request('/api/tenancies/CW-VULN/contacts', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({
        kind: 'call',
        outcome: 'spoke to tenant',
        note: 'will pay Friday',
        cause: 'hours cut at work',
        vulnerability: 'support worker involved',
        officer: 'Priya',
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { contact_log_id: number };
    const [line] = await db.sql<{ event: string; actor: string; tenant_no: number; detail: Record<string, string> }[]>`
      select event, actor, tenant_no, detail from contact_log where id = ${body.contact_log_id}`;
    expect(line).toMatchObject({
      event: 'contact_call',
      actor: 'officer:api:Priya',
      tenant_no: 1,
      detail: { outcome: 'spoke to tenant', note: 'will pay Friday', cause: 'hours cut at work' },
    });
    expect((await worklist()).items.find((i) => i.tenancy_ref === 'CW-VULN')).toBeUndefined();
  });

  it('refuses a contact without an officer, or for a tenant the tenancy does not have, saying what to do', async () => {
    const noOfficer = await app.request('/api/tenancies/CW-VULN/contacts', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ kind: 'visit' }),
    });
    expect(noOfficer.status).toBe(422);
    const noTenant = await app.request('/api/tenancies/CW-VULN/contacts', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ kind: 'visit', tenant_no: 3, officer: 'Priya' }),
    });
    expect(noTenant.status).toBe(422);
    expect(((await noTenant.json()) as { error: { message: string } }).error.message).toMatch(/its tenants are 1/);
  });
});

describe('the pre-action checklist', () => {
  it('shows what the contact log proves: the call counts for early contact, the cause and the vulnerability review', async () => {
    const res = await app.request('/api/tenancies/CW-VULN/protocol', { headers: bearer() });
    expect(res.status).toBe(200);
    const protocol = (await res.json()) as {
      tenancy_ref: string;
      ready_for_notice: boolean;
      reason: string;
      items: { key: string; status: string; evidence: { event: string }[] }[];
    };
    const status = Object.fromEntries(protocol.items.map((i) => [i.key, i.status]));
    expect(status).toMatchObject({
      early_contact: 'met',
      cause_discussed: 'met',
      vulnerability_considered: 'met',
      affordability_assessed: 'not_met',
      rent_statement_sent: 'not_met',
      no_breathing_space: 'met',
      no_benefit_claim_pending: 'met',
      no_kept_arrangement: 'met',
    });
    expect(protocol.items.find((i) => i.key === 'early_contact')?.evidence.map((e) => e.event)).toEqual([
      'contact_call',
    ]);
    expect(protocol.ready_for_notice).toBe(false);
    expect(protocol.reason).toMatch(/affordability_assessed/);
  });

  it('counts a delivered text naming free debt advice, per named tenant', async () => {
    const res = await app.request('/api/tenancies/CW-ASSURED/protocol', { headers: bearer() });
    const protocol = (await res.json()) as { items: { key: string; status: string }[] };
    // The daily job's first texts went to both joint tenants but were not sent yet (no dispatcher ran).
    expect(protocol.items.find((i) => i.key === 'early_contact')?.status).toBe('not_met');
  });
});

describe('the legal stage', () => {
  it('records a NOSP on a secure weekly tenancy with its earliest proceedings date and lapse date, on the account summary', async () => {
    const res = await app.request('/api/tenancies/CW-TEXT/legal', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ stage: 'notice-served', date: '2026-11-24', officer: 'Priya' }),
    });
    expect(res.status).toBe(201);
    // Served Tue 24 Nov: four weeks on is Tue 22 Dec; the rent period (Monday to Sunday) ends Sun 27 Dec.
    const summary = (await (await app.request('/api/tenancies/CW-TEXT', { headers: bearer() })).json()) as {
      legal: unknown;
      next_action: { action: string; reason: string };
    };
    expect(summary.legal).toMatchObject({
      stage: 'notice_served',
      notice: 'nosp',
      served_on: '2026-11-24',
      earliest_proceedings_date: '2026-12-27',
      expires_on: '2027-12-27',
    });
    expect(summary.next_action.action).toBe('officer_call');
    expect(summary.next_action.reason).toMatch(/cannot begin before 27 Dec 2026/);
    const [line] = await db.sql<
      { actor: string }[]
    >`select actor from contact_log where tenancy_ref = 'CW-TEXT' and event = 'legal_notice_served'`;
    expect(line?.actor).toBe('officer:api:Priya');
  });

  it('names a section 8 notice for an assured tenancy', async () => {
    await app.request('/api/tenancies/CW-ASSURED/legal', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ stage: 'notice_served', date: '2026-11-24', officer: 'Priya' }),
    });
    const summary = (await (await app.request('/api/tenancies/CW-ASSURED', { headers: bearer() })).json()) as {
      legal: unknown;
    };
    expect(summary.legal).toMatchObject({
      notice: 'section_8',
      earliest_proceedings_date: '2026-12-22',
      expires_on: '2027-11-24',
    });
  });

  it('refuses a suspended order without terms, and a date in the future', async () => {
    const noTerms = await app.request('/api/tenancies/CW-TEXT/legal', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ stage: 'order_suspended', date: '2026-11-24', officer: 'Priya' }),
    });
    expect(noTerms.status).toBe(422);
    expect(((await noTerms.json()) as { error: { message: string } }).error.message).toMatch(/needs its terms/);
    const future = await app.request('/api/tenancies/CW-TEXT/legal', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ stage: 'hearing', date: '2027-01-05', officer: 'Priya' }),
    });
    expect(future.status).toBe(422);
  });

  it('watches a suspended order like an arrangement: unpaid terms break it and officers are told', async () => {
    const res = await app.request('/api/tenancies/CW-DNC/legal', {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({
        stage: 'order_suspended',
        date: '2026-10-26',
        amount: '5.00',
        frequency: 'weekly',
        start: '2026-11-02',
        officer: 'Priya',
      }),
    });
    expect(res.status).toBe(201);
    // Nothing paid since: the £5 instalment of 2 Nov (and the rent) went unpaid past the 5-day tolerance.
    await runJob(jobDeps(db.sql), 'daily', clock.now());
    const [order] = await db.sql<
      { order_status: string }[]
    >`select order_status from legal_stages where tenancy_ref = 'CW-DNC' order by id desc limit 1`;
    expect(order?.order_status).toBe('broken');
    const [esc] = await db.sql<
      { reason: string; status: string }[]
    >`select reason, status from escalations where tenancy_ref = 'CW-DNC' and reason = 'suspended_order_breached'`;
    expect(esc).toEqual({ reason: 'suspended_order_breached', status: 'pending' });
    const item = (await worklist()).items.find((i) => i.tenancy_ref === 'CW-DNC');
    expect(item).toMatchObject({ action: 'review_order_breach', priority: 2 });
    const summary = (await (await app.request('/api/tenancies/CW-DNC', { headers: bearer() })).json()) as {
      legal: { order: unknown };
      next_action: { action: string };
    };
    expect(summary.legal.order).toEqual({
      amount_pence: 500,
      frequency: 'weekly',
      start_date: '2026-11-02',
      status: 'broken',
    });
    expect(summary.next_action.action).toBe('consider_warrant');
  });
});
