// The simulator's Slack: an in-process stand-in for the Slack Web API, given to Bolt (and so to the card
// poster and every listener) as its `fetch`. It keeps what Slack would show the demo officer: the
// escalation channel's messages and threads, ephemeral replies, the open modal and App Home. The requests
// are the real ones the Slack SDK builds; only the network is replaced.

/** One message in the channel as Slack keeps it. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  threadTs: string | null;
  metadata: unknown;
  editedAt: Date | null;
  /** Who wrote it: null for the Rentline app, else a person's user id (the officer replying in a thread). */
  user: string | null;
}

interface SlackEphemeral {
  id: number;
  channel: string | null;
  user: string | null;
  text: string;
  blocks: unknown[];
  at: Date;
}

interface SlackView {
  id: string;
  hash: string;
  /** Bumped on every change, so the page redraws a modal only when it changed. */
  version: number;
  view: Record<string, unknown>;
}

export interface SlackWorkspace {
  fetch: typeof globalThis.fetch;
  readonly channel: string;
  readonly officer: { id: string; name: string };
  readonly botUserId: string;
  readonly botId: string;
  messages(): SlackMessage[];
  find(ts: string): SlackMessage | null;
  ephemerals(): SlackEphemeral[];
  /** The modal open now (Slack shows one at a time), or null. */
  modal(): SlackView | null;
  closeModal(): void;
  home(): SlackView | null;
  /** A fresh response_url for a slash command; what is posted to it shows as an ephemeral reply. */
  responseUrl(): string;
  /** A trigger id, as Slack sends with each click (the modal it opens replaces the current one). */
  triggerId(): string;
  /** Puts back a message Slack would still hold (this stand-in forgets its channel when the service stops). */
  restore(message: Omit<SlackMessage, 'editedAt' | 'user'>): void;
  /** The officer writes in a thread (what Slack shows at once, before it tells the app). */
  postAsOfficer(threadTs: string, text: string): SlackMessage | null;
}

const RESPONSE_URL_BASE = 'https://hooks.slack.com/commands/SIMULATOR/';
const MAX_KEPT = 500;

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

async function readArgs(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if ((request.headers.get('content-type') ?? '').includes('application/json'))
    return JSON.parse(text || '{}') as Record<string, unknown>;
  return Object.fromEntries([...new URLSearchParams(text)].map(([k, v]) => [k, parseValue(v)]));
}

function ok(body: Record<string, unknown>): Response {
  return Response.json({ ok: true, ...body });
}

function fail(error: string): Response {
  return Response.json({ ok: false, error });
}

const asText = (v: unknown) => (typeof v === 'string' ? v : '');
const asBlocks = (v: unknown) => (Array.isArray(v) ? v : []);

