// The officer's affordability check in Slack: either the figures from a call or visit (monthly, in SFS
// categories, any left empty counts as not known) or "text the questions to the tenant". Pure builder and
// check of what was typed; errors come back inline (`response_action: errors`).
import type { types as slackTypes } from '@slack/bolt';
import {
  AFFORDABILITY_CATEGORIES,
  AFFORDABILITY_GROUPS,
  CATEGORY_WORDS,
  type AffordabilityAnswers,
  type AffordabilityCategory,
} from '../../rent/affordability.js';
import { parsePoundsToPence } from '../../rent/money.js';
import { VIEWS } from '../ids.js';
import { formModal, type ModalMetadata } from './modals.js';
import { escapeSlack } from './format.js';

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
>;

const SIDE_WORDS = { income: 'Money coming in', fixed: 'Fixed costs', flexible: 'Flexible costs' } as const;

export function affordabilityModal(
  c: { firstName: string; tenancyRef: string; textable: boolean },
  metadata: ModalMetadata,
): slackTypes.ModalView {
  const how: slackTypes.PlainTextOption[] = [
    { text: { type: 'plain_text', text: 'Enter the figures now (from a call or visit)' }, value: 'enter' },
  ];
  if (c.textable) how.push({ text: { type: 'plain_text', text: 'Text the questions to the tenant' }, value: 'text' });
  const blocks: slackTypes.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `Income and spending for *${escapeSlack(c.firstName)}* (${escapeSlack(c.tenancyRef)}), *monthly*. Leave a box empty when the tenant does not know.`,
      },
    },
    {
      type: 'input',
      block_id: 'how',
      label: { type: 'plain_text', text: 'How' },
      element: { type: 'radio_buttons', action_id: 'value', initial_option: how[0]!, options: how },
    },
  ];
  for (const [side, categories] of Object.entries(AFFORDABILITY_GROUPS) as [
    keyof typeof AFFORDABILITY_GROUPS,
    readonly AffordabilityCategory[],
  ][]) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: SIDE_WORDS[side] } });
    for (const category of categories) {
      blocks.push({
        type: 'input',
        block_id: category,
        optional: true,
        label: { type: 'plain_text', text: `${CATEGORY_WORDS[category]} (£ a month)` },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          placeholder: { type: 'plain_text', text: 'e.g. 120' },
        },
      });
    }
  }
  return formModal({ callbackId: VIEWS.affordability, title: 'Affordability check', submit: 'Save', metadata }, blocks);
}

type AffordabilityModalResult =
  | { ok: true; how: 'text' }
  | { ok: true; how: 'enter'; answers: AffordabilityAnswers }
  | { ok: false; errors: Record<string, string> };

export function validateAffordabilityModal(values: StateValues): AffordabilityModalResult {
  const how = values.how?.value?.selected_option?.value === 'text' ? 'text' : 'enter';
  if (how === 'text') return { ok: true, how };
  const errors: Record<string, string> = {};
  const amounts: AffordabilityAnswers['amounts'] = {};
  let given = 0;
  for (const category of AFFORDABILITY_CATEGORIES) {
    const text = (values[category]?.value?.value ?? '').trim().replace(/^£/, '');
    if (text === '') {
      amounts[category] = null;
      continue;
    }
    const pence = parsePoundsToPence(text);
    if (pence === null || pence < 0) errors[category] = 'Enter pounds a month, such as 120 or 45.50, or leave it empty';
    else if (pence > 10_000_000) errors[category] = 'That is more than £100,000 a month: check the amount';
    else {
      amounts[category] = pence;
      given += 1;
    }
  }
  if (given === 0 && Object.keys(errors).length === 0)
    errors.earnings = 'Enter at least one figure, or choose "Text the questions to the tenant"';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, how, answers: { amounts } };
}
