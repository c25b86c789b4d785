// An offer inside policy, when the landlord auto-accepts those: the webhook that records the tenant's "yes"
// also settles it, in the same transaction, exactly as an officer's Accept would.
import { describe, expect, it } from 'vitest';
import { startConversation } from '../../src/conversations/start.js';
import { loadPolicyFile } from '../../src/accounts/policy-file.js';
import { useTestDatabase } from '../support/database.js';
import { useTwilioMock } from '../support/msw-twilio.js';
import { TIME_ZONE, insertTenantInArrears, testService } from '../support/service.js';

const db = await useTestDatabase();
const base = loadPolicyFile('flows', TIME_ZONE);
const policy = { ...base, offers: { ...base.offers, auto_accept_within_policy: true } };
const service = await testService(db.sql, { now: '2026-11-25T10:00:00Z', policy, batching: false });
const twilioMock = useTwilioMock({ now: () => service.clock.now() });

describe('auto-accepting an offer inside policy', () => {
  it('settles the offer in the webhook that records it: arrangement active, escalation accepted, the tenant told', async () => {
    const ref = 'AUTO1';
    const mobile = '+447700930001';
    await insertTenantInArrears(db.sql, ref, mobile);
    await db.sql.begin((tx) =>
      startConversation(
        tx,
        { flows: service.flows, policy, timeZone: TIME_ZONE },
        { tenancyRef: ref, tenantNo: 1, flowId: 'missed_payment', purpose: 'arrears', now: service.clock.now() },
      ),
    );
    await service.dispatchAll();
    await service.text(mobile, '12/03/1985');
    await service.text(mobile, 'I can pay £15 a week from Friday');
    const answered = await service.text(mobile, 'yes');
    expect(answered.status).toBe(200);

    // Settled by the time the webhook answered: no second transaction, nothing pending on a card.
    const [escalation] = await db.sql<{ status: string; decided_by: string | null }[]>`
      select status, decided_by from escalations where tenancy_ref = ${ref} and reason = 'offer'`;
    expect(escalation).toEqual({ status: 'accepted', decided_by: 'rentline:auto-accept' });
    const [arrangement] = await db.sql<{ status: string; amount_pence: number }[]>`
      select status, amount_pence from arrangements where tenancy_ref = ${ref}`;
    expect(arrangement).toEqual({ status: 'active', amount_pence: 1500 });

    await service.dispatchAll();
    const texts = twilioMock.accepted.filter((m) => m.to === mobile).map((m) => m.body);
    // The decision goes to the tenant as an officer's would: its own conversation, identity first.
    expect(texts.at(-1)).toMatch(/news about the plan you offered/);
  });
});
