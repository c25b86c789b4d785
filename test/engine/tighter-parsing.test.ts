// Tighter parsing: no scientific notation, no start date beyond the next 12 months, and a date in another
// year always shown with its year, so nobody agrees to a plan they misread.
import { describe, expect, it } from 'vitest';
import { parseMoney, parseOffer } from '../../src/engine/parsers/index.js';
import { describeOffer } from '../../src/engine/render.js';
import { startSession, step } from '../../src/engine/step.js';
import { context, shippedFlows } from './support.js';
import type { Effect, Session } from '../../src/engine/types.js';

const flows = shippedFlows();
const texts = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'send' ? [e.text] : []));

function atMenu(): Session {
  const { session } = startSession(flows, 'missed_payment', context());
  return step(flows, session, { kind: 'text', text: '12/03/1985' }, context()).session;
}

describe('scientific notation', () => {
  it.each(['£1e9', '1e9', '£1E9', '£1.5e3', '£2e+2', '£1e9 a week'])('%j is not an amount', (text) => {
    expect(parseMoney(text)).toBeNull();
  });

  it('reads no amount from "£1e9 a week from Friday", but keeps the frequency and the date', () => {
    const offer = parseOffer('£1e9 a week from Friday', new Date('2026-11-25T10:00:00Z'), 'Europe/London');
    expect(offer).toMatchObject({ amountPence: null, frequency: 'weekly', startDate: '2026-11-27' });
  });

  it('still reads ordinary amounts next to an "e"', () => {
    expect(parseMoney('£10 each week')).toBe(1000);
  });
});

describe('start dates more than 12 months ahead', () => {
  it('accepts a date up to 12 months ahead and refuses one beyond', () => {
    // Today is Wed 25 Nov 2026: Thu 25 Nov 2027 is the last day inside the window.
    const last = step(flows, atMenu(), { kind: 'text', text: '£10 a week from 25/11/2027' }, context());
    expect(texts(last.effects)).toEqual([
      "So that's £10.00 a week from Thu 25 Nov 2027, on top of your rent. Is that right? Reply YES or NO.",
    ]);
    expect(last.session.vars).toMatchObject({ offer_start: '2027-11-25' });
    const beyond = step(flows, atMenu(), { kind: 'text', text: '£10 a week from 26/11/2027' }, context());
    expect(texts(beyond.effects)).toEqual([
      'Fri 26 Nov 2027 is more than a year away. When could you make the first payment? Please give a date in the next 12 months, for example Friday, or 4/12.',
    ]);
    expect(beyond.session.vars.offer_start).toBeUndefined();
  });

  it('asks again for "£10 a week from 29/02" in November, showing the year it would be', () => {
    const { session, effects } = step(flows, atMenu(), { kind: 'text', text: '£10 a week from 29/02' }, context());
    expect(texts(effects)).toEqual([
      'Tue 29 Feb 2028 is more than a year away. When could you make the first payment? Please give a date in the next 12 months, for example Friday, or 4/12.',
    ]);
    expect(session.vars).toMatchObject({ offer_amount: 1000, offer_frequency: 'weekly' });
    expect(session.vars.offer_start).toBeUndefined();
    expect(effects.some((e) => e.type === 'record_offer' || e.type === 'escalate')).toBe(false);
  });

  it('records the plan once a date inside the year is given', () => {
    const asked = step(flows, atMenu(), { kind: 'text', text: '£10 a week from 29/02' }, context()).session;
    const { session, effects } = step(flows, asked, { kind: 'text', text: '4/12' }, context());
    expect(session.vars.offer_start).toBe('2026-12-04');
    expect(texts(effects)[0]).toContain('£10.00 a week from Fri 4 Dec,');
  });
});

describe('dates in another year', () => {
  it('are shown with the year; dates this year are not', () => {
    expect(describeOffer(1000, 'weekly', '2027-01-08', 'en', '2026-11-25')).toBe('£10.00 a week from Fri 8 Jan 2027');
    expect(describeOffer(1000, 'weekly', '2026-12-04', 'en', '2026-11-25')).toBe('£10.00 a week from Fri 4 Dec');
    expect(describeOffer(1000, 'weekly', '2027-01-08', 'cy', '2026-11-25')).toBe('£10.00 yr wythnos o 8 Ionawr 2027');
  });

  it('the confirmation of a plan starting next year names the year', () => {
    const { effects } = step(flows, atMenu(), { kind: 'text', text: '£10 a week from 8/1' }, context());
    expect(texts(effects)).toEqual([
      "So that's £10.00 a week from Fri 8 Jan 2027, on top of your rent. Is that right? Reply YES or NO.",
    ]);
  });
});
