// planDispatch: which claimed messages go in waves, and which one at a time in their recipient's order.
import { describe, expect, it } from 'vitest';
import type { ClaimedMessage } from '../../src/outbox/store.js';
import { planDispatch } from '../../src/outbox/waves.js';

const at = new Date('2026-11-24T10:00:00Z');
function claimed(id: number, over: Partial<ClaimedMessage> = {}): ClaimedMessage {
  return {
    id,
    tenancy_ref: `T${id}`,
    tenant_no: 1,
    conversation_id: null,
    channel: 'sms',
    to_address: `+4477009${String(10000 + id)}`,
    body: 'hello',
    purpose: 'reply',
    template_key: null,
    template_variables: null,
    attempts: 0,
    created_at: at,
    claimed_at: at,
    unconfirmed_since: null,
    ...over,
  };
}

describe('planDispatch', () => {
  it("puts named tenants' single messages in waves of the given size, in claim order", () => {
    const units = planDispatch(
      [1, 2, 3, 4, 5].map((id) => claimed(id)),
      2,
    );
    expect(units.map((u) => ('wave' in u ? u.wave.map((m) => m.id) : null))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('sends one at a time, in id order, what a wave must not take', () => {
    const stranger = { tenancy_ref: null, tenant_no: null, to_address: '+447700955555' };
    const units = planDispatch(
      [
        claimed(1),
        claimed(2, stranger),
        claimed(3, { unconfirmed_since: at }),
        claimed(4, stranger),
        claimed(5, { tenancy_ref: 'T1' }),
      ],
      16,
    );
    expect(units).toEqual([
      { group: [expect.objectContaining({ id: 1 }), expect.objectContaining({ id: 5 })] },
      { group: [expect.objectContaining({ id: 2 }), expect.objectContaining({ id: 4 })] },
      { group: [expect.objectContaining({ id: 3 })] },
    ]);
  });
});
