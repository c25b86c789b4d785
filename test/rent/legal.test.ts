// Table tests for the notice rules: tenure-correct names, the earliest proceedings date with its snapping
// to a rent-period boundary, and when each notice lapses. Dates worked by hand on a calendar.
import { describe, expect, it } from 'vitest';
import { noticeDates, noticeFor, parseLegalStage } from '../../src/rent/legal.js';

type RentPeriods = Parameters<typeof noticeDates>[2];

// Weekly rent due on Mondays: each rent period runs Monday to Sunday.
const weeklyMonday: RentPeriods = { frequency: 'weekly', dueDay: 'monday', startDate: '2020-04-06' };

describe('noticeFor', () => {
  it.each([
    ['secure', 'nosp'],
    ['flexible', 'nosp'],
    ['assured', 'section_8'],
    ['assured_shorthold', 'section_8'],
    ['introductory', 'notice_of_proceedings'],
    ['temporary', null],
    ['licence', null],
  ])('a %s tenancy gets %s', (tenure, notice) => {
    expect(noticeFor(tenure)).toBe(notice);
  });
});

describe('noticeDates for a secure weekly tenancy (rent periods Monday to Sunday)', () => {
  // Four weeks after service, then the first Sunday (last day of a period) or Monday (first day) from there.
  it.each([
    ['Monday', '2026-11-02', '2026-11-30'], // 4 weeks later is a Monday: the first day of a period
    ['Tuesday', '2026-11-03', '2026-12-06'], // 4 weeks later is Tue 1 Dec: the period ends Sun 6 Dec
    ['Wednesday', '2026-11-04', '2026-12-06'],
    ['Thursday', '2026-11-05', '2026-12-06'],
    ['Friday', '2026-11-06', '2026-12-06'],
    ['Saturday', '2026-11-07', '2026-12-06'],
    ['Sunday', '2026-11-08', '2026-12-06'], // 4 weeks later is a Sunday: the last day of a period
  ])('served on a %s (%s): proceedings from %s', (_day, servedOn, earliest) => {
    const dates = noticeDates('secure', servedOn, weeklyMonday);
    expect(dates.notice).toBe('nosp');
    expect(dates.earliestProceedingsDate).toBe(earliest);
  });

  it('lapses 12 months after the earliest proceedings date, not 12 months after service', () => {
    expect(noticeDates('secure', '2026-11-03', weeklyMonday)).toEqual({
      notice: 'nosp',
      earliestProceedingsDate: '2026-12-06',
      expiresOn: '2027-12-06',
    });
  });

  it('snaps to the tenancy own period boundaries (rent due on Thursdays: periods Thursday to Wednesday)', () => {
    const thursday: RentPeriods = { frequency: 'weekly', dueDay: 'thursday', startDate: '2024-01-04' };
    // Served Mon 2 Nov; four weeks on is Mon 30 Nov; that period ends Wed 2 Dec.
    expect(noticeDates('flexible', '2026-11-02', thursday).earliestProceedingsDate).toBe('2026-12-02');
  });
});

describe('noticeDates for other frequencies', () => {
  it('monthly rent due on the 1st: one full month, then the last day of that period', () => {
    const monthly: RentPeriods = { frequency: 'monthly', dueDay: 1, startDate: '2022-06-01' };
    // Served 15 Nov: a month on is 15 Dec; that period ends 31 Dec.
    expect(noticeDates('secure', '2026-11-15', monthly)).toEqual({
      notice: 'nosp',
      earliestProceedingsDate: '2026-12-31',
      expiresOn: '2027-12-31',
    });
    // Served 1 Dec: a month on is 1 Jan, itself the first day of a period.
    expect(noticeDates('secure', '2026-12-01', monthly).earliestProceedingsDate).toBe('2027-01-01');
  });

  it('fortnightly rent: periods count from the first due date, not from every Monday', () => {
    // First due Mon 5 Jan 2026, so periods start 5 Jan, 19 Jan, ... 9 Nov, 23 Nov, 7 Dec.
    const fortnightly: RentPeriods = { frequency: 'fortnightly', dueDay: 'monday', startDate: '2026-01-05' };
    // Served Tue 27 Oct: 4 weeks on is Tue 24 Nov; the next period starts 7 Dec, so the one before ends Sun 6 Dec.
    expect(noticeDates('secure', '2026-10-27', fortnightly).earliestProceedingsDate).toBe('2026-12-06');
    // Served Tue 3 Nov: 4 weeks on is Tue 1 Dec; the period 23 Nov-6 Dec ends Sun 6 Dec.
    expect(noticeDates('secure', '2026-11-03', fortnightly).earliestProceedingsDate).toBe('2026-12-06');
    // Served Tue 10 Nov: 4 weeks on is Tue 8 Dec; the period 7-20 Dec ends Sun 20 Dec.
    expect(noticeDates('secure', '2026-11-10', fortnightly).earliestProceedingsDate).toBe('2026-12-20');
  });
});

describe('noticeDates for assured and introductory tenancies', () => {
  it('assured: a section 8 notice, four weeks from service with no snapping, in force 12 months from service', () => {
    expect(noticeDates('assured', '2026-11-04', weeklyMonday)).toEqual({
      notice: 'section_8',
      earliestProceedingsDate: '2026-12-02',
      expiresOn: '2027-11-04',
    });
    expect(noticeDates('assured_shorthold', '2026-11-04', weeklyMonday).earliestProceedingsDate).toBe('2026-12-02');
  });

  it('assured: a notice served before 1 May 2026 gave two weeks', () => {
    expect(noticeDates('assured', '2026-04-20', weeklyMonday).earliestProceedingsDate).toBe('2026-05-04');
  });

  it('introductory: a notice of proceedings with the notice-to-quit minimum, and no 12-month lapse', () => {
    expect(noticeDates('introductory', '2026-11-04', weeklyMonday)).toEqual({
      notice: 'notice_of_proceedings',
      earliestProceedingsDate: '2026-12-06',
      expiresOn: null,
    });
  });

  it('temporary accommodation: no notice dates are computed', () => {
    expect(noticeDates('temporary', '2026-11-04', weeklyMonday)).toEqual({
      notice: null,
      earliestProceedingsDate: null,
      expiresOn: null,
    });
  });
});

describe('parseLegalStage', () => {
  it('reads the stages as officers type them', () => {
    expect(parseLegalStage('notice-served')).toBe('notice_served');
    expect(parseLegalStage('order-suspended')).toBe('order_suspended');
    expect(parseLegalStage('evicted')).toBe('evicted');
    expect(parseLegalStage('nosp')).toBeNull();
  });
});
