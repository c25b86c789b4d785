// Bolt served by Hono: a small custom Receiver. It reads the raw body once, verifies Slack's signature on
// it with Bolt's own verifySlackRequest, hands the parsed payload to Bolt, and answers the HTTP request the
// moment a listener calls ack(), while the listener's work carries on. Events Slack re-sends are passed on
// with their retry number; app.ts recognises them by event_id after the workspace check.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { verifySlackRequest } from '@slack/bolt';

/** How far ahead of our clock a Slack timestamp may be (Slack allows five minutes either way). */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
import { Hono } from 'hono';
import { errorFields, type Logger } from '../lib/logger.js';

interface SlackReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Answer 200 anyway if no listener acknowledged within this time (Slack gives up after 3 s). */
  ackTimeoutMs?: number;
}

type Payload = Record<string, unknown>;

/** Interactivity and slash commands arrive form-encoded; events arrive as JSON. */
function parseSlackBody(raw: string, contentType: string): Payload {
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return JSON.parse(payload) as Payload;
    return Object.fromEntries(form);
  }
  return JSON.parse(raw) as Payload;
}

function ackResponse(body: unknown): Response {
  if (body === undefined || body === null || body === '') return new Response(null, { status: 200 });
  if (typeof body === 'string')
    return new Response(body, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

function refusal(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export class HonoSlackReceiver implements Receiver {
  private bolt: App | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: SlackReceiverOptions) {}

  init(app: App): void {
    this.bolt = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves when every listener started so far has finished (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The Hono sub-app for POST /slack/events. */
  route(): Hono {
    const route = new Hono();
    route.post('/', async (c) => this.handle(c.req.raw));
    return route;
  }

  private async handle(request: Request): Promise<Response> {
    const { logger } = this.options;
    const raw = await request.text();
    const contentType = request.headers.get('content-type') ?? '';
    if (
      contentType.includes('application/x-www-form-urlencoded') &&
      new URLSearchParams(raw).get('ssl_check') === '1'
    ) {
      // Slack's SSL check carries no signature and must not be processed.
      return new Response(null, { status: 200 });
    }
    // Bolt's check refuses only requests older than five minutes; a signed request stamped in the future
    // (a replay prepared in advance) is refused here with the same allowance.
    const stamped = Number(request.headers.get('x-slack-request-timestamp') ?? Number.NaN);
    if (stamped * 1000 > Date.now() + MAX_CLOCK_SKEW_MS) {
      logger.warn({ source: 'slack' }, 'refused a Slack request timestamped in the future');
      return refusal(401, 'unauthorised', 'the Slack request timestamp is in the future; check the sending clock');
    }
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': request.headers.get('x-slack-signature') ?? '',
          'x-slack-request-timestamp': Number(request.headers.get('x-slack-request-timestamp') ?? Number.NaN),
        },
      });
    } catch {
      logger.warn({ source: 'slack' }, 'refused a Slack request: missing, stale or wrong signature');
      return refusal(401, 'unauthorised', 'the Slack signature is missing, stale or wrong; check SLACK_SIGNING_SECRET');
    }
    let body: Payload;
    try {
      body = parseSlackBody(raw, contentType);
    } catch {
      return refusal(400, 'bad_request', 'the Slack payload is not valid JSON or form data');
    }
    if (body.type === 'url_verification') return Response.json({ challenge: body.challenge });

    const retryNum = Number(request.headers.get('x-slack-retry-num') ?? Number.NaN);
    return this.dispatch(
      body,
      Number.isNaN(retryNum) ? undefined : retryNum,
      request.headers.get('x-slack-retry-reason') ?? undefined,
    );
  }

  private dispatch(body: Payload, retryNum: number | undefined, retryReason: string | undefined): Promise<Response> {
    const bolt = this.bolt;
    if (!bolt) return Promise.resolve(refusal(503, 'not_configured', 'the Slack app is not initialised yet'));
    return new Promise<Response>((resolve) => {
      let answered = false;
      const answer = (response: Response) => {
        if (answered) return false;
        answered = true;
        clearTimeout(timer);
        resolve(response);
        return true;
      };
      const timer = setTimeout(() => {
        if (answer(new Response(null, { status: 200 })))
          this.options.logger.warn({ source: 'slack' }, 'no Slack listener acknowledged in time; answered 200');
      }, this.options.ackTimeoutMs ?? 2500);
      const event: ReceiverEvent = {
        body,
        ...(retryNum === undefined ? {} : { retryNum }),
        ...(retryReason === undefined ? {} : { retryReason }),
        ack: async (response?: unknown) => {
          if (!answer(ackResponse(response)))
            this.options.logger.warn(
              { source: 'slack' },
              'a Slack listener acknowledged twice; the second ack was ignored',
            );
        },
      };
      const work = bolt
        .processEvent(event)
        .catch((error: unknown) => {
          this.options.logger.error({ source: 'slack', err: errorFields(error) }, 'a Slack listener failed');
          answer(new Response(null, { status: 500 }));
        })
        .finally(() => {
          // Nothing matched (an action we do not handle): Slack still wants a 200.
          answer(new Response(null, { status: 200 }));
          this.inFlight.delete(work);
        });
      this.inFlight.add(work);
    });
  }
}
