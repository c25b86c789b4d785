// Texts that no script may answer go to people: the one contact rule (src/rent/contact-rule.ts) says
// `route_to_person` for a reply to this tenant (an open crisis, Breathing Space, a dispute, vulnerability,
// do-not-contact). Consent words still work without a script.
import type { Queryable } from '../db/connect.js';
import type { Channel } from '../engine/index.js';
import { matchGlobalKeyword } from '../engine/parsers/index.js';
import { decideContact } from '../rent/contact-rule.js';
import type { Hold } from '../rent/holds.js';
import type { Policy } from '../rent/policy.js';
import { appendContactLog } from '../db/queries/contact-log.js';
import { raiseEscalations } from '../db/queries/escalations.js';

/**
 * Why automated replies to this tenant's text are off (the reason an officer reads), or null when the
 * script may answer. A tenant opted out of the channel still reaches the script, which hears START.
 */
export function humanOnlyReason(
  tenantNo: number,
  channel: Channel,
  holds: readonly Hold[],
  now: Date,
  policy: Policy,
): string | null {
  const verdict = decideContact(
    {
      purpose: 'reply',
      path: 'conversation_reply',
      tenantNo,
      channel,
      holds,
      textable: true,
      now,
      tenantLastMessageAt: now,
      lastArrearsMessageAt: null,
    },
    policy,
  );
  return verdict.verdict === 'route_to_person' ? verdict.reason : null;
}

/** True when the text is STOP or START (or their equivalents): honoured even with no script answering. */
export function isConsentWord(text: string): boolean {
  const keyword = matchGlobalKeyword(text);
  return keyword === 'opt_out' || keyword === 'opt_in';
}

/**
 * STOP or START from a tenant no script answers (people only, or an officer writing to them): the opt-out
 * is recorded all the same, so nothing automated or human is texted to them after a STOP.
 */
export async function recordConsentWord(
  tx: Queryable,
  m: { ref: string; no: number; channel: Channel; text: string; now: Date },
): Promise<void> {
  const keyword = matchGlobalKeyword(m.text);
  if (keyword !== 'opt_out' && keyword !== 'opt_in') return;
  const at = keyword === 'opt_out' ? m.now : null;
  const column = m.channel === 'whatsapp' ? 'whatsapp_opted_out_at' : 'sms_opted_out_at';
  await tx`update tenants set ${tx(column)} = ${at} where tenancy_ref = ${m.ref} and tenant_no = ${m.no}`;
  await appendContactLog(tx, {
    at: m.now,
    tenancyRef: m.ref,
    tenantNo: m.no,
    event: keyword === 'opt_out' ? 'opted_out' : 'opted_in',
    actor: 'tenant',
    channel: m.channel,
  });
}

export async function handOverToPeople(
  tx: Queryable,
  m: {
    ref: string;
    no: number;
    channel: Channel;
    text: string;
    reason: string;
    conversationId: number | null;
    now: Date;
    /** Raise it even beside a waiting one: the reply-limit pause, which its caller raises once a window. */
    alongsidePending?: boolean;
  },
): Promise<void> {
  await recordConsentWord(tx, m);
  // One open hand-off per tenant: later texts join it (and its Slack thread) instead of raising more.
  const [pending] =
    await tx`select 1 from escalations where tenancy_ref = ${m.ref} and tenant_no = ${m.no} and status = 'pending' limit 1`;
  if (pending && !m.alongsidePending) return;
  await raiseEscalations(
    tx,
    [
      {
        tenancyRef: m.ref,
        tenantNo: m.no,
        conversationId: m.conversationId,
        reason: 'human_only',
        urgency: 'urgent',
        summary: `The tenant texted us, but automated replies are off for them (${m.reason.replace(/_/g, ' ')}). Please reply yourself or call.`,
        logged: { reason: 'human_only', because: m.reason },
      },
    ],
    m.now,
  );
}
