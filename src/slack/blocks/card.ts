// The escalation card, as a pure function of what the database says about the case. Posting and every
// re-render use the same builder, so a decided, countered, expired or taken-over case never keeps a live
// button. The tenant's phone number is never part of the model, so it cannot reach Slack.
import type { types as slackTypes } from '@slack/bolt';
import { describeOffer } from '../../engine/render.js';
import type { Frequency } from '../../engine/types.js';
import { ACTIONS } from '../ids.js';
import {
  BENEFIT_WORDS,
  FLAG_WORDS,
  REASON_WORDS,
  clockTime,
  dayAndTime,
  escapeSlack,
  mention,
  money,
  truncate,
} from './format.js';

type Block = slackTypes.KnownBlock;

export interface CardOffer {
  amountPence: number;
  frequency: Frequency;
  startDate: string;
  reason: string | null;
  withinPolicy: boolean;
  weeksToClear: number | null;
  clearBy: string | null;
  reasons: string[];
}

export interface CardModel {
  escalationId: number;
  reason: string;
  urgency: 'normal' | 'urgent';
  status: string;
  summary: string;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Set when the card is posted in an earlier card's thread (a reply to a counter-offer). */
  threadOf: number | null;
  tenancyRef: string;
  firstName: string;
  patchOfficer: string | null;
  account: {
    balancePence: number;
    arrearsPence: number;
    weeklyRentPence: number;
    weeksInArrears: number;
    lastPaymentDate: string | null;
  } | null;
  benefit: string;
  flags: string[];
  brokenBefore: number;
  /** The tenant's offer as they made it (null for hand-offs without one). */
  offer: CardOffer | null;
  /** The officer's counter-offer and what the tenant made of it, once countered. */
  counter: {
    amountPence: number;
    frequency: Frequency;
    startDate: string;
    tenantAnswer: 'awaiting' | 'accepted' | 'declined';
  } | null;
  referredTo: string | null;
  nextStep: { action: string; reason: string };
  recentMessages: { direction: 'inbound' | 'outbound'; body: string; at: Date }[];
  takenOverBy: string | null;
  /** The pre-action checklist in one line (Slack mrkdwn), when known. */
  protocolLine?: string | null;
  /** The legal stage in words, when one is recorded. */
  legalLine?: string | null;
  /** The tenancy's crisis hold is open (until an officer resolves it; handing back does not). */
  crisisOpen?: boolean;
  /** A tenant of the tenancy disputes the balance (until an officer clears it). */
  disputeOpen?: boolean;
  /** An urgent hand-off nobody picked up in time: raised again, marked overdue. */
  overdueAt?: Date | null;
  /** The affordability check behind the offer (or the tenant's latest), and the offer set against it. */
  affordability?: CardAffordability | null;
}

export interface CardAffordability {
  id: number;
  assessedBy: string;
  assessedAt: Date;
  incomePence: number;
  outgoingsPence: number;
  surplusPence: number;
  suggestedInstalmentPence: number | null;
  frequency: Frequency;
  flags: string[];
  /** The offer set against the check, in words; null when there is no offer. */
  offerAgainstCheck: string | null;
}

const STATUS_WORDS: Record<string, string> = {
  accepted: ':white_check_mark: Accepted',
  countered: ':left_right_arrow: Countered',
  referred: ':handshake: Referred to debt advice',
  declined: ':x: Declined',
  closed: ':ballot_box_with_check: Dealt with',
  expired: ':hourglass: Expired',
};

