// The pure parts of the jobs: the cron table's scheduled times in London (across clock changes), how late
// a run may come, what counts as paid towards an arrangement, and when an account is fully covered.
import { describe, expect, it } from 'vitest';
import { fullyCoveredByBenefit } from '../../src/rent/benefit-cover.js';
import { paymentsTowardArrangement } from '../../src/rent/arrangement-progress.js';
import { cronExpression, latestOccurrence, tooLate, type JobSchedule } from '../../src/jobs/schedule.js';
import type { LedgerEntry } from '../../src/rent/types.js';

const daily: JobSchedule = { job: 'daily', kind: 'daily', time: '10:00', maxLatenessMs: 20 * 3_600_000 };
const every5: JobSchedule = { job: 'timeouts', kind: 'every', minutes: 5, maxLatenessMs: 3_600_000 };

describe('the cron table', () => {
  it.each([
    ['2026-05-09T09:00:00Z', '2026-05-09T09:00:00.000Z', 'at 10:00 BST exactly'],
    ['2026-05-09T08:59:59Z', '2026-05-08T09:00:00.000Z', 'just before: yesterday 10:00 BST'],
    ['2026-12-01T12:00:00Z', '2026-12-01T10:00:00.000Z', 'in winter 10:00 is 10:00 GMT'],
    ['2026-03-29T09:30:00Z', '2026-03-29T09:00:00.000Z', 'the day the clocks go forward'],
    ['2026-10-25T09:30:00Z', '2026-10-24T09:00:00.000Z', 'the day the clocks go back, before 10:00 GMT'],
  ])('the latest daily 10:00 at %s is %s (%s)', (now, expected) => {
    expect(latestOccurrence(daily, new Date(now), 'Europe/London').toISOString()).toBe(expected);
  });

  it('keys a five-minute job by the five-minute boundary, whatever the seconds', () => {
    expect(latestOccurrence(every5, new Date('2026-05-09T09:07:42.123Z'), 'Europe/London').toISOString()).toBe(
      '2026-05-09T09:05:00.000Z',
    );
  });

  it('writes node-cron expressions for both kinds of schedule', () => {
    expect(cronExpression(daily)).toBe('0 10 * * *');
    expect(cronExpression(every5)).toBe('*/5 * * * *');
  });

  it('calls a run too late only after its lateness allowance', () => {
    const at = new Date('2026-05-09T09:00:00Z');
    expect(tooLate(daily, at, new Date('2026-05-10T04:59:00Z'))).toBe(false);
    expect(tooLate(daily, at, new Date('2026-05-10T05:01:00Z'))).toBe(true);
  });
});

describe('money towards an arrangement', () => {
  const base = { openingPence: 20_000, baseline: '2026-04-20', startArrearsPence: 20_000, graceDays: 3 };
  const line = (date: string, type: 'rent' | 'payment', amount_pence: number) => ({ date, type, amount_pence });

  it('counts rent paid on the day it is charged as nothing, and only the extra as paid', () => {
    const lines = [
      line('2026-05-04', 'rent', 10_000),
      line('2026-05-04', 'payment', -10_000),
      line('2026-05-08', 'payment', -1_000),
    ];
    const input = { ...base, lines, today: '2026-05-10' };
    expect(paymentsTowardArrangement(input)).toEqual([{ date: '2026-05-08', amountPence: 1_000 }]);
  });

  it('gives an unpaid new charge its grace period, then counts it against the plan', () => {
    const lines = [line('2026-05-04', 'rent', 10_000)];
    const input = { ...base, lines, today: '2026-05-10' };
    expect(paymentsTowardArrangement(input)).toEqual([{ date: '2026-05-07', amountPence: -10_000 }]);
  });
});

describe('accounts fully covered by benefit', () => {
  const entry = (date: string, type: LedgerEntry['type'], amountPence: number): LedgerEntry => ({
    date,
    type,
    amountPence,
    account: 'rent',
    description: '',
  });
  const charges = ['2026-03-02', '2026-03-30', '2026-04-27'].flatMap((d) => [entry(d, 'rent', 40_000)]);

  it('is covered when Housing Benefit credits match the charges over the last 13 weeks', () => {
    const hb = ['2026-03-09', '2026-04-06', '2026-05-04'].map((d) => entry(d, 'hb', -40_000));
    expect(fullyCoveredByBenefit('hb', [...charges, ...hb], '2026-05-20')).toBe(true);
  });

  it('is not covered when the tenant pays part of the rent themselves, or claims UC paid to them', () => {
    const hb = ['2026-03-09', '2026-04-06', '2026-05-04'].map((d) => entry(d, 'hb', -30_000));
    expect(fullyCoveredByBenefit('hb', [...charges, ...hb], '2026-05-20')).toBe(false);
    expect(fullyCoveredByBenefit('uc', charges, '2026-05-20')).toBe(false);
  });
});
