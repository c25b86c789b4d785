// The canonical short-reply form that keyword and option matching compare against.
import { describe, expect, it } from 'vitest';
import { normaliseReply } from '../../../src/engine/parsers/index.js';

describe('normaliseReply', () => {
  it.each([
    ['  Hello   There!! ', 'hello there'],
    ['STOP 🙏', 'stop'],
    ['That’s fine :)', "that's fine"],
    ['ok 👍🏽', 'ok'],
    ['Yes...', 'yes'],
    ['Option\t2\n', 'option 2'],
    ['I can’t', "i can't"],
    ['🇬🇧 yes 🇬🇧', '🇬🇧 yes'],
    ['', ''],
    ['!!!', ''],
  ])('normalises %j to %j', (text, expected) => {
    expect(normaliseReply(text)).toBe(expected);
  });
});
