// Slack faked at the network edge: msw answers @slack/web-api's real requests (chat.postMessage,
// chat.update, chat.postEphemeral, views.open/update/publish) and `respond()` posts to response URLs, and
// records every body so tests assert what Slack would receive. msw allows one active server per process,
// so this module also answers Twilio's Messages API for the tenant texts (the same shape as msw-twilio.ts).
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { newMessageSid, twilioMessageResource } from './twilio-standin.js';

export const TEST_SLACK_API_URL = 'https://slack.test/api/';
export const SLACK_SIGNING_SECRET = 'test-slack-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

export interface SentText {
  to: string;
  body: string;
}

export interface VendorMock {
  /** Every Slack Web API call, in order. */
  slack: SlackCall[];
  /** Bodies posted to response_url (slash commands' `respond`). */
  responses: Record<string, unknown>[];
  /** Tenant texts Twilio accepted. */
  texts: SentText[];
  /** Files uploaded through files.uploadV2 (the bytes sent to the upload URL), in order. */
  uploads: { fileId: string; bytes: Uint8Array }[];
  calls(method: string): Record<string, unknown>[];
  /** Answer the next calls of this method with a Slack error (e.g. `ratelimited` or `channel_not_found`). */
  failNext(method: string, error: string): void;
  reset(): void;
}

function parseValue(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if ((request.headers.get('content-type') ?? '').includes('application/json'))
    return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries([...new URLSearchParams(text)].map(([k, v]) => [k, parseValue(v)]));
}

/**
 * Call at the top of a test file. `loopback: true` lets requests to 127.0.0.1 through (a test talking to
 * services it started on local ports); anything else unhandled is still an error.
 */
export function useVendorMock(options: { loopback?: boolean } = {}): VendorMock {
  const slack: SlackCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const texts: SentText[] = [];
  const uploads: { fileId: string; bytes: Uint8Array }[] = [];
  let files = 0;
  const failures = new Map<string, string[]>();
  let ts = 1_700_000_000;
  let views = 0;
  /** Messages the app posted, so history and thread reads can return them. */
  const posted: { channel: string; message: { ts: string; text: unknown; thread_ts: unknown; metadata: unknown } }[] =
    [];

  const server = setupServer(
    http.post(`${TEST_SLACK_API_URL}:method`, async ({ request, params }) => {
      const method = String(params.method);
      const body = await readBody(request);
      slack.push({ method, body });
      const failure = failures.get(method)?.shift();
      if (failure) return HttpResponse.json({ ok: false, error: failure });
      switch (method) {
        case 'chat.postMessage': {
          ts += 1;
          const message = { ts: `${ts}.000100`, text: body.text, thread_ts: body.thread_ts, metadata: body.metadata };
          posted.push({ channel: String(body.channel), message });
          return HttpResponse.json({ ok: true, channel: body.channel, ts: message.ts, message: { text: body.text } });
        }
        case 'conversations.history':
        case 'conversations.replies': {
          // Newest first, as Slack lists them; metadata only when asked for.
          const messages = posted
            .filter(
              (p) =>
                p.channel === body.channel &&
                (method === 'conversations.history'
                  ? !p.message.thread_ts
                  : p.message.thread_ts === body.ts || p.message.ts === body.ts),
            )
            .map((p) =>
              String(body.include_all_metadata) === 'true' ? p.message : { ...p.message, metadata: undefined },
            )
            .reverse();
          return HttpResponse.json({ ok: true, messages, has_more: false });
        }
        case 'chat.update':
          return HttpResponse.json({ ok: true, channel: body.channel, ts: body.ts });
        case 'chat.postEphemeral':
          return HttpResponse.json({ ok: true, message_ts: `${ts}.000200` });
        case 'views.open':
        case 'views.update':
        case 'views.publish': {
          views += 1;
          const view = (body.view ?? {}) as Record<string, unknown>;
          return HttpResponse.json({
            ok: true,
            view: { ...view, id: method === 'views.open' ? `V${views}` : body.view_id, hash: `hash-${views}` },
          });
        }
        case 'files.getUploadURLExternal': {
          files += 1;
          return HttpResponse.json({
            ok: true,
            upload_url: `https://files.slack.test/upload/v1/F${files}`,
            file_id: `F${files}`,
          });
        }
        case 'files.completeUploadExternal': {
          const list = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as {
            id: string;
            title?: string;
          }[];
          return HttpResponse.json({ ok: true, files: list.map((f) => ({ id: f.id, title: f.title })) });
        }
        case 'auth.test':
          return HttpResponse.json({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
        default:
          return HttpResponse.json({ ok: false, error: 'unknown_method' });
      }
    }),
    // The second step of files.uploadV2: the file's bytes posted to the URL Slack handed out.
    http.post('https://files.slack.test/upload/v1/:fileId', async ({ request, params }) => {
      let bytes: Uint8Array;
      if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
        const form = await request.formData();
        const part = [...form.values()].find((v) => typeof v !== 'string');
        bytes = part ? new Uint8Array(await (part as Blob).arrayBuffer()) : new Uint8Array();
      } else {
        bytes = new Uint8Array(await request.arrayBuffer());
      }
      uploads.push({ fileId: String(params.fileId), bytes });
      return HttpResponse.text('OK - 200');
    }),
    http.post('https://hooks.slack.test/commands/*', async ({ request }) => {
      responses.push((await request.json()) as Record<string, unknown>);
      return HttpResponse.text('ok');
    }),
    http.post('https://api.twilio.com/2010-04-01/Accounts/:accountSid/Messages.json', async ({ request, params }) => {
      const form = Object.fromEntries(new URLSearchParams(await request.text()));
      texts.push({ to: form.To ?? '', body: form.Body ?? '' });
      const message = {
        sid: newMessageSid(),
        accountSid: String(params.accountSid),
        to: form.To ?? '',
        from: form.From ?? null,
        body: form.Body ?? '',
        status: 'queued',
        dateCreated: new Date(),
      };
      return HttpResponse.json(twilioMessageResource(message), { status: 201 });
    }),
  );

  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (request, print) => {
        if (options.loopback && new URL(request.url).hostname === '127.0.0.1') return;
        print.error();
      },
    }),
  );
  afterEach(() => {
    uploads.length = 0;
    slack.length = 0;
    responses.length = 0;
    texts.length = 0;
    failures.clear();
  });
  afterAll(() => server.close());

  return {
    slack,
    responses,
    texts,
    uploads,
    calls: (method) => slack.filter((c) => c.method === method).map((c) => c.body),
    failNext(method, error) {
      failures.set(method, [...(failures.get(method) ?? []), error]);
    },
    reset() {
      uploads.length = 0;
      slack.length = 0;
      responses.length = 0;
      texts.length = 0;
      failures.clear();
    },
  };
}

/** A click on a card button in `channel`, as Slack sends it (the `payload` of a block_actions request). */
export function buttonClickPayload(
  channel: string,
  action: string,
  escalationId: number,
  user: string,
  messageTs: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T1' },
    user: { id: user, name: user.toLowerCase(), team_id: 'T1' },
    api_app_id: 'A1',
    token: 'x',
    trigger_id: `trigger-${user}-${escalationId}`,
    channel: { id: channel },
    container: { type: 'message', channel_id: channel, message_ts: messageTs },
    message: { ts: messageTs, type: 'message' },
    response_url: 'https://hooks.slack.test/commands/T1/1/abc',
    actions: [
      {
        type: 'button',
        action_id: action,
        block_id: `escalation:${escalationId}`,
        value: String(escalationId),
        action_ts: '1',
      },
    ],
  };
}
