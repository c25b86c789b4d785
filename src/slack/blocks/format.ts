// Small pure helpers shared by the Block Kit builders: Slack-safe text, times in the landlord's zone, and
// the words officers read for statuses and flags.
import { formatPence } from '../../rent/money.js';

/** Slack treats <, > and & as markup: tenant text must never be able to @channel or fake a link. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The reverse, for officers' messages coming back from Slack (mentions and links reduced to their text). */
export function slackToPlainText(text: string): string {
  return (
    text
      // An unlabelled mention goes with the space before it, so "Priya <@U1>." reads "Priya.".
      .replace(/ ?<@[A-Z0-9]+(?:\|([^>]+))?>/g, (m, label: string | undefined) =>
        label ? `${m.startsWith(' ') ? ' ' : ''}${label}` : '',
      )
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
      .replace(/<(https?:[^>]+)>/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .trim()
  );
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function mention(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeSlack(userId);
}

/** "14:02" in the landlord's time zone. */
export function clockTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}

/** "Tue 24 Nov 14:02" in the landlord's time zone. */
export function dayAndTime(at: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(
    at,
  );
  return `${day.replace(',', '')} ${clockTime(at, timeZone)}`;
}

export const money = formatPence;

export const BENEFIT_WORDS: Record<string, string> = {
  none: 'None recorded',
  hb: 'Housing Benefit',
  uc: 'Universal Credit (paid to tenant)',
  uc_apa: 'Universal Credit (paid to us, APA)',
};

export const FLAG_WORDS: Record<string, string> = {
  joint: 'Joint tenancy',
  vulnerable: ':warning: Vulnerable',
  breathing_space: ':no_entry: Breathing Space',
  mental_health_breathing_space: ':no_entry: Mental-health Breathing Space',
  do_not_contact: ':no_entry: Do not contact',
  disputed: ':warning: Balance disputed',
  former_tenancy: 'Former tenancy',
  not_textable: 'No textable mobile',
  demo: 'Demo data',
  benefit_claim_pending: ':hourglass: Benefit claim pending (no notice recommended)',
};

/** The short name of each hand-off reason (the table is the engine's, shared with its summaries). */
export { REASON_LABELS as REASON_WORDS } from '../../engine/reason-words.js';

export const FREQUENCY_WORDS: Record<string, string> = {
  weekly: 'weekly',
  fortnightly: 'fortnightly',
  four_weekly: 'every 4 weeks',
  monthly: 'monthly',
};
