// A transaction whose BEGIN travels with its first statements: every `sql.begin` here pipelines BEGIN
// (db/transactions.ts), so on a hot path (every tenant text) there is no extra round trip for it. This
// names that for the hot paths and gives them `tx.commit()`, which sends COMMIT with their last writes.
import { transactionLanesOf, type Sql } from './connect.js';
import type { SafeTransactionSql } from './transactions.js';

export type PipelinedSql = SafeTransactionSql;

/**
 * Runs `work` in a transaction. `work` should issue its first statement before its first `await` (so it is
 * batched with BEGIN) and must await every statement it issues; a failure rolls the whole transaction back.
 */
export function pipelinedTransaction<T>(sql: Sql, work: (tx: PipelinedSql) => Promise<T>): Promise<T> {
  const lanes = transactionLanesOf(sql);
  if (!lanes) return Promise.reject(new Error('pipelinedTransaction needs a pool made by createSql (db/connect.ts)'));
  return lanes.run(work);
}
