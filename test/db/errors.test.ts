// Which database failures a caller may answer by running its (idempotent) transaction again.
import { describe, expect, it } from 'vitest';
import { isConnectionLoss, isRetryableTransactionFailure } from '../../src/db/errors.js';

describe('database failures worth retrying', () => {
  it.each([
    ['a terminated backend (57P01)', { code: '57P01' }, true, true],
    ['a closed connection', { code: 'CONNECTION_CLOSED' }, true, true],
    ['a connection exception (class 08)', { code: '08006' }, true, true],
    ['a transaction already failed by an earlier statement (25P02)', { code: '25P02' }, false, true],
    ['a unique violation', { code: '23505' }, false, false],
    ['a malformed value', { code: '22P02' }, false, false],
    ['no code at all', new Error('x'), false, false],
    ['nothing', null, false, false],
  ])('%s', (_what, error, lost, retryable) => {
    expect(isConnectionLoss(error)).toBe(lost);
    expect(isRetryableTransactionFailure(error)).toBe(retryable);
  });
});
