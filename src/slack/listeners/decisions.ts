// Accept, Counter and Refer on an escalation card. Each acknowledges Slack first; the decision itself is
// decideInTransaction's single conditional UPDATE, so two clicks at once make one decision and the loser is
// told "already accepted by @name". The card re-render is queued by a trigger in the same transaction.
import type { App, BlockAction, ButtonAction, ViewSubmitAction, webApi } from '@slack/bolt';
import { decideInTransaction, type OfficerDecision } from '../../cases/decisions.js';
import { localDateOf } from '../../rent/schedule.js';
import {
  counterModal,
  decodeMetadata,
  loadingModal,
  noticeModal,
  referModal,
  validateCounter,
  validateRefer,
} from '../blocks/modals.js';
import { findCardRow } from '../card-model.js';
import { continueDeclinedPlan } from '../../db/queries/escalations.js';
import { ACTIONS, VIEWS } from '../ids.js';
import { REFUSAL_TEXT, logRefusal } from '../officers.js';
import { accountSummary } from '../../accounts/summary.js';
import { queueCardUpdate } from '../../cases/takeover.js';
import { tenantFirstName } from '../../db/queries/tenants.js';
import {
  alreadyDecidedText,
  caseForOfficer,
  clickOf,
  clickOfSubmission,
  metadataOf,
  tellUser,
  type Click,
  type SlackDeps,
} from './shared.js';

/** Runs one officer decision and tells the officer if someone else got there first. */
async function decideFromSlack(
  deps: SlackDeps,
  client: webApi.WebClient,
  click: Click,
  decision: OfficerDecision,
): Promise<void> {
  const escalationId = click.escalationId;
  if (escalationId === null) return;
  const result = await deps.sql.begin(async (tx) => {
    if (decision.kind === 'counter') {
      // Countering a plain "no" continues the plan the tenant declined, so their "yes" can make it active.
      await continueDeclinedPlan(tx, escalationId);
    }
    return decideInTransaction(
      tx,
      { flows: deps.flows, policy: deps.policy, clock: deps.clock, timeZone: deps.timeZone },
      { escalationId, officerId: click.userId, officerName: click.userName, decision },
    );
  });
  deps.logger.info(
    { source: 'slack', escalationId: click.escalationId, decision: decision.kind, outcome: result.outcome },
    'officer decision',
  );
  if (result.outcome === 'not_found') {
    await tellUser(deps, client, click, 'That case no longer exists in Rentline. Nothing was changed.');
  } else if (result.outcome === 'already_decided') {
    // The clicked card may be stale (settled elsewhere): render it again so no live button stays.
    const id = result.escalation.id;
    await deps.sql.begin((tx) => queueCardUpdate(tx, id, deps.clock.now()));
    await tellUser(deps, client, click, alreadyDecidedText(result.escalation, deps.timeZone));
  }
}

/** Opens the modal at once (trigger ids last 3 seconds), then fills it in or explains why not. */
async function openModal(
  deps: SlackDeps,
  client: webApi.WebClient,
  click: Click,
  triggerId: string,
  spec: {
    callbackId: string;
    title: string;
    action: string;
    build: (
      row: NonNullable<Awaited<ReturnType<typeof findCardRow>>>,
    ) => Promise<Parameters<webApi.WebClient['views']['update']>[0]['view']>;
  },
): Promise<void> {
  const opened = await client.views.open({
    trigger_id: triggerId,
    view: loadingModal(spec.callbackId, spec.title, metadataOf(click)),
  });
  const viewId = opened.view?.id;
  if (!viewId) return;
  const update = (view: Parameters<webApi.WebClient['views']['update']>[0]['view']) =>
    client.views.update({ view_id: viewId, ...(opened.view?.hash ? { hash: opened.view.hash } : {}), view });
  await deps.afterAck(() => fillModal(deps, click, spec, update));
}

async function fillModal(
  deps: SlackDeps,
  click: Click,
  spec: Parameters<typeof openModal>[4],
  update: (view: Parameters<webApi.WebClient['views']['update']>[0]['view']) => Promise<unknown>,
): Promise<void> {
  const row = click.escalationId === null ? null : await findCardRow(deps.sql, click.escalationId);
  if (!row) {
    await update(noticeModal(spec.callbackId, spec.title, 'That case no longer exists in Rentline.'));
    return;
  }
  if (!(await deps.officers.isOfficer(click.userId, row.tenancy_ref))) {
    logRefusal(deps.logger, { userId: click.userId, action: spec.action, escalationId: row.id });
    await update(noticeModal(spec.callbackId, spec.title, REFUSAL_TEXT));
    return;
  }
  if (row.status !== 'pending') {
    await update(noticeModal(spec.callbackId, spec.title, alreadyDecidedText(row, deps.timeZone)));
    return;
  }
  await update(await spec.build(row));
}

