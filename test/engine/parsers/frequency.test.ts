// How often a tenant offers to pay, and the phrases that look like a frequency but are not one.
import { describe, expect, it } from 'vitest';
import { parseFrequency } from '../../../src/engine/parsers/index.js';

describe('parseFrequency', () => {
  it.each([
    ['a week', 'weekly'],
    ['per week', 'weekly'],
    ['pw', 'weekly'],
    ['p/w', 'weekly'],
    ['weekly', 'weekly'],
    ['every week', 'weekly'],
    ['each week', 'weekly'],
    ['once a week', 'weekly'],
    ['£15pw', 'weekly'],
    ['every Friday', 'weekly'],
    ['on Fridays', 'weekly'],
    ['week', 'weekly'],
    ['/wk', 'weekly'],
    ['every 2 weeks', 'fortnightly'],
    ['every two weeks', 'fortnightly'],
    ['fortnightly', 'fortnightly'],
    ['a fortnight', 'fortnightly'],
    ['every other week', 'fortnightly'],
    ['every other Friday', 'fortnightly'],
    ['2 weekly', 'fortnightly'],
    ['bi-weekly', 'fortnightly'],
    ['fortnight', 'fortnightly'],
    ['every 4 weeks', 'four_weekly'],
    ['every four weeks', 'four_weekly'],
    ['four weekly', 'four_weekly'],
    ['4-weekly', 'four_weekly'],
    ['4 weekly', 'four_weekly'],
    ['every 28 days', 'four_weekly'],
    ['monthly', 'monthly'],
    ['a month', 'monthly'],
    ['per month', 'monthly'],
    ['pcm', 'monthly'],
    ['pm', 'monthly'],
    ['£60 pm', 'monthly'],
    ['60pm', 'monthly'],
    ['£60 p.m.', 'monthly'],
    ['every month', 'monthly'],
    ['each calendar month', 'monthly'],
    ['on the 28th of every month', 'monthly'],
    ['MONTHLY', 'monthly'],
  ])('reads %j as %s', (text, frequency) => {
    expect(parseFrequency(text)).toBe(frequency);
  });

  it.each([
    ['', 'an empty message'],
    ['5pm', 'a time'],
    ['I get paid at 5 pm', 'a time with a space'],
    ['twice a month', 'a frequency we cannot take'],
    ['every 3 weeks', 'a period that is none of the four'],
    ['quarterly', 'quarterly'],
    ['in a week', 'a delay'],
    ['a week on Friday', 'a date'],
    ['next week', 'a start date'],
    ['next month', 'a start date'],
    ['weekly or monthly', 'two different frequencies'],
    ['I can pay', 'no frequency'],
  ])('refuses %j (%s)', (text) => {
    expect(parseFrequency(text)).toBeNull();
  });

  it('reads "£4 weekly" as weekly, because the 4 is an amount', () => {
    expect(parseFrequency('£4 weekly')).toBe('weekly');
  });
});