export function createSlackWorkspace(options: {
  channel: string;
  officer: { id: string; name: string };
}): SlackWorkspace {
  const messages: SlackMessage[] = [];
  const ephemerals: SlackEphemeral[] = [];
  const views = new Map<string, SlackView>();
  let openModalId: string | null = null;
  let homeId: string | null = null;
  let counter = 0;
  // Slack's ts: the time in seconds, made unique by the part after the dot.
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String((counter += 1) % 1_000_000).padStart(6, '0')}`;
  const nextId = (prefix: string) => `${prefix}${(counter += 1).toString(36).toUpperCase().padStart(8, '0')}`;

  function keepView(view: Record<string, unknown>, id = nextId('V')): SlackView {
    const previous = views.get(id);
    const kept = { id, hash: nextId('H'), version: (previous?.version ?? 0) + 1, view };
    views.set(id, kept);
    return kept;
  }

  function viewResponse(v: SlackView) {
    return { view: { id: v.id, hash: v.hash, ...v.view } };
  }

  function ephemeral(channel: string | null, user: string | null, args: Record<string, unknown>): void {
    ephemerals.push({
      id: (counter += 1),
      channel,
      user,
      text: asText(args.text),
      blocks: asBlocks(args.blocks),
      at: new Date(),
    });
    if (ephemerals.length > MAX_KEPT) ephemerals.shift();
  }

  function call(method: string, args: Record<string, unknown>): Response {
    switch (method) {
      case 'auth.test':
        return ok({ user_id: BOT_USER_ID, bot_id: BOT_ID, team_id: 'TSIMULATOR', user: 'rentline' });
      case 'chat.postMessage': {
        const channel = asText(args.channel);
        if (channel === '') return fail('channel_not_found');
        const message: SlackMessage = {
          channel,
          ts: nextTs(),
          text: asText(args.text),
          blocks: asBlocks(args.blocks),
          threadTs: asText(args.thread_ts) || null,
          metadata: args.metadata ?? null,
          editedAt: null,
          user: null,
        };
        messages.push(message);
        if (messages.length > MAX_KEPT) messages.shift();
        return ok({ channel, ts: message.ts, message: { text: message.text, ts: message.ts } });
      }
      case 'chat.update': {
        const found = messages.find((m) => m.ts === asText(args.ts));
        if (!found) return fail('message_not_found');
        found.text = asText(args.text);
        found.blocks = asBlocks(args.blocks);
        found.editedAt = new Date();
        return ok({ channel: found.channel, ts: found.ts });
      }
      case 'chat.postEphemeral':
        ephemeral(asText(args.channel) || null, asText(args.user) || null, args);
        return ok({ message_ts: nextTs() });
      case 'conversations.history':
      case 'conversations.replies': {
        const channel = asText(args.channel);
        const thread = method === 'conversations.replies' ? asText(args.ts) : null;
        const found = messages
          .filter(
            (m) =>
              m.channel === channel &&
              (thread === null ? m.threadTs === null : m.ts === thread || m.threadTs === thread),
          )
          .map((m) => ({
            type: 'message',
            ts: m.ts,
            text: m.text,
            thread_ts: m.threadTs ?? undefined,
            metadata: m.metadata ?? undefined,
          }));
        return ok({ messages: thread === null ? found.reverse() : found, has_more: false });
      }
      case 'views.open': {
        const view = keepView(args.view as Record<string, unknown>);
        openModalId = view.id;
        return ok(viewResponse(view));
      }
      case 'views.update': {
        const id = asText(args.view_id);
        if (!views.has(id)) return fail('not_found');
        return ok(viewResponse(keepView(args.view as Record<string, unknown>, id)));
      }
      case 'views.publish': {
        const view = keepView(args.view as Record<string, unknown>, homeId ?? undefined);
        homeId = view.id;
        return ok(viewResponse(view));
      }
      default:
        return fail('unknown_method');
    }
  }

  const standInFetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (request.url.startsWith(RESPONSE_URL_BASE)) {
      // respond() from a slash command: shown to the officer only (ephemeral), as Slack does.
      const args = await readArgs(request);
      ephemeral(null, options.officer.id, args);
      return new Response('ok', { status: 200 });
    }
    const method = url.pathname.replace(/^.*\/api\//, '');
    return call(method, await readArgs(request));
  };

  return {
    fetch: standInFetch,
    channel: options.channel,
    officer: options.officer,
    botUserId: BOT_USER_ID,
    botId: BOT_ID,
    messages: () => [...messages],
    find: (ts) => messages.find((m) => m.ts === ts) ?? null,
    ephemerals: () => [...ephemerals],
    modal: () => (openModalId === null ? null : (views.get(openModalId) ?? null)),
    closeModal: () => {
      openModalId = null;
    },
    home: () => (homeId === null ? null : (views.get(homeId) ?? null)),
    responseUrl: () => `${RESPONSE_URL_BASE}${nextId('R')}`,
    triggerId: () => nextId('T'),
    restore: (message) => {
      if (!messages.some((m) => m.ts === message.ts)) messages.push({ ...message, editedAt: null, user: null });
      messages.sort((a, b) => Number(a.ts) - Number(b.ts));
    },
    postAsOfficer: (threadTs, text) => {
      const root = messages.find((m) => m.ts === threadTs && m.threadTs === null);
      if (!root) return null;
      const message: SlackMessage = {
        channel: root.channel,
        ts: nextTs(),
        text,
        blocks: [],
        threadTs,
        metadata: null,
        editedAt: null,
        user: options.officer.id,
      };
      messages.push(message);
      return message;
    },
  };
}

const BOT_USER_ID = 'U0RENTLINE';
const BOT_ID = 'B0RENTLINE';
