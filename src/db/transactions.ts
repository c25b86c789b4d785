// Transactions that survive a dropped connection. postgres.js runs a transaction (`begin`) or a reserved
// connection (`reserve`) by writing straight to one connection, and when that connection's backend is
// terminated (a failover, a restart for patches, an idle-connection reaper) the next statement written to
// it throws from a timer — an uncaught TypeError ("reading 'write'") that kills the process — or, once the
// pool has reconnected it, runs on a fresh session outside the transaction, or hangs for ever.
//
// Here each transaction runs on a LANE: a one-connection postgres.js instance used only through its pool
// path, and used for ONE connection's life. When that connection closes, for whatever reason, the lane is
// destroyed at once (which rejects every statement still pending on it: a statement written between a
// socket's error and its close would otherwise wait for ever, and leave the connection unable to start
// again) and a fresh lane takes its place. Besides:
// - every statement is created through a guarded handle that refuses to run once the transaction is over
//   or its connection has closed;
// - a lane's sessions default to read-only transactions and a transaction opens with `begin read write`,
//   so no statement can ever write outside a transaction on a lane;
// - the server ends a transaction left idle for too long, and waiting for a free lane times out, so
//   nothing waits for ever.
// BEGIN is pipelined with the work's first statements (sent in one write), as the hot paths need.
import postgres from 'postgres';

type Options = postgres.Options<Record<string, postgres.PostgresType>>;

/** The handle a transaction's work receives; `commit()` sends COMMIT now, pipelined with what precedes it. */
export type SafeTransactionSql = postgres.TransactionSql & { commit(): Promise<void> };

class TransactionClosedError extends Error {
  readonly code = 'TRANSACTION_CLOSED';
  constructor(reason: string) {
    super(
      `A statement was issued on a transaction that is over (${reason}); the transaction was rolled back and can be retried.`,
    );
    this.name = 'TransactionClosedError';
  }
}

class TransactionLaneTimeoutError extends Error {
  readonly code = 'TRANSACTION_LANE_TIMEOUT';
  constructor(seconds: number) {
    super(
      `No database connection was free for a transaction within ${seconds} s; the database is overloaded or unreachable. Try again shortly.`,
    );
    this.name = 'TransactionLaneTimeoutError';
  }
}

interface Lane {
  sql: postgres.Sql;
  /**
   * Called when its connection closes: the running transaction's watch, or null. One slot, replaced by each
   * transaction and cleared when it ends: a reaction added per transaction to one long-lived "died" promise
   * would keep every transaction's handle and results alive for as long as the connection stays open.
   */
  onDeath: (() => void) | null;
  /** Its connection closed: the lane is destroyed and never used again. */
  dead: boolean;
  owner: object | null;
}

export interface TransactionLanes {
  /** `options` as for postgres.js `begin`, e.g. `isolation level serializable`. */
  run<T>(work: (tx: SafeTransactionSql) => T | Promise<T>, options?: string): Promise<T>;
  end(options?: { timeout?: number }): Promise<void>;
}

interface LaneOptions {
  /** How many transactions run at once (each holds one connection while it runs). */
  lanes: number;
  /** Seconds to wait for a free lane before failing (default 30). */
  acquireTimeoutSeconds?: number;
  /** The server ends a transaction idle this long, so a stalled client cannot hold locks for ever (default 600 s). */
  idleInTransactionSeconds?: number;
}

/**
 * Lanes over `url`, with the same postgres.js options as the pool. A lane's connection closes after a
 * minute idle, so a quiet service holds no transaction connections.
 */
