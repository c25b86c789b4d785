// The interpreter's rules that transcripts cannot show well: versions, timers, expiry, WhatsApp templates,
// the one-time crisis acknowledgement, and that step() never changes the session it was given.
import { describe, expect, it } from 'vitest';
import { checkFlows } from '../../src/engine/check.js';
import { readFlowFiles } from '../../src/engine/load.js';
import { startSession, step } from '../../src/engine/step.js';
import { context, FLOWS_DIR, shippedFlows } from './support.js';
import type { Effect } from '../../src/engine/types.js';

const flows = shippedFlows();
const sends = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'send' ? [e] : []));
const later = (hours: number) => new Date(Date.parse('2026-11-25T10:00:00Z') + hours * 3_600_000);

describe('startSession', () => {
  it('starts on the newest version and sets a reply timer from the policy', () => {
    const { session, effects } = startSession(flows, 'missed_payment', context());
    expect(session).toMatchObject({
      flowId: 'missed_payment',
      stepId: 'check_identity',
      status: 'active',
      expiresAt: '2026-12-02T10:00:00.000Z',
    });
    expect(effects).toContainEqual({ type: 'set_timer', timerId: session.timerId, at: later(48) });
  });

  it('sends the WhatsApp template key and variables when the 24-hour window is closed', () => {
    const { effects } = startSession(
      flows,
      'missed_payment',
      context({ channel: 'whatsapp', whatsappWindowOpen: false }),
    );
    expect(sends(effects)[0]).toMatchObject({
      templateKey: 'rent_account_contact',
      templateVariables: { first_name: 'Sam', landlord: 'Demo Homes (demo landlord)' },
    });
  });

  it('sends plain text when the WhatsApp window is open', () => {
    const { effects } = startSession(
      flows,
      'missed_payment',
      context({ channel: 'whatsapp', whatsappWindowOpen: true }),
    );
    expect(sends(effects)[0]!.templateKey).toBeUndefined();
  });

  it('refuses to start a flow that needs facts the shell did not pass', () => {
    expect(() => startSession(flows, 'arrangement_nudge', context())).toThrow(/needs "instalment_due"/);
  });
});

describe('step', () => {
  it('does not change the session it was given', () => {
    const { session } = startSession(flows, 'missed_payment', context());
    const before = structuredClone(session);
    step(flows, session, { kind: 'text', text: '12/03/1985' }, context());
    expect(session).toEqual(before);
  });

  it('ignores a timer that is no longer the one the session waits for', () => {
    const { session } = startSession(flows, 'missed_payment', context());
    const result = step(flows, session, { kind: 'timeout', timerId: 'something-else' }, context({ now: later(49) }));
    expect(result).toEqual({ session, effects: [] });
  });

  it('follows the timeout branch when the current timer fires', () => {
    const { session } = startSession(flows, 'missed_payment', context());
    const result = step(flows, session, { kind: 'timeout', timerId: session.timerId! }, context({ now: later(48) }));
    expect(result.session.stepId).toBe('reminder');
    expect(sends(result.effects)[0]!.text).toContain('here again about your rent account');
  });

  it('ends an expired conversation without sending anything', () => {
    const { session } = startSession(flows, 'missed_payment', context());
    const result = step(flows, session, { kind: 'text', text: '12/03/1985' }, context({ now: later(24 * 8) }));
    expect(result.effects).toEqual([{ type: 'end', outcome: 'expired' }]);
    expect(result.session.status).toBe('ended');
  });

  it('acknowledges crisis words once and then says nothing more', () => {
    const { session } = startSession(flows, 'missed_payment', context());
    const first = step(flows, session, { kind: 'text', text: 'I want to end it all' }, context());
    expect(sends(first.effects)).toHaveLength(1);
    expect(first.effects).toContainEqual(
      expect.objectContaining({ type: 'escalate', reason: 'crisis', urgency: 'urgent' }),
    );
    const second = step(flows, first.session, { kind: 'text', text: 'I want to end it all' }, context());
    expect(second.effects).toEqual([]);
  });

  it('keeps a conversation on the flow version it began, even after the flow changes', () => {
    const files = readFlowFiles(FLOWS_DIR);
    const original = files.find((f) => f.file.endsWith('missed_payment.yaml'))!;
    const version = Number(/^version: (\d+)$/m.exec(original.text)![1]);
    const edited = original.text
      .replace(`version: ${version}`, `version: ${version + 1}`)
      .replace('Thanks {first_name}. Your rent account', 'Thank you {first_name}. Your rent account');
    const both = checkFlows([
      ...files.filter((f) => f !== original),
      { file: 'flows/missed_payment.yaml', text: edited },
      { file: `flows/archive/missed_payment-v${version}.yaml`, text: original.text },
    ]);
    expect(both.problems).toEqual([]);
    const { session } = startSession(flows, 'missed_payment', context());
    const old = step(both.flows, session, { kind: 'text', text: '12/03/1985' }, context());
    expect(sends(old.effects)[0]!.text).toMatch(/^Thanks Sam\./);
    const fresh = startSession(both.flows, 'missed_payment', context());
    const now = step(both.flows, fresh.session, { kind: 'text', text: '12/03/1985' }, context());
    expect(sends(now.effects)[0]!.text).toMatch(/^Thank you Sam\./);
  });

  it('says which version is missing when a conversation outlives its flow file', () => {
    const { session } = startSession(flows, 'missed_payment', context());
    expect(() =>
      step(flows, { ...session, flowVersion: '0-deadbeef' }, { kind: 'text', text: 'hi' }, context()),
    ).toThrow(
      'Flow missed_payment version 0-deadbeef is not loaded: keep the old file in flows/archive/ until its conversations end',
    );
  });
});
