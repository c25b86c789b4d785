// Property: whatever happens to a joint tenancy (Breathing Space, disputes, crises and hand-backs,
// vulnerability, do-not-contact, opt-outs, referrals, in any order), no message the rules forbid is
// sent. The events build the facts the database would hold; holdsOf and decideContact decide each send;
// the forbidden cases are written here independently, straight from the rules.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTACT_PATHS, decideContact, type ContactPath, type ContactPurpose } from '../../src/rent/contact-rule.js';
import { holdsOf, type CrisisFacts, type TenantHoldFacts } from '../../src/rent/holds.js';
import { DEFAULT_POLICY } from '../support/policy.js';

const NOW = new Date('2026-11-10T12:00:00Z');
const EARLIER = new Date('2026-11-05T12:00:00Z');
const PURPOSES: ContactPurpose[] = ['reminder', 'arrears', 'arrangement', 'reply', 'officer_decision', 'takeover'];
const AUTOMATED = new Set<ContactPurpose>(['reminder', 'arrears', 'arrangement', 'reply']);

type Event =
  | { type: 'breathing_space'; tenant: 1 | 2; mentalHealth: boolean }
  | { type: 'breathing_space_ends'; tenant: 1 | 2 }
  | { type: 'dispute'; tenant: 1 | 2 }
  | { type: 'dispute_cleared' }
  | { type: 'crisis'; tenant: 1 | 2 }
  | { type: 'hand_back' }
  | { type: 'crisis_resolved' }
  | { type: 'vulnerable'; tenant: 1 | 2; on: boolean }
  | { type: 'do_not_contact'; tenant: 1 | 2; on: boolean }
  | { type: 'opt_out'; tenant: 1 | 2; channel: 'sms' | 'whatsapp'; on: boolean }
  | { type: 'referral' }
  | { type: 'send'; tenant: 1 | 2; purpose: ContactPurpose; path: ContactPath; channel: 'sms' | 'whatsapp' };

const tenantNo = fc.constantFrom<1 | 2>(1, 2);
const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({ type: fc.constant('breathing_space' as const), tenant: tenantNo, mentalHealth: fc.boolean() }),
  fc.record({ type: fc.constant('breathing_space_ends' as const), tenant: tenantNo }),
  fc.record({ type: fc.constant('dispute' as const), tenant: tenantNo }),
  fc.record({ type: fc.constant('dispute_cleared' as const) }),
  fc.record({ type: fc.constant('crisis' as const), tenant: tenantNo }),
  fc.record({ type: fc.constant('hand_back' as const) }),
  fc.record({ type: fc.constant('crisis_resolved' as const) }),
  fc.record({ type: fc.constant('vulnerable' as const), tenant: tenantNo, on: fc.boolean() }),
  fc.record({ type: fc.constant('do_not_contact' as const), tenant: tenantNo, on: fc.boolean() }),
  fc.record({
    type: fc.constant('opt_out' as const),
    tenant: tenantNo,
    channel: fc.constantFrom<'sms' | 'whatsapp'>('sms', 'whatsapp'),
    on: fc.boolean(),
  }),
  fc.record({ type: fc.constant('referral' as const) }),
  fc.record({
    type: fc.constant('send' as const),
    tenant: tenantNo,
    purpose: fc.constantFrom(...PURPOSES),
    path: fc.constantFrom(...CONTACT_PATHS),
    channel: fc.constantFrom<'sms' | 'whatsapp'>('sms', 'whatsapp'),
  }),
);

interface Model {
  tenants: Record<1 | 2, TenantHoldFacts>;
  crises: CrisisFacts[];
}

function fresh(no: 1 | 2): TenantHoldFacts {
  return {
    tenantNo: no,
    vulnerable: false,
    vulnerableSince: null,
    vulnerableReviewOn: null,
    doNotContact: false,
    breathingSpace: null,
    disputedAt: null,
    smsOptedOutAt: null,
    whatsappOptedOutAt: null,
    pausedUntil: null,
    pauseReason: null,
  };
}