export function createTransactionLanes(url: string, poolOptions: Options, options: LaneOptions): TransactionLanes {
  const acquireTimeout = options.acquireTimeoutSeconds ?? 30;
  const idleInTx = options.idleInTransactionSeconds ?? 600;
  const lanes: Lane[] = [];
  const free: Lane[] = [];
  const waiting: { take: (lane: Lane) => void; fail: (error: Error) => void }[] = [];
  let ended = false;

  // Statements refused by a guard are made here: an ended instance, so they reject (CONNECTION_ENDED) as a
  // statement on a lost connection does, instead of throwing where the caller may not expect it.
  const refusing = postgres(url, { ...poolOptions, max: 1 });
  const refused = refusing.end();

  function newLane(): Lane {
    // `lane` is named before it is made: postgres.js connects lazily, so onclose cannot run before it exists.
    const sql = postgres(url, {
      ...poolOptions,
      max: 1,
      idle_timeout: 60,
      connection: {
        ...poolOptions.connection,
        default_transaction_read_only: true,
        idle_in_transaction_session_timeout: idleInTx * 1000,
      } as Options['connection'],
      onclose: () => discard(lane),
    });
    const lane: Lane = { sql, onDeath: null, dead: false, owner: null };
    lanes.push(lane);
    return lane;
  }

  function discard(lane: Lane): void {
    if (lane.dead) return;
    lane.dead = true;
    lane.onDeath?.();
    lanes.splice(lanes.indexOf(lane), 1);
    if (free.includes(lane)) free.splice(free.indexOf(lane), 1);
    void lane.sql.end({ timeout: 0 }).catch(() => undefined);
    // A waiting transaction can have the slot the dead lane held.
    const next = waiting.shift();
    if (next) next.take(newLane());
  }

  function acquire(): Promise<Lane> {
    if (ended) return Promise.reject(new Error('The database pool has been closed.'));
    const ready = free.pop() ?? (lanes.length < options.lanes ? newLane() : null);
    if (ready) return Promise.resolve(ready);
    return new Promise<Lane>((resolve, reject) => {
      const entry = {
        take: (lane: Lane) => {
          clearTimeout(timer);
          resolve(lane);
        },
        fail: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(entry), 1);
        reject(new TransactionLaneTimeoutError(acquireTimeout));
      }, acquireTimeout * 1000);
      timer.unref?.();
      waiting.push(entry);
    });
  }

  function release(lane: Lane): void {
    lane.owner = null;
    if (lane.dead) return;
    const next = waiting.shift();
    if (next) next.take(lane);
    else free.push(lane);
  }

  async function run<T>(work: (tx: SafeTransactionSql) => T | Promise<T>, options: string = ''): Promise<T> {
    // As postgres.js does: only words, e.g. `isolation level serializable`.
    const mode = options.replace(/[^a-z ]/gi, '').trim();
    // Never retried here: work may read a stream once or count as it goes. Callers whose work is idempotent
    // (a text keyed by its MessageSid) retry on a lost connection themselves (db/errors.ts).
    const outcome = await attemptOnce(work, mode);
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }

  async function attemptOnce<T>(
    work: (tx: SafeTransactionSql) => T | Promise<T>,
    mode: string,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const lane = await acquire();
    const token = {};
    lane.owner = token;
    let committed: Promise<void> | null = null;
    const usable = () => lane.owner === token && !lane.dead;
    const commit = () => {
      if (!usable())
        return Promise.reject(
          new TransactionClosedError(lane.dead ? 'its database connection closed' : 'it has already ended'),
        );
      if (!committed) {
        committed = lane.sql`commit`.execute().then(() => undefined);
        // The work may fail after sending COMMIT, and then nothing awaits it: its rejection (the connection
        // closed) must not surface as an unhandled rejection. Awaiting it below still sees the error.
        committed.catch(() => undefined);
      }
      return committed;
    };
    const tx = guarded(lane.sql, refusing, usable, commit);
    try {
      const begun = lane.sql.unsafe(`begin read write${mode ? ` ${mode}` : ''}`).execute();
      const worked = (async () => {
        const value = await work(tx);
        return (Array.isArray(value) ? await Promise.all(value) : value) as T;
      })();
      // Both settle before a live lane is handed on, so no statement of this work can reach the next one's.
      // A dead lane is never handed on, so its work is not waited for: postgres.js can leave a statement
      // (or a COPY) on a closed connection waiting for ever.
      const settled = Promise.allSettled([begun, worked]);
      const died = new Promise<void>((resolve) => {
        if (lane.dead) resolve();
        else lane.onDeath = resolve;
      }).then(
        () =>
          [
            { status: 'rejected', reason: new TransactionClosedError('its database connection closed') },
            { status: 'rejected', reason: null },
          ] as const,
      );
      const [began, did] = await Promise.race([settled, died]);
      try {
        if (began.status === 'rejected') throw began.reason;
        if (did.status === 'rejected') throw did.reason;
        await (committed ?? commit());
        return { ok: true, value: did.value };
      } catch (error) {
        // The server has already rolled back a transaction whose connection closed.
        if (!lane.dead) await lane.sql`rollback`.catch(() => undefined);
        return { ok: false, error };
      }
    } finally {
      lane.onDeath = null;
      release(lane);
    }
  }

  return {
    run,
    async end(endOptions) {
      ended = true;
      for (const w of waiting.splice(0)) w.fail(new Error('The database pool has been closed.'));
      await Promise.all([refused, ...lanes.map((lane) => lane.sql.end(endOptions))]);
    },
  };
}

const REFUSED = new Set<PropertyKey>([
  'begin',
  'reserve',
  'end',
  'listen',
  'subscribe',
  'close',
  'savepoint',
  'prepare',
]);
const CHECKED = new Set<PropertyKey>(['unsafe', 'file']);

/**
 * A statement of a transaction whose connection closes rejects, and one the work had sent but not yet
 * awaited (it was waiting on another that failed first) would surface as an unhandled rejection. The
 * transaction's own outcome already carries the failure, and a statement left failing in a transaction
 * that commits makes its COMMIT fail, so the statement is marked handled here; whoever awaits it still
 * sees its error. `Promise.prototype.then` is called directly: postgres.js runs a query when its own
 * `then`/`catch` is called, and a statement not yet sent (or a fragment) must stay unsent.
 */
function markHandled<T>(query: T): T {
  if (query instanceof Promise) Promise.prototype.then.call(query, undefined, () => undefined);
  return query;
}

/** The lane's connection as a transaction handle: a statement made once it is not `usable` is refused. */
function guarded(
  sql: postgres.Sql,
  refusing: postgres.Sql,
  usable: () => boolean,
  commit: () => Promise<void>,
): SafeTransactionSql {
  // A Proxy has its target's type, but this one presents another: a transaction's statements and `commit`,
  // with the pool's own methods refused. Typed as a bare object, it is named as the handle it presents.
  const handle: object = new Proxy(sql, {
    apply(target, thisArg, args) {
      return markHandled(Reflect.apply(usable() ? target : refusing, thisArg, args) as unknown);
    },
    get(target, prop, receiver) {
      if (prop === 'commit') return commit;
      if (REFUSED.has(prop)) {
        return () => {
          throw new Error(`${String(prop)}() is not available inside a transaction`);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (CHECKED.has(prop) && typeof value === 'function') {
        return (...args: unknown[]) =>
          markHandled(
            usable()
              ? (value as (...a: unknown[]) => unknown).apply(target, args)
              : (Reflect.get(refusing, prop) as (...a: unknown[]) => unknown).apply(refusing, args),
          );
      }
      return value;
    },
  });
  return handle as SafeTransactionSql;
}
