// A transaction whose BEGIN travels with its first statements. postgres.js's `begin()` waits for BEGIN to
// answer before running anything; on a hot path (every tenant text) that is a whole extra round trip.
// Here a reserved connection gets BEGIN and the work's first statements in one write.
import type { Sql } from './connect.js';
import type postgres from 'postgres';

export type PipelinedSql = postgres.ReservedSql;

/**
 * Runs `work` in a transaction on one reserved connection. `work` must issue its first statement before
 * its first `await` (so it is batched with BEGIN) and must await every statement it issues; a failure
 * rolls the whole transaction back.
 */
export async function pipelinedTransaction<T>(sql: Sql, work: (tx: PipelinedSql) => Promise<T>): Promise<T> {
  const tx = await sql.reserve();
  try {
    const begun = tx`begin`.execute();
    const [, result] = await Promise.all([begun, work(tx)]);
    await tx`commit`;
    return result;
  } catch (error) {
    await tx`rollback`.catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
}
