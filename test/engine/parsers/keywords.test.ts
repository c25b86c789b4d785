// Carrier keywords (whole message only), asking for a person, and opt-out requests in free text.
import { describe, expect, it } from 'vitest';
import {
  detectOptOutRequest,
  matchAccountRequest,
  detectWrongNumber,
  matchGlobalKeyword,
} from '../../../src/engine/parsers/index.js';

describe('matchGlobalKeyword', () => {
  it.each([
    'STOP',
    'stop',
    'Stop!',
    ' stop. ',
    'STOP 🛑',
    'UNSUBSCRIBE',
    'END',
    'QUIT',
    'STOPALL',
    'REVOKE',
    'OPTOUT',
    'CANCEL',
  ])('reads %j as opt_out', (text) => {
    expect(matchGlobalKeyword(text)).toBe('opt_out');
  });

  it.each(['START', 'start', 'UNSTOP'])('reads %j as opt_in', (text) => {
    expect(matchGlobalKeyword(text)).toBe('opt_in');
  });

  it.each(['HELP', 'help?', 'INFO'])('reads %j as help', (text) => {
    expect(matchGlobalKeyword(text)).toBe('help');
  });

  it.each([
    'officer',
    'call me',
    'Call me please',
    'speak to someone',
    'talk to a person',
    'human',
    'can someone call me',
    'Can someone call me please?',
    'Can I speak to someone',
    'please call me back',
    'I want to talk to a human',
    'can an officer ring me',
    'I need to speak to my housing officer',
  ])('reads %j as human', (text) => {
    expect(matchGlobalKeyword(text)).toBe('human');
  });

  it.each([
    ['STOP PLEASE', 'a keyword with other words'],
    ['please stop', 'a keyword after other words'],
    ["don't call me", 'a refusal that contains "call me"'],
    ['yes', 'YES, which Twilio treats as opt-in but answers our questions'],
    ['help me', 'HELP with other words'],
    ['I will stop by later', 'the word stop inside a sentence'],
    ['', 'an empty message'],
  ])('reads %j as no keyword (%s)', (text) => {
    expect(matchGlobalKeyword(text)).toBeNull();
  });
});

describe('detectOptOutRequest', () => {
  it.each([
    'stop texting me',
    'Stop messaging me!!',
    'leave me alone',
    "don't message me again",
    'do not contact me',
    'STOP PLEASE',
    'please stop',
    'stop it',
    'no more texts',
    'take me off your list',
    'remove my number from your system',
    'I want to opt out',
    'unsubscribe me',
    "I don't want any more messages",
    'go away',
    'STOP',
  ])('treats %j as an opt-out request', (text) => {
    expect(detectOptOutRequest(text)).toBe(true);
  });

  it.each([
    "I'll stop by the office",
    "I can't stop crying",
    'stop the direct debit',
    'I can pay £15 a week',
    'call me',
    '',
  ])('does not treat %j as an opt-out request', (text) => {
    expect(detectOptOutRequest(text)).toBe(false);
  });
});

describe('detectWrongNumber', () => {
  it.each(['wrong number', "Sorry, you've got the wrong person", "that's not me", 'no one called that lives here'])(
    'treats %j as the wrong person',
    (text) => {
      expect(detectWrongNumber(text)).toBe(true);
    },
  );

  it.each(['yes', 'I can pay £15', 'who is this?'])('does not treat %j as the wrong person', (text) => {
    expect(detectWrongNumber(text)).toBe(false);
  });
});

describe('matchAccountRequest', () => {
  it.each([
    ['BALANCE', 'balance'],
    ['balance?', 'balance'],
    ["what's my balance", 'balance'],
    ['my balance please', 'balance'],
    ['BALANS', 'balance'],
    ['beth yw fy malans', 'balance'],
    ['STATEMENT', 'statement'],
    ['send me a statement please', 'statement'],
    ['DATGANIAD', 'statement'],
    ['fy natganiad', 'statement'],
    ['statement plis', 'statement'],
  ])('%j asks for the %s', (text, request) => {
    expect(matchAccountRequest(text)).toBe(request);
  });

  it.each(['my balance is wrong', 'I paid the balance', 'yes', 'the statement shows I paid'])(
    '%j is not a request',
    (text) => {
      expect(matchAccountRequest(text)).toBeNull();
    },
  );
});
