// Whole offers in one sentence: amount, frequency, start date and reason, each null when absent.
import { describe, expect, it } from 'vitest';
import { parseOffer } from '../../../src/engine/parsers/index.js';

const LONDON = 'Europe/London';
// Thursday 26 November 2026, midday in London.
const NOW = new Date('2026-11-26T12:00:00Z');

type Expected = Omit<ReturnType<typeof parseOffer>, 'raw'>;
const offer = (
  amountPence: number | null,
  frequency: Expected['frequency'],
  startDate: string | null,
  reason: string | null = null,
): Expected => ({ amountPence, frequency, startDate, reason });

describe('parseOffer', () => {
  it.each<[string, Expected]>([
    ['I can pay 20 quid a week from Friday', offer(2000, 'weekly', '2026-11-27')],
    ['£15 a week from the 3rd', offer(1500, 'weekly', '2026-12-03')],
    ['I can do £60 a month when I get paid on the 28th', offer(6000, 'monthly', '2026-11-28')],
    ['fiver a week', offer(500, 'weekly', null)],
    [
      "I'll pay 15 every fortnight starting next Monday because my hours were cut",
      offer(1500, 'fortnightly', '2026-11-30', 'my hours were cut'),
    ],
    ['£15', offer(1500, null, null)],
    ['weekly', offer(null, 'weekly', null)],
    ["I can't pay anything", offer(null, null, null)],
    ['I can pay £7.50 a week', offer(750, 'weekly', null)],
    ['£25 pw from 4/12', offer(2500, 'weekly', '2026-12-04')],
    ['I can do £60 pm from the end of the month', offer(6000, 'monthly', '2026-11-30')],
    ['£30 every 4 weeks from 15/12', offer(3000, 'four_weekly', '2026-12-15')],
    ['twenty five pounds a fortnight from next week', offer(2500, 'fortnightly', '2026-11-30')],
    ['I can pay £5 every other Friday', offer(500, 'fortnightly', '2026-11-27')],
    ['I can pay £20 a week on Friday', offer(2000, 'weekly', '2026-11-27')],
    ['I can pay £15 a week at 5pm on Friday', offer(1500, 'weekly', '2026-11-27')],
    ['£15 a week, that is £60 a month', offer(1500, 'weekly', null)],
    ['I get £300 a month UC and can pay £10 a week from tomorrow', offer(1000, 'weekly', '2026-11-27')],
    ["I can't pay £20 but I can do £10 a week", offer(1000, 'weekly', null)],
    ['£15 a week from 15/12 as my UC was cut', offer(1500, 'weekly', '2026-12-15', 'my UC was cut')],
    [
      'I can do £10 a week as my Universal Credit was cut, starting on the 1st',
      offer(1000, 'weekly', '2026-12-01', 'my Universal Credit was cut'),
    ],
    ['Because I get paid on the 28th', offer(null, null, '2026-11-28', 'I get paid on the 28th')],
    ['I can pay £15 on the 15th of every month', offer(1500, 'monthly', '2026-12-15')],
    ['I can pay 15 twice a month', offer(1500, null, null)],
    ['£15.00 per week commencing Monday 7th December', offer(1500, 'weekly', '2026-12-07')],
    ['from Friday 4th December £10 a week', offer(1000, 'weekly', '2026-12-04')],
    ['£10 a week from Monday the 7th', offer(1000, 'weekly', '2026-12-07')],
    ['I can afford 15-20 a week', offer(null, 'weekly', null)],
    ["I'm on UC, paid monthly on the 12th, can do £40 a month", offer(4000, 'monthly', '2026-12-12')],
    ['I can pay an extra £5 on top of my rent each week', offer(500, 'weekly', null)],
  ])('reads %j', (text, expected) => {
    expect(parseOffer(text, NOW, LONDON)).toEqual({ ...expected, raw: text });
  });

  it('never reads a day of the month as the amount', () => {
    expect(parseOffer('on the 15th', NOW, LONDON).amountPence).toBeNull();
    expect(parseOffer('from 15/12', NOW, LONDON).amountPence).toBeNull();
    expect(parseOffer('pay on 3rd', NOW, LONDON).amountPence).toBeNull();
    expect(parseOffer('£15 on the 15th', NOW, LONDON)).toMatchObject({ amountPence: 1500, startDate: '2026-12-15' });
  });

  it("keeps the reason in the tenant's own capitals and spelling", () => {
    expect(parseOffer('£5 a week cos DWP stopped my PIP!!', NOW, LONDON).reason).toBe('DWP stopped my PIP');
  });

  it('does not take "as soon as" or "since March" for a reason', () => {
    expect(parseOffer('£10 a week as soon as I can', NOW, LONDON).reason).toBeNull();
    expect(parseOffer("£10 a week, I've been off since March", NOW, LONDON).reason).toBeNull();
  });

  it('keeps the raw text exactly, however odd', () => {
    const text = '  £15   A WEEK 🙏\u200b ';
    expect(parseOffer(text, NOW, LONDON).raw).toBe(text);
  });
});
