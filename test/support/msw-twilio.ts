// Twilio faked at the network edge for in-process tests: msw answers the SDK's real HTTP requests, records
// the form bodies Twilio would receive (To, From, Body, ContentSid, StatusCallback…), and can be told to
// fail the next sends with a Twilio error, an HTTP status or a broken connection.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  filterForList,
  newMessageSid,
  twilioMessagePage,
  twilioMessageResource,
  type StandinMessage,
} from './twilio-standin.js';

export const TEST_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const TEST_AUTH_TOKEN = 'test-twilio-auth-token';

const MESSAGES_URL = 'https://api.twilio.com/2010-04-01/Accounts/:accountSid/Messages.json';

export type TwilioFailure =
  | { kind: 'twilio_error'; status: number; code: number }
  | { kind: 'http'; status: number }
  /** The connection breaks after Twilio accepted the message: it exists at Twilio, we never hear. */
  | { kind: 'accepted_then_network_error' }
  | { kind: 'network_error' };

export interface TwilioMock {
  /** Every message Twilio accepted (failures are not here), in arrival order. */
  accepted: StandinMessage[];
  /** Every POST's form, including ones answered with an error. */
  attempts: Record<string, string>[];
  /** Answer the next sends (one per entry) with these failures; later sends succeed. */
  failNext(...failures: TwilioFailure[]): void;
  /** Answer every send to this number (Twilio's `To`) with this failure. */
  failTo(to: string, failure: TwilioFailure): void;
  reset(): void;
}

/**
 * Call at the top of a test file: msw intercepts Twilio for the file's tests; anything else unhandled is an
 * error. `now` stamps accepted messages (pass the test's fixed clock so Twilio's DateSent filter agrees).
 */
export function useTwilioMock(options: { now?: () => Date } = {}): TwilioMock {
  const now = options.now ?? (() => new Date());
  const accepted: StandinMessage[] = [];
  const attempts: Record<string, string>[] = [];
  const queued: TwilioFailure[] = [];
  const byNumber = new Map<string, TwilioFailure>();

  function failureResponse(failure: TwilioFailure) {
    if (failure.kind === 'twilio_error') {
      return HttpResponse.json(
        {
          code: failure.code,
          message: `Twilio error ${failure.code}`,
          more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
          status: failure.status,
        },
        { status: failure.status },
      );
    }
    if (failure.kind === 'http')
      return HttpResponse.json({ message: 'Service unavailable', status: failure.status }, { status: failure.status });
    return HttpResponse.error();
  }

  const server = setupServer(
    http.post(MESSAGES_URL, async ({ request, params }) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      attempts.push(form);
      const failure = byNumber.get(form.To ?? '') ?? queued.shift();
      const accountSid = String(params.accountSid);
      const message: StandinMessage = {
        sid: newMessageSid(),
        accountSid,
        to: form.To ?? '',
        from: form.From ?? form.MessagingServiceSid ?? null,
        body: form.Body ?? '',
        form,
        dateCreated: now(),
      };
      if (failure && failure.kind !== 'accepted_then_network_error') return failureResponse(failure);
      accepted.push(message);
      if (failure) return HttpResponse.error();
      return HttpResponse.json(twilioMessageResource({ ...message, status: 'queued' }), { status: 201 });
    }),
    http.get(MESSAGES_URL, ({ request, params }) => {
      const found = filterForList(accepted, new URL(request.url).searchParams);
      return HttpResponse.json(
        twilioMessagePage(
          String(params.accountSid),
          found.map((m) => twilioMessageResource({ ...m, status: 'sent' })),
        ),
      );
    }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    accepted.length = 0;
    attempts.length = 0;
    queued.length = 0;
    byNumber.clear();
  });
  afterAll(() => server.close());

  return {
    accepted,
    attempts,
    failNext: (...failures) => queued.push(...failures),
    failTo: (to, failure) => byNumber.set(to, failure),
    reset() {
      accepted.length = 0;
      attempts.length = 0;
      queued.length = 0;
      byNumber.clear();
    },
  };
}
