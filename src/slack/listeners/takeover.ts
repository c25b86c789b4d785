// Take over, Hand back, View account, and officers' replies in a card's thread. A reply in the thread is
// texted to the tenant in the officer's words and pauses the script (the conversation is taken over);
// Hand back resumes automation. Every step is in the contact log and re-renders the card.
import type { App, BlockAction, ButtonAction, OverflowAction, types as slackTypes, webApi } from '@slack/bolt';
import { accountSummary } from '../../accounts/summary.js';
import { tenantFirstName } from '../../db/queries/tenants.js';
import { localDateOf } from '../../rent/schedule.js';
import { slackToPlainText } from '../blocks/format.js';
import { buildAccountSummary } from '../blocks/home.js';
import type { EscalationCardRow } from '../card-model.js';
import { findCardRow } from '../card-model.js';
import { ACTIONS } from '../ids.js';
import { REFUSAL_TEXT, logRefusal } from '../officers.js';
import { handBack, takeOver, textTenantAsOfficer, type TakeoverCase } from '../../cases/takeover.js';
import { caseForOfficer, clickOf, tellUser, type Click, type SlackDeps } from './shared.js';

/** Takeovers belong to the first card of a thread (the one the conversation hangs off). */
async function rootCase(deps: SlackDeps, row: EscalationCardRow): Promise<TakeoverCase> {
  const root = row.slack_thread_of === null ? row : ((await findCardRow(deps.sql, row.slack_thread_of)) ?? row);
  return { escalationId: root.id, tenancyRef: root.tenancy_ref, tenantNo: root.tenant_no };
}

async function takeOverFromSlack(deps: SlackDeps, client: webApi.WebClient, click: Click): Promise<void> {
  const row = await caseForOfficer(deps, client, click, 'take_over');
  if (!row) return;
  const c = await rootCase(deps, row);
  const result = await deps.sql.begin((tx) => takeOver(tx, deps.flows, c, click.userId, deps.clock.now()));
  if (result.outcome === 'already') {
    await tellUser(
      deps,
      client,
      click,
      result.officerId === click.userId
        ? 'You have already taken this case over.'
        : `Already taken over by <@${result.officerId}>. Nothing was changed.`,
    );
    return;
  }
  await tellUser(
    deps,
    client,
    click,
    "You have taken over: the script is paused for this tenant. Reply in the card's thread and Rentline texts your words to them. Click Hand back when you are done.",
  );
}

async function viewAccount(deps: SlackDeps, client: webApi.WebClient, click: Click): Promise<void> {
  const row = await caseForOfficer(deps, client, click, 'view_account');
  if (!row) return;
  const summary = await accountSummary(deps.sql, row.tenancy_ref, {
    today: localDateOf(deps.clock.now(), deps.timeZone),
    policy: deps.policy,
  });
  if (!summary) {
    await tellUser(deps, client, click, `No tenancy ${row.tenancy_ref} in Rentline.`);
    return;
  }
  const message = buildAccountSummary(summary, await tenantFirstName(deps.sql, row.tenancy_ref, row.tenant_no));
  await tellUser(deps, client, click, message.text, message.blocks);
}

export function registerTakeoverListeners(bolt: App, deps: SlackDeps): void {
  bolt.action<BlockAction<ButtonAction>>(ACTIONS.takeOver, async ({ ack, body, action, client }) => {
    await ack();
    await deps.afterAck(() => takeOverFromSlack(deps, client, clickOf(body, action.value)));
  });

  bolt.action<BlockAction<OverflowAction>>(ACTIONS.more, async ({ ack, body, action, client }) => {
    await ack();
    const value = action.selected_option.value;
    const click = clickOf(body, value);
    if (value.startsWith('take_over:')) await deps.afterAck(() => takeOverFromSlack(deps, client, click));
    else if (value.startsWith('view_account:')) await deps.afterAck(() => viewAccount(deps, client, click));
  });

  bolt.action<BlockAction<ButtonAction>>(ACTIONS.handBack, async ({ ack, body, action, client }) => {
    await ack();
    await deps.afterAck(() => handBackFromSlack(deps, client, clickOf(body, action.value)));
  });

  bolt.event('message', async ({ event, client }) => {
    await deps.afterAck(() => threadReply(deps, client, event));
  });
}

async function handBackFromSlack(deps: SlackDeps, client: webApi.WebClient, click: Click): Promise<void> {
  const row = await caseForOfficer(deps, client, click, 'hand_back');
  if (!row) return;
  const c = await rootCase(deps, row);
  const result = await deps.sql.begin((tx) => handBack(tx, c, click.userId, deps.clock.now()));
  await tellUser(
    deps,
    client,
    click,
    result.outcome === 'handed_back'
      ? "Handed back: Rentline's script answers this tenant again."
      : 'This case is not taken over. Nothing was changed.',
  );
}

async function threadReply(deps: SlackDeps, client: webApi.WebClient, m: slackTypes.MessageEvent): Promise<void> {
  // Only people's own new messages in a thread; our own posts (bot_id) and edits (subtype) are skipped.
  if (m.subtype || !m.thread_ts || m.thread_ts === m.ts || m.bot_id || !m.user || !m.text) return;
  const [root] = await deps.sql<{ id: number }[]>`
    select id::int as id from escalations where slack_channel = ${m.channel} and slack_ts = ${m.thread_ts} and slack_thread_of is null`;
  if (!root) return;
  const row = await findCardRow(deps.sql, root.id);
  if (!row) return;
  const where = { userId: m.user, channel: m.channel, threadTs: m.thread_ts };
  if (!(await deps.officers.isOfficer(m.user, row.tenancy_ref))) {
    logRefusal(deps.logger, { userId: m.user, action: 'thread_reply', escalationId: row.id });
    await tellUser(deps, client, where, `${REFUSAL_TEXT} Your message was not texted to the tenant.`);
    return;
  }
  const plain = slackToPlainText(m.text);
  // "!send …": the officer has read the rule's warning and sends anyway.
  const confirmed = /^!send\b/i.test(plain);
  const text = confirmed ? plain.replace(/^!send\b\s*/i, '') : plain;
  if (text === '') return;
  const c = { escalationId: row.id, tenancyRef: row.tenancy_ref, tenantNo: row.tenant_no };
  const rule = { policy: deps.policy, timeZone: deps.timeZone, confirmed };
  const result = await deps.sql.begin((tx) =>
    textTenantAsOfficer(tx, deps.flows, c, m.user as string, text, deps.clock.now(), rule),
  );
  if (result.outcome === 'not_textable')
    await tellUser(
      deps,
      client,
      where,
      'This tenant has no textable mobile, so your message was not sent. Please call or write instead.',
    );
  if (result.outcome === 'blocked')
    await tellUser(
      deps,
      client,
      where,
      `Not sent: ${result.reason === 'opted_out' ? 'the tenant has opted out of texts on this channel' : result.reason === 'do_not_contact' ? 'the tenant is flagged do-not-contact' : result.reason.replace(/_/g, ' ')}. Please call or write instead.`,
    );
  if (result.outcome === 'warning')
    await tellUser(
      deps,
      client,
      where,
      `Not sent yet. ${result.warning} To send it anyway, post it again starting with \`!send\`.`,
    );
  deps.logger.info(
    { source: 'slack', escalationId: row.id, outcome: result.outcome },
    'officer replied in a card thread',
  );
}
