// The simulator's phone network: an in-process stand-in for Twilio's Messages API, given to the real
// Twilio sender as the SDK's httpClient. Every text the dispatcher sends is recorded as the phone received
// it (body, or the WhatsApp template and its variables), and delivery reports come back through the real
// status webhook handler, as Twilio's would.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient.js';
import type * as TwilioResponseModule from 'twilio/lib/http/response.js';

export const SIMULATOR_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
/** Ofcom's drama numbers: never a real phone. */
export const SIMULATOR_SMS_FROM = '+447700900000';
export const SIMULATOR_WHATSAPP_FROM = 'whatsapp:+447700900999';

export interface PhoneText {
  sid: string;
  to: string;
  from: string;
  body: string | null;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  at: Date;
}

type RequestOptions = TwilioRequestClient.RequestOptions;

/**
 * What a transport answers the SDK: a status and the JSON text, which the SDK parses itself (its own client
 * answers the raw text too). The SDK types that body by a generic no transport can know; its own default
 * for it (RequestOptions' data) is what the body is typed here.
 */
type Answer = TwilioResponseModule.default<RequestOptions['data']>;

const MESSAGES = /\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

function resource(text: PhoneText, status: string) {
  const date = text.at.toUTCString().replace('GMT', '+0000');
  return {
    sid: text.sid,
    account_sid: SIMULATOR_ACCOUNT_SID,
    to: text.to,
    from: text.from,
    body: text.body ?? '',
    status,
    direction: 'outbound-api',
    num_segments: '1',
    date_created: date,
    date_updated: date,
    date_sent: date,
    error_code: null,
    error_message: null,
    uri: `/2010-04-01/Accounts/${SIMULATOR_ACCOUNT_SID}/Messages/${text.sid}.json`,
  };
}

function parseVariables(raw: unknown): Record<string, string> | null {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return null;
  }
}

export class PhoneNetwork extends twilio.RequestClient {
  private readonly texts: PhoneText[] = [];

  /** `delivered` is told of each accepted text, to report its delivery (through the status webhook). */
  constructor(private readonly delivered: (text: PhoneText) => void) {
    super({ autoRetry: false });
  }

  received(): PhoneText[] {
    return [...this.texts];
  }

  bySid(sid: string): PhoneText | null {
    return this.texts.find((t) => t.sid === sid) ?? null;
  }

  override async request(opts: RequestOptions): Promise<Answer> {
    const answer = (statusCode: number, body: unknown): Answer => ({
      statusCode,
      body: JSON.stringify(body),
      headers: {},
    });
    if (!MESSAGES.test(opts.uri))
      return answer(404, { code: 20404, message: 'The simulator answers the Messages API only', status: 404 });
    if (opts.method.toUpperCase() === 'GET') {
      // The dispatcher's "did this already go?" look after a crash: newest first, as Twilio lists.
      const params = (opts.params ?? {}) as Record<string, unknown>;
      const to = typeof params.To === 'string' ? params.To : null;
      const since = typeof params['DateSent>'] === 'string' ? new Date(params['DateSent>']) : null;
      const found = this.texts
        .filter((t) => (to === null || t.to === to) && (since === null || t.at >= since))
        .reverse();
      const uri = `/2010-04-01/Accounts/${SIMULATOR_ACCOUNT_SID}/Messages.json`;
      return answer(200, {
        messages: found.map((t) => resource(t, 'delivered')),
        uri,
        first_page_uri: uri,
        next_page_uri: null,
        previous_page_uri: null,
        page: 0,
        page_size: 50,
        start: 0,
        end: found.length,
      });
    }
    const data = (opts.data ?? {}) as Record<string, unknown>;
    const text: PhoneText = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to: String(data.To ?? ''),
      from: String(data.From ?? data.MessagingServiceSid ?? ''),
      body: typeof data.Body === 'string' ? data.Body : null,
      contentSid: typeof data.ContentSid === 'string' ? data.ContentSid : null,
      contentVariables: parseVariables(data.ContentVariables),
      at: new Date(),
    };
    this.texts.push(text);
    if (this.texts.length > 2000) this.texts.shift();
    this.delivered(text);
    return answer(201, resource(text, 'queued'));
  }
}
