// Structure tests for the pure Block Kit builders: what a card shows and never shows, which buttons it
// carries in each state, the modals' inline validation, App Home ordering and counts.
import { describe, expect, it } from 'vitest';
import { buildEscalationCard, buildMirroredMessage, type CardModel } from '../../src/slack/blocks/card.js';
import { slackToPlainText } from '../../src/slack/blocks/format.js';
import { buildHomeView, type HomeItem } from '../../src/slack/blocks/home.js';
import {
  counterModal,
  decodeMetadata,
  encodeMetadata,
  validateCounter,
  validateRefer,
} from '../../src/slack/blocks/modals.js';
import { ACTIONS } from '../../src/slack/ids.js';
import { actionsOf, textOf } from './harness.js';

const TZ = 'Europe/London';

function model(overrides: Partial<CardModel> = {}): CardModel {
  return {
    escalationId: 42,
    reason: 'offer',
    urgency: 'normal',
    status: 'pending',
    summary: 'Sam (DH-1): Repayment offer',
    createdAt: new Date('2026-11-24T10:00:00Z'),
    decidedBy: null,
    decidedAt: null,
    threadOf: null,
    tenancyRef: 'DH-000123',
    firstName: 'Sam',
    patchOfficer: 'UPATCH',
    account: {
      balancePence: 41200,
      arrearsPence: 41200,
      weeklyRentPence: 10300,
      weeksInArrears: 4,
      lastPaymentDate: '2026-10-20',
    },
    benefit: 'uc',
    flags: ['joint', 'vulnerable', 'breathing_space'],
    brokenBefore: 2,
    offer: {
      amountPence: 1500,
      frequency: 'weekly',
      startDate: '2026-11-27',
      reason: 'Hours cut at work',
      withinPolicy: false,
      weeksToClear: 28,
      clearBy: '4 Jun 2027',
      reasons: ['£15.00 a week meets the £5.00 minimum'],
    },
    counter: null,
    referredTo: null,
    nextStep: { action: 'officer_call', reason: 'No arrangement after 2 texts: an officer should call' },
    recentMessages: [{ direction: 'inbound', body: 'I can pay <!channel> £15', at: new Date('2026-11-24T09:58:00Z') }],
    takenOverBy: null,
    ...overrides,
  };
}

describe('the escalation card', () => {
  it('shows the case an officer needs and mentions the patch officer', () => {
    const card = buildEscalationCard(model(), { timeZone: TZ });
    const text = textOf(card.blocks);
    for (const shown of [
      'Sam',
      'DH-000123',
      '<@UPATCH>',
      '£412.00',
      '£103.00',
      '*Weeks in arrears*\\n4',
      '2026-10-20',
      'Universal Credit',
      '*Broken arrangements before*\\n2',
      'Joint tenancy',
      'Vulnerable',
      'Breathing Space',
      '£15.00 a week from Fri 27 Nov',
      'clears in 28 weeks, by 4 Jun 2027',
      'Outside policy',
      'Hours cut at work',
      'Officer call',
      'No arrangement after 2 texts',
    ])
      expect(text).toContain(shown);
    expect(card.text).toContain('<@UPATCH>');
  });

  it('escapes tenant text so it cannot ping a channel or fake a link', () => {
    const text = textOf(buildEscalationCard(model(), { timeZone: TZ }).blocks);
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(textOf(buildMirroredMessage('Sam', '<@U1> hi & bye', new Date(), TZ))).toContain('&lt;@U1&gt; hi &amp; bye');
  });

  it('carries the escalation id on Accept, Counter and Refer, with Take over and View account in the overflow', () => {
    const elements = actionsOf(buildEscalationCard(model(), { timeZone: TZ }).blocks);
    expect(elements.map((e) => [e.type, e.action_id, e.value, e.style])).toEqual([
      ['button', ACTIONS.accept, '42', 'primary'],
      ['button', ACTIONS.counter, '42', undefined],
      ['button', ACTIONS.refer, '42', undefined],
      ['overflow', ACTIONS.more, undefined, undefined],
    ]);
    expect(elements[3]?.options?.map((o) => o.value)).toEqual(['take_over:42', 'view_account:42']);
  });

  it('marks an urgent hand-off urgent, with Take over as the main action', () => {
    const card = buildEscalationCard(
      model({ reason: 'crisis', urgency: 'urgent', offer: null, summary: 'The tenant used words that suggest crisis' }),
      { timeZone: TZ },
    );
    expect(textOf(card.blocks[0])).toContain('URGENT: Crisis words');
    expect(card.text.startsWith('URGENT')).toBe(true);
    const elements = actionsOf(card.blocks);
    expect(elements[0]).toMatchObject({ action_id: ACTIONS.takeOver, style: 'primary', value: '42' });
    expect(elements.map((e) => e.action_id)).not.toContain(ACTIONS.accept);
  });

  it('has no live decision button once decided, and says who decided and when', () => {
    const card = buildEscalationCard(
      model({ status: 'accepted', decidedBy: 'UOFF', decidedAt: new Date('2026-11-24T14:02:00Z') }),
      { timeZone: TZ },
    );
    expect(actionsOf(card.blocks)).toEqual([]);
    expect(textOf(card.blocks)).toContain('Accepted by <@UOFF> at 14:02');
    const expired = buildEscalationCard(model({ status: 'expired' }), { timeZone: TZ });
    expect(actionsOf(expired.blocks)).toEqual([]);
    expect(textOf(expired.blocks)).toContain('Expired');
  });

  it('keeps only Hand back while an officer has the conversation', () => {
    const card = buildEscalationCard(
      model({ status: 'accepted', decidedBy: 'UOFF', decidedAt: new Date(), takenOverBy: 'UOFF' }),
      { timeZone: TZ },
    );
    expect(actionsOf(card.blocks).map((e) => e.action_id)).toEqual([ACTIONS.handBack]);
  });
});

