// Yes or no in English, Welsh, text-speak and emoji; anything mixed or unclear is null.
import { describe, expect, it } from 'vitest';
import { parseYesNo } from '../../../src/engine/parsers/index.js';

describe('parseYesNo', () => {
  it.each([
    'yes',
    'y',
    'Y',
    'yeah',
    'yep',
    'yup',
    'ok',
    'okay',
    'OK!',
    'sure',
    'fine',
    'agreed',
    "that's fine",
    'that’s fine',
    'sounds good',
    'correct',
    '👍',
    '👍🏽',
    '✅',
    'Yes please!',
    'YES.',
    'yes yes',
    'ok 👍',
    'yes thanks x',
    'Yes I can do that',
    'no problem',
    'no worries',
    'go on then',
    'ie',
    'iawn',
    'do',
    'Iawn diolch',
    'ydw',
  ])('reads %j as yes', (text) => {
    expect(parseYesNo(text)).toBe('yes');
  });

  it.each([
    'no',
    'n',
    'N',
    'nope',
    'nah',
    'no thanks',
    'No thank you.',
    "can't",
    'cannot',
    'not really',
    '👎',
    'no no no',
    "no, I can't afford that",
    'nope sorry',
    "that's too much",
    'na',
    'nac ydw',
    'Na diolch',
    'naddo',
  ])('reads %j as no', (text) => {
    expect(parseYesNo(text)).toBe('no');
  });

  it.each([
    ['', 'an empty reply'],
    ['maybe', 'a maybe'],
    ['not sure', 'doubt'],
    ['yes but not Friday', 'a yes with a condition'],
    ["ok if it's after payday", 'a yes with an if'],
    ["no that's fine", 'a no that agrees'],
    ['yes 👎', 'words and emoji that disagree'],
    ["I don't understand", 'a question back'],
    ['hmm', 'a noise'],
    ['thanks', 'politeness alone'],
    ['£15 a week', 'an offer'],
  ])('reads %j as null (%s)', (text) => {
    expect(parseYesNo(text)).toBeNull();
  });
});
