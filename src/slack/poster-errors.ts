// How the card poster (poster.ts) reads a Slack error: about one message (given up at once) or about the
// app or the channel (everything waits, nothing is given up, until an administrator fixes it).

/** Slack errors about this one message: trying it again will not help, so it is given up at once. */
export const REFUSED_MESSAGE = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'message_not_found',
  'cant_update_message',
]);
/**
 * Slack errors about the app or the channel, not the message: every card would fail alike, so none is
 * given up; they wait (and the log says why) until an administrator fixes the app or the channel.
 */
export const REFUSED_EVERYTHING = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
]);
