// Table tests for the pre-action checklist: each item met, not met and not applicable, from contact logs
// built line by line, and the overall "ready for a notice" verdict.
import { describe, expect, it } from 'vitest';
import { protocolChecklist, type ProtocolLogEntry } from '../../src/rent/protocol.js';

type ProtocolInput = Parameters<typeof protocolChecklist>[0];
type ProtocolItemKey = ReturnType<typeof protocolChecklist>['items'][number]['key'];

const now = new Date('2026-11-25T10:00:00Z');
const arrearsSince = new Date('2026-10-01T09:00:00Z');
const before = new Date('2026-09-01T09:00:00Z');
const after = new Date('2026-10-10T09:00:00Z');

let nextId = 1;
function line(event: string, at: Date, extra: Partial<ProtocolLogEntry> = {}): ProtocolLogEntry {
  return { id: nextId++, at, tenantNo: 1, event, actor: 'rentline', detail: {}, ...extra };
}
const text = (body: string, at = after, status = 'delivered', tenantNo = 1) =>
  line('message_sent', at, { tenantNo, message: { status, body } });
const officer = (event: string, at = after, detail: Record<string, unknown> = {}, tenantNo: number | null = 1) =>
  line(event, at, { actor: 'officer:U1', detail, tenantNo });

const base: ProtocolInput = {
  now,
  tenantNos: [1],
  arrearsSince,
  log: [],
  breathingSpaceActive: false,
  benefitClaimPending: false,
  arrangementStatus: null,
  debtAdviceWords: ['StepChange', '0800 138 1111', 'debt advice'],
};

function statusOf(key: ProtocolItemKey, input: Partial<ProtocolInput>) {
  const found = protocolChecklist({ ...base, ...input }).items.find((i) => i.key === key);
  if (!found) throw new Error(`no item ${key}`);
  return found;
}

