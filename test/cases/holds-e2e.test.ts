// Holds end to end: tenants' texts arrive as signed Twilio webhooks, the jobs run "as if at" a time, the
// dispatcher sends through the Twilio SDK (msw at the network edge records what Twilio received), and
// officers lift holds through the CLI and the API. Joint tenancies throughout: a hold is on the tenancy.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolveCrisis, setVulnerable } from '../../src/cases/holds.js';
import { runJob } from '../../src/jobs/run-job.js';
import { silentLogger } from '../../src/lib/logger.js';
import { bearer } from '../support/app.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
// Saturday 28 November 2026: rent falls due on Monday 30th, so 10:00 is reminder time (2 days before).
const SATURDAY_0950 = '2026-11-28T09:50:00Z';
const service = await testService(db.sql, { now: SATURDAY_0950, batching: false });
const twilio = useTwilioMock({ now: () => service.clock.now() });
const jobDeps = {
  sql: db.sql,
  flows: service.flows,
  policy: service.policy,
  timeZone: TIME_ZONE,
  logger: silentLogger(),
  dryRun: false,
  concurrency: 2,
};

let n = 0;
/** A joint tenancy £300 behind (weekly £100, due Mondays), two tenants each with their own mobile. */
async function jointTenancyInArrears(prefix: string): Promise<{ ref: string; lead: string; joint: string }> {
  n += 1;
  const ref = `${prefix}-${n}`;
  const lead = `+4477009${String(30_000 + n * 2).slice(-5)}`;
  const joint = `+4477009${String(30_001 + n * 2).slice(-5)}`;
  await insertTenantInArrears(db.sql, ref, lead);
  await db.sql`
    insert into tenants (tenancy_ref, tenant_no, first_name, last_name, mobile_raw, mobile_e164, date_of_birth, postcode)
    values (${ref}, 2, 'Alex', 'Jones', ${joint}, ${joint}, '1986-04-01', 'SW1A 1AA')`;
  return { ref, lead, joint };
}

const sentTo = (mobile: string) => twilio.accepted.filter((m) => m.to === mobile).map((m) => m.body);
const at = (iso: string) => {
  service.clock.set(iso);
  return new Date(iso);
};

async function skipsOf(ref: string, job: string): Promise<string[]> {
  const rows = await db.sql<
    { reason: string }[]
  >`select reason from job_decisions where tenancy_ref = ${ref} and job = ${job} and outcome = 'skipped' order by id`;
  return rows.map((r) => r.reason);
}