describe('the counter-offer modal', () => {
  const values = (amount: string, start: string, frequency = 'weekly') => ({
    amount: { value: { value: amount } },
    frequency: { value: { selected_option: { value: frequency } } },
    start: { value: { selected_date: start } },
  });

  it('accepts pounds with or without the sign and returns whole pence', () => {
    expect(validateCounter(values('£12.50', '2026-11-24'), '2026-11-24')).toEqual({
      ok: true,
      offer: { amountPence: 1250, frequency: 'weekly', startDate: '2026-11-24' },
    });
  });

  it('rejects an amount of zero, nonsense, and a start date in the past, keyed by block', () => {
    expect(validateCounter(values('0', '2026-11-01'), '2026-11-24')).toEqual({
      ok: false,
      errors: {
        amount: 'The amount must be more than £0.00',
        start: 'The first payment cannot be in the past: choose today or later',
      },
    });
    expect(validateCounter(values('ten', '2026-12-01', 'yearly'), '2026-11-24')).toMatchObject({
      ok: false,
      errors: { amount: expect.any(String), frequency: expect.any(String) },
    });
  });

  it("starts from the tenant's offer and carries the case in its metadata", () => {
    const view = counterModal(
      {
        firstName: 'Sam',
        tenancyRef: 'DH-1',
        arrearsPence: 41200,
        tenantOffer: { amountPence: 1500, frequency: 'weekly', startDate: '2026-11-27' },
        minWeeklyPence: 500,
        maxWeeks: 104,
        today: '2026-11-24',
      },
      { escalationId: 7, channel: 'C1', messageTs: '1.2' },
    );
    expect(textOf(view)).toContain('"initial_value":"15.00"');
    expect(decodeMetadata(view.private_metadata)).toEqual({ escalationId: 7, channel: 'C1', messageTs: '1.2' });
    expect(decodeMetadata(encodeMetadata({ escalationId: 1, channel: null, messageTs: null }))).toEqual({
      escalationId: 1,
      channel: null,
      messageTs: null,
    });
    expect(decodeMetadata('not json')).toBeNull();
  });

  it('refers only to an agency in the policy', () => {
    const agencies = [{ id: 'stepchange', name: 'StepChange' }];
    expect(
      validateRefer(
        { agency: { value: { selected_option: { value: 'stepchange' } } }, note: { value: { value: '  ' } } },
        agencies,
      ),
    ).toEqual({ ok: true, agencyId: 'stepchange', note: null });
    expect(validateRefer({ agency: { value: { selected_option: { value: 'loan_shark' } } } }, agencies)).toMatchObject({
      ok: false,
    });
  });
});

describe('App Home', () => {
  const item = (id: number, ownPatch: boolean, created: string, urgency: 'normal' | 'urgent' = 'normal'): HomeItem => ({
    escalationId: id,
    tenancyRef: `DH-${id}`,
    firstName: 'Sam',
    reason: 'offer',
    urgency,
    createdAt: new Date(created),
    ownPatch,
    channel: 'C1',
    ts: '1.2',
  });

  it("lists the officer's own patch first, oldest first, with counts", () => {
    const view = buildHomeView(
      [
        item(1, false, '2026-11-20T10:00:00Z'),
        item(2, true, '2026-11-23T10:00:00Z'),
        item(3, true, '2026-11-21T10:00:00Z', 'urgent'),
      ],
      { now: new Date('2026-11-24T10:00:00Z'), timeZone: TZ, isOfficer: true },
    );
    const text = textOf(view.blocks);
    expect(text).toContain('*Your patch*\\n2 waiting (1 urgent)');
    expect(text).toContain('*Other patches*\\n1 waiting');
    expect([text.indexOf('DH-3'), text.indexOf('DH-2'), text.indexOf('DH-1')]).toEqual(
      [...[text.indexOf('DH-3'), text.indexOf('DH-2'), text.indexOf('DH-1')]].sort((a, b) => a - b),
    );
  });

  it('shows nothing about tenants to someone who is not an officer', () => {
    expect(
      textOf(
        buildHomeView([item(1, true, '2026-11-20T10:00:00Z')], { now: new Date(), timeZone: TZ, isOfficer: false }),
      ),
    ).not.toContain('DH-1');
  });
});

describe("officers' words from Slack", () => {
  it('become plain text for the tenant', () => {
    expect(slackToPlainText('Hi <@U123>, see <https://pay.example.org|our payment page> &amp; call &lt;us&gt;')).toBe(
      'Hi, see our payment page (https://pay.example.org) & call <us>',
    );
  });
});
