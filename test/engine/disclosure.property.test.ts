// No generated conversation discloses an amount before the tenant has confirmed who they are, whatever
// they text (BALANCE, STATEMENT, wrong dates of birth, offers, Welsh, hardship...), and every crisis kind
// ends the script with one urgent `crisis` hand-off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startSession, step } from '../../src/engine/step.js';
import { context, shippedFlows } from './support.js';
import type { Effect, Session } from '../../src/engine/types.js';

const flows = shippedFlows();
const ctx = context({
  account: {
    balancePence: 41_200,
    arrearsPence: 41_200,
    weeklyRentPence: 10_300,
    nextDueDate: '2026-11-30',
    lastPayment: { date: '2026-11-20', pence: 5000 },
    statement: { weeks: 13, fromDate: '2026-08-27', duePence: 133_900, paidPence: 92_700, balancePence: 41_200 },
  },
});

const REPLIES = [
  'BALANCE',
  'balans',
  'STATEMENT',
  'datganiad',
  "what's my balance?",
  '01/01/1990',
  'SW1 1AA',
  'AB1 2CD',
  '12/03/1985',
  'SW1A 1AA',
  '£10 a week from Friday',
  '£10 yr wythnos o ddydd Gwener',
  'deg punt',
  'yes',
  'ie',
  'no',
  'na',
  '2',
  '1',
  '3',
  'HELP',
  'START',
  'I lost my job',
  'my UC is late',
  "I don't understand",
  'hello',
  '???',
  'bob mis',
  '4 Rhagfyr',
  '29/02',
  '£1e9',
];

function run(flowId: string, texts: string[]): Effect[] {
  let session: Session | null = null;
  const effects: Effect[] = [];
  if (flowId !== 'tenant_initiated') {
    const started = startSession(flows, flowId, ctx);
    session = started.session;
    effects.push(...started.effects);
  }
  for (const text of texts) {
    const result: { session: Session; effects: Effect[] } =
      session === null
        ? startSession(flows, flowId, ctx, { kind: 'text', text })
        : step(flows, session, { kind: 'text', text }, ctx);
    session = result.session;
    effects.push(...result.effects);
  }
  return effects;
}

describe('disclosure before identity', () => {
  it('sends no amount before the identity is confirmed, in any conversation', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('missed_payment', 'tenant_initiated', 'rent_reminder'),
        fc.array(fc.constantFrom(...REPLIES), { maxLength: 12 }),
        (flowId, texts) => {
          const effects = run(flowId, texts);
          const verifiedAt = effects.findIndex((e) => e.type === 'verified');
          const before = verifiedAt === -1 ? effects : effects.slice(0, verifiedAt);
          for (const effect of before) if (effect.type === 'send') expect(effect.text).not.toMatch(/£/);
          // A statement is logged only when one was sent, after identity.
          const logged = effects.findIndex((e) => e.type === 'log' && e.entry.event === 'rent_statement_sent');
          if (logged !== -1) expect(verifiedAt).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ends the script with exactly one urgent crisis hand-off for every crisis kind, at any point', () => {
    const CRISES = [
      "I can't cope anymore, I want to end it all",
      'my partner controls all the money and I am scared',
      'my dad died',
      "I'm in hospital",
      'dw i eisiau marw',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...REPLIES), { maxLength: 6 }),
        fc.constantFrom(...CRISES),
        fc.array(fc.constantFrom(...REPLIES), { maxLength: 3 }),
        (before, crisis, after) => {
          const effects = run('missed_payment', [...before, crisis, ...after]);
          const crises = effects.filter((e) => e.type === 'escalate' && e.reason === 'crisis');
          const ended = effects.some((e) => e.type === 'end');
          // Either an earlier text already ended the conversation, or the crisis did, once, urgently.
          if (crises.length > 0) {
            expect(crises).toHaveLength(1);
            expect(crises[0]).toMatchObject({ urgency: 'urgent' });
          } else {
            expect(ended).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
