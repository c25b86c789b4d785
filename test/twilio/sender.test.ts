// The Twilio sender: the SDK pointed at a local stand-in through TWILIO_API_BASE_URL, the form Twilio
// receives for each kind of message, finding an earlier send, and how Twilio's errors are classified.
import { afterAll, describe, expect, it } from 'vitest';
import { SendError } from '../../src/outbox/types.js';
import { classifyTwilioError, createTwilioSender } from '../../src/twilio/sender.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/msw-twilio.js';
import { startTwilioStandin } from '../support/twilio-standin.js';

const standin = await startTwilioStandin();
afterAll(() => standin.close());
const sender = createTwilioSender({
  accountSid: TEST_ACCOUNT_SID,
  authToken: TEST_AUTH_TOKEN,
  apiBaseUrl: standin.url,
});
const base = { messageId: 1, contentSid: null, contentVariables: null, statusCallback: null };

describe('createTwilioSender', () => {
  it('sends through the SDK to the base URL given instead of api.twilio.com', async () => {
    const sent = await sender.send({
      ...base,
      to: '+447700900123',
      from: '+447700900001',
      body: 'Hello',
      statusCallback: 'https://rentline.example.org/twilio/status',
    });

    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(standin.received.at(-1)?.form).toEqual({
      To: '+447700900123',
      From: '+447700900001',
      Body: 'Hello',
      StatusCallback: 'https://rentline.example.org/twilio/status',
    });
  });

  it('uses MessagingServiceSid when the sender is a Messaging Service', async () => {
    const service = `MG${'a'.repeat(32)}`;
    await sender.send({ ...base, to: '+447700900123', from: service, body: 'Hi' });
    expect(standin.received.at(-1)?.form).toMatchObject({ MessagingServiceSid: service, Body: 'Hi' });
    expect(standin.received.at(-1)?.form.From).toBeUndefined();
  });

  it('sends a WhatsApp template as ContentSid and JSON ContentVariables, without a Body', async () => {
    await sender.send({
      ...base,
      to: 'whatsapp:+447700900123',
      from: 'whatsapp:+447700900002',
      body: null,
      contentSid: 'HX1',
      contentVariables: { '1': 'x' },
    });
    expect(standin.received.at(-1)?.form).toEqual({
      To: 'whatsapp:+447700900123',
      From: 'whatsapp:+447700900002',
      ContentSid: 'HX1',
      ContentVariables: '{"1":"x"}',
    });
  });

  it('finds an earlier send to the same number with the same body, skipping sids already known', async () => {
    const since = new Date(Date.now() - 60_000);
    const first = await sender.send({ ...base, to: '+447700900777', from: '+447700900001', body: 'Same words' });
    const second = await sender.send({ ...base, to: '+447700900777', from: '+447700900001', body: 'Same words' });

    expect(await sender.find!({ to: '+447700900777', body: 'Same words', since })).toMatchObject({ sid: first.sid });
    expect(
      await sender.find!({ to: '+447700900777', body: 'Same words', since, excludeSids: [first.sid] }),
    ).toMatchObject({ sid: second.sid });
    expect(await sender.find!({ to: '+447700900777', body: 'Other words', since })).toBeNull();
    expect(await sender.find!({ to: '+447700900778', body: 'Same words', since })).toBeNull();
  });

  it('reports an unreachable Twilio as a retry it is sure did not send', async () => {
    const closed = await startTwilioStandin();
    const url = closed.url;
    await closed.close();
    const offline = createTwilioSender({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: url });
    const error = await offline
      .send({ ...base, to: '+447700900123', from: '+447700900001', body: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ kind: 'retry', uncertain: false });
  });
});

describe('classifyTwilioError', () => {
  it.each([
    [{ status: 400, code: 21610 }, 'opted_out'],
    [{ status: 400, code: 21211 }, 'permanent'],
    [{ status: 400, code: 21614 }, 'permanent'],
    [{ status: 400, code: 21612 }, 'permanent'],
    [{ status: 400, code: 21408 }, 'permanent'],
    [{ status: 400, code: 63003 }, 'permanent'],
    [{ status: 429, code: 20429 }, 'retry'],
    [{ status: 500 }, 'retry'],
    [{ status: 503 }, 'retry'],
    [{ status: 401, code: 20003 }, 'retry'],
  ])('classifies %o as %s', (error, kind) => {
    const classified = classifyTwilioError(error);
    expect(classified.kind).toBe(kind);
    expect(classified.status).toBe(error.status);
  });

  it('treats a connection that broke mid-request as a retry whose outcome is uncertain', () => {
    expect(classifyTwilioError({ code: 'ECONNRESET' })).toMatchObject({ kind: 'retry', uncertain: true });
    expect(classifyTwilioError({ code: 'ECONNREFUSED' })).toMatchObject({ kind: 'retry', uncertain: false });
  });
});
