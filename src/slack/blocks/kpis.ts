// The KPIs as a Slack message: `/rent stats` (ephemeral) and the weekly digest in the escalation channel.
// Pure; the rows are the same ones the CLI prints (kpis/index.ts kpiRows), so the two never disagree.
import type { types as slackTypes } from '@slack/bolt';
import { headlinePercents, kpiRows, type Kpis } from '../../kpis/index.js';
import { escapeSlack } from './format.js';

type Block = slackTypes.KnownBlock;

/** A KPI message as posted (and as the weekly digest queues it in slack_outbox's payload). */
export interface KpiMessage {
  text: string;
  blocks: Block[];
}

export function buildKpiMessage(k: Kpis, title: string): KpiMessage {
  const rows = kpiRows(k).filter(([key]) => key !== 'from' && key !== 'to');
  const lines = rows.map(([, label, value]) => `*${escapeSlack(label)}*: ${escapeSlack(String(value))}`);
  // A section holds at most 3,000 characters: the rows go in a few sections.
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 10) chunks.push(lines.slice(i, i + 10).join('\n'));
  const heading = `${title}: ${k.from} to ${k.to}`;
  const pct = headlinePercents(k);
  return {
    text: `${heading}. Collection rate ${pct.collection}, arrears ${pct.arrearsOfDebit} of the debit, ${k.tenancies_in_arrears} tenancies in arrears.`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: heading.slice(0, 150) } },
      ...chunks.map((text): Block => ({ type: 'section', text: { type: 'mrkdwn', text } })),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Rent account only; financial year 1 April to 31 March. `rentline kpis --csv` for a spreadsheet.',
          },
        ],
      },
    ],
  };
}