export function registerDecisionListeners(bolt: App, deps: SlackDeps): void {
  bolt.action<BlockAction<ButtonAction>>(ACTIONS.accept, async ({ ack, body, action, client }) => {
    await ack();
    const click = clickOf(body, action.value);
    await deps.afterAck(async () => {
      if (!(await caseForOfficer(deps, client, click, 'accept'))) return;
      await decideFromSlack(deps, client, click, { kind: 'accept' });
    });
  });

  bolt.action<BlockAction<ButtonAction>>(ACTIONS.counter, async ({ ack, body, action, client }) => {
    await ack();
    const click = clickOf(body, action.value);
    await openModal(deps, client, click, body.trigger_id, {
      callbackId: VIEWS.counter,
      title: 'Counter-offer',
      action: 'counter',
      build: async (row) => {
        const today = localDateOf(deps.clock.now(), deps.timeZone);
        const [summary, firstName, [arrangement]] = await Promise.all([
          accountSummary(deps.sql, row.tenancy_ref, { today, policy: deps.policy }),
          tenantFirstName(deps.sql, row.tenancy_ref, row.tenant_no),
          row.arrangement_id === null
            ? []
            : deps.sql<
                { amount_pence: number; frequency: 'weekly'; start_date: string }[]
              >`select amount_pence, frequency, start_date from arrangements where id = ${row.arrangement_id}`,
        ]);
        return counterModal(
          {
            firstName: firstName ?? 'Tenant',
            tenancyRef: row.tenancy_ref,
            arrearsPence: summary?.arrears_pence ?? 0,
            tenantOffer: arrangement
              ? {
                  amountPence: arrangement.amount_pence,
                  frequency: arrangement.frequency,
                  startDate: arrangement.start_date,
                }
              : null,
            minWeeklyPence: deps.policy.offers.min_weekly_pence,
            maxWeeks: deps.policy.offers.max_weeks,
            today,
          },
          metadataOf(click),
        );
      },
    });
  });

  bolt.action<BlockAction<ButtonAction>>(ACTIONS.refer, async ({ ack, body, action, client }) => {
    await ack();
    const click = clickOf(body, action.value);
    await openModal(deps, client, click, body.trigger_id, {
      callbackId: VIEWS.refer,
      title: 'Refer to debt advice',
      action: 'refer',
      build: async (row) => {
        const firstName = await tenantFirstName(deps.sql, row.tenancy_ref, row.tenant_no);
        return referModal(
          {
            firstName: firstName ?? 'Tenant',
            tenancyRef: row.tenancy_ref,
            agencies: deps.policy.referral.agencies,
            pauseDays: deps.policy.referral.pause_days,
          },
          metadataOf(click),
        );
      },
    });
  });

  onModalSubmit(bolt, deps, VIEWS.counter, 'counter', (values) => {
    const checked = validateCounter(values, localDateOf(deps.clock.now(), deps.timeZone));
    return checked.ok ? { ok: true, decision: { kind: 'counter', offer: checked.offer } } : checked;
  });
  onModalSubmit(bolt, deps, VIEWS.refer, 'refer', (values) => {
    const checked = validateRefer(values, deps.policy.referral.agencies);
    return checked.ok
      ? { ok: true, decision: { kind: 'refer', agencyId: checked.agencyId, note: checked.note } }
      : checked;
  });
}

type ModalValues = Parameters<typeof validateCounter>[0];

/**
 * A decision modal submitted: invalid input is answered with inline errors (`response_action: errors`) and
 * nothing else happens; valid input is acked at once, then decided for an officer after the ack.
 */
function onModalSubmit(
  bolt: App,
  deps: SlackDeps,
  callbackId: string,
  action: 'counter' | 'refer',
  validate: (
    values: ModalValues,
  ) => { ok: true; decision: OfficerDecision } | { ok: false; errors: Record<string, string> },
): void {
  bolt.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, client }) => {
    const metadata = decodeMetadata(view.private_metadata);
    const checked = validate(view.state.values);
    if (!checked.ok) {
      await ack({ response_action: 'errors', errors: checked.errors });
      return;
    }
    await ack();
    if (!metadata) return;
    const click = clickOfSubmission(body.user, metadata);
    await deps.afterAck(async () => {
      if (!(await caseForOfficer(deps, client, click, action))) return;
      await decideFromSlack(deps, client, click, checked.decision);
    });
  });
}
