// Hardship at any question of any shipped flow: benefit help once, logged once, officers told once, and
// then what fits where the tenant is: the offer of the affordability check or a person (arrears
// conversations), the same question (the check itself), or an officer's call (anything else). Then each
// answer to the offer: YES into the check, OFFICER / no / silence to the officer already told.
import { describe, expect, it } from 'vitest';
import { checkFlows } from '../../src/engine/check.js';
import { readFlowFiles } from '../../src/engine/load.js';
import { hardshipResponse } from '../../src/engine/hardship.js';
import { findFlow, startSession, step } from '../../src/engine/step.js';
import { context, FLOWS_DIR, shippedFlows } from './support.js';
import type { Effect, Session } from '../../src/engine/types.js';

const flows = shippedFlows();
const NOW = '2026-11-25T10:00:00.000Z';
const later = (hours: number) => new Date(Date.parse(NOW) + hours * 3_600_000);

const sends = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'send' ? [e.text] : []));
const escalations = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'escalate' ? [e] : []));
const logs = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'log' ? [e.entry.event] : []));
const ended = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'end' ? [e.outcome] : []));

/** A conversation waiting at one question of the newest version of a flow. */
function waitingAt(flowId: string, stepId: string, vars: Session['vars'] = {}): Session {
  const flow = findFlow(flows, flowId);
  return {
    flowId,
    flowVersion: flow.flowVersion,
    stepId,
    status: 'active',
    vars,
    reasks: 0,
    timerId: `${flowId}.${stepId}@${NOW}`,
    startedAt: NOW,
    expiresAt: later(24 * 7).toISOString(),
    history: [],
  };
}

const questions = [...flows.latest.keys()]
  .filter((id) => id !== 'hardship')
  .flatMap((flowId) =>
    Object.entries(findFlow(flows, flowId).steps)
      .filter(([, s]) => s.ask !== undefined)
      .map(([stepId]) => [flowId, stepId] as const),
  );

describe('hardship words at any question', () => {
  it('are answered in every shipped flow that asks anything', () => {
    expect(questions.length).toBeGreaterThan(20);
    expect(new Set(questions.map(([flowId]) => flowId))).toEqual(
      new Set([
        'affordability',
        'arrangement_broken',
        'arrangement_nudge',
        'counter_offer',
        'missed_payment',
        'offer_outcome',
        'rent_reminder',
        'tenant_initiated',
      ]),
    );
  });

  it.each(questions)(
    '%s at %s: benefit help, logged once, one hardship hand-off, then the right next step',
    (flowId, stepId) => {
      const flow = findFlow(flows, flowId);
      const session = waitingAt(flowId, stepId, { verified: true });
      const { session: next, effects } = step(flows, session, { kind: 'text', text: 'I lost my job' }, context());
      const [reply] = sends(effects);
      expect(sends(effects)).toHaveLength(1);
      expect(reply).toContain('https://www.gov.uk/benefits-calculators');
      expect(reply).toContain('Discretionary Housing Payment: https://www.gov.uk/find-local-council');
      expect(logs(effects)).toEqual(['benefit_help_offered']);
      expect(escalations(effects).map((e) => [e.reason, e.urgency])).toEqual([['hardship', 'normal']]);
      expect(next.vars.benefit_help_offered).toBe(true);
      const response = hardshipResponse(flow, {});
      if (response === 'carry_on') {
        // The check is not restarted: the same question waits, on the same timer.
        expect(reply).toContain('please reply to our last question');
        expect(next).toMatchObject({ flowId, stepId, status: 'active', timerId: session.timerId });
        expect(ended(effects)).toEqual([]);
      } else if (response === 'offer_check') {
        expect(reply).toMatch(
          /Reply YES to start a short check \(about 5 minutes\), or OFFICER to speak to a person\.$/,
        );
        expect(next).toMatchObject({ flowId: 'hardship', stepId: 'offer_check', status: 'active' });
        expect(effects).toContainEqual(expect.objectContaining({ type: 'set_timer', timerId: next.timerId }));
      } else {
        expect(response).toBe('hand_off');
        expect(reply).toContain("We've asked an officer to contact you");
        expect(next.status).toBe('ended');
        expect(ended(effects)).toEqual(['benefit_help']);
      }
    },
  );

  it('offers the check in arrears conversations, carries on inside the check, and hands off elsewhere', () => {
    const responses = Object.fromEntries(
      [...flows.latest.keys()].map((id) => [id, hardshipResponse(findFlow(flows, id), {})]),
    );
    expect(responses).toMatchObject({
      missed_payment: 'offer_check',
      tenant_initiated: 'offer_check',
      counter_offer: 'offer_check',
      affordability: 'carry_on',
      rent_reminder: 'hand_off',
    });
    expect(hardshipResponse(findFlow(flows, 'missed_payment'), { benefit_help_offered: true })).toBe('again');
  });

  it('sets aside a plan the tenant was making, so the check suggests an amount afresh', () => {
    const session = waitingAt('missed_payment', 'make_plan', {
      verified: true,
      offer_amount: 2000,
      offer_frequency: 'weekly',
      offer_asking: 'start_date',
    });
    const { session: next } = step(flows, session, { kind: 'text', text: "I can't afford it" }, context());
    expect(next.vars).not.toHaveProperty('offer_amount');
    expect(next.vars).not.toHaveProperty('offer_frequency');
    expect(next.vars).not.toHaveProperty('offer_asking');
  });

  it('at the first text, before any script has started, still offers the check', () => {
    const { session, effects } = startSession(flows, 'tenant_initiated', context(), {
      kind: 'text',
      text: "I've been sanctioned and can't pay",
    });
    expect(session).toMatchObject({ flowId: 'hardship', stepId: 'offer_check', status: 'active' });
    expect(escalations(effects).map((e) => e.reason)).toEqual(['hardship']);
    expect(sends(effects)).toHaveLength(1);
  });
});

