// "I paid that": already-paid claims and balance disputes, but not payday talk, refusals or promises.
import { describe, expect, it } from 'vitest';
import { detectAlreadyPaid } from '../../../src/engine/parsers/index.js';

describe('detectAlreadyPaid', () => {
  it.each([
    'I paid that',
    "I've already paid",
    'paid it yesterday',
    "that's wrong, I paid",
    'I have paid',
    'already paid',
    'I paid £50 last week',
    "it's been paid",
    'That has been paid',
    'the rent was paid on Monday',
    'paid in full',
    'I sent the money on Friday',
    'I made the payment yesterday',
    'the direct debit went out',
    "I don't owe anything",
    "I'm not in arrears",
    'the balance is wrong',
    "I've got a receipt",
    'Housing benefit pays my rent',
    'UC pays it direct',
    'ive paid',
  ])('treats %j as already paid', (text) => {
    expect(detectAlreadyPaid(text)).toBe(true);
  });

  it.each([
    'I get paid on Friday',
    'when I get paid on the 28th I can pay £60',
    "I haven't paid",
    "I didn't pay it",
    "I'll pay it Friday",
    'I will pay on Friday',
    'I can pay £15 a week',
    "I can't pay anything",
    'I will have paid it by Friday',
    "I'm paid monthly",
    "that's wrong",
    'yes',
    '',
    'paid',
  ])('does not treat %j as already paid', (text) => {
    expect(detectAlreadyPaid(text)).toBe(false);
  });
});
