// Verifies X-Twilio-Signature on Twilio's form-encoded webhooks, before anything is parsed or stored.
// Twilio signs the URL it called, so the check uses PUBLIC_BASE_URL + path + query, never the internal
// URL a proxy forwarded to (docs/rules.md#webhooks). Shared by POST /twilio/messages and POST /twilio/status.
import type { MiddlewareHandler } from 'hono';
import twilio from 'twilio';
import { errorBody } from '../http/errors.js';
import type { Logger } from '../lib/logger.js';

type TwilioParams = Record<string, string>;

/** Hono environment for routes behind the middleware: `c.get('twilioParams')`. */
interface TwilioWebhookEnv {
  Variables: { twilioParams: TwilioParams };
}

interface TwilioSignatureDeps {
  authToken: string | null;
  publicBaseUrl: string;
  logger: Logger;
}

/** The form as Twilio signed it (repeated keys as arrays), and a flat copy for handlers (first value wins). */
export function parseTwilioForm(raw: string): { signed: Record<string, string | string[]>; params: TwilioParams } {
  const signed: Record<string, string | string[]> = {};
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const seen = signed[key];
    if (seen === undefined) signed[key] = value;
    else signed[key] = Array.isArray(seen) ? [...seen, value] : [seen, value];
    if (!(key in params)) params[key] = value;
  }
  return { signed, params };
}

export function twilioSignatureMiddleware(deps: TwilioSignatureDeps): MiddlewareHandler<TwilioWebhookEnv> {
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  return async function verifyTwilioSignature(c, next) {
    if (!deps.authToken) {
      return c.json(
        errorBody(
          'not_configured',
          'Twilio webhooks are off: set TWILIO_AUTH_TOKEN so their signatures can be checked',
        ),
        503,
      );
    }
    const internal = new URL(c.req.url);
    const publicUrl = base + internal.pathname + internal.search;
    const signature = c.req.header('x-twilio-signature') ?? '';
    const { signed, params } = parseTwilioForm(await c.req.text());
    if (!signature || !twilio.validateRequest(deps.authToken, signature, publicUrl, signed)) {
      // Nothing from the request is logged but its path: a forged request may carry anything.
      deps.logger.warn(
        { path: internal.pathname, signed: signature !== '' },
        'rejected a Twilio webhook with a missing or wrong signature',
      );
      return c.json(
        errorBody(
          'forbidden',
          'the X-Twilio-Signature does not match; check TWILIO_AUTH_TOKEN and that PUBLIC_BASE_URL is the URL Twilio calls',
        ),
        403,
      );
    }
    c.set('twilioParams', params);
    await next();
  };
}