describe('the answer to the offer of the check', () => {
  const offered = () =>
    step(
      flows,
      waitingAt('missed_payment', 'menu', { verified: true }),
      { kind: 'text', text: 'UC is late' },
      context(),
    );

  it('YES carries on in the affordability check, without asking who they are again', () => {
    const { session } = offered();
    const { session: next, effects } = step(flows, session, { kind: 'text', text: 'yes' }, context());
    expect(next).toMatchObject({ flowId: 'affordability', stepId: 'income', status: 'active' });
    expect(sends(effects)[1]).toMatch(/^1 of 6\. Money coming in each month/);
    expect(escalations(effects)).toEqual([]);
  });

  it.each(['OFFICER', 'can I speak to someone please', 'call me', 'no', 'no thanks', 'swyddog'])(
    '%j: the officer already told calls; no second hand-off, urgent or not',
    (text) => {
      const { session } = offered();
      const { session: next, effects } = step(flows, session, { kind: 'text', text }, context());
      expect(escalations(effects)).toEqual([]);
      expect(sends(effects)).toEqual([expect.stringContaining('An income officer will contact you')]);
      expect(ended(effects)).toEqual(['benefit_help']);
      expect(next.status).toBe('ended');
    },
  );

  it('no reply: the officer already told calls; no second hand-off', () => {
    const { session } = offered();
    const { session: next, effects } = step(
      flows,
      session,
      { kind: 'timeout', timerId: session.timerId! },
      context({ now: later(48) }),
    );
    expect(escalations(effects)).toEqual([]);
    expect(sends(effects)).toEqual([
      expect.stringMatching(/^We haven't heard back, Sam\. An income officer will contact you/),
    ]);
    expect(ended(effects)).toEqual(['benefit_help_no_reply']);
    expect(next.status).toBe('ended');
  });

  it('a garbled answer is asked again, then goes to the officer already told', () => {
    let { session } = offered();
    const replies: string[] = [];
    for (const text of ['maybe', 'hmm', 'dunno']) {
      const result = step(flows, session, { kind: 'text', text }, context());
      expect(escalations(result.effects)).toEqual([]);
      replies.push(...sends(result.effects));
      session = result.session;
    }
    expect(replies[0]).toMatch(/^Sorry, I didn't catch that\. Reply YES/);
    expect(session.status).toBe('ended');
    expect(replies.at(-1)).toContain('An income officer will contact you');
  });

  it('hardship said again is acknowledged, not repeated: no second log or hand-off, the question waits', () => {
    const { session } = offered();
    const { session: next, effects } = step(
      flows,
      session,
      { kind: 'text', text: "I can't afford anything" },
      context(),
    );
    expect(sends(effects)).toEqual([expect.stringContaining("We've already let an income officer know")]);
    expect(logs(effects)).toEqual([]);
    expect(escalations(effects)).toEqual([]);
    expect(next).toMatchObject({
      flowId: 'hardship',
      stepId: 'offer_check',
      status: 'active',
      timerId: session.timerId,
    });
  });

  it('inside the check that followed, hardship again is acknowledged and the check carries on', () => {
    const yes = step(flows, offered().session, { kind: 'text', text: 'yes' }, context());
    const { session: next, effects } = step(flows, yes.session, { kind: 'text', text: 'I lost my job' }, context());
    expect(logs(effects)).toEqual([]);
    expect(escalations(effects)).toEqual([]);
    expect(next).toMatchObject({ flowId: 'affordability', stepId: 'income', timerId: yes.session.timerId });
  });

  it('crisis words still outrank everything at the offer', () => {
    const { session } = offered();
    const { effects } = step(flows, session, { kind: 'text', text: 'I want to end it all' }, context());
    expect(escalations(effects).map((e) => [e.reason, e.urgency])).toEqual([['crisis', 'urgent']]);
  });

  it('asking for a person at a question that does not offer one is still the urgent hand-off', () => {
    const { effects } = step(
      flows,
      waitingAt('missed_payment', 'menu', { verified: true }),
      { kind: 'text', text: 'OFFICER' },
      context(),
    );
    expect(escalations(effects).map((e) => [e.reason, e.urgency])).toEqual([['human_requested', 'urgent']]);
  });
});

describe('the checker and the hardship flow', () => {
  const files = readFlowFiles(FLOWS_DIR);

  it('refuses arrears flows without the hardship flow they carry on in', () => {
    const { problems } = checkFlows(files.filter((f) => !f.file.endsWith('hardship.yaml')));
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'hardship.yaml',
        message: expect.stringContaining('carry on in flow "hardship", which is not loaded'),
      }),
    ]);
  });

  it('accepts "an officer will contact you" after a step that alerted officers on every path, and only then', () => {
    const hardship = files.find((f) => f.file.endsWith('hardship.yaml'))!;
    const withoutAlert = hardship.text.replace('do: [clear_offer, { escalate: hardship }]', 'do: [clear_offer]');
    const { problems } = checkFlows([...files.filter((f) => f !== hardship), { ...hardship, text: withoutAlert }]);
    expect(problems.map((p) => `${p.step}: ${p.message}`)).toEqual([
      'officer_will_call: the message (en) says an officer will contact the tenant, but the step alerts no officer',
      'officer_will_call: the message (cy) says an officer will contact the tenant, but the step alerts no officer',
      'no_reply: the message (en) says an officer will contact the tenant, but the step alerts no officer',
      'no_reply: the message (cy) says an officer will contact the tenant, but the step alerts no officer',
    ]);
  });

  it('allows a person answer only where the tenant answers yes or no', () => {
    const missed = files.find((f) => f.file.endsWith('missed_payment.yaml'))!;
    const text = missed.text.replace('on: { offer: make_plan }', 'on: { offer: make_plan, person: hand_off }');
    const { problems } = checkFlows([...files.filter((f) => f !== missed), { ...missed, text }]);
    expect(problems).toContainEqual(
      expect.objectContaining({ step: 'menu', message: 'ask: choice never gives the answer "person"' }),
    );
  });
});
