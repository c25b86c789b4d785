// POST /twilio/status: Twilio's delivery-status callbacks for the messages we sent. Signed like every
// Twilio webhook; each (sid, status) stored once; a message's status only moves forward. Answers 200 with
// an empty body quickly, since Twilio treats slow answers as failures.
import { Hono } from 'hono';
import type { Sql } from '../db/connect.js';
import { errorBody } from '../http/errors.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { recordStatusEvent } from '../outbox/delivery-status.js';
import { twilioSignatureMiddleware } from './signature.js';

interface TwilioStatusDeps {
  sql: Sql;
  clock: Clock;
  logger: Logger;
  authToken: string | null;
  publicBaseUrl: string;
}

export function createTwilioStatusRoute(deps: TwilioStatusDeps): Hono {
  const route = new Hono();
  route.post('/', twilioSignatureMiddleware(deps), async function receiveDeliveryStatus(c) {
    const params = c.get('twilioParams');
    const sid = params.MessageSid ?? params.SmsSid;
    const status = (params.MessageStatus ?? params.SmsStatus)?.toLowerCase();
    if (!sid || !status) {
      return c.json(errorBody('bad_request', 'a Twilio status callback needs MessageSid and MessageStatus'), 400);
    }
    const parsedCode = params.ErrorCode ? Number.parseInt(params.ErrorCode, 10) : NaN;
    const errorCode = Number.isFinite(parsedCode) ? parsedCode : null;
    const outcome = await deps.sql.begin((tx) =>
      recordStatusEvent(tx, { sid, status, errorCode, now: deps.clock.now() }),
    );
    deps.logger.info({ sid, status, errorCode, outcome }, 'delivery status');
    return c.body(null, 200);
  });
  return route;
}
