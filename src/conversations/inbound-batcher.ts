// Group commit for inbound texts: while batches are in flight, new arrivals wait and go together in the
// next one (receive-batch.ts), so a busy webhook pays a few statements per batch instead of per text. When
// idle a text is sent at once, never held back to wait for company. A failed batch is retried text by text
// through the one-text path (receive.ts), so one bad text cannot take others down with it.
import type { ConversationDeps, InboundText, ReceiveResult } from './receive.js';
import { receiveInboundText } from './receive.js';
import { receiveInboundBatch } from './receive-batch.js';

export interface InboundBatcherOptions {
  /** Most texts in one transaction (default 64). */
  maxBatch?: number;
  /** Most batches in flight at once, each holding a pooled connection (default 2: on two cores more batches in
   * flight only make each smaller, and bigger batches are what make a text cheap). */
  maxInFlight?: number;
}

interface InboundBatcherStats {
  batches: number;
  texts: number;
  /** Batches that failed and were retried text by text. */
  failedBatches: number;
}

interface InboundBatcher {
  /** Resolves once the text's batch has committed (or its one-text retry has), with its own result. */
  receive(inbound: InboundText): Promise<ReceiveResult>;
  stats(): InboundBatcherStats;
}

interface Waiting {
  inbound: InboundText;
  resolve: (result: ReceiveResult) => void;
  reject: (error: unknown) => void;
}

/** Each sender's texts one after another in arrival order (their order matters); different senders at once. */
async function retryOneByOne(deps: ConversationDeps, batch: readonly Waiting[]): Promise<void> {
  const bySender = new Map<string, Waiting[]>();
  for (const w of batch) bySender.set(w.inbound.from, [...(bySender.get(w.inbound.from) ?? []), w]);
  await Promise.all(
    [...bySender.values()].map(async (texts) => {
      for (const w of texts) {
        try {
          w.resolve(await receiveInboundText(deps, w.inbound));
        } catch (error) {
          w.reject(error);
        }
      }
    }),
  );
}

export function createInboundBatcher(deps: ConversationDeps, options: InboundBatcherOptions = {}): InboundBatcher {
  const maxBatch = Math.max(1, options.maxBatch ?? 64);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  const waiting: Waiting[] = [];
  const counts: InboundBatcherStats = { batches: 0, texts: 0, failedBatches: 0 };
  let inFlight = 0;

  async function run(batch: Waiting[]): Promise<void> {
    counts.batches += 1;
    counts.texts += batch.length;
    let results: ReceiveResult[];
    try {
      results = await receiveInboundBatch(
        deps,
        batch.map((w) => w.inbound),
      );
    } catch (error) {
      counts.failedBatches += 1;
      deps.logger.warn({ err: error, texts: batch.length }, 'inbound batch failed; retrying its texts one by one');
      await retryOneByOne(deps, batch);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i] as ReceiveResult));
  }

  function pump(): void {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, maxBatch);
      inFlight += 1;
      void run(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return {
    receive(inbound) {
      return new Promise<ReceiveResult>((resolve, reject) => {
        waiting.push({ inbound, resolve, reject });
        pump();
      });
    },
    stats: () => ({ ...counts }),
  };
}
