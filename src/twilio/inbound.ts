// POST /twilio/messages: inbound SMS and WhatsApp. The signature is checked on the raw form before
// anything else; the reply goes out through the outbox, so the webhook answers an empty TwiML as soon as
// the text is stored (at most a bounded wait: conversations/inbound-intake.ts).
import { Hono } from 'hono';
import type { ConversationDeps, InboundText } from '../conversations/receive.js';
import { createInboundIntake, type InboundIntake, type InboundIntakeOptions } from '../conversations/inbound-intake.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { cleanInboundBody } from './inbound-limits.js';
import { twilioSignatureMiddleware } from './signature.js';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

function parseInbound(params: Record<string, string>): InboundText {
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

export function createTwilioInboundRoute(
  deps: ConversationDeps & {
    authToken: string | null;
    publicBaseUrl: string;
    logger: Logger;
    /** The service's intake (its worker started with the service); one of the route's own otherwise. */
    intake?: InboundIntake;
  } & InboundIntakeOptions,
): Hono {
  const route = new Hono();
  const intake = deps.intake ?? createInboundIntake(deps, deps);
  route.post('/', twilioSignatureMiddleware(deps), async (c) => {
    const params = c.get('twilioParams');
    const inbound = parseInbound(params);
    // Answered once the text is durably stored: processed, or parked for later (inbound-intake.ts). An offer
    // inside policy the landlord auto-accepts was settled in the same transaction (receive.ts).
    const { outcome, autoAcceptEscalationId } = await intake.receive(inbound);
    deps.logger.info(
      { outcome, channel: inbound.channel, autoAccepted: autoAcceptEscalationId !== null },
      'inbound message',
    );
    return c.body(EMPTY_TWIML, 200, { 'content-type': 'text/xml' });
  });
  return route;
}
