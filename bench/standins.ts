// Local stand-ins for Twilio's Messages API and Slack's Web API that the chaos and soak benchmarks can
// make misbehave: answer 429 or 5xx for a while, or be down altogether. Loopback only. Each records what
// it accepted, so a run can check that nothing was lost and nothing arrived twice.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  filterForList,
  newMessageSid,
  twilioMessagePage,
  twilioMessageResource,
  type StandinMessage,
} from '../test/support/twilio-standin.js';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<Listening & { server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

export interface FaultyTwilio extends Listening {
  /** Sends Twilio accepted (201), in order. */
  accepted: StandinMessage[];
  /** Sends refused with a fault, by status. */
  refused: Map<number, number>;
  /** While set, each send is answered with the status this returns (null: accept it). */
  fault: (() => number | null) | null;
  /** Called as each send is accepted, before Twilio would answer. */
  onAccept: ((message: StandinMessage, count: number) => void) | null;
  latencyMs: number;
  /** Sends accepted in all; with `keep` false (a long soak) only this is kept, not the messages. */
  acceptedCount: number;
  keep: boolean;
  /**
   * Every accepted send counted by its identity, kept even with `keep` false. A Twilio request carries no
   * outbox message id, so the identity is the recipient and the content (sendIdentity); a run compares
   * these counts with the outbox rows of the same identity (duplicate sends are the excess). Bounded: past
   * SEND_IDENTITIES_MAX distinct identities, further new ones are only counted in `identitiesDropped`.
   */
  sendsByIdentity: Map<string, number>;
  identitiesDropped: number;
  /**
   * With `keep` false, the last few sends to each recipient (bounded: RECENT_PER_RECIPIENT each, at most
   * RECENT_RECIPIENTS recipients, the longest unseen dropped first), so the dispatcher's reconciliation
   * (a GET of a recipient's recent messages after a claim outlived its lease) finds an earlier send as
   * Twilio would. Without them a long soak's stand-in answered every such lookup "none", and the
   * dispatcher, as designed, sent again: a duplicate that only the stand-in's amnesia made.
   */
  recentByRecipient: Map<string, StandinMessage[]>;
  /** Reconciliation lookups answered (GET Messages.json). */
  listRequests: number;
}

export const RECENT_PER_RECIPIENT = 8;
export const RECENT_RECIPIENTS = 200_000;

/** Distinct send identities the stand-in keeps (about 80 bytes each: 1,000,000 is under 100 MB). */
export const SEND_IDENTITIES_MAX = 1_000_000;

/**
 * A send's identity: md5 of To, a newline, and Body (or, for a template, its ContentSid and variables).
 * The soak computes the same hash in SQL, `md5(to_address || E'\n' || body)`, for the outbox's rows.
 */
export function sendIdentity(to: string, content: string): string {
  return createHash('md5').update(`${to}\n${content}`).digest('hex');
}

export async function startFaultyTwilio(): Promise<FaultyTwilio> {
  const state: Omit<FaultyTwilio, 'url' | 'close'> = {
    accepted: [],
    refused: new Map(),
    fault: null,
    onAccept: null,
    latencyMs: 0,
    acceptedCount: 0,
    keep: true,
    sendsByIdentity: new Map(),
    identitiesDropped: 0,
    recentByRecipient: new Map(),
    listRequests: 0,
  };
  function remember(message: StandinMessage): void {
    const list = state.recentByRecipient.get(message.to) ?? [];
    // Re-inserted, so the Map's order is least recently sent to first.
    state.recentByRecipient.delete(message.to);
    list.push({ ...message, form: {} });
    if (list.length > RECENT_PER_RECIPIENT) list.shift();
    state.recentByRecipient.set(message.to, list);
    if (state.recentByRecipient.size > RECENT_RECIPIENTS) {
      const oldest = state.recentByRecipient.keys().next().value;
      if (oldest !== undefined) state.recentByRecipient.delete(oldest);
    }
  }
  const listening = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const match = MESSAGES_PATH.exec(url.pathname);
    if (!match) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const accountSid = match[1] as string;
    if (req.method === 'GET') {
      state.listRequests++;
      const to = url.searchParams.get('To');
      const pool = state.keep ? state.accepted : to === null ? [] : (state.recentByRecipient.get(to) ?? []);
      const found = filterForList(pool, url.searchParams);
      return json(
        res,
        200,
        twilioMessagePage(
          accountSid,
          found.map((m) => twilioMessageResource({ ...m, status: 'sent' })),
        ),
      );
    }
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const status = state.fault?.() ?? null;
    if (status !== null) {
      state.refused.set(status, (state.refused.get(status) ?? 0) + 1);
      const body =
        status === 429
          ? { code: 20429, message: 'Too Many Requests', status }
          : { code: 20500, message: 'Internal Server Error', status };
      return json(res, status, body, status === 429 ? { 'retry-after': '1' } : {});
    }
    const message: StandinMessage = {
      sid: newMessageSid(),
      accountSid,
      to: form.To ?? '',
      from: form.From ?? form.MessagingServiceSid ?? null,
      body: form.Body ?? '',
      form,
      dateCreated: new Date(),
    };
    state.acceptedCount++;
    if (state.keep) state.accepted.push(message);
    else remember(message);
    const content = form.Body ?? `content:${form.ContentSid ?? ''}:${form.ContentVariables ?? ''}`;
    const identity = sendIdentity(message.to, content);
    const seen = state.sendsByIdentity.get(identity);
    if (seen !== undefined) state.sendsByIdentity.set(identity, seen + 1);
    else if (state.sendsByIdentity.size < SEND_IDENTITIES_MAX) state.sendsByIdentity.set(identity, 1);
    else state.identitiesDropped++;
    state.onAccept?.(message, state.acceptedCount);
    if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
    json(res, 201, twilioMessageResource({ ...message, status: 'queued' }));
  });
  return Object.assign(state, { url: listening.url, close: listening.close });
}