const NEXT_STEP_WORDS: Record<string, string> = {
  none: 'No action',
  first_text: 'First text',
  second_text: 'Second text',
  officer_call: 'Officer call',
  consider_nosp: 'Consider a Notice of Seeking Possession (a person decides)',
  consider_section_8: 'Consider a section 8 notice (a person decides)',
  consider_notice_of_proceedings: 'Consider a notice of proceedings (a person decides)',
  consider_claim: 'Consider issuing a possession claim (a person decides)',
  consider_warrant: 'Consider applying for a warrant (a person decides)',
  accept: 'Accept',
};

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } };
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): slackTypes.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function affordabilityLine(a: CardAffordability, timeZone: string): string {
  const by =
    a.assessedBy === 'tenant'
      ? 'by text'
      : `by ${a.assessedBy.startsWith('officer:') ? mention(a.assessedBy.slice(8)) : escapeSlack(a.assessedBy)}`;
  const left = a.surplusPence >= 0 ? `surplus ${money(a.surplusPence)}` : `*deficit ${money(-a.surplusPence)}*`;
  const suggested =
    a.suggestedInstalmentPence === null
      ? 'no instalment suggested (debt advice and a call offered)'
      : `suggested ${money(a.suggestedInstalmentPence)} ${a.frequency.replace('_', '-')}`;
  const lines = [
    `*Affordability check* (${by}, ${dayAndTime(a.assessedAt, timeZone)}): income ${money(a.incomePence)}, outgoings ${money(a.outgoingsPence)}, ${left} a month; ${suggested}`,
  ];
  if (a.offerAgainstCheck) lines.push(`*Offer against the check:* ${escapeSlack(a.offerAgainstCheck)}`);
  if (a.flags.length > 0) lines.push(`:warning: ${a.flags.map((f) => escapeSlack(f)).join('; ')}`);
  return lines.join('\n');
}

function offerLine(o: CardOffer): string {
  const clear =
    o.weeksToClear === null
      ? 'never clears the arrears'
      : o.clearBy
        ? `clears in ${o.weeksToClear} weeks, by ${o.clearBy}`
        : 'nothing to clear';
  const policy = o.withinPolicy ? ':white_check_mark: Within policy' : ':warning: Outside policy';
  return `*Offer:* ${describeOffer(o.amountPence, o.frequency, o.startDate, 'en')}, on top of rent (${clear})\n${policy}: ${escapeSlack(o.reasons.join('; '))}`;
}

function headerText(m: CardModel): string {
  const what = REASON_WORDS[m.reason] ?? m.reason.replace(/_/g, ' ');
  const urgent = m.urgency === 'urgent' ? `${m.overdueAt && m.status === 'pending' ? 'OVERDUE ' : ''}URGENT: ` : '';
  return truncate(`${m.urgency === 'urgent' ? ':rotating_light: ' : ''}${urgent}${what} · ${m.tenancyRef}`, 150);
}

/** What happened since the card was posted, one line per step, oldest first. */
function caseSteps(m: CardModel, timeZone: string): string[] {
  const steps: string[] = [];
  if (m.decidedBy && m.decidedAt && STATUS_WORDS[m.status]) {
    const who = `${STATUS_WORDS[m.status]} by ${mention(m.decidedBy)} at ${clockTime(m.decidedAt, timeZone)}`;
    if (m.status === 'countered' && m.counter)
      steps.push(`${who}: ${describeOffer(m.counter.amountPence, m.counter.frequency, m.counter.startDate, 'en')}`);
    else if (m.status === 'referred' && m.referredTo) steps.push(`${who}: ${escapeSlack(m.referredTo)}`);
    else steps.push(who);
  } else if (m.status === 'expired' || m.status === 'closed') {
    steps.push(STATUS_WORDS[m.status] as string);
  }
  if (m.counter?.tenantAnswer === 'accepted')
    steps.push(':white_check_mark: The tenant accepted the counter-offer: the plan is active');
  if (m.counter?.tenantAnswer === 'declined')
    steps.push(':speech_balloon: The tenant did not accept the counter-offer: their reply is in the thread');
  if (m.counter?.tenantAnswer === 'awaiting')
    steps.push(':hourglass_flowing_sand: Waiting for the tenant to answer the counter-offer');
  if (m.takenOverBy)
    steps.push(
      `:raising_hand: ${mention(m.takenOverBy)} has taken over: the script is paused; replies in this thread are texted to the tenant`,
    );
  if (m.overdueAt && m.status === 'pending')
    steps.push(`:alarm_clock: OVERDUE: nobody has picked this up since ${dayAndTime(m.createdAt, timeZone)}`);
  if (m.crisisOpen)
    steps.push(
      ':octagonal_sign: Crisis hold: no automated text goes to any tenant of this tenancy until an officer clicks Resolve crisis',
    );
  if (m.disputeOpen)
    steps.push(
      ':octagonal_sign: Dispute hold: automated texts about this account are frozen until an officer clicks Clear dispute',
    );
  return steps;
}

