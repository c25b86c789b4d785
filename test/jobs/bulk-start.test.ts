// The daily job starts conversations in sets (conversations/bulk-start.ts). Twin tenancies, alike but for
// their reference and number, are started one through startConversation and one through
// startConversations; every row written (conversation, outbox message, contact log, timer) must match.
import { beforeAll, describe, expect, it } from 'vitest';
import { startConversations, type BulkStartRequest } from '../../src/conversations/bulk-start.js';
import { startConversation, type StartResult } from '../../src/conversations/start.js';
import { sweepAccounts } from '../../src/jobs/account-sweep.js';
import { localDateOf } from '../../src/rent/schedule.js';
import { useTestDatabase } from '../support/database.js';
import { insertTenancy, jobDeps, post, TIME_ZONE, weeklyCharges } from './support.js';

const db = await useTestDatabase();
const now = new Date('2026-05-09T09:00:00Z');
const deps = jobDeps(db.sql);

type Start = Omit<BulkStartRequest, 'tenancyRef' | 'tenantNo' | 'figures'> & { name: string };
const STARTS: Start[] = [
  { name: 'ARREARS', flowId: 'missed_payment', purpose: 'arrears' },
  { name: 'WHATSAPP', flowId: 'missed_payment', purpose: 'arrears' },
  { name: 'REMINDER', flowId: 'rent_reminder', purpose: 'reminder' },
  { name: 'NUDGE', flowId: 'arrangement_nudge', purpose: 'arrangement', vars: { instalment_due: '2026-05-10' } },
  { name: 'NOPHONE', flowId: 'missed_payment', purpose: 'arrears' },
  { name: 'BUSY', flowId: 'missed_payment', purpose: 'arrears' },
];

async function twin(ref: string, name: string): Promise<void> {
  await insertTenancy(db.sql, { ref, tenants: name === 'ARREARS' ? 2 : 1 });
  await weeklyCharges(db.sql, ref, '2026-01-05', '2026-05-04', 10_000);
  await post(db.sql, ref, '2026-01-05', 'payment', -50_000, 'Card payment');
  if (name === 'WHATSAPP') await db.sql`update tenants set channel = 'whatsapp' where tenancy_ref = ${ref}`;
  if (name === 'NOPHONE') await db.sql`update tenants set mobile_e164 = null where tenancy_ref = ${ref}`;
  if (name === 'BUSY') {
    await db.sql`
      insert into conversations (tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, started_at, updated_at, purpose)
      values (${ref}, 1, 'tenant_initiated', 'x', 'sms', 'active', '{}'::jsonb, ${now}, ${now}, 'reply')`;
  }
}

/** Everything the starts wrote for one side, with the twin's reference, numbers and ids made comparable. */
async function written(side: 'ONE' | 'BULK'): Promise<unknown> {
  const refs = STARTS.map((s) => `${s.name}-${side}`);
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(`-${side}`, '-TWIN')) as unknown;
  const conversations = await db.sql`
    select id::int as id, tenancy_ref, tenant_no, flow_id, flow_version, channel, status, session, taken_over_by, started_at, updated_at, ended_at, purpose
    from conversations where tenancy_ref = any(${refs}) and flow_id <> 'tenant_initiated' order by tenancy_ref, tenant_no`;
  const ids = conversations.map((c) => c.id as number);
  const messages = await db.sql`
    select m.id::int as id, m.direction, m.tenancy_ref, m.tenant_no, c.tenancy_ref as conversation_of, m.channel, m.body, m.purpose,
      m.template_key, m.template_variables, m.status, m.not_before, m.attempts, m.created_at, m.updated_at, m.to_address = t.mobile_e164 as to_tenant
    from messages m join conversations c on c.id = m.conversation_id join tenants t on t.tenancy_ref = m.tenancy_ref and t.tenant_no = m.tenant_no
    where m.conversation_id = any(${ids}) order by m.tenancy_ref, m.tenant_no, m.id`;
  const log = await db.sql`
    select l.at, l.tenancy_ref, l.tenant_no, l.event, l.actor, l.channel, l.detail, m.body as message_body
    from contact_log l left join messages m on m.id = l.message_id
    where l.tenancy_ref = any(${refs}) order by l.tenancy_ref, l.tenant_no, l.id`;
  const timers = await db.sql`
    select split_part(timer_id, ':', 1) = conversation_id::text as prefixed, substr(timer_id, position(':' in timer_id) + 1) as engine_id,
      c.tenancy_ref, c.tenant_no, fire_at, fired_at
    from conversation_timers x join conversations c on c.id = x.conversation_id
    where x.conversation_id = any(${ids}) order by c.tenancy_ref, c.tenant_no`;
  return plain({
    conversations: conversations.map(({ id: _id, ...c }) => c),
    messages: messages.map(({ id: _id, ...m }) => m),
    log,
    timers,
  });
}

