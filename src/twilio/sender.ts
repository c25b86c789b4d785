// Sends outbox messages through Twilio's Messages API with the official SDK, and classifies Twilio's
// errors for the dispatcher (opted out, permanent, retry). `apiBaseUrl` points the SDK at a local stand-in:
// a RequestClient subclass rewrites https://api.twilio.com, because edge/region cannot reach localhost.
import twilio from 'twilio';
import { SendError, type Sender, type SendRequest, type SentMessage } from '../outbox/types.js';

export interface TwilioSenderConfig {
  accountSid: string;
  authToken: string;
  apiBaseUrl: string | null;
  /** The SDK's transport, replaced (the simulator's in-process phone network); wins over apiBaseUrl. */
  httpClient?: twilio.RequestClient;
}

const TWILIO_API = 'https://api.twilio.com';
/** Well under the dispatcher's 60 s lease, so a slow call never outlives its claim. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The recipient replied STOP (or was unsubscribed): record the opt-out, never retry. */
const OPTED_OUT = 21610;
/** Twilio's own "too many requests" and queue-overflow codes: worth another try later. */
const RETRYABLE_CODES = new Set([20429, 30001]);
/** No TCP connection was ever made, so Twilio cannot have the message. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type RequestOptions<TData> = Omit<Parameters<twilio.RequestClient['request']>[0], 'data'> & { data?: TData };

class RebasedRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: REQUEST_TIMEOUT_MS, autoRetry: false });
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API) ? this.base + opts.uri.slice(TWILIO_API.length) : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}

/** Turns whatever the SDK threw into a SendError the dispatcher can act on. Never includes message data. */
export function classifyTwilioError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const e = error as { status?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (typeof e.status === 'number') {
    const code = typeof e.code === 'number' ? e.code : null;
    if (code === OPTED_OUT)
      return new SendError('opted_out', 'the recipient has opted out (Twilio 21610)', code, e.status);
    if (e.status === 429 || e.status >= 500 || (code !== null && RETRYABLE_CODES.has(code))) {
      return new SendError('retry', `Twilio answered ${e.status}; will retry`, code, e.status);
    }
    if (e.status === 401 || e.status === 403) {
      // Our credentials, not the message: retrying lets the messages go once TWILIO_* is fixed.
      return new SendError(
        'retry',
        'Twilio rejected the credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
        code,
        e.status,
      );
    }
    return new SendError('permanent', `Twilio rejected the message${code ? ` (error ${code})` : ''}`, code, e.status);
  }
  const networkCode = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : null;
  const certain = networkCode !== null && NEVER_CONNECTED.has(networkCode);
  return new SendError('retry', `network error talking to Twilio (${networkCode ?? 'unknown'})`, null, null, !certain);
}

export function createTwilioSender(config: TwilioSenderConfig): Sender {
  const base = config.apiBaseUrl?.replace(/\/+$/, '') ?? null;
  const client = twilio(config.accountSid, config.authToken, {
    autoRetry: false,
    ...(config.httpClient
      ? { httpClient: config.httpClient }
      : base
        ? { httpClient: new RebasedRequestClient(base) }
        : { timeout: REQUEST_TIMEOUT_MS }),
  });

  return {
    async send(message: SendRequest): Promise<SentMessage> {
      const sender = message.from.startsWith('MG') ? { messagingServiceSid: message.from } : { from: message.from };
      const content = message.contentSid
        ? { contentSid: message.contentSid, contentVariables: JSON.stringify(message.contentVariables ?? {}) }
        : { body: message.body ?? '' };
      try {
        const created = await client.messages.create({
          to: message.to,
          ...sender,
          ...content,
          ...(message.statusCallback ? { statusCallback: message.statusCallback } : {}),
        });
        return { sid: created.sid, status: created.status };
      } catch (error) {
        throw classifyTwilioError(error);
      }
    },

    async find({ to, body, since, excludeSids = [] }): Promise<SentMessage | null> {
      const recent = await client.messages.list({ to, dateSentAfter: since, limit: 50 });
      const excluded = new Set(excludeSids);
      // Twilio lists newest first; the oldest unclaimed match is the one our earlier attempt created.
      const match = recent
        .filter((m) => m.direction !== 'inbound' && !excluded.has(m.sid) && (body === null || m.body === body))
        .at(-1);
      return match ? { sid: match.sid, status: match.status } : null;
    },
  };
}