function actionsFor(m: CardModel): Block[] {
  const id = String(m.escalationId);
  const blocks: Block[] = [];
  if (m.status === 'pending') {
    const elements: slackTypes.ActionsBlockElement[] = [];
    const urgent = m.urgency === 'urgent';
    // A plain "no" to a counter-offer carries no new offer, but the officer may counter again.
    const canCounter = m.offer !== null || m.reason === 'counter_reply';
    if (urgent || !m.offer) {
      if (!m.takenOverBy) elements.push(button('Take over', ACTIONS.takeOver, id, 'primary'));
      if (m.offer) elements.push(button('Accept', ACTIONS.accept, id));
      if (canCounter) elements.push(button('Counter', ACTIONS.counter, id));
      elements.push(button('Refer to debt advice', ACTIONS.refer, id));
      elements.push({
        type: 'overflow',
        action_id: ACTIONS.more,
        options: [{ text: { type: 'plain_text', text: 'View account' }, value: `view_account:${id}` }],
      });
    } else {
      elements.push(
        button('Accept', ACTIONS.accept, id, 'primary'),
        button('Counter', ACTIONS.counter, id),
        button('Refer to debt advice', ACTIONS.refer, id),
      );
      const more = [{ text: { type: 'plain_text' as const, text: 'View account' }, value: `view_account:${id}` }];
      if (!m.takenOverBy) more.unshift({ text: { type: 'plain_text', text: 'Take over' }, value: `take_over:${id}` });
      elements.push({ type: 'overflow', action_id: ACTIONS.more, options: more });
    }
    if (m.takenOverBy) elements.push(button('Hand back', ACTIONS.handBack, id));
    blocks.push({ type: 'actions', block_id: `escalation:${id}`, elements });
  } else if (m.takenOverBy) {
    blocks.push({
      type: 'actions',
      block_id: `escalation:${id}`,
      elements: [button('Hand back', ACTIONS.handBack, id)],
    });
  }
  // Holds outlive the card's decision: a crisis stays open after Hand back until someone resolves it.
  const holds: slackTypes.ActionsBlockElement[] = [];
  if (m.crisisOpen) holds.push(button('Resolve crisis', ACTIONS.resolveCrisis, id, 'danger'));
  if (m.disputeOpen) holds.push(button('Clear dispute', ACTIONS.clearDispute, id));
  if (holds.length > 0) blocks.push({ type: 'actions', block_id: `holds:${id}`, elements: holds });
  return blocks;
}

/**
 * The case file, on every card whatever its state: the evidence pack (a PDF posted in the card's thread)
 * and the affordability check. Buttons beside a line, not in the decision row, which settles and goes.
 */
function caseFileBlocks(escalationId: number): Block[] {
  const id = String(escalationId);
  return [
    {
      type: 'section',
      block_id: `evidence_pack:${id}`,
      text: {
        type: 'mrkdwn',
        text: '*Evidence pack:* statement, contact timeline, arrangements and checks, as a PDF in this thread',
      },
      accessory: button('Evidence pack', ACTIONS.evidencePack, id),
    },
    {
      type: 'section',
      block_id: `affordability:${id}`,
      text: { type: 'mrkdwn', text: "*Affordability:* record the tenant's income and spending (monthly)" },
      accessory: button('Affordability check', ACTIONS.affordability, id),
    },
  ];
}

interface CardMessage {
  text: string;
  blocks: Block[];
}

