// A small local HTTP stand-in for Twilio's Messages API, for tests that run the dispatcher in another
// process (where msw cannot reach). It records every message the moment the request arrives (as Twilio
// would accept it), then answers after `latencyMs`, so a process killed mid-request still leaves a trace.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StandinMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  body: string;
  form: Record<string, string>;
  dateCreated: Date;
}

/** The JSON Twilio answers for one message resource (fields the SDK reads). */
export function twilioMessageResource(m: {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  body: string;
  status: string;
  dateCreated: Date;
}) {
  const date = m.dateCreated.toUTCString().replace('GMT', '+0000');
  return {
    sid: m.sid,
    account_sid: m.accountSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: m.status,
    direction: 'outbound-api',
    num_segments: '1',
    date_created: date,
    date_updated: date,
    date_sent: date,
    error_code: null,
    error_message: null,
    uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  };
}

export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** Twilio's list page around some message resources. */
export function twilioMessagePage(accountSid: string, messages: unknown[]) {
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  return {
    messages,
    uri,
    first_page_uri: uri,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: 50,
    start: 0,
    end: messages.length,
  };
}

/** Twilio's `DateSent>` filter, and the `To` filter, over recorded messages. */
export function filterForList(messages: StandinMessage[], query: URLSearchParams): StandinMessage[] {
  const to = query.get('To');
  const after = query.get('DateSent>');
  const since = after ? new Date(after) : null;
  return messages
    .filter((m) => (to === null || m.to === to) && (since === null || m.dateCreated >= since))
    .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface TwilioStandin {
  url: string;
  received: StandinMessage[];
  close(): Promise<void>;
}

export interface TwilioStandinOptions {
  /** How long each send takes to answer, after the message is recorded. */
  latencyMs?: number;
  /** Called as each message is recorded, before Twilio would answer (e.g. to kill the sender right then). */
  onMessage?: (message: StandinMessage, count: number) => void;
}

export async function startTwilioStandin(options: TwilioStandinOptions = {}): Promise<TwilioStandin> {
  const latencyMs = options.latencyMs ?? 0;
  const received: StandinMessage[] = [];
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const match = MESSAGES_PATH.exec(url.pathname);
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!match) return reply(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const accountSid = match[1] as string;
    if (req.method === 'GET') {
      const found = filterForList(received, url.searchParams);
      return reply(
        200,
        twilioMessagePage(
          accountSid,
          found.map((m) => twilioMessageResource({ ...m, status: 'sent' })),
        ),
      );
    }
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const message: StandinMessage = {
      sid: newMessageSid(),
      accountSid,
      to: form.To ?? '',
      from: form.From ?? form.MessagingServiceSid ?? null,
      body: form.Body ?? '',
      form,
      dateCreated: new Date(),
    };
    received.push(message);
    options.onMessage?.(message, received.length);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    reply(201, twilioMessageResource({ ...message, status: 'queued' }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
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
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
