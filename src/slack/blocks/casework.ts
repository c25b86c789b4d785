// Block Kit for the officer's casework (pure): the worklist (App Home and `/rent worklist`), the legal
// stage and the compact pre-action checklist line shown with an account and on escalation cards.
import type { types as slackTypes } from '@slack/bolt';
import type { LegalSummary } from '../../casework/legal-stage.js';
import type { WorklistEntry, WorklistView } from '../../casework/worklist.js';
import { formatDay } from '../../rent/calendar-date.js';
import { NOTICE_WORDS } from '../../rent/legal.js';
import type { ProtocolChecklist } from '../../rent/protocol.js';
import { escapeSlack, money, truncate } from './format.js';

type Block = slackTypes.KnownBlock;

const PRIORITY_WORDS: Record<number, string> = {
  1: ':rotating_light: Urgent',
  2: ':warning: Overdue',
  3: ':date: Due',
  4: ':chart_with_downwards_trend: Arrears',
};

function actionWords(action: string): string {
  return action.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());
}

function countsLine(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([action, n]) => `${actionWords(action)}: ${n}`);
  return parts.length > 0 ? parts.join(' · ') : 'Nothing needs a person.';
}

function itemLine(i: WorklistEntry): string {
  return truncate(
    `${PRIORITY_WORDS[i.priority] ?? ''} *${escapeSlack(i.tenancy_ref)}* (tenant ${i.tenant_no}${i.patch ? `, ${escapeSlack(i.patch)}` : ''}) · *${actionWords(i.action)}*\n${escapeSlack(i.reason)}`,
    3000,
  );
}

/** The worklist: counts per action (own patch and everyone's), then the items, own patch first. */
export function worklistBlocks(
  view: WorklistView & { ownCounts?: Record<string, number> },
  options: { max: number; title?: string },
): Block[] {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: options.title ?? 'Worklist' } }];
  const fields = [
    { type: 'mrkdwn' as const, text: truncate(`*All patches* (${view.total})\n${countsLine(view.counts)}`, 2000) },
  ];
  if (view.ownCounts) {
    const own = Object.values(view.ownCounts).reduce((a, b) => a + b, 0);
    fields.unshift({ type: 'mrkdwn', text: truncate(`*Your patch* (${own})\n${countsLine(view.ownCounts)}`, 2000) });
  }
  blocks.push({ type: 'section', fields });
  for (const i of view.items.slice(0, options.max))
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: itemLine(i) } });
  const more = view.total - Math.min(view.items.length, options.max);
  if (more > 0)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${more} more: \`npm run rentline -- worklist\` lists them all.` }],
    });
  return blocks;
}

export function buildWorklistMessage(view: WorklistView & { ownCounts?: Record<string, number> }): {
  text: string;
  blocks: Block[];
} {
  return { text: `Worklist: ${view.total} case(s) need a person`, blocks: worklistBlocks(view, { max: 20 }) };
}

/** "NOSP served 24 Nov 2026; proceedings from 27 Dec 2026; lapses 27 Dec 2027" */
export function legalLine(legal: LegalSummary | null): string | null {
  if (!legal) return null;
  const notice = legal.notice ? NOTICE_WORDS[legal.notice] : 'notice';
  const parts = [`${actionWords(legal.stage)} on ${formatDay(legal.stage_date)}`];
  if (legal.served_on) parts.push(`${notice} served ${formatDay(legal.served_on)}`);
  if (legal.earliest_proceedings_date) parts.push(`proceedings from ${formatDay(legal.earliest_proceedings_date)}`);
  if (legal.expires_on) parts.push(`lapses after ${formatDay(legal.expires_on)}`);
  if (legal.order)
    parts.push(
      `order terms: rent + ${money(legal.order.amount_pence)} ${legal.order.frequency.replace('_', '-')} from ${formatDay(legal.order.start_date)} (${legal.order.status})`,
    );
  return parts.join('; ');
}

/** One line: how many protocol steps are evidenced, which are not, and whether a notice could be considered. */
export function protocolLine(protocol: ProtocolChecklist): string {
  const applicable = protocol.items.filter((i) => i.status !== 'not_applicable');
  const met = applicable.filter((i) => i.status === 'met');
  const missing = applicable.filter((i) => i.status === 'not_met').map((i) => i.key.replaceAll('_', ' '));
  const ready = protocol.ready_for_notice
    ? ':white_check_mark: ready for a notice (a person decides)'
    : 'not ready for a notice';
  return `*Pre-action protocol:* ${met.length} of ${applicable.length} met · ${ready}${missing.length > 0 ? ` · missing: ${missing.join(', ')}` : ''}`;
}

/** The account's legal stage and checklist, as blocks to follow the account summary. */
export function caseworkSummaryBlocks(legal: LegalSummary | null, protocol: ProtocolChecklist | null): Block[] {
  const blocks: Block[] = [];
  const line = legalLine(legal);
  if (line)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*Legal stage:* ${escapeSlack(line)}`, 3000) },
    });
  if (protocol)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(protocolLine(protocol), 3000) }] });
  return blocks;
}

/** The full checklist, item by item with its evidence. */
export function buildProtocolMessage(ref: string, protocol: ProtocolChecklist): { text: string; blocks: Block[] } {
  const icon = { met: ':white_check_mark:', not_met: ':x:', not_applicable: ':heavy_minus_sign:' } as const;
  const lines = protocol.items.map((i) => {
    const evidence = i.evidence.map((e) => `#${e.contact_log_id} ${e.at.slice(0, 10)}`).join(', ');
    return `${icon[i.status]} *${i.key.replaceAll('_', ' ')}*: ${escapeSlack(i.note)}${evidence ? ` (${evidence})` : ''}`;
  });
  return {
    text: `${ref}: ${protocol.ready_for_notice ? 'ready' : 'not ready'} for a notice`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*${escapeSlack(ref)}: pre-action checklist*\n${escapeSlack(protocol.reason)}`, 3000),
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
    ],
  };
}