export interface SlackPost {
  channel: string;
  ts: string;
  text: string;
  threadTs: string | null;
  metadata: { event_type?: string; event_payload?: Record<string, unknown> } | null;
  at: number;
}

export interface FaultySlack extends Listening {
  /** Messages posted (cards and thread replies), in the order Slack accepted them. */
  posts: SlackPost[];
  /** While true every call is answered 503, as during a Slack outage. */
  down: boolean;
  refusedWhileDown: number;
}

function parseForm(text: string, type: string): Record<string, unknown> {
  if (type.includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(
    [...new URLSearchParams(text)].map(([k, v]) => {
      if (/^[[{]/.test(v)) {
        try {
          return [k, JSON.parse(v)];
        } catch {
          return [k, v];
        }
      }
      return [k, v];
    }),
  );
}

export async function startFaultySlack(): Promise<FaultySlack> {
  const state: Omit<FaultySlack, 'url' | 'close'> = { posts: [], down: false, refusedWhileDown: 0 };
  let ts = 1_700_000_000;
  const listening = await listen(async (req, res) => {
    const method = new URL(req.url ?? '/', 'http://standin').pathname.replace(/^\/api\//, '');
    const body = parseForm(await readBody(req), String(req.headers['content-type'] ?? ''));
    if (state.down) {
      state.refusedWhileDown++;
      res.writeHead(503, { 'content-type': 'text/plain' });
      return void res.end('Service Unavailable');
    }
    switch (method) {
      case 'chat.postMessage': {
        ts += 1;
        const post: SlackPost = {
          channel: String(body.channel),
          ts: `${ts}.000100`,
          text: String(body.text ?? ''),
          threadTs: body.thread_ts ? String(body.thread_ts) : null,
          metadata: (body.metadata as SlackPost['metadata']) ?? null,
          at: Date.now(),
        };
        state.posts.push(post);
        return json(res, 200, { ok: true, channel: post.channel, ts: post.ts, message: { text: post.text } });
      }
      case 'conversations.history':
      case 'conversations.replies': {
        const messages = state.posts
          .filter(
            (p) =>
              p.channel === body.channel &&
              (method === 'conversations.history' ? p.threadTs === null : p.threadTs === body.ts || p.ts === body.ts),
          )
          .map((p) => ({
            ts: p.ts,
            text: p.text,
            thread_ts: p.threadTs ?? undefined,
            metadata: p.metadata ?? undefined,
          }))
          .reverse();
        return json(res, 200, { ok: true, messages, has_more: false });
      }
      case 'chat.update':
        return json(res, 200, { ok: true, channel: body.channel, ts: body.ts });
      case 'chat.postEphemeral':
        return json(res, 200, { ok: true, message_ts: `${ts}.000200` });
      case 'auth.test':
        return json(res, 200, { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
      default:
        return json(res, 200, { ok: true });
    }
  });
  return Object.assign(state, { url: listening.url, close: listening.close });
}
