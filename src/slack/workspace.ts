// Rentline is a single-workspace Slack app: only requests from the workspace its bot token belongs to are
// acted on. The workspace is learnt from auth.test (called once and cached, as Bolt's single-workspace
// authorize does), so no setting can disagree with the token. A request from any other team or Enterprise
// Grid organisation is refused in Bolt's authorize step: Bolt then acknowledges it with an empty 200 and no
// listener runs, so nothing is read, written or answered. docs/rules.md#webhooks
import type { Authorize, AuthorizeSourceData, webApi } from '@slack/bolt';
import type { Logger } from '../lib/logger.js';

interface OwnWorkspace {
  teamId: string;
  /** The Enterprise Grid organisation the workspace is in, if any. */
  enterpriseId: string | null;
}

/** The team and organisation a request says it comes from (Bolt's authorize source). */
type RequestSource = Pick<AuthorizeSourceData<boolean>, 'teamId' | 'enterpriseId'>;

/**
 * True when a request comes from our workspace: its team is ours, and any organisation it names is ours.
 * A request naming no team (an organisation-wide install) is ours only when it names our organisation.
 */
export function isOwnWorkspace(source: RequestSource, own: OwnWorkspace): boolean {
  if (source.enterpriseId !== undefined && source.enterpriseId !== own.enterpriseId) return false;
  if (source.teamId !== undefined) return source.teamId === own.teamId;
  return own.enterpriseId !== null && source.enterpriseId === own.enterpriseId;
}

/** Thrown from authorize for a foreign workspace; Bolt turns it into an empty acknowledgement. */
export class ForeignWorkspaceError extends Error {
  constructor() {
    super('the request does not come from the workspace the bot token belongs to');
    this.name = 'ForeignWorkspaceError';
  }
}

/**
 * Bolt's authorize for the bot token: auth.test once (a failure is retried on the next request rather than
 * cached) gives the bot's ids and its workspace; every request from another workspace is refused and logged
 * without any id or content from it.
 */
export function ownWorkspaceAuthorize(
  botToken: string,
  client: () => webApi.WebClient,
  logger: Logger,
): Authorize<boolean> {
  let known: Promise<{ botId: string; botUserId: string; workspace: OwnWorkspace }> | null = null;
  return async (source) => {
    known ??= client()
      .auth.test({ token: botToken })
      .then((r) => {
        if (!r.team_id) throw new Error('auth.test did not say which workspace the bot token belongs to');
        return {
          botId: r.bot_id ?? '',
          botUserId: r.user_id ?? '',
          workspace: { teamId: r.team_id, enterpriseId: r.enterprise_id || null },
        };
      })
      .catch((error: unknown) => {
        known = null;
        throw error;
      });
    const { botId, botUserId, workspace } = await known;
    if (!isOwnWorkspace(source, workspace)) {
      logger.warn({ source: 'slack' }, 'refused a Slack request from another workspace; nothing was done');
      throw new ForeignWorkspaceError();
    }
    return { botToken, botId, botUserId };
  };
}
