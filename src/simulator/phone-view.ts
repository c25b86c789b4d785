// The tenant's phone: the tenants one may pick, and one tenant's conversation as their phone shows it (what
// they sent, what reached them and its delivery status), with each text Rentline has not sent yet and what
// it is waiting for (the contact window, the frequency cap) or why it is blocked. Read from the messages
// table; what the phone received comes from the simulator's phone network.
import type { Sql } from '../db/connect.js';
import { whatsappWindowClosesAt, whatsappWindowOpen } from '../rent/whatsapp-window.js';
import { DEMO_REF_PREFIX, type SimulatorScope } from './access.js';
import { escapeHtml } from './blocks-html.js';
import type { PhoneNetwork } from './phone-network.js';

export interface TenantChoice {
  tenancy_ref: string;
  tenant_no: number;
  first_name: string;
  last_name: string;
  channel: string;
  language: string;
}

interface PhoneTenant extends TenantChoice {
  mobile_e164: string | null;
  date_of_birth: string | null;
  postcode: string | null;
  last_whatsapp_inbound_at: Date | null;
  sms_opted_out_at: Date | null;
  whatsapp_opted_out_at: Date | null;
}

interface MessageRow {
  id: number;
  direction: 'inbound' | 'outbound';
  channel: string;
  body: string;
  status: string;
  twilio_sid: string | null;
  not_before: Date | null;
  blocked_reason: string | null;
  template_key: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export async function listTenants(sql: Sql, scope: SimulatorScope): Promise<TenantChoice[]> {
  return sql<TenantChoice[]>`
    select tenancy_ref, tenant_no::int as tenant_no, first_name, last_name, channel, language from tenants
    where ${scope === 'all'} or starts_with(tenancy_ref, ${DEMO_REF_PREFIX})
    order by tenancy_ref, tenant_no limit 2000`;
}

export function tenantKey(t: { tenancy_ref: string; tenant_no: number }): string {
  return `${t.tenancy_ref}/${t.tenant_no}`;
}

export function parseTenantKey(key: string | undefined): { tenancyRef: string; tenantNo: number } | null {
  const match = /^([A-Za-z0-9._-]{1,40})\/(\d{1,2})$/.exec(key ?? '');
  return match ? { tenancyRef: match[1] as string, tenantNo: Number(match[2]) } : null;
}

export async function loadPhoneTenant(
  sql: Sql,
  key: { tenancyRef: string; tenantNo: number },
  scope: SimulatorScope,
): Promise<PhoneTenant | null> {
  if (scope === 'demo' && !key.tenancyRef.startsWith(DEMO_REF_PREFIX)) return null;
  const [row] = await sql<PhoneTenant[]>`
    select tenancy_ref, tenant_no::int as tenant_no, first_name, last_name, channel, language, mobile_e164, date_of_birth, postcode,
           last_whatsapp_inbound_at, sms_opted_out_at, whatsapp_opted_out_at
    from tenants where tenancy_ref = ${key.tenancyRef} and tenant_no = ${key.tenantNo}`;
  return row ?? null;
}

const REASONS: Record<string, string> = {
  outside_contact_window: 'the contact window (automated texts go out in the landlord’s hours only)',
  frequency_cap: 'the gap between arrears texts',
  paused: 'the end of a pause (after a referral for debt advice)',
  opted_out: 'the tenant texted STOP',
  do_not_contact: 'the tenancy is marked do-not-contact',
  breathing_space: 'Breathing Space (no arrears contact)',
  vulnerable: 'a vulnerability flag (an officer contacts the tenant)',
  disputed: 'a dispute an officer must clear',
  dispute: 'a dispute an officer must clear',
  crisis: 'an open crisis hand-off (an officer resolves it first)',
  referral_pause: 'the end of a pause (after a referral for debt advice)',
  breathing_space_mental_health: 'a mental-health Breathing Space (people only)',
  not_textable: 'no textable mobile number',
  number_not_linked: 'the number is no longer the tenant’s',
  tenant_not_found: 'the tenant is no longer on record',
};

function time(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

function statusLine(m: MessageRow, now: Date, timeZone: string): string {
  const reason = m.blocked_reason ? (REASONS[m.blocked_reason] ?? m.blocked_reason.replaceAll('_', ' ')) : null;
  switch (m.status) {
    case 'queued':
      if (m.not_before && m.not_before > now)
        return `Held: waiting until ${time(m.not_before, timeZone)} for ${reason ?? 'its send time'}`;
      return 'Queued: about to be sent';
    case 'sending':
      return 'Sending…';
    case 'sent':
      return 'Sent';
    case 'delivered':
      return 'Delivered';
    case 'read':
      return 'Read';
    case 'blocked':
      return `Blocked: not sent, because of ${reason ?? 'a contact rule'}`;
    case 'kept':
      return 'Kept in Rentline: not sent (no phone network for this tenancy)';
    case 'failed':
    case 'undelivered':
      return `Not delivered (${m.status})`;
    default:
      return m.status;
  }
}

function windowLine(t: PhoneTenant, now: Date, timeZone: string): string {
  if (t.channel !== 'whatsapp') return '';
  const last = t.last_whatsapp_inbound_at;
  if (last && whatsappWindowOpen(last, now)) {
    return `WhatsApp 24-hour window open until ${time(whatsappWindowClosesAt(last), timeZone)}: Rentline may write freely.`;
  }
  return 'WhatsApp 24-hour window closed: Rentline may start a conversation only with an approved template (or falls back to SMS).';
}

/** The conversation (role log) and the phone's header, as HTML. */
export async function renderPhone(
  sql: Sql,
  network: PhoneNetwork | null,
  t: PhoneTenant,
  now: Date,
  timeZone: string,
): Promise<string> {
  const rows = await sql<MessageRow[]>`
    select id::int as id, direction, channel, body, status, twilio_sid, not_before, blocked_reason, template_key, created_at, sent_at
    from messages where tenancy_ref = ${t.tenancy_ref} and tenant_no = ${t.tenant_no}
    order by coalesce(sent_at, created_at), direction = 'outbound', id limit 300`;
  const lang = escapeHtml(t.language);
  const items = rows.map((m) => {
    const received = m.twilio_sid && network ? network.bySid(m.twilio_sid) : null;
    const channel = m.channel === 'whatsapp' ? 'WhatsApp' : 'SMS';
    if (m.direction === 'inbound') {
      return `<li class="bubble mine"><p lang="${lang}">${escapeHtml(m.body)}</p><small>You · ${channel} · ${time(m.created_at, timeZone)}</small></li>`;
    }
    const waiting = !['sent', 'delivered', 'read'].includes(m.status);
    const template = received?.contentSid
      ? `<small class="muted">WhatsApp template ${escapeHtml(m.template_key ?? received.contentSid)}</small>`
      : '';
    const body = received?.body ?? m.body;
    return `<li class="bubble theirs${waiting ? ' waiting' : ''}"><p lang="${lang}">${escapeHtml(body).replace(/\n/g, '<br>')}</p>${template}<small>Rentline · ${channel} · ${time(m.sent_at ?? m.created_at, timeZone)} · <span class="status">${escapeHtml(statusLine(m, now, timeZone))}</span></small></li>`;
  });
  const optedOut = [t.sms_opted_out_at ? 'SMS' : null, t.whatsapp_opted_out_at ? 'WhatsApp' : null].filter(Boolean);
  const notes = [
    windowLine(t, now, timeZone),
    optedOut.length > 0 ? `Opted out (STOP) of ${optedOut.join(' and ')}: Rentline sends nothing more there.` : '',
    t.mobile_e164 ? '' : 'No textable mobile on record: this tenant cannot be texted.',
  ].filter(Boolean);
  const who = `${escapeHtml(t.first_name)} ${escapeHtml(t.last_name)} · ${escapeHtml(t.tenancy_ref)} · ${t.channel === 'whatsapp' ? 'WhatsApp' : t.channel === 'none' ? 'no texts' : 'SMS'} · ${t.language === 'cy' ? 'Cymraeg' : t.language === 'en' ? 'English' : escapeHtml(t.language)}`;
  const identity =
    t.tenancy_ref.startsWith(DEMO_REF_PREFIX) && (t.date_of_birth || t.postcode)
      ? `<p class="hint">Demo tenant: date of birth ${escapeHtml(t.date_of_birth ? t.date_of_birth.split('-').reverse().join('/') : 'not on record')}, postcode ${escapeHtml(t.postcode ?? 'not on record')}.</p>`
      : '';
  return `<p class="phone-who">${who}</p>${identity}${notes.map((n) => `<p class="phone-note">${escapeHtml(n)}</p>`).join('')}
<ol class="conversation" role="log" aria-label="Conversation with ${escapeHtml(t.first_name)}" aria-live="polite">${items.join('') || '<li class="muted">No texts yet. Send one below, or run the daily job.</li>'}</ol>`;
}