/** The card for one escalation in its current state. */
export function buildEscalationCard(m: CardModel, options: { timeZone: string }): CardMessage {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: headerText(m), emoji: true } }];
  const patch = m.patchOfficer ? ` · patch officer ${mention(m.patchOfficer)}` : '';
  blocks.push(
    section(
      `*${escapeSlack(m.firstName)}* · ${escapeSlack(m.tenancyRef)}${patch} · raised ${dayAndTime(m.createdAt, options.timeZone)}`,
    ),
  );
  if (m.account) {
    const a = m.account;
    blocks.push({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Balance*\n${money(a.balancePence)} (${money(a.arrearsPence)} arrears)` },
        { type: 'mrkdwn', text: `*Weekly rent*\n${money(a.weeklyRentPence)}` },
        { type: 'mrkdwn', text: `*Weeks in arrears*\n${a.weeksInArrears}` },
        { type: 'mrkdwn', text: `*Last payment*\n${a.lastPaymentDate ?? 'None on record'}` },
        { type: 'mrkdwn', text: `*Benefit*\n${BENEFIT_WORDS[m.benefit] ?? escapeSlack(m.benefit)}` },
        { type: 'mrkdwn', text: `*Broken arrangements before*\n${m.brokenBefore}` },
      ],
    });
  }
  if (m.flags.length > 0)
    blocks.push(section(`*Flags:* ${m.flags.map((f) => FLAG_WORDS[f] ?? escapeSlack(f)).join(' · ')}`));
  if (m.offer) {
    blocks.push(section(offerLine(m.offer)));
    blocks.push(
      section(`*Reason given:* ${m.offer.reason ? `"${escapeSlack(truncate(m.offer.reason, 500))}"` : 'none given'}`),
    );
  } else {
    blocks.push(section(`*What happened:* ${escapeSlack(truncate(m.summary, 1500))}`));
  }
  if (m.affordability) blocks.push(section(affordabilityLine(m.affordability, options.timeZone)));
  blocks.push(
    section(
      `*Recommended next step:* ${NEXT_STEP_WORDS[m.nextStep.action] ?? m.nextStep.action}. ${escapeSlack(m.nextStep.reason)}`,
    ),
  );
  if (m.legalLine) blocks.push(section(`*Legal stage:* ${escapeSlack(m.legalLine)}`));
  if (m.protocolLine)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(m.protocolLine, 3000) }] });
  if (m.recentMessages.length > 0) {
    const lines = m.recentMessages.map(
      (msg) =>
        `${msg.direction === 'inbound' ? `*${escapeSlack(m.firstName)}*` : '_Rentline_'} ${clockTime(msg.at, options.timeZone)}: ${escapeSlack(truncate(msg.body.replace(/\s+/g, ' '), 200))}`,
    );
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(`*Last messages*\n${lines.join('\n')}`, 3000) }],
    });
  }
  const steps = caseSteps(m, options.timeZone);
  if (steps.length > 0) {
    blocks.push({ type: 'divider' });
    blocks.push(section(steps.join('\n')));
  }
  blocks.push(...actionsFor(m));
  blocks.push(...caseFileBlocks(m.escalationId));
  const who = m.patchOfficer ? ` for ${mention(m.patchOfficer)}` : '';
  const state =
    m.status === 'pending' ? '' : ` (${(STATUS_WORDS[m.status] ?? m.status).replace(/^:[a-z_]+: /, '').toLowerCase()})`;
  const what = escapeSlack(REASON_WORDS[m.reason] ?? m.reason);
  const text = `${m.urgency === 'urgent' ? 'URGENT ' : ''}${what} from ${escapeSlack(m.firstName)} (${escapeSlack(m.tenancyRef)})${who}${state}`;
  return { text, blocks };
}

/** One tenant text copied into the card's thread. */
export function buildMirroredMessage(firstName: string, body: string, at: Date, timeZone: string): CardMessage {
  const text = `${escapeSlack(firstName)} (tenant) at ${clockTime(at, timeZone)}: ${escapeSlack(truncate(body, 2900))}`;
  return {
    text,
    blocks: [
      section(
        `:speech_balloon: *${escapeSlack(firstName)}* (tenant) at ${clockTime(at, timeZone)}\n>${escapeSlack(truncate(body, 2800)).replace(/\n/g, '\n>')}`,
      ),
    ],
  };
}
