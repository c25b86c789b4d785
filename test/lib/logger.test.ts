// What a log line keeps of an error: its kind and code, never its message, and nothing a redacted key hides.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorFields } from '../../src/lib/logger.js';

function captured(): { logger: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('errorFields', () => {
  it('logs the kind and the code of an error, readable past the redaction of `name`', () => {
    const { logger, lines } = captured();
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    logger.error({ err: errorFields(reset) }, 'lost');
    const [line] = lines();
    expect(line?.err).toEqual({ kind: 'Error', code: 'ECONNRESET' });
  });

  it('never carries the message, and the stack only when asked', () => {
    const error = new TypeError('invalid input syntax for type integer: "07700 900123"');
    expect(errorFields(error)).toEqual({ kind: 'TypeError' });
    expect(errorFields(error, { stack: true }).stack).toContain('TypeError');
    expect(JSON.stringify(errorFields(error))).not.toContain('07700');
  });

  it('names what was thrown when it is not an Error', () => {
    expect(errorFields('boom')).toEqual({ kind: 'string' });
    expect(errorFields(null)).toEqual({ kind: 'object' });
  });
});
