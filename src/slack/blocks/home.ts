// App Home (an officer's open escalations: their own patch first, oldest first, with counts) and the
// ephemeral account summary behind `/rent <tenancy_ref>` and the card's "View account". Pure builders.
import type { types as slackTypes } from '@slack/bolt';
import type { AccountSummary } from '../../accounts/summary.js';
import type { WorklistView } from '../../casework/worklist.js';
import { worklistBlocks } from './casework.js';
import { FLAG_WORDS, REASON_WORDS, dayAndTime, escapeSlack, money, truncate } from './format.js';

type Block = slackTypes.KnownBlock;

export interface HomeItem {
  escalationId: number;
  tenancyRef: string;
  firstName: string;
  reason: string;
  urgency: 'normal' | 'urgent';
  createdAt: Date;
  ownPatch: boolean;
  channel: string | null;
  ts: string | null;
}

/** Slack's home tab holds at most 100 blocks; each item is one (the worklist above takes up to 20). */
const MAX_ITEMS = 60;
const MAX_WORKLIST_ITEMS = 15;

function sortHomeItems(items: HomeItem[]): HomeItem[] {
  return [...items].sort(
    (a, b) =>
      Number(b.ownPatch) - Number(a.ownPatch) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.escalationId - b.escalationId,
  );
}

function waitingFor(createdAt: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - createdAt.getTime()) / 3_600_000);
  if (hours < 1) return 'under an hour';
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.floor(hours / 24)} days`;
}

function itemBlock(item: HomeItem, now: Date, timeZone: string): Block {
  const urgent = item.urgency === 'urgent' ? ':rotating_light: *URGENT* ' : '';
  const what = REASON_WORDS[item.reason] ?? item.reason;
  const text = `${urgent}*${escapeSlack(item.tenancyRef)}* ${escapeSlack(item.firstName)} · ${escapeSlack(what)}\nRaised ${dayAndTime(item.createdAt, timeZone)}, waiting ${waitingFor(item.createdAt, now)}`;
  const link =
    item.channel && item.ts ? `https://slack.com/archives/${item.channel}/p${item.ts.replace('.', '')}` : null;
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text, 3000) },
    ...(link
      ? {
          accessory: {
            type: 'button',
            text: { type: 'plain_text', text: 'Open card' },
            url: link,
            action_id: `open_card_${item.escalationId}`,
          },
        }
      : {}),
  };
}

function counts(items: HomeItem[]): string {
  const urgent = items.filter((i) => i.urgency === 'urgent').length;
  return `${items.length} waiting${urgent > 0 ? ` (${urgent} urgent)` : ''}`;
}

export function buildHomeView(
  all: HomeItem[],
  options: { now: Date; timeZone: string; isOfficer: boolean; worklist?: WorklistView | null },
): slackTypes.HomeView {
  if (!options.isOfficer) {
    return {
      type: 'home',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Rentline shows open escalations to income officers only. Ask your income team lead to add you.',
          },
        },
      ],
    };
  }
  const items = sortHomeItems(all);
  const own = items.filter((i) => i.ownPatch);
  const others = items.filter((i) => !i.ownPatch);
  const blocks: Block[] = [
    ...(options.worklist
      ? [
          ...worklistBlocks(options.worklist, { max: MAX_WORKLIST_ITEMS, title: 'Worklist (your patch first)' }),
          { type: 'divider' } as Block,
        ]
      : []),
    { type: 'header', text: { type: 'plain_text', text: 'Open escalations' } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Your patch*\n${counts(own)}` },
        { type: 'mrkdwn', text: `*Other patches*\n${counts(others)}` },
      ],
    },
  ];
  let room = MAX_ITEMS;
  for (const [title, group] of [
    ['Your patch', own],
    ['Other patches', others],
  ] as const) {
    blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: `*${title}* (oldest first)` } });
    if (group.length === 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Nothing waiting.' }] });
    const shown = group.slice(0, Math.max(0, room));
    room -= shown.length;
    blocks.push(...shown.map((i) => itemBlock(i, options.now, options.timeZone)));
    if (shown.length < group.length)
      blocks.push({
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `…and ${group.length - shown.length} more: \`npm run rentline -- escalations\` lists them all.`,
          },
        ],
      });
  }
  return { type: 'home', blocks };
}

/** The account summary, as an ephemeral message (no phone number, no date of birth). */
export function buildAccountSummary(s: AccountSummary, firstName: string | null): { text: string; blocks: Block[] } {
  const arrangement = s.arrangement
    ? `${money(s.arrangement.amount_pence)} ${s.arrangement.frequency.replace('_', '-')} from ${s.arrangement.start_date} (${s.arrangement.status})`
    : 'None';
  const subAccounts = Object.entries(s.sub_accounts)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${money(v)}`)
    .join(', ');
  const fields = [
    `*Balance*\n${money(s.balance_pence)}`,
    `*Arrears*\n${money(s.arrears_pence)} (${money(s.actionable_arrears_pence)} actionable)`,
    `*Weekly rent*\n${money(s.weekly_rent_pence)}`,
    `*Weeks in arrears*\n${s.weeks_in_arrears}`,
    `*Last payment*\n${s.last_payment_date ?? 'None on record'}`,
    `*Next due*\n${s.next_due_date ?? '—'}`,
    `*Arrangement*\n${arrangement}`,
    `*Tenants*\n${s.tenants}`,
  ];
  const blocks: Block[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeSlack(s.tenancy_ref)}*${firstName ? ` · ${escapeSlack(firstName)}` : ''}`,
      },
    },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })) },
  ];
  if (subAccounts)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*Other accounts:* ${escapeSlack(subAccounts)}` } });
  if (s.flags.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Flags:* ${s.flags.map((f) => FLAG_WORDS[f] ?? escapeSlack(f)).join(' · ')}` },
    });
  blocks.push({
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: truncate(escapeSlack(`${s.reasons.arrears} ${s.reasons.weeks_in_arrears}`), 3000) },
    ],
  });
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(
        `*Next recommended action:* ${escapeSlack(s.next_action.action.replaceAll('_', ' '))}. ${escapeSlack(s.next_action.reason)}`,
        3000,
      ),
    },
  });
  return {
    text: `Account ${s.tenancy_ref}: balance ${money(s.balance_pence)}, ${s.weeks_in_arrears} weeks in arrears`,
    blocks,
  };
}
