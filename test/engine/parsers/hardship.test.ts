// Hardship words get benefit help instead of "Sorry, I didn't catch that"; offers with a hardship reason stay offers.
import { describe, expect, it } from 'vitest';
import { detectGlobal } from '../../../src/engine/global-words.js';
import { detectHardship } from '../../../src/engine/parsers/index.js';

describe('detectHardship', () => {
  it.each([
    'I lost my job',
    'lost my job last week',
    'UC is late',
    'my UC is late this month',
    'universal credit has been delayed',
    'my benefits stopped',
    'benefits have stopped',
    "I've been sanctioned",
    'got sanctioned',
    'my hours were cut',
    'hours cut at work',
    "I can't afford it",
    'cant afford the rent',
    'been made redundant',
    'waiting for my first UC payment',
    // Welsh
    'dw i wedi colli fy swydd',
    'mae fy nghredyd cynhwysol yn hwyr',
    'credyd cynhwysol yn hwyr',
    'mae fy mudd-daliadau wedi stopio',
    'budd-daliadau wedi stopio',
    'dw i wedi cael sancsiwn',
    "mae fy oriau wedi'u torri",
    'dw i methu fforddio',
    'dw i ddim yn gallu fforddio',
  ])('flags %j', (text) => {
    expect(detectHardship(text)).not.toBeNull();
  });

  it.each(['yes', '£10 a week from Friday', 'my job is fine', 'I got paid', '12/03/1985', 'dydd Gwener'])(
    'does not flag %j',
    (text) => {
      expect(detectHardship(text)).toBeNull();
    },
  );
});

describe('global words', () => {
  it.each([
    ["I can't cope anymore, I want to end it all", 'crisis'],
    ['my partner controls all the money and I am scared', 'crisis'],
    ["I don't understand", 'confusion'],
    ['interpreter', 'confusion'],
    ['my English is not good', 'confusion'],
    ['my UC is late this month', 'hardship'],
    ['I lost my job', 'hardship'],
    ['BALANCE', 'account_request'],
    ['datganiad', 'account_request'],
    ['STOP', 'opt_out'],
  ])('%j is %s', (text, event) => {
    expect(detectGlobal(text)?.event).toBe(event);
  });

  it('an offer with a hardship reason is an offer, not a global word', () => {
    expect(detectGlobal('I can do £5 a week from Friday as I lost my job')).toBeNull();
  });

  it('keeps the crisis reason kind for officers', () => {
    expect(detectGlobal('my partner controls all the money and I am scared')).toMatchObject({
      event: 'crisis',
      kind: 'domestic_abuse',
    });
    expect(detectGlobal('my dad died')).toMatchObject({ event: 'crisis', kind: 'bereavement_illness' });
    expect(detectGlobal('I want to end it all')).toMatchObject({ event: 'crisis', kind: 'self_harm' });
  });
});

describe('detectHardship leaves ordinary news alone', () => {
  it.each(['I have no work tomorrow so I can pay Friday', 'work is busy', 'I get paid on Friday'])('%j', (text) => {
    expect(detectHardship(text)).toBeNull();
  });
});
