// The counter-offer and referral modals, and the pure checks on what an officer typed. A modal opens at
// once with a loading view (trigger ids expire in 3 seconds); the real view replaces it once the case is
// loaded. Invalid answers come back as `response_action: errors`, shown inline, and nothing is sent.
import type { types as slackTypes } from '@slack/bolt';
import { describeOffer } from '../../engine/render.js';
import { FREQUENCIES, type Frequency, type OfferTerms } from '../../engine/types.js';
import { parsePoundsToPence } from '../../rent/money.js';
import { VIEWS } from '../ids.js';
import { FREQUENCY_WORDS, escapeSlack, money, truncate } from './format.js';

type ModalView = slackTypes.ModalView;

export interface ModalMetadata {
  escalationId: number;
  channel: string | null;
  messageTs: string | null;
}

export function encodeMetadata(m: ModalMetadata): string {
  return JSON.stringify({ e: m.escalationId, c: m.channel, t: m.messageTs });
}

export function decodeMetadata(text: string | undefined): ModalMetadata | null {
  try {
    const raw = JSON.parse(text ?? '') as { e?: unknown; c?: unknown; t?: unknown };
    if (typeof raw.e !== 'number') return null;
    return {
      escalationId: raw.e,
      channel: typeof raw.c === 'string' ? raw.c : null,
      messageTs: typeof raw.t === 'string' ? raw.t : null,
    };
  } catch {
    return null;
  }
}

/** An officer's form: its callback, the case it is about (metadata), its title and submit words, Cancel to close. */
export function formModal(
  form: { callbackId: string; title: string; submit: string; metadata: ModalMetadata },
  blocks: slackTypes.KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: form.callbackId,
    private_metadata: encodeMetadata(form.metadata),
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** Shown the instant the officer clicks, while the case loads. */
export function loadingModal(callbackId: string, title: string, metadata: ModalMetadata): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: encodeMetadata(metadata),
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':hourglass_flowing_sand: Loading the case…' } }],
  };
}

/** Shown instead of the form when the case was settled (or vanished) while the modal opened. */
export function noticeModal(callbackId: string, title: string, text: string): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: title },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

interface CounterModalCase {
  firstName: string;
  tenancyRef: string;
  arrearsPence: number;
  tenantOffer: OfferTerms | null;
  minWeeklyPence: number;
  maxWeeks: number;
  today: string;
}

function frequencyOption(f: Frequency): slackTypes.PlainTextOption {
  return { text: { type: 'plain_text', text: FREQUENCY_WORDS[f] ?? f }, value: f };
}

export function counterModal(c: CounterModalCase, metadata: ModalMetadata): ModalView {
  const offer = c.tenantOffer;
  const offered = offer ? describeOffer(offer.amountPence, offer.frequency, offer.startDate, 'en') : 'no offer';
  return formModal({ callbackId: VIEWS.counter, title: 'Counter-offer', submit: 'Send to tenant', metadata }, [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${escapeSlack(c.firstName)}* · ${escapeSlack(c.tenancyRef)} · ${money(c.arrearsPence)} arrears\nTenant offered: ${offered}\nPolicy: at least ${money(c.minWeeklyPence)} a week, clearing within ${c.maxWeeks} weeks.`,
          3000,
        ),
      },
    },
    {
      type: 'input',
      block_id: 'amount',
      label: { type: 'plain_text', text: 'Amount each time, on top of rent (£)' },
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        placeholder: { type: 'plain_text', text: 'e.g. 10.00' },
        ...(offer ? { initial_value: (offer.amountPence / 100).toFixed(2) } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'frequency',
      label: { type: 'plain_text', text: 'How often' },
      element: {
        type: 'static_select',
        action_id: 'value',
        options: FREQUENCIES.map(frequencyOption),
        initial_option: frequencyOption(offer?.frequency ?? 'weekly'),
      },
    },
    {
      type: 'input',
      block_id: 'start',
      label: { type: 'plain_text', text: 'First payment' },
      element: {
        type: 'datepicker',
        action_id: 'value',
        initial_date: offer && offer.startDate >= c.today ? offer.startDate : c.today,
      },
    },
  ]);
}

type StateValues = Record<
  string,
  Record<string, { value?: string | null; selected_date?: string | null; selected_option?: { value?: string } | null }>
>;

type CounterValidation = { ok: true; offer: OfferTerms } | { ok: false; errors: Record<string, string> };

/** Checks a submitted counter-offer; errors are keyed by block id, as `response_action: errors` needs. */
export function validateCounter(values: StateValues, today: string): CounterValidation {
  const errors: Record<string, string> = {};
  const amountText = (values.amount?.value?.value ?? '').trim();
  const amountPence = parsePoundsToPence(amountText.replace(/^£/, ''));
  if (amountPence === null) errors.amount = 'Enter an amount in pounds, such as 10 or 12.50';
  else if (amountPence <= 0) errors.amount = 'The amount must be more than £0.00';
  else if (amountPence > 10_000_00) errors.amount = 'That is more than £10,000 each time: check the amount';
  const frequency = values.frequency?.value?.selected_option?.value as Frequency | undefined;
  if (!frequency || !FREQUENCIES.includes(frequency)) errors.frequency = 'Choose how often the tenant pays';
  const start = values.start?.value?.selected_date ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) errors.start = 'Choose the date of the first payment';
  else if (start < today) errors.start = 'The first payment cannot be in the past: choose today or later';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    offer: { amountPence: amountPence as number, frequency: frequency as Frequency, startDate: start },
  };
}

interface Agency {
  id: string;
  name: string;
  phone?: string | undefined;
}

export function referModal(
  c: { firstName: string; tenancyRef: string; agencies: Agency[]; pauseDays: number },
  metadata: ModalMetadata,
): ModalView {
  const options = c.agencies.map((a) => ({
    text: { type: 'plain_text' as const, text: truncate(a.phone ? `${a.name} (${a.phone})` : a.name, 75) },
    value: a.id,
  }));
  return formModal({ callbackId: VIEWS.refer, title: 'Refer to debt advice', submit: 'Refer', metadata }, [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeSlack(c.firstName)}* · ${escapeSlack(c.tenancyRef)}\nThe tenant is texted the advice details, and contact about the arrears pauses for ${c.pauseDays} days. The referral is recorded for the pre-action protocol.`,
      },
    },
    {
      type: 'input',
      block_id: 'agency',
      label: { type: 'plain_text', text: 'Agency' },
      element: {
        type: 'static_select',
        action_id: 'value',
        options,
        ...(options[0] ? { initial_option: options[0] } : {}),
      },
    },
    {
      type: 'input',
      block_id: 'note',
      optional: true,
      label: { type: 'plain_text', text: 'Note for the record (not sent to the tenant)' },
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
    },
  ]);
}

type ReferValidation =
  { ok: true; agencyId: string; note: string | null } | { ok: false; errors: Record<string, string> };

export function validateRefer(values: StateValues, agencies: Agency[]): ReferValidation {
  const agencyId = values.agency?.value?.selected_option?.value ?? '';
  if (!agencies.some((a) => a.id === agencyId))
    return { ok: false, errors: { agency: 'Choose an agency from the list' } };
  const note = (values.note?.value?.value ?? '').trim();
  return { ok: true, agencyId, note: note === '' ? null : note };
}