function rentline(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { ...env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', DEMO_SEED: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('a crisis holds the whole tenancy until an officer resolves it', () => {
  it('sends no reminder to either joint tenant while the crisis is open, not even after hand back, then resumes', async () => {
    const { ref, lead, joint } = await jointTenancyInArrears('CRISIS');
    at(SATURDAY_0950);
    expect((await service.text(lead, "I can't cope anymore, I want to end it all")).status).toBe(200);
    await service.dispatchAll();
    // The acknowledgement of the tenant's own words goes; nothing else.
    expect(sentTo(lead)).toHaveLength(1);
    const [crisis] = await db.sql<
      { id: number; status: string }[]
    >`select id::int as id, status from escalations where tenancy_ref = ${ref} and reason = 'crisis'`;
    expect(crisis?.status).toBe('pending');

    await runJob(jobDeps, 'reminders', at('2026-11-28T10:00:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toHaveLength(1);
    expect(sentTo(joint)).toEqual([]);
    expect(await skipsOf(ref, 'reminders')).toEqual(['crisis', 'crisis']);

    // An officer deals with the card (as Hand back does): the crisis hold stays until it is resolved.
    await db.sql`update escalations set status = 'closed', decided_by = 'UOFFICER1', decided_at = ${service.clock.now()}, updated_at = ${service.clock.now()} where id = ${crisis?.id ?? 0}`;
    await runJob(jobDeps, 'reminders', at('2026-11-28T10:05:00Z'));
    await service.dispatchAll();
    expect(sentTo(joint)).toEqual([]);
    // Each held reminder is evidence in the contact log, once per tenant and due date however often the job runs.
    const evidence =
      await db.sql`select tenant_no, detail->>'reason' as reason, detail->>'dueDate' as due from contact_log where tenancy_ref = ${ref} and event = 'contact_held' order by tenant_no`;
    expect(evidence).toEqual([
      { tenant_no: 1, reason: 'crisis', due: '2026-11-30' },
      { tenant_no: 2, reason: 'crisis', due: '2026-11-30' },
    ]);
    const summary = await service.app.request(`/api/tenancies/${ref}`, { headers: bearer() });
    expect(((await summary.json()) as { holds: unknown }).holds).toEqual([
      {
        kind: 'crisis',
        tenant_no: 1,
        since: '2026-11-28T09:50:00.000Z',
        reason: expect.stringContaining('until an officer resolves it'),
      },
    ]);

    // The officer resolves it from the CLI; the next run reminds both tenants.
    const cli = await rentline([
      'crisis',
      ref,
      'resolve',
      '--note',
      'Spoke to Sam; support in place',
      '--officer',
      'Priya Shah',
    ]);
    expect(cli).toMatchObject({ code: 0, output: expect.stringContaining('crisis resolved') });
    const [log] =
      await db.sql`select actor, detail->>'note' as note from contact_log where tenancy_ref = ${ref} and event = 'crisis_resolved'`;
    expect(log).toEqual({ actor: 'cli:Priya Shah', note: 'Spoke to Sam; support in place' });
    await runJob(jobDeps, 'reminders', at('2026-11-28T10:10:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toHaveLength(2);
    expect(sentTo(joint)).toHaveLength(1);
    expect(sentTo(joint)[0]).toMatch(/rent/i);
  }, 30_000);
});

describe("a joint tenant's Breathing Space", () => {
  it('stops the missed-payment text to the other tenant too, and tells an officer once', async () => {
    const { ref, lead, joint } = await jointTenancyInArrears('BSPACE');
    await db.sql`update tenants set breathing_space_start = '2026-11-20' where tenancy_ref = ${ref} and tenant_no = 1`;
    await runJob(jobDeps, 'missed-payments', at('2026-11-28T10:00:00Z'));
    await runJob(jobDeps, 'missed-payments', at('2026-11-30T10:00:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toEqual([]);
    expect(sentTo(joint)).toEqual([]);
    const tasks = await db.sql`select reason, status, summary from escalations where tenancy_ref = ${ref}`;
    expect(tasks).toEqual([
      {
        reason: 'held_contact',
        status: 'pending',
        summary: expect.stringContaining('tenant 1 in Breathing Space; tenant 2 in Breathing Space'),
      },
    ]);
    const held =
      await db.sql`select tenant_no, detail->>'reason' as reason from contact_log where tenancy_ref = ${ref} and event = 'contact_held' order by tenant_no`;
    expect(held).toEqual([
      { tenant_no: 1, reason: 'breathing_space' },
      { tenant_no: 2, reason: 'breathing_space' },
    ]);
  });
});

describe('a dispute by the joint tenant', () => {
  it('freezes texts to both tenants until an officer clears it; they resume at the next run, not before', async () => {
    const { ref, lead, joint } = await jointTenancyInArrears('DISPUTE');
    // Tenant 2 starts a conversation and says they have already paid.
    at(SATURDAY_0950);
    await service.text(joint, 'Hello');
    await service.text(joint, '01/04/1986');
    await service.text(joint, "I've already paid");
    await service.dispatchAll();
    const [escalation] = await db.sql`select reason, status from escalations where tenancy_ref = ${ref}`;
    expect(escalation).toEqual({ reason: 'already_paid', status: 'pending' });
    const before = { lead: sentTo(lead).length, joint: sentTo(joint).length };
    expect(before.lead).toBe(0);

    await runJob(jobDeps, 'reminders', at('2026-11-28T10:00:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toHaveLength(0);
    expect(await skipsOf(ref, 'reminders')).toEqual(['dispute', 'dispute']);

    // The officer clears it through the API; nothing is sent until the next job run.
    at('2026-11-28T10:20:00Z');
    const cleared = await service.app.request(`/api/tenancies/${ref}/dispute/clear`, {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ officer: 'Priya Shah', note: 'Payment found: it was for another month' }),
    });
    expect(cleared.status).toBe(200);
    expect(await cleared.json()).toEqual({ tenancy_ref: ref, outcome: 'changed', tenants: [2], holds: [] });
    await service.dispatchAll();
    expect(sentTo(lead)).toHaveLength(0);
    expect((await db.sql`select status from escalations where tenancy_ref = ${ref}`).map((r) => r.status)).toEqual([
      'closed',
    ]);

    await runJob(jobDeps, 'reminders', at('2026-11-28T10:30:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toHaveLength(1);
    expect(sentTo(joint)).toHaveLength(before.joint + 1);
    const [log] =
      await db.sql`select actor, detail->>'note' as note from contact_log where tenancy_ref = ${ref} and event = 'dispute_cleared'`;
    expect(log).toEqual({ actor: 'api:Priya Shah', note: 'Payment found: it was for another month' });
  }, 30_000);
});

describe('a vulnerable tenant in arrears', () => {
  it('gets nothing from Rentline; an officer is told with the reason; the joint tenant is texted', async () => {
    const { ref, lead, joint } = await jointTenancyInArrears('VULN');
    const change = await setVulnerable(db.sql, {
      tenancyRef: ref,
      tenantNo: 1,
      vulnerable: true,
      reviewOn: '2027-02-01',
      note: 'Recent bereavement',
      actor: 'cli:Priya Shah',
      now: at(SATURDAY_0950),
    });
    expect(change).toEqual({ outcome: 'changed', tenants: [1] });
    await runJob(jobDeps, 'missed-payments', at('2026-11-28T10:00:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toEqual([]);
    expect(sentTo(joint)).toHaveLength(1);
    const [task] = await db.sql`select reason, tenant_no, summary from escalations where tenancy_ref = ${ref}`;
    expect(task).toEqual({
      reason: 'held_contact',
      tenant_no: 1,
      summary: expect.stringContaining('tenant 1 marked vulnerable'),
    });
    const holds = (await (await service.app.request(`/api/tenancies/${ref}`, { headers: bearer() })).json()) as {
      holds: unknown;
    };
    expect(holds.holds).toEqual([
      {
        kind: 'vulnerable',
        tenant_no: 1,
        since: '2026-11-28T09:50:00.000Z',
        reason: expect.stringContaining('review 2027-02-01'),
      },
    ]);
    // A re-run the same episode raises no second task.
    await runJob(jobDeps, 'missed-payments', at('2026-11-30T10:00:00Z'));
    expect(
      await db.sql`select id from escalations where tenancy_ref = ${ref} and reason = 'held_contact'`,
    ).toHaveLength(1);
  });

  it('is treated afresh once the officer clears the mark', async () => {
    const { ref, lead } = await jointTenancyInArrears('VCLEAR');
    await setVulnerable(db.sql, {
      tenancyRef: ref,
      tenantNo: 1,
      vulnerable: true,
      reviewOn: null,
      note: null,
      actor: 'cli:Priya Shah',
      now: at(SATURDAY_0950),
    });
    await runJob(jobDeps, 'missed-payments', at('2026-11-28T10:00:00Z'));
    await service.dispatchAll();
    expect(sentTo(lead)).toEqual([]);
    await setVulnerable(db.sql, {
      tenancyRef: ref,
      tenantNo: null,
      vulnerable: false,
      reviewOn: null,
      note: 'Reviewed',
      actor: 'cli:Priya Shah',
      now: at('2026-11-28T11:00:00Z'),
    });
    await runJob(jobDeps, 'missed-payments', at('2026-11-30T10:00:00Z'));
    await service.dispatchAll();
    // Treated afresh: the missed-payment opener, which asks who they are before saying anything about money.
    expect(sentTo(lead)).toEqual([
      expect.stringMatching(/^Hi Sam, it's Demo Homes [\s\S]*reply with your date of birth/),
    ]);
  });
});

describe('officers marking vulnerability through the API', () => {
  it('marks tenant 2 with a review date and clears them, each logged with the officer', async () => {
    const { ref } = await jointTenancyInArrears('APIVULN');
    const post = (body: unknown) =>
      service.app.request(`/api/tenancies/${ref}/vulnerable`, {
        method: 'POST',
        headers: bearer(),
        body: JSON.stringify(body),
      });
    const marked = await post({
      action: 'set',
      tenant_no: 2,
      review_on: '2027-01-15',
      note: 'Hospital stay',
      officer: 'Priya Shah',
    });
    expect(await marked.json()).toEqual({
      tenancy_ref: ref,
      outcome: 'changed',
      tenants: [2],
      holds: [
        {
          kind: 'vulnerable',
          tenant_no: 2,
          since: expect.any(String),
          reason: expect.stringContaining('review 2027-01-15'),
        },
      ],
    });
    const cleared = await post({ action: 'clear', tenant_no: 2, officer: 'Priya Shah' });
    expect(await cleared.json()).toMatchObject({ outcome: 'changed', tenants: [2], holds: [] });
    const log =
      await db.sql`select tenant_no, event, actor from contact_log where tenancy_ref = ${ref} and event like 'vulnerability%' order by id`;
    expect(log).toEqual([
      { tenant_no: 2, event: 'vulnerability_marked', actor: 'api:Priya Shah' },
      { tenant_no: 2, event: 'vulnerability_cleared', actor: 'api:Priya Shah' },
    ]);
  });
});

describe('officers clearing holds: bad input', () => {
  it('answers the API with a clear error for a missing officer or action, and 404 for an unknown tenancy', async () => {
    const { ref } = await jointTenancyInArrears('APIERR');
    const post = (path: string, body: unknown) =>
      service.app.request(path, { method: 'POST', headers: bearer(), body: JSON.stringify(body) });
    const noOfficer = await post(`/api/tenancies/${ref}/crisis/resolve`, { note: 'x' });
    expect(noOfficer.status).toBe(422);
    expect(JSON.stringify(await noOfficer.json())).toContain('officer');
    expect((await post(`/api/tenancies/${ref}/vulnerable`, { officer: 'Sam', action: 'maybe' })).status).toBe(422);
    expect((await post('/api/tenancies/NOPE/dispute/clear', { officer: 'Sam' })).status).toBe(404);
    const unchanged = await post(`/api/tenancies/${ref}/crisis/resolve`, { officer: 'Sam' });
    expect(await unchanged.json()).toMatchObject({ outcome: 'unchanged' });
    expect(
      await resolveCrisis(db.sql, { tenancyRef: ref, actor: 'cli:Sam', note: null, now: service.clock.now() }),
    ).toEqual({ outcome: 'unchanged' });
  });

  it('refuses a CLI hold command without --officer, saying what to add', async () => {
    const result = await rentline(['dispute', 'DH-1', 'clear']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('--officer <name>');
  }, 20_000);
});

describe('a debt-advice referral', () => {
  it('shows as a referral_pause hold on the account, and no step is recommended until it ends', async () => {
    const { ref } = await jointTenancyInArrears('REFER');
    at(SATURDAY_0950);
    const summary = async () =>
      (await (await service.app.request(`/api/tenancies/${ref}`, { headers: bearer() })).json()) as {
        holds: { kind: string }[];
        next_action: { action: string; blocked_by: string | null };
      };
    expect((await summary()).next_action.action).toBe('first_text');
    await db.sql`update tenants set contact_paused_until = '2026-12-12T10:00:00Z', contact_pause_reason = 'debt_advice_referral' where tenancy_ref = ${ref}`;
    const paused = await summary();
    expect(paused.next_action).toMatchObject({ action: 'none', blocked_by: 'referral_pause' });
    expect(paused.holds.map((h) => h.kind)).toEqual(['referral_pause', 'referral_pause']);
  });
});
