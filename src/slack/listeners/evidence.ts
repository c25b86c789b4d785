// "Evidence pack" on a card: the pack for the card's tenancy, as a PDF uploaded into the card's thread
// (files.uploadV2), so the case discussion and its evidence sit together. Officers only; anyone else is
// told why and nothing is uploaded.
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import { loadEvidencePack } from '../../evidence/pack.js';
import { evidencePackPdf } from '../../evidence/pdf.js';
import { evidenceSources } from '../../evidence/sources.js';
import { localDateOf } from '../../rent/schedule.js';
import { findCardRow } from '../card-model.js';
import { ACTIONS } from '../ids.js';
import { caseForOfficer, clickOf, tellUser, type Click, type SlackDeps } from './shared.js';

async function uploadEvidencePack(deps: SlackDeps, client: webApi.WebClient, click: Click): Promise<void> {
  const row = await caseForOfficer(deps, client, click, 'evidence_pack');
  if (!row) return;
  const root = row.slack_thread_of === null ? row : ((await findCardRow(deps.sql, row.slack_thread_of)) ?? row);
  const channel = root.slack_channel ?? click.channel;
  const threadTs = root.slack_ts ?? click.messageTs;
  if (!channel || !threadTs) {
    await tellUser(
      deps,
      client,
      click,
      'This card is not in a channel Rentline knows, so there is no thread to put the pack in. Use `rentline evidence-pack` instead.',
    );
    return;
  }
  const now = deps.clock.now();
  const pack = await loadEvidencePack(deps.sql, row.tenancy_ref, {
    today: localDateOf(now, deps.timeZone),
    now,
    policy: deps.policy,
    timeZone: deps.timeZone,
    sources: evidenceSources,
  });
  if (!pack) {
    await tellUser(deps, client, click, `No tenancy ${row.tenancy_ref} in Rentline.`);
    return;
  }
  const pdf = await evidencePackPdf(pack, { timeZone: deps.timeZone });
  const filename = `evidence-pack-${pack.tenancy_ref.replace(/[^A-Za-z0-9_-]/g, '_')}-${pack.as_of}.pdf`;
  await client.files.uploadV2({
    channel_id: channel,
    thread_ts: threadTs,
    file: pdf,
    filename,
    title: `Evidence pack ${pack.tenancy_ref} as at ${pack.as_of}`,
    initial_comment: `Evidence pack for ${pack.tenancy_ref}, asked for by <@${click.userId}>: ${pack.statement.lines.length} statement lines, ${pack.timeline.length} contact-log lines.`,
  });
}

export function registerEvidenceListeners(bolt: App, deps: SlackDeps): void {
  bolt.action<BlockAction<ButtonAction>>(ACTIONS.evidencePack, async ({ ack, body, action, client }) => {
    await ack();
    await deps.afterAck(() => uploadEvidencePack(deps, client, clickOf(body, action.value)));
  });
}
