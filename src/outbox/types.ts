// The outbox's vocabulary: what a message is for, what the dispatcher asks a sender to do, and how a
// sender reports failure. Twilio's sender implements `Sender`; tests and a "kept" mode need no Twilio at all.
import type { Channel } from '../rent/types.js';

export type OutboundChannel = Channel;
/** `officer`: an officer's decision told by the script; `takeover`: the officer's own words. */
export type MessagePurpose = 'reply' | 'arrears' | 'reminder' | 'arrangement' | 'officer' | 'takeover' | 'system';

export const MESSAGE_PURPOSES: readonly MessagePurpose[] = [
  'reply',
  'arrears',
  'reminder',
  'arrangement',
  'officer',
  'takeover',
  'system',
];

/** One message as the sender sees it: addresses already in Twilio's form (`+44…` or `whatsapp:+44…`). */
export interface SendRequest {
  /** The outbox row id, for logs and idempotency on the sender's side. */
  messageId: number;
  to: string;
  /** An E.164 number, `whatsapp:+44…`, or a Messaging Service SID (`MG…`). */
  from: string;
  /** Free text; null when a WhatsApp template (contentSid) carries the message. */
  body: string | null;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
}

export interface SentMessage {
  sid: string;
  status: string;
}

export interface Sender {
  send(message: SendRequest): Promise<SentMessage>;
  /**
   * Looks for a message that already went out (after a crash or a broken connection), so it is recorded
   * instead of sent twice. `body` null matches any body (template sends); `excludeSids` are messages we
   * already know about, so two identical texts are not mistaken for one another.
   */
  find?(message: { to: string; body: string | null; since: Date; excludeSids?: string[] }): Promise<SentMessage | null>;
  /** Whether this sender serves the tenancy's texts (default: all); the others are kept, as with no sender. */
  handles?(tenancyRef: string | null): boolean;
}

export type SendErrorKind = 'opted_out' | 'permanent' | 'retry';

/**
 * A send that did not succeed, classified for the dispatcher: `opted_out` (Twilio 21610: the recipient
 * replied STOP), `permanent` (bad or landline number, rejected content: never retried), `retry` (rate
 * limits, Twilio outages, network trouble). `uncertain` marks failures where Twilio may nevertheless have
 * accepted the message (a connection that broke after the request went out).
 */
export class SendError extends Error {
  constructor(
    readonly kind: SendErrorKind,
    message: string,
    readonly code: number | null = null,
    readonly status: number | null = null,
    readonly uncertain = false,
  ) {
    super(message);
    this.name = 'SendError';
  }
}
