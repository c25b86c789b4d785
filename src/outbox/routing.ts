// How one queued message goes out: which channel, from which sender, as free text or as a WhatsApp
// template. Pure: the dispatcher passes the tenant's WhatsApp window and the configured senders in.
// WhatsApp allows free-form text only within 24 hours of the tenant's last WhatsApp message (docs/rules.md#whatsapp-window);
// outside it an approved template (ContentSid) goes instead, and without one the message falls back to SMS.
import type { OutboundChannel } from './types.js';

import { whatsappWindowOpen } from '../rent/whatsapp-window.js';

export type FallbackReason = 'whatsapp_window_closed' | 'whatsapp_not_configured';

export interface RouteInput {
  channel: OutboundChannel;
  /** E.164. */
  to: string;
  body: string;
  templateKey: string | null;
  templateVariables: Record<string, string> | null;
  lastWhatsappInboundAt: Date | null;
  now: Date;
  smsFrom: string | null;
  whatsappFrom: string | null;
  /** Template key → approved ContentSid. */
  whatsappTemplates: Record<string, string>;
}

export interface Route {
  channel: OutboundChannel;
  /** Twilio's form of the recipient: `+44…` or `whatsapp:+44…`. */
  to: string;
  from: string | null;
  body: string | null;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  /** Set when a WhatsApp message goes as SMS instead, so the contact log says why. */
  fallback: FallbackReason | null;
}

function asSms(input: RouteInput, fallback: FallbackReason | null): Route {
  return {
    channel: 'sms',
    to: input.to,
    from: input.smsFrom,
    body: input.body,
    contentSid: null,
    contentVariables: null,
    fallback,
  };
}

/** Decides channel, addresses and content. `from` null means no sender is configured for that channel. */
export function routeMessage(input: RouteInput): Route {
  if (input.channel === 'sms') return asSms(input, null);
  if (input.whatsappFrom === null) return asSms(input, 'whatsapp_not_configured');
  const whatsapp = {
    channel: 'whatsapp' as const,
    to: `whatsapp:${input.to}`,
    from: input.whatsappFrom,
    fallback: null,
  };
  if (whatsappWindowOpen(input.lastWhatsappInboundAt, input.now)) {
    return { ...whatsapp, body: input.body, contentSid: null, contentVariables: null };
  }
  const contentSid = input.templateKey ? input.whatsappTemplates[input.templateKey] : undefined;
  if (contentSid) {
    return { ...whatsapp, body: null, contentSid, contentVariables: input.templateVariables ?? {} };
  }
  return asSms(input, 'whatsapp_window_closed');
}
