// Crisis and vulnerability words. Missing one is the failure that matters; false positives are fine.
import { describe, expect, it } from 'vitest';
import { detectConfusion, detectCrisis } from '../../../src/engine/parsers/index.js';

describe('detectCrisis', () => {
  it.each([
    ['I want to kill myself', 'self_harm'],
    ['gonna kill my self', 'self_harm'],
    ['I just want to end it all', 'self_harm'],
    ["I don't want to be here anymore", 'self_harm'],
    ['dont want to be here', 'self_harm'],
    ['I’m suicidal', 'self_harm'],
    ['feeling sucidal', 'self_harm'],
    ['everyone would be better off without me', 'self_harm'],
    ["I can't go on like this", 'self_harm'],
    ['I have been self harming', 'self_harm'],
    ["I can't cope", 'cannot_cope'],
    ['cant cope anymore', 'cannot_cope'],
    ['Im not coping', 'cannot_cope'],
    ['I am at breaking point', 'cannot_cope'],
    ['my depression is bad', 'cannot_cope'],
    ["I don't know what to do", 'cannot_cope'],
    ['my mum died', 'bereavement'],
    ['she passed away last week', 'bereavement'],
    ['the funeral is on Friday', 'bereavement'],
    ['I lost my husband in March', 'bereavement'],
    ["I'm in hospital", 'hospital'],
    ['just been admitted to A&E', 'hospital'],
    ['I have cancer', 'hospital'],
    ['my partner hits me', 'abuse'],
    ['domestic violence', 'abuse'],
    ["I'm scared of him", 'abuse'],
    ['I had to flee to a refuge', 'abuse'],
    ['partner controls the money', 'financial_control'],
    ['my partner controls the money', 'financial_control'],
    ['he takes my money', 'financial_control'],
    ['my ex has my bank card', 'financial_control'],
    ["he won't let me have any money", 'financial_control'],
    ['financial abuse', 'financial_control'],
  ])('flags %j as %s', (text, category) => {
    expect(detectCrisis(text)?.category).toBe(category);
  });

  it("quotes the matched words in the tenant's own spelling", () => {
    expect(detectCrisis("Honestly I CAN'T COPE with this")).toEqual({
      category: 'cannot_cope',
      kind: 'self_harm',
      matched: "CAN'T COPE",
    });
    expect(detectCrisis('dw i’n sâl iawn')?.matched).toBe('sâl iawn');
  });

  it('names the most urgent category when several apply', () => {
    expect(detectCrisis("my mum died and I can't cope, I want to end it all")?.category).toBe('self_harm');
  });

  it.each([
    ['I want to end it all', 'self_harm'],
    ["I can't cope anymore, I want to end it all", 'self_harm'],
    ["I can't cope", 'self_harm'],
    ['my partner controls all the money and I am scared', 'domestic_abuse'],
    ['my partner hits me', 'domestic_abuse'],
    ['my mum died', 'bereavement_illness'],
    ["I'm in hospital", 'bereavement_illness'],
  ])('answers %j as the %s kind', (text, kind) => {
    expect(detectCrisis(text)?.kind).toBe(kind);
  });

  it.each([
    'I can pay £15 a week',
    'yes',
    'Friday is fine',
    'STOP',
    '',
    'I paid it yesterday',
    // Confusion and language are not a crisis (detectConfusion), nor is hardship.
    "I don't understand",
    'interpreter',
    'my English is not good',
    '???',
    'I lost my job',
    'my UC is late this month',
  ])('does not flag %j', (text) => {
    expect(detectCrisis(text)).toBeNull();
  });
});

describe('detectConfusion', () => {
  it.each([
    "I don't understand",
    'I dont understand this',
    'what does this mean',
    "I'm confused",
    'my English is not good',
    'interpreter please',
    '???',
    'what?',
    'dw i ddim yn deall',
    'Dydw i ddim yn deall',
    'oes cyfieithydd?',
    'beth?',
  ])('flags %j', (text) => {
    expect(detectConfusion(text)).not.toBeNull();
  });

  it.each(['I can pay £15 a week', 'yes', '12/03/1985', 'dydd Gwener', ''])('does not flag %j', (text) => {
    expect(detectConfusion(text)).toBeNull();
  });
});
