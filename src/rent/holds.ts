// Holds on a case: what stops or limits contact, worked out from the facts of a tenancy and its tenants.
// A hold is on the whole tenancy unless its kind says otherwise (docs/rules.md, "Holds"):
//   - breathing_space (any tenant): nothing about the arrears to ANY tenant of the tenancy;
//   - breathing_space_mental_health: as breathing_space for the others, and humans only for that tenant;
//   - dispute (any tenant, "I've already paid"): every automated text about the account frozen for the
//     tenancy until an officer clears it;
//   - crisis (an open crisis hand-off): no automated message of any kind to any tenant until an officer
//     resolves it;
//   - referral_pause (a debt-advice referral): arrears outreach paused for the tenancy until it ends;
//   - vulnerable, do_not_contact: that tenant only; opted_out: that tenant, that channel only.
// Pure: the facts and the clock come in; no I/O.

import { localDateOf } from './schedule.js';
import type { Channel } from './types.js';

export const HOLD_KINDS = [
  'breathing_space',
  'breathing_space_mental_health',
  'dispute',
  'crisis',
  'vulnerable',
  'do_not_contact',
  'referral_pause',
  'opted_out',
] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** The kinds that hold the whole tenancy, whichever tenant they were raised on. */
const TENANCY_WIDE: ReadonlySet<HoldKind> = new Set([
  'breathing_space',
  'breathing_space_mental_health',
  'dispute',
  'crisis',
  'referral_pause',
]);

export type HoldChannel = Channel;

export interface Hold {
  kind: HoldKind;
  /** The tenant the hold was raised on or for (for tenancy-wide kinds it still holds everyone). */
  tenantNo: number;
  /** When it began: an ISO instant, or a local date for Breathing Space. */
  since: string;
  /** A sentence an officer can read. */
  reason: string;
  /** When it ends by itself (a referral pause, a Breathing Space with a known end), or null. */
  until: Date | null;
  /** opted_out only: the channel opted out of. */
  channel?: HoldChannel;
}

interface BreathingSpaceFacts {
  /** Local dates; end null while no end notification has been received (never assume day 61). */
  start: string;
  end: string | null;
  mentalHealth: boolean;
}

/** What the database knows about one tenant, as far as holds go. */
export interface TenantHoldFacts {
  tenantNo: number;
  vulnerable: boolean;
  vulnerableSince: Date | null;
  vulnerableReviewOn: string | null;
  doNotContact: boolean;
  breathingSpace: BreathingSpaceFacts | null;
  disputedAt: Date | null;
  smsOptedOutAt: Date | null;
  whatsappOptedOutAt: Date | null;
  pausedUntil: Date | null;
  pauseReason: string | null;
}

/** An open crisis hand-off (not yet resolved by an officer). */
export interface CrisisFacts {
  tenantNo: number;
  since: Date;
  escalationId: number;
}

export function isBreathingSpaceActive(space: BreathingSpaceFacts | null, today: string): boolean {
  if (space === null) return false;
  return space.start <= today && (space.end === null || today <= space.end);
}

/** Every hold on the tenancy now, tenancy-wide kinds first, then per tenant in tenant order. */
export function holdsOf(
  tenants: readonly TenantHoldFacts[],
  crises: readonly CrisisFacts[],
  now: Date,
  timeZone: string,
): Hold[] {
  const today = localDateOf(now, timeZone);
  const holds: Hold[] = [];
  for (const c of crises) {
    holds.push({
      kind: 'crisis',
      tenantNo: c.tenantNo,
      since: c.since.toISOString(),
      reason: 'An urgent crisis hand-off is open until an officer resolves it',
      until: null,
    });
  }
  for (const t of tenants) {
    const space = t.breathingSpace;
    if (space && isBreathingSpaceActive(space, today)) {
      holds.push({
        kind: space.mentalHealth ? 'breathing_space_mental_health' : 'breathing_space',
        tenantNo: t.tenantNo,
        since: space.start,
        reason: space.mentalHealth
          ? `Mental health crisis Breathing Space${space.end ? ` until ${space.end}` : ''}: humans only for this tenant, nothing about the arrears to anyone`
          : `Breathing Space${space.end ? ` until ${space.end}` : ''}: nothing about the arrears to any tenant`,
        // Its end is a local date: the rule re-reads the facts each day instead of timing it.
        until: null,
      });
    }
    if (t.disputedAt) {
      holds.push({
        kind: 'dispute',
        tenantNo: t.tenantNo,
        since: t.disputedAt.toISOString(),
        reason: 'The tenant disputes the balance; automated texts are frozen until an officer clears it',
        until: null,
      });
    }
    if (t.pausedUntil && t.pausedUntil > now) {
      holds.push({
        kind: 'referral_pause',
        tenantNo: t.tenantNo,
        since: now.toISOString(),
        reason: `Arrears contact paused until ${t.pausedUntil.toISOString().slice(0, 10)}${t.pauseReason ? ` (${t.pauseReason.replace(/_/g, ' ')})` : ''}`,
        until: t.pausedUntil,
      });
    }
  }
  for (const t of tenants) {
    if (t.vulnerable) {
      holds.push({
        kind: 'vulnerable',
        tenantNo: t.tenantNo,
        since: (t.vulnerableSince ?? now).toISOString(),
        reason: `Vulnerable: no automated contact; an officer makes contact${t.vulnerableReviewOn ? ` (review ${t.vulnerableReviewOn})` : ''}`,
        until: null,
      });
    }
    if (t.doNotContact)
      holds.push({
        kind: 'do_not_contact',
        tenantNo: t.tenantNo,
        since: now.toISOString(),
        reason: 'Do not contact',
        until: null,
      });
    if (t.smsOptedOutAt)
      holds.push({
        kind: 'opted_out',
        tenantNo: t.tenantNo,
        since: t.smsOptedOutAt.toISOString(),
        reason: 'Opted out of SMS',
        until: null,
        channel: 'sms',
      });
    if (t.whatsappOptedOutAt)
      holds.push({
        kind: 'opted_out',
        tenantNo: t.tenantNo,
        since: t.whatsappOptedOutAt.toISOString(),
        reason: 'Opted out of WhatsApp',
        until: null,
        channel: 'whatsapp',
      });
  }
  return holds;
}

/** The holds that apply to one tenant: tenancy-wide ones, and their own. */
export function holdsFor(holds: readonly Hold[], tenantNo: number): Hold[] {
  return holds.filter((h) => TENANCY_WIDE.has(h.kind) || h.tenantNo === tenantNo);
}

/** The shape the account summary and the API show. */
export function holdsForDisplay(
  holds: readonly Hold[],
): { kind: HoldKind; tenant_no: number; since: string; reason: string }[] {
  return holds.map((h) => ({ kind: h.kind, tenant_no: h.tenantNo, since: h.since, reason: h.reason }));
}
