// POST /twilio/messages: inbound SMS and WhatsApp. The signature is checked on the raw form before
// anything else; the reply goes out through the outbox, so the webhook answers an empty TwiML at once.
import { Hono } from 'hono';
import type { ConversationDeps, InboundText } from '../conversations/receive.js';
import { receiveInboundText } from '../conversations/receive.js';
import { createInboundBatcher, type InboundBatcherOptions } from '../conversations/inbound-batcher.js';
import { isRetryableTransactionFailure } from '../db/errors.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { cleanInboundBody } from './inbound-limits.js';
import { twilioSignatureMiddleware } from './signature.js';

/** Attempts at storing one text when the database connection keeps dropping. */
const RECEIVE_ATTEMPTS = 4;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export function parseInbound(params: Record<string, string>): InboundText {
  const sid = params.MessageSid ?? params.SmsMessageSid;
  const from = params.From;
  if (!sid || !from) throw new AppError('bad_request', 'a Twilio message webhook needs MessageSid and From');
  if (sid.length > 64 || from.length > 64 || (params.To ?? '').length > 64)
    throw new AppError('bad_request', 'MessageSid, From and To are at most 64 characters in a Twilio webhook');
  const channel = from.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
  return {
    messageSid: sid,
    from: from.replace(/^whatsapp:/, ''),
    to: (params.To ?? '').replace(/^whatsapp:/, ''),
    body: cleanInboundBody(params.Body ?? '', channel).body,
    channel,
  };
}

export interface InboundRouteOptions {
  /** Group commit of concurrent texts (inbound-batcher.ts), on unless false: each text alone in its own transaction. */
  batching?: InboundBatcherOptions | false;
}

export function createTwilioInboundRoute(
  deps: ConversationDeps & { authToken: string | null; publicBaseUrl: string; logger: Logger } & InboundRouteOptions,
): Hono {
  const route = new Hono();
  const receiveOnce =
    deps.batching === false
      ? (inbound: InboundText) => receiveInboundText(deps, inbound)
      : createInboundBatcher(deps, deps.batching ?? {}).receive;
  // Twilio does not retry a failed webhook, so a text whose connection dropped is received again here: the
  // MessageSid makes that safe even when the first attempt did commit (it is then a duplicate).
  const receive = async (inbound: InboundText) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await receiveOnce(inbound);
      } catch (error) {
        if (attempt >= RECEIVE_ATTEMPTS || !isRetryableTransactionFailure(error)) throw error;
        deps.logger.warn({ attempt }, 'database connection lost while receiving a text; receiving it again');
      }
    }
  };
  route.post('/', twilioSignatureMiddleware(deps), async (c) => {
    const params = c.get('twilioParams');
    const inbound = parseInbound(params);
    // An offer inside policy the landlord auto-accepts was settled in the same transaction (receive.ts).
    const { outcome, autoAcceptEscalationId } = await receive(inbound);
    deps.logger.info(
      { outcome, channel: inbound.channel, autoAccepted: autoAcceptEscalationId !== null },
      'inbound message',
    );
    return c.body(EMPTY_TWIML, 200, { 'content-type': 'text/xml' });
  });
  return route;
}
