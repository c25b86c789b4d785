// Which database errors mean "the connection went away" (a failover, a restart, a terminated backend)
// rather than "this statement is wrong": the first kind is worth retrying where the work is idempotent.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'TRANSACTION_CLOSED',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  // admin_shutdown, crash_shutdown, cannot_connect_now (pg_terminate_backend, a restart, a standby promoting)
  '57P01',
  '57P02',
  '57P03',
]);

export function isConnectionLoss(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // Class 08: connection exceptions.
  return CONNECTION_CODES.has(code) || code.startsWith('08');
}

/**
 * A transaction that is worth running again from the start when its work is idempotent (a text keyed by its
 * MessageSid, an import keyed by transaction ids): its connection went away, or Postgres refused a statement
 * because the transaction had already failed (25P02) — what a statement pipelined behind one cut off by a
 * terminated backend receives, when that first error is not the one the work saw.
 */
export function isRetryableTransactionFailure(error: unknown): boolean {
  return isConnectionLoss(error) || (error as { code?: unknown } | null)?.code === '25P02';
}