const single: StartResult[] = [];
let bulk: StartResult[] = [];

beforeAll(async () => {
  for (const side of ['ONE', 'BULK']) for (const s of STARTS) await twin(`${s.name}-${side}`, s.name);
  const tenantsOf = (s: Start) => (s.name === 'ARREARS' ? [1, 2] : [1]);
  await db.sql.begin(async (tx) => {
    for (const s of STARTS) {
      for (const tenantNo of tenantsOf(s)) {
        const { name: _name, ...request } = s;
        single.push(await startConversation(tx, deps, { ...request, tenancyRef: `${s.name}-ONE`, tenantNo, now }));
      }
    }
  });
  // Half the bulk starts carry the sweep's figures (as the daily job passes them), half read the ledger.
  const figures = new Map<string, { balancePence: number; arrearsPence: number }>();
  await sweepAccounts(
    db.sql,
    { today: localDateOf(now, TIME_ZONE), policy: deps.policy, refs: STARTS.map((s) => `${s.name}-BULK`) },
    (batch) => {
      for (const a of batch) figures.set(a.tenancyRef, { balancePence: a.balancePence, arrearsPence: a.arrearsPence });
    },
  );
  const requests: BulkStartRequest[] = STARTS.flatMap((s, i) =>
    tenantsOf(s).map((tenantNo) => {
      const { name: _name, ...request } = s;
      const tenancyRef = `${s.name}-BULK`;
      const known = figures.get(tenancyRef);
      return { ...request, tenancyRef, tenantNo, ...(i % 2 === 0 && known ? { figures: known } : {}) };
    }),
  );
  bulk = await db.sql.begin((tx) => startConversations(tx, deps, requests, now));
});

describe('starting conversations in bulk', () => {
  it('starts the same tenants and skips the same ones, for the same reasons', () => {
    const shape = (r: StartResult) => (r.started ? { started: true, messages: r.messageIds.length } : r);
    expect(bulk.map(shape)).toEqual(single.map(shape));
    expect(single.map(shape)).toEqual([
      { started: true, messages: 1 },
      { started: true, messages: 1 },
      { started: true, messages: 1 },
      { started: true, messages: 1 },
      { started: true, messages: 1 },
      { started: false, reason: 'not_textable' },
      { started: false, reason: 'conversation_open' },
    ]);
  });

  it('writes the same conversations, outbox messages, contact-log lines and timers as startConversation', async () => {
    const one = await written('ONE');
    expect(await written('BULK')).toEqual(one);
    const { messages, log, timers } = one as {
      messages: { status: string; to_tenant: boolean }[];
      log: { event: string }[];
      timers: { prefixed: boolean }[];
    };
    expect(messages.length).toBe(5);
    expect(messages.every((m) => m.status === 'queued' && m.to_tenant)).toBe(true);
    expect(log.filter((l) => l.event === 'message_queued')).toHaveLength(5);
    expect(timers.length).toBeGreaterThan(0);
    expect(timers.every((t) => t.prefixed)).toBe(true);
  });

  it('wakes the dispatcher with a NOTIFY on rentline_outbox when its batch commits', async () => {
    const heard: string[] = [];
    const listener = await db.sql.listen('rentline_outbox', (payload) => heard.push(payload));
    await insertTenancy(db.sql, { ref: 'NOTIFY-BULK' });
    await weeklyCharges(db.sql, 'NOTIFY-BULK', '2026-01-05', '2026-05-04', 10_000);
    await db.sql.begin((tx) =>
      startConversations(
        tx,
        deps,
        [{ tenancyRef: 'NOTIFY-BULK', tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears' }],
        now,
      ),
    );
    await expect.poll(() => heard.length).toBeGreaterThan(0);
    await listener.unlisten();
  });
});
