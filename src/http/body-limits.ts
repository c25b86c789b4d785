// The most each route accepts in one request body, refused with 413 before anything reads it: a body is
// held in memory while its signature is checked, so without a bound twenty 10 MB posts cost 200 MB.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_INBOUND_FORM_BYTES } from '../twilio/inbound-limits.js';
import { errorBody } from './errors.js';

const KB = 1024;
const MB = 1024 * KB;

/** Longest prefix first. Imports carry whole files as JSON; everything else is small. */
const BODY_LIMITS: readonly { prefix: string; maxBytes: number }[] = [
  { prefix: '/api/tenancies', maxBytes: 25 * MB },
  { prefix: '/api/transactions', maxBytes: 25 * MB },
  { prefix: '/twilio/', maxBytes: MAX_INBOUND_FORM_BYTES },
  // Slack's largest payloads are modal submissions with their view state.
  { prefix: '/slack/', maxBytes: 1 * MB },
  { prefix: '/', maxBytes: 64 * KB },
];

function describe(bytes: number): string {
  return bytes >= MB ? `${bytes / MB} MB` : `${bytes / KB} KB`;
}

export function bodyLimits(): MiddlewareHandler {
  const limiters = BODY_LIMITS.map(({ prefix, maxBytes }) => ({
    prefix,
    limit: bodyLimit({
      maxSize: maxBytes,
      onError: (c) =>
        c.json(
          errorBody(
            'payload_too_large',
            `the request body is larger than ${describe(maxBytes)}, the most ${prefix === '/' ? 'this route' : `${prefix}…`} accepts; send less at once (for imports: split the file)`,
          ),
          413,
        ),
    }),
  }));
  return async function limitBody(c, next) {
    const path = new URL(c.req.url).pathname;
    const match =
      limiters.find((l) => path.startsWith(l.prefix)) ?? (limiters[limiters.length - 1] as (typeof limiters)[number]);
    return match.limit(c, next);
  };
}
