// WhatsApp sends: free text inside the 24-hour window, an approved template (ContentSid) outside it, and
// SMS when there is no template, with the fallback recorded.
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../support/clock.js';
import { routeMessage } from '../../src/outbox/routing.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import {
  contactEvents,
  insertTenant,
  messageRow,
  queue,
  SMS_FROM,
  testDispatcher,
  TUESDAY_10AM,
  WHATSAPP_FROM,
} from './fixtures.js';

const db = await useTestDatabase();
const clock = fixedClock(TUESDAY_10AM);
const twilio = useTwilioMock({ now: () => clock.now() });
const templates = { rent_contact: 'HX0123456789abcdef0123456789abcdef' };

beforeEach(() => clock.set(TUESDAY_10AM));

describe('WhatsApp', () => {
  it('sends free text inside the 24-hour window, addressed whatsapp:+44…', async () => {
    const tenant = await insertTenant(db.sql, 'WA-OPEN', { lastWhatsappInboundAt: new Date('2026-11-23T12:00:00Z') });
    const id = await queue(db.sql, tenant, {
      channel: 'whatsapp',
      body: 'Thanks, noted.',
      templateKey: 'rent_contact',
      now: clock.now(),
    });
    const { dispatcher } = testDispatcher(db.sql, { clock, whatsappTemplates: templates });

    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(twilio.accepted[0]?.form).toMatchObject({
      To: `whatsapp:${tenant.mobile}`,
      From: WHATSAPP_FROM,
      Body: 'Thanks, noted.',
    });
    expect(twilio.accepted[0]?.form.ContentSid).toBeUndefined();
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'sent', channel: 'whatsapp' });
  });

  it('sends the approved template by ContentSid outside the window', async () => {
    const tenant = await insertTenant(db.sql, 'WA-TEMPLATE', {
      lastWhatsappInboundAt: new Date('2026-11-23T09:59:00Z'),
    });
    await queue(db.sql, tenant, {
      channel: 'whatsapp',
      purpose: 'arrears',
      body: 'Please contact Demo Homes.',
      templateKey: 'rent_contact',
      templateVariables: { '1': 'Demo Homes' },
      now: clock.now(),
    });
    const { dispatcher } = testDispatcher(db.sql, { clock, whatsappTemplates: templates });

    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    const form = twilio.accepted[0]?.form ?? {};
    expect(form).toMatchObject({
      To: `whatsapp:${tenant.mobile}`,
      From: WHATSAPP_FROM,
      ContentSid: templates.rent_contact,
    });
    expect(JSON.parse(form.ContentVariables ?? 'null')).toEqual({ '1': 'Demo Homes' });
    expect(form.Body).toBeUndefined();
  });

  it('falls back to SMS outside the window when the message has no template, and records the fallback', async () => {
    const tenant = await insertTenant(db.sql, 'WA-FALLBACK');
    const id = await queue(db.sql, tenant, { channel: 'whatsapp', body: 'Your reminder', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock, whatsappTemplates: templates });

    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(twilio.accepted[0]?.form).toMatchObject({ To: tenant.mobile, From: SMS_FROM, Body: 'Your reminder' });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'sent', channel: 'sms', from_address: SMS_FROM });
    expect((await contactEvents(db.sql, id)).at(-1)).toMatchObject({
      event: 'message_sent',
      detail: { fallback: 'sms', reason: 'whatsapp_window_closed' },
    });
  });

  it('honours a WhatsApp opt-out even when the message would have fallen back to SMS', async () => {
    const tenant = await insertTenant(db.sql, 'WA-OPTOUT');
    await db.sql`update tenants set whatsapp_opted_out_at = ${clock.now()} where tenancy_ref = 'WA-OPTOUT'`;
    const id = await queue(db.sql, tenant, { channel: 'whatsapp', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1, sent: 0 });
    expect(await messageRow(db.sql, id)).toMatchObject({
      status: 'blocked',
      blocked_reason: 'opted_out',
      channel: 'whatsapp',
    });
    expect(twilio.attempts).toHaveLength(0);
  });

  it('checks the opt-out of the channel actually used: an SMS opt-out blocks the fallback', async () => {
    const tenant = await insertTenant(db.sql, 'WA-SMSOPTOUT');
    await db.sql`update tenants set sms_opted_out_at = ${clock.now()} where tenancy_ref = 'WA-SMSOPTOUT'`;
    const id = await queue(db.sql, tenant, { channel: 'whatsapp', now: clock.now() });
    const { dispatcher } = testDispatcher(db.sql, { clock });

    expect(await dispatcher.runOnce()).toMatchObject({ blocked: 1 });
    expect(await messageRow(db.sql, id)).toMatchObject({ status: 'blocked', blocked_reason: 'opted_out' });
  });

  it('routes by the window and the configured senders (pure rules)', () => {
    const base = {
      channel: 'whatsapp' as const,
      to: '+447700900123',
      body: 'b',
      templateKey: null,
      templateVariables: null,
      now: new Date(TUESDAY_10AM),
      smsFrom: SMS_FROM,
      whatsappFrom: WHATSAPP_FROM,
      whatsappTemplates: templates,
    };
    expect(routeMessage({ ...base, lastWhatsappInboundAt: new Date('2026-11-23T10:00:01Z') }).channel).toBe('whatsapp');
    expect(routeMessage({ ...base, lastWhatsappInboundAt: new Date('2026-11-23T10:00:00Z') })).toMatchObject({
      channel: 'sms',
      fallback: 'whatsapp_window_closed',
    });
    expect(routeMessage({ ...base, lastWhatsappInboundAt: null, whatsappFrom: null })).toMatchObject({
      channel: 'sms',
      fallback: 'whatsapp_not_configured',
    });
    expect(routeMessage({ ...base, channel: 'sms', lastWhatsappInboundAt: null })).toMatchObject({
      channel: 'sms',
      fallback: null,
      to: '+447700900123',
    });
  });
});