function apply(model: Model, e: Exclude<Event, { type: 'send' }>): void {
  const t = 'tenant' in e ? model.tenants[e.tenant] : null;
  switch (e.type) {
    case 'breathing_space':
      t!.breathingSpace = { start: '2026-11-01', end: null, mentalHealth: e.mentalHealth };
      break;
    case 'breathing_space_ends':
      t!.breathingSpace = t!.breathingSpace ? { ...t!.breathingSpace, end: '2026-11-09' } : null;
      break;
    case 'dispute':
      t!.disputedAt = EARLIER;
      break;
    case 'dispute_cleared':
      model.tenants[1].disputedAt = null;
      model.tenants[2].disputedAt = null;
      break;
    case 'crisis':
      model.crises.push({ tenantNo: e.tenant, since: EARLIER, escalationId: model.crises.length + 1 });
      break;
    case 'hand_back':
      break; // handing a conversation back resolves nothing
    case 'crisis_resolved':
      model.crises = [];
      break;
    case 'vulnerable':
      t!.vulnerable = e.on;
      break;
    case 'do_not_contact':
      t!.doNotContact = e.on;
      break;
    case 'opt_out':
      if (e.channel === 'sms') t!.smsOptedOutAt = e.on ? EARLIER : null;
      else t!.whatsappOptedOutAt = e.on ? EARLIER : null;
      break;
    case 'referral':
      for (const no of [1, 2] as const) model.tenants[no].pausedUntil = new Date('2026-11-24T12:00:00Z');
      break;
  }
}

/** Why the rules forbid this send, or null. Independent of the implementation. */
function forbidden(model: Model, s: Extract<Event, { type: 'send' }>): string | null {
  const me = model.tenants[s.tenant];
  const all = [model.tenants[1], model.tenants[2]];
  const inSpace = (t: TenantHoldFacts) =>
    t.breathingSpace !== null && (t.breathingSpace.end === null || t.breathingSpace.end >= '2026-11-10');
  if ((s.channel === 'sms' ? me.smsOptedOutAt : me.whatsappOptedOutAt) !== null) return 'opted out of this channel';
  if (me.doNotContact) return 'do not contact';
  if (model.crises.length > 0 && AUTOMATED.has(s.purpose)) return 'an open crisis: no automated message to any tenant';
  if (inSpace(me) && me.breathingSpace?.mentalHealth && s.purpose !== 'takeover')
    return 'mental health Breathing Space: humans only';
  if (all.some(inSpace) && ['arrears', 'arrangement', 'officer_decision', 'reply', 'reminder'].includes(s.purpose))
    return 'Breathing Space on the tenancy: nothing about the arrears';
  if (all.some((t) => t.disputedAt !== null) && AUTOMATED.has(s.purpose))
    return 'a dispute freezes automated texts for the tenancy';
  if (me.vulnerable && AUTOMATED.has(s.purpose)) return 'vulnerable: no automated contact';
  if (
    all.some((t) => t.pausedUntil !== null && t.pausedUntil > NOW) &&
    ['arrears', 'arrangement', 'reminder'].includes(s.purpose)
  )
    return 'referral pause';
  return null;
}

describe('no sequence of events sends a message the rules forbid', () => {
  it('holds for any order of holds, clears and sends on a joint tenancy', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const model: Model = { tenants: { 1: fresh(1), 2: fresh(2) }, crises: [] };
        for (const e of events) {
          if (e.type !== 'send') {
            apply(model, e);
            continue;
          }
          const holds = holdsOf([model.tenants[1], model.tenants[2]], model.crises, NOW, 'Europe/London');
          const verdict = decideContact(
            {
              purpose: e.purpose,
              path: e.path,
              tenantNo: e.tenant,
              channel: e.channel,
              holds,
              textable: true,
              now: NOW,
              queuedAt: NOW,
              tenantLastMessageAt: null,
              lastArrearsMessageAt: null,
            },
            DEFAULT_POLICY,
          );
          const why = forbidden(model, e);
          if (verdict.verdict === 'send')
            expect(why, `sent ${e.purpose} to tenant ${e.tenant} on the ${e.path} path`).toBeNull();
          // And nothing the rules allow is stopped (in the window, with no recent text, nothing holds it).
          else expect(why, `stopped ${e.purpose} to tenant ${e.tenant}: ${JSON.stringify(verdict)}`).not.toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });
});
