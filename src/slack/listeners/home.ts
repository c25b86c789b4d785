// App Home (an officer's open escalations) and `/rent <tenancy_ref>` (an ephemeral account summary;
// `/rent <tenancy_ref> claim-pending` or `claim-cleared` marks a benefit claim pending, docs/rules.md#benefit-claim-pending).
// Both are for officers only; anyone else sees a short explanation and nothing about any tenant.
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { setBenefitClaimPending } from '../../accounts/benefit-claim.js';
import { accountSummary } from '../../accounts/summary.js';
import { tenancyProtocol } from '../../casework/protocol.js';
import { readWorklist } from '../../casework/worklist.js';
import { caseworkSummaryBlocks } from '../blocks/casework.js';
import { CASEWORK_RENT_USAGE, caseworkCommand } from './casework.js';
import { localDateOf } from '../../rent/schedule.js';
import { buildAccountSummary, buildHomeView, type HomeItem } from '../blocks/home.js';
import { REFUSAL_TEXT, logRefusal } from '../officers.js';
import { RENT_HOLD_USAGE, parseRentHoldAction, runRentHoldAction } from './holds.js';
import type { SlackDeps } from './shared.js';
import { rentStats } from './stats.js';

/** Escalations waiting for an officer, marked with whether they are on this officer's patch. */
async function openEscalationsFor(deps: Pick<SlackDeps, 'sql'>, userId: string): Promise<HomeItem[]> {
  const rows = await deps.sql<
    {
      id: number;
      tenancy_ref: string;
      first_name: string | null;
      reason: string;
      urgency: 'normal' | 'urgent';
      created_at: Date;
      own: boolean;
      slack_channel: string | null;
      slack_ts: string | null;
    }[]
  >`
    select e.id::int as id, e.tenancy_ref, t.first_name, e.reason, e.urgency, e.created_at, coalesce(y.officer_slack_id = ${userId}, false) as own,
      e.slack_channel, e.slack_ts
    from escalations e
    left join tenants t on t.tenancy_ref = e.tenancy_ref and t.tenant_no = e.tenant_no
    left join tenancies y on y.tenancy_ref = e.tenancy_ref
    where e.status = 'pending'
    order by own desc, e.created_at, e.id
    limit 500`;
  return rows.map((r) => ({
    escalationId: r.id,
    tenancyRef: r.tenancy_ref,
    firstName: r.first_name ?? 'Tenant',
    reason: r.reason,
    urgency: r.urgency,
    createdAt: r.created_at,
    ownPatch: r.own,
    channel: r.slack_channel,
    ts: r.slack_ts,
  }));
}

const RENT_USAGE =
  'Usage: `/rent <tenancy_ref>` for the account, for example `/rent DH-000123`; add `claim-pending` when the tenant has ' +
  'given everything their HB or UC claim needs (no notice will be recommended meanwhile), or `claim-cleared` when it is decided. ' +
  '`/rent stats [from] [to]` shows the income KPIs (dates as YYYY-MM-DD; this financial year by default). ' +
  CASEWORK_RENT_USAGE +
  ' ' +
  `Holds: ${RENT_HOLD_USAGE}.`;

/** `/rent <ref> <action>`: whether the action marks the benefit claim pending or clears the mark. */
const CLAIM_ACTIONS = { 'claim-pending': true, 'claim-cleared': false } as const;

export function registerHomeListeners(bolt: App, deps: SlackDeps): void {
  bolt.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await deps.afterAck(async () => {
      const isOfficer = await deps.officers.isOfficer(event.user);
      const items = isOfficer ? await openEscalationsFor(deps, event.user) : [];
      const worklist = isOfficer
        ? await readWorklist(deps, { now: deps.clock.now(), officerSlackId: event.user, limit: 15 })
        : null;
      await client.views.publish({
        user_id: event.user,
        view: buildHomeView(items, { now: deps.clock.now(), timeZone: deps.timeZone, isOfficer, worklist }),
      });
    });
  });

  bolt.command('/rent', async ({ ack, command, respond }) => {
    await ack();
    await deps.afterAck(() => rentCommand(deps, command, respond));
  });
}

async function rentCommand(deps: SlackDeps, command: SlashCommand, respond: RespondFn): Promise<void> {
  if (!(await deps.officers.isOfficer(command.user_id))) {
    logRefusal(deps.logger, { userId: command.user_id, action: 'rent_command' });
    await respond({ response_type: 'ephemeral', text: REFUSAL_TEXT });
    return;
  }
  if (await caseworkCommand(deps, command, respond)) return;
  const [ref = '', action, ...extra] = command.text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  if (ref.toLowerCase() === 'stats')
    return rentStats(
      deps,
      [action, ...extra].filter((w) => w !== undefined),
      respond,
    );
  const hold = action === undefined ? null : parseRentHoldAction([action, ...extra]);
  if (typeof hold === 'string') {
    await respond({ response_type: 'ephemeral', text: hold });
    return;
  }
  if (
    ref === '' ||
    (hold === null && ((action !== undefined && !Object.hasOwn(CLAIM_ACTIONS, action)) || extra.length > 0))
  ) {
    await respond({ response_type: 'ephemeral', text: RENT_USAGE });
    return;
  }
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  const summaryOf = async () =>
    (await accountSummary(deps.sql, ref, { today, policy: deps.policy })) ??
    (await accountSummary(deps.sql, ref.toUpperCase(), { today, policy: deps.policy }));
  let summary = await summaryOf();
  if (!summary) {
    await respond({
      response_type: 'ephemeral',
      text: `No tenancy \`${ref.replace(/[<>&`]/g, '')}\` in Rentline. Check the reference on the housing system.`,
    });
    return;
  }
  // Changing a case takes what a card button takes: a listed officer, or this tenancy's patch officer.
  if (action !== undefined && !(await deps.officers.isOfficer(command.user_id, summary.tenancy_ref))) {
    logRefusal(deps.logger, { userId: command.user_id, action: `rent_${action}` });
    await respond({ response_type: 'ephemeral', text: REFUSAL_TEXT });
    return;
  }
  if (hold !== null) {
    const done = await runRentHoldAction(deps, summary.tenancy_ref, hold, command.user_id);
    await respond({ response_type: 'ephemeral', text: done });
    return;
  }
  if (action !== undefined) {
    const pending = CLAIM_ACTIONS[action as keyof typeof CLAIM_ACTIONS];
    const change = await setBenefitClaimPending(deps.sql, {
      tenancyRef: summary.tenancy_ref,
      pending,
      officer: command.user_id,
      now: deps.clock.now(),
    });
    deps.logger.info({ change, officer: command.user_id }, 'benefit claim mark (the tenancy is in the contact log)');
    summary = (await summaryOf()) ?? summary;
  }
  const [lead] = await deps.sql<
    { first_name: string }[]
  >`select first_name from tenants where tenancy_ref = ${summary.tenancy_ref} order by tenant_no limit 1`;
  const message = buildAccountSummary(summary, lead?.first_name ?? null);
  const protocol = await tenancyProtocol(deps.sql, summary.tenancy_ref, {
    now: deps.clock.now(),
    policy: deps.policy,
    timeZone: deps.timeZone,
  });
  message.blocks.push(...caseworkSummaryBlocks(summary.legal, protocol));
  await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
}
