// How a round's claimed messages are split for sending (pure). A named tenant's one claimed message with
// nothing to reconcile joins a wave (decided, sent and recorded with others: see dispatcher.ts); anything
// else goes one message at a time, each recipient's messages in id order: a number we could not match
// (it may have several), a message whose earlier attempt is unconfirmed (Twilio is asked first).
import type { ClaimedMessage } from './store.js';

export type DispatchUnit = { wave: ClaimedMessage[] } | { group: ClaimedMessage[] };

/** One tenant's (or one number's) messages go in id order, one at a time; different tenants in parallel. */
export function groupByRecipient(messages: readonly ClaimedMessage[]): ClaimedMessage[][] {
  const groups = new Map<string, ClaimedMessage[]>();
  for (const m of messages) {
    const key = m.tenancy_ref === null ? `number:${m.to_address}` : `tenant:${m.tenancy_ref}:${m.tenant_no}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

function waveable(group: ClaimedMessage[]): boolean {
  const [m] = group;
  return group.length === 1 && m !== undefined && m.tenancy_ref !== null && m.unconfirmed_since === null;
}

/** Waves of at most `waveSize` (in claim order), then the groups that go one message at a time. */
export function planDispatch(claimed: readonly ClaimedMessage[], waveSize: number): DispatchUnit[] {
  const groups = groupByRecipient(claimed);
  const inWaves = groups.filter(waveable).map((g) => g[0] as ClaimedMessage);
  const units: DispatchUnit[] = [];
  for (let i = 0; i < inWaves.length; i += Math.max(1, waveSize))
    units.push({ wave: inWaves.slice(i, i + Math.max(1, waveSize)) });
  for (const group of groups) if (!waveable(group)) units.push({ group });
  return units;
}