describe('protocolChecklist items', () => {
  it.each<[ProtocolItemKey, string, Partial<ProtocolInput>, 'met' | 'not_met' | 'not_applicable']>([
    ['early_contact', 'a delivered text after the arrears arose', { log: [text('Hello')] }, 'met'],
    ['early_contact', 'a logged visit after the arrears arose', { log: [officer('contact_visit')] }, 'met'],
    ['early_contact', 'a text that failed', { log: [text('Hello', after, 'failed')] }, 'not_met'],
    ['early_contact', 'a text before the arrears arose', { log: [text('Hello', before)] }, 'not_met'],
    [
      'early_contact',
      'a joint tenancy where only the lead tenant was texted',
      { tenantNos: [1, 2], log: [text('Hello')] },
      'not_met',
    ],
    [
      'early_contact',
      'a joint tenancy, each tenant contacted',
      { tenantNos: [1, 2], log: [text('Hello'), officer('contact_letter', after, {}, 2)] },
      'met',
    ],
    ['early_contact', 'no arrears', { arrearsSince: null, log: [text('Hello')] }, 'not_applicable'],
    [
      'cause_discussed',
      'a call with the cause recorded',
      { log: [officer('contact_call', after, { cause: 'lost hours at work' })] },
      'met',
    ],
    [
      'cause_discussed',
      'an offer with the reason given',
      { log: [line('offer_recorded', after, { actor: 'tenant', detail: { reason: 'UC was late' } })] },
      'met',
    ],
    [
      'cause_discussed',
      'a call with no cause',
      { log: [officer('contact_call', after, { outcome: 'no answer' })] },
      'not_met',
    ],
    ['cause_discussed', 'no arrears', { arrearsSince: null }, 'not_applicable'],
    [
      'affordability_assessed',
      'an affordability check',
      { log: [line('affordability_assessed', after, { detail: { surplus_pence: 12000 } })] },
      'met',
    ],
    [
      'affordability_assessed',
      'a check from an earlier episode',
      { log: [line('affordability_assessed', before)] },
      'not_met',
    ],
    ['affordability_assessed', 'no arrears', { arrearsSince: null }, 'not_applicable'],
    ['repayment_offered', 'a tenant offer', { log: [line('offer_recorded', after, { actor: 'tenant' })] }, 'met'],
    ['repayment_offered', 'an officer counter-offer', { log: [officer('officer_countered')] }, 'met'],
    ['repayment_offered', 'nothing', {}, 'not_met'],
    ['repayment_offered', 'no arrears', { arrearsSince: null }, 'not_applicable'],
    [
      'rent_statement_sent',
      'a 13-week statement 30 days ago',
      { log: [line('rent_statement_sent', new Date('2026-10-26T10:00:00Z'), { detail: { weeks: 13 } })] },
      'met',
    ],
    [
      'rent_statement_sent',
      'a statement 92 days ago',
      { log: [line('rent_statement_sent', new Date('2026-08-25T09:00:00Z'), { detail: { weeks: 13 } })] },
      'not_met',
    ],
    [
      'rent_statement_sent',
      'a 4-week statement',
      { log: [line('rent_statement_sent', after, { detail: { weeks: 4 } })] },
      'not_met',
    ],
    ['benefit_help_offered', 'benefit help offered', { log: [line('benefit_help_offered', after)] }, 'met'],
    ['benefit_help_offered', 'nothing', {}, 'not_met'],
    ['benefit_help_offered', 'no arrears', { arrearsSince: null }, 'not_applicable'],
    [
      'debt_advice_signposted',
      'a delivered text naming StepChange',
      { log: [text('Free help: StepChange on 0800 138 1111')] },
      'met',
    ],
    [
      'debt_advice_signposted',
      'a referral',
      { log: [officer('officer_referred', after, { agencyId: 'stepchange' })] },
      'met',
    ],
    [
      'debt_advice_signposted',
      'a text naming advice that was never delivered',
      { log: [text('Free debt advice', after, 'undelivered')] },
      'not_met',
    ],
    ['debt_advice_signposted', 'a delivered text with no advice in it', { log: [text('Your rent is due')] }, 'not_met'],
    ['debt_advice_signposted', 'no arrears', { arrearsSince: null }, 'not_applicable'],
    [
      'vulnerability_considered',
      "an officer's vulnerability mark",
      { log: [officer('vulnerability_marked', before)] },
      'met',
    ],
    [
      'vulnerability_considered',
      "an officer's vulnerability mark cleared",
      { log: [officer('vulnerability_cleared', before)] },
      'met',
    ],
    [
      'vulnerability_considered',
      'a vulnerability mark set through the API',
      { log: [line('vulnerability_marked', before, { actor: 'api:Priya' })] },
      'met',
    ],
    [
      'vulnerability_considered',
      'a logged call with a vulnerability review',
      { log: [officer('contact_call', after, { vulnerability: 'no support needs found' })] },
      'met',
    ],
    [
      'vulnerability_considered',
      'nothing recorded by an officer',
      { log: [line('vulnerability_marked', after, { actor: 'import' })] },
      'not_met',
    ],
    ['no_breathing_space', 'none in force', {}, 'met'],
    ['no_breathing_space', 'one in force', { breathingSpaceActive: true }, 'not_met'],
    ['no_benefit_claim_pending', 'none pending', {}, 'met'],
    [
      'no_benefit_claim_pending',
      'a claim pending',
      { benefitClaimPending: true, log: [officer('benefit_claim_pending', after, {}, null)] },
      'not_met',
    ],
    ['no_kept_arrangement', 'no arrangement', {}, 'met'],
    ['no_kept_arrangement', 'a kept arrangement', { arrangementStatus: 'kept' }, 'not_met'],
    [
      'no_kept_arrangement',
      'a broken arrangement',
      { arrangementStatus: 'broken', log: [line('arrangement_broken', after)] },
      'met',
    ],
  ])('%s with %s is %s', (key, _what, input, status) => {
    expect(statusOf(key, input).status).toBe(status);
  });

  it('gives the log lines that prove an item, with ids, times and events', () => {
    const visit = officer('contact_visit');
    const found = statusOf('early_contact', { log: [text('Hello', before), visit] });
    expect(found.evidence).toEqual([{ contact_log_id: visit.id, at: after.toISOString(), event: 'contact_visit' }]);
  });

  it('names the tenant not contacted yet', () => {
    expect(statusOf('early_contact', { tenantNos: [1, 2], log: [text('Hello')] }).note).toMatch(/tenant 2/);
  });

  it('lists every item in the fixed order', () => {
    expect(protocolChecklist(base).items.map((i) => i.key)).toEqual([
      'early_contact',
      'cause_discussed',
      'affordability_assessed',
      'repayment_offered',
      'rent_statement_sent',
      'benefit_help_offered',
      'debt_advice_signposted',
      'vulnerability_considered',
      'no_breathing_space',
      'no_benefit_claim_pending',
      'no_kept_arrangement',
    ]);
  });
});

describe('ready_for_notice', () => {
  const everything = [
    text('Hi, free debt advice: StepChange 0800 138 1111'),
    officer('contact_call', after, { cause: 'reduced hours', vulnerability: 'none found' }),
    line('affordability_assessed', after),
    line('offer_recorded', after, { actor: 'tenant' }),
    line('rent_statement_sent', after, { detail: { weeks: 13 } }),
    line('benefit_help_offered', after),
    line('arrangement_broken', after),
  ];

  it('is yes when every step is evidenced, and says a person decides', () => {
    const result = protocolChecklist({ ...base, log: everything, arrangementStatus: 'broken' });
    expect(result.items.filter((i) => i.status !== 'met')).toEqual([]);
    expect(result.ready_for_notice).toBe(true);
    expect(result.reason).toMatch(/a person decides/);
  });

  it('is no while any item is not met, naming it', () => {
    const result = protocolChecklist({ ...base, log: everything, breathingSpaceActive: true });
    expect(result.ready_for_notice).toBe(false);
    expect(result.reason).toBe('Not ready: no_breathing_space not met');
  });

  it('is no without arrears', () => {
    expect(protocolChecklist({ ...base, arrearsSince: null }).ready_for_notice).toBe(false);
  });
});
