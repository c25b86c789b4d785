// "Affordability check" on a card: a modal where the officer enters the tenant's monthly figures (from a
// call or visit) or has Rentline text the questions. A check entered here is recorded and logged like one
// by text, the card is re-rendered to show it beside the offer, and the result goes in the card's thread.
import type { App, BlockAction, ButtonAction, ViewSubmitAction, webApi } from '@slack/bolt';
import { findTenancy } from '../../accounts/queries.js';
import { recordAffordabilityCheck } from '../../affordability/store.js';
import { textAffordabilityCheck } from '../../affordability/start.js';
import { assessAffordability } from '../../rent/affordability.js';
import { formatPence } from '../../rent/money.js';
import { affordabilityModal, validateAffordabilityModal } from '../blocks/affordability-modal.js';
import { decodeMetadata, loadingModal, noticeModal } from '../blocks/modals.js';
import { findCardRow } from '../card-model.js';
import { ACTIONS, SLACK_OUTBOX_CHANNEL, VIEWS } from '../ids.js';
import {
  caseForOfficer,
  clickOf,
  clickOfSubmission,
  metadataOf,
  tellUser,
  type Click,
  type SlackDeps,
} from './shared.js';

const TITLE = 'Affordability check';

async function fillModal(
  deps: SlackDeps,
  click: Click,
  update: (view: ReturnType<typeof affordabilityModal>) => Promise<unknown>,
): Promise<void> {
  const row = click.escalationId === null ? null : await findCardRow(deps.sql, click.escalationId);
  if (!row)
    return void (await update(noticeModal(VIEWS.affordability, TITLE, 'That case no longer exists in Rentline.')));
  if (!(await deps.officers.isOfficer(click.userId, row.tenancy_ref)))
    return void (await update(
      noticeModal(VIEWS.affordability, TITLE, 'Only income officers can record an affordability check.'),
    ));
  const [tenant] = await deps.sql<{ first_name: string; textable: boolean }[]>`
    select first_name, (mobile_e164 is not null and channel <> 'none') as textable from tenants where tenancy_ref = ${row.tenancy_ref} and tenant_no = ${row.tenant_no}`;
  await update(
    affordabilityModal(
      {
        firstName: tenant?.first_name ?? 'the tenant',
        tenancyRef: row.tenancy_ref,
        textable: tenant?.textable ?? false,
      },
      { ...metadataOf(click), escalationId: row.id },
    ),
  );
}

async function saveCheck(
  deps: SlackDeps,
  client: webApi.WebClient,
  click: Click,
  result: ReturnType<typeof validateAffordabilityModal>,
): Promise<void> {
  if (!result.ok) return;
  const row = await caseForOfficer(deps, client, click, 'affordability');
  if (!row) return;
  const now = deps.clock.now();
  const officer = `officer:${click.userId}`;
  const where = {
    userId: click.userId,
    channel: row.slack_channel ?? click.channel,
    ...(row.slack_ts ? { threadTs: row.slack_ts } : {}),
  };
  if (result.how === 'text') {
    const started = await textAffordabilityCheck(deps, {
      tenancyRef: row.tenancy_ref,
      tenantNo: row.tenant_no,
      officer,
      now,
    });
    await tellUser(
      deps,
      client,
      where,
      started.started
        ? 'Rentline has texted the tenant the affordability questions; their answers will show on this card.'
        : started.reason === 'conversation_open'
          ? 'The tenant is in a conversation with Rentline now, so the questions were not sent. Try again when it ends, or enter the figures.'
          : 'The tenant cannot be texted, so the questions were not sent. Enter the figures from a call instead.',
    );
    return;
  }
  const tenancy = await findTenancy(deps.sql, row.tenancy_ref);
  const assessment = assessAffordability(result.answers, tenancy?.rent_frequency ?? 'weekly', deps.policy);
  await deps.sql.begin(async (tx) => {
    await recordAffordabilityCheck(tx, {
      tenancyRef: row.tenancy_ref,
      tenantNo: row.tenant_no,
      conversationId: null,
      assessedBy: officer,
      at: now,
      answers: result.answers,
      assessment,
    });
    // The card shows the latest check: re-render it (and every card of its thread root).
    await tx`insert into slack_outbox (kind, escalation_id, created_at) values ('update_card', ${row.id}, ${now})`;
    await tx`select pg_notify(${SLACK_OUTBOX_CHANNEL}, '')`;
  });
  const suggestion =
    assessment.suggestedInstalmentPence === null
      ? 'no instalment suggested: offer free debt advice and a call'
      : `suggests ${formatPence(assessment.suggestedInstalmentPence)} ${assessment.frequency.replace('_', '-')}`;
  await tellUser(
    deps,
    client,
    where,
    `Affordability check saved: surplus ${formatPence(assessment.surplusPence)} a month; ${suggestion}.`,
  );
}

export function registerAffordabilityListeners(bolt: App, deps: SlackDeps): void {
  bolt.action<BlockAction<ButtonAction>>(ACTIONS.affordability, async ({ ack, body, action, client }) => {
    await ack();
    const click = clickOf(body, action.value);
    const opened = await client.views.open({
      trigger_id: body.trigger_id,
      view: loadingModal(VIEWS.affordability, TITLE, metadataOf(click)),
    });
    const viewId = opened.view?.id;
    if (!viewId) return;
    await deps.afterAck(() =>
      fillModal(deps, click, (view) =>
        client.views.update({ view_id: viewId, ...(opened.view?.hash ? { hash: opened.view.hash } : {}), view }),
      ),
    );
  });

  bolt.view<ViewSubmitAction>(VIEWS.affordability, async ({ ack, body, view, client }) => {
    const result = validateAffordabilityModal(view.state.values);
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack();
    const metadata = decodeMetadata(view.private_metadata);
    if (!metadata) return;
    const click = clickOfSubmission(body.user, metadata);
    await deps.afterAck(() => saveCheck(deps, client, click, result));
  });
}
