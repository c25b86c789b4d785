// What every Slack listener needs: its capabilities, who clicked what on which card, ephemeral replies,
// and the officer check with its refusal. Listeners acknowledge first and call these afterwards.
import type { types as slackTypes, webApi } from '@slack/bolt';
import type { ConversationDeps } from '../../conversations/receive.js';
import { clockTime, mention } from '../blocks/format.js';
import type { ModalMetadata } from '../blocks/modals.js';
import type { EscalationCardRow } from '../card-model.js';
import { findCardRow } from '../card-model.js';
import { REFUSAL_TEXT, logRefusal, type OfficerDirectory } from '../officers.js';
import type { WorkLimit } from '../work-limit.js';

/** What a conversation's use-cases need (conversations/receive.ts), and what Slack's listeners add to it. */
export interface SlackDeps extends ConversationDeps {
  officers: OfficerDirectory;
  /** Runs a listener's work after its ack, a few at a time (see work-limit.ts). */
  afterAck: WorkLimit;
}

export interface Click {
  userId: string;
  userName: string;
  channel: string | null;
  messageTs: string | null;
  escalationId: number | null;
}

interface ActionBody {
  user: { id: string; name?: string; username?: string };
  channel?: { id: string };
  container?: { channel_id?: string; message_ts?: string };
  message?: { ts: string };
}

export function clickOf(body: unknown, value: string | undefined): Click {
  const b = body as ActionBody;
  const id = Number((value ?? '').replace(/^[a-z_]+:/, ''));
  return {
    userId: b.user.id,
    userName: b.user.name ?? b.user.username ?? b.user.id,
    channel: b.channel?.id ?? b.container?.channel_id ?? null,
    messageTs: b.message?.ts ?? b.container?.message_ts ?? null,
    escalationId: Number.isSafeInteger(id) && id > 0 ? id : null,
  };
}

/** The case a click is about, carried in a modal's private metadata until its form is submitted. */
export function metadataOf(click: Click): ModalMetadata {
  return { escalationId: click.escalationId ?? 0, channel: click.channel, messageTs: click.messageTs };
}

/** The click a submitted form stands for: who submitted it, and the case its metadata carried. */
export function clickOfSubmission(user: { id: string; name: string }, metadata: ModalMetadata): Click {
  return {
    userId: user.id,
    userName: user.name,
    channel: metadata.channel,
    messageTs: metadata.messageTs,
    escalationId: metadata.escalationId,
  };
}

/** A message only the clicking officer sees. Failures are logged, never thrown: the work is already done. */
export async function tellUser(
  deps: SlackDeps,
  client: webApi.WebClient,
  click: Pick<Click, 'userId' | 'channel'> & { threadTs?: string },
  text: string,
  blocks?: slackTypes.KnownBlock[],
): Promise<void> {
  const content = { text, ...(blocks ? { blocks } : {}) };
  try {
    if (click.channel)
      await client.chat.postEphemeral({
        channel: click.channel,
        user: click.userId,
        ...content,
        ...(click.threadTs ? { thread_ts: click.threadTs } : {}),
      });
    else await client.chat.postMessage({ channel: click.userId, ...content });
  } catch (error) {
    deps.logger.warn(
      { source: 'slack', slackError: (error as { data?: { error?: string } }).data?.error ?? (error as Error).name },
      'could not send an ephemeral message',
    );
  }
}

/** The case behind a click, if the clicker may act on it; otherwise they are told why (and refusals are logged). */
export async function caseForOfficer(
  deps: SlackDeps,
  client: webApi.WebClient,
  click: Click,
  action: string,
): Promise<EscalationCardRow | null> {
  const row = click.escalationId === null ? null : await findCardRow(deps.sql, click.escalationId);
  if (!row) {
    await tellUser(deps, client, click, 'That case no longer exists in Rentline. Nothing was changed.');
    return null;
  }
  if (!(await deps.officers.isOfficer(click.userId, row.tenancy_ref))) {
    logRefusal(deps.logger, { userId: click.userId, action, escalationId: row.id });
    await tellUser(deps, client, click, REFUSAL_TEXT);
    return null;
  }
  return row;
}

const DONE_WORDS: Record<string, string> = {
  accepted: 'accepted',
  countered: 'countered',
  referred: 'referred to debt advice',
  declined: 'declined',
  closed: 'dealt with',
};

/** "Already accepted by @name at 14:02." for a second click on a settled case. */
export function alreadyDecidedText(
  row: { status: string; decided_by: string | null; decided_at: Date | null },
  timeZone: string,
): string {
  if (row.status === 'expired') return 'This case expired, so there is nothing to decide. Nothing was changed.';
  const what = DONE_WORDS[row.status] ?? row.status;
  const who = row.decided_by ? ` by ${mention(row.decided_by)}` : '';
  const when = row.decided_at ? ` at ${clockTime(row.decided_at, timeZone)}` : '';
  return `Already ${what}${who}${when}. Nothing was changed.`;
}
