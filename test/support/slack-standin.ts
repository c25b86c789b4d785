// A small local HTTP stand-in for the Slack Web API, for tests that run the service in another process
// (where msw cannot reach): it records every call and answers each method as Slack would, in outline.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
}

export interface SlackStandin {
  /** Pass as SLACK_API_URL. */
  url: string;
  calls: SlackCall[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const form = Object.fromEntries(new URLSearchParams(raw)) as Record<string, unknown>;
  for (const key of ['blocks', 'metadata'])
    if (typeof form[key] === 'string') form[key] = JSON.parse(form[key] as string) as unknown;
  return form;
}

export async function startSlackStandin(): Promise<SlackStandin> {
  const calls: SlackCall[] = [];
  const posted: { channel: unknown; ts: string; thread_ts: unknown; metadata: unknown }[] = [];
  let ts = 1_700_000_000;
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      calls.push({ method, body });
      const answer: Record<string, unknown> = { ok: true };
      if (method === 'auth.test') Object.assign(answer, { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEAM' });
      if (method === 'chat.postMessage') {
        const message = {
          channel: body.channel,
          ts: `${(ts += 1)}.000100`,
          thread_ts: body.thread_ts,
          metadata: body.metadata,
        };
        posted.push(message);
        Object.assign(answer, { channel: body.channel, ts: message.ts });
      }
      if (method === 'chat.update') Object.assign(answer, { channel: body.channel, ts: body.ts });
      // What the channel (or a thread) shows, newest first, with each message's metadata.
      if (method === 'conversations.history') {
        Object.assign(answer, { messages: posted.filter((m) => m.channel === body.channel && !m.thread_ts).reverse() });
      }
      if (method === 'conversations.replies') {
        Object.assign(answer, {
          messages: posted
            .filter((m) => m.channel === body.channel && (m.thread_ts === body.ts || m.ts === body.ts))
            .reverse(),
        });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
