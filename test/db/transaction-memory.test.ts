// A transaction's handle and results are freed once it ends, however long its connection stays open. Each
// transaction used to add a reaction to one long-lived "the connection closed" promise, so under steady load
// (a lane never idle long enough to close) every transaction's results stayed reachable: the soak's service
// grew by about 170 MB a minute (README, "Chaos and soak"). Checked with a WeakRef and a forced collection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const db = await useTestDatabase();

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
}

describe('transaction lanes', () => {
  it("do not keep finished transactions' results while the lane's connection stays open", async () => {
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < 20; i++) {
      const rows = await db.sql.begin(
        async (tx) => tx<{ n: number; pad: string }[]>`select ${i}::int as n, repeat('x', 10000) as pad`,
      );
      expect(rows[0]?.n).toBe(i);
      refs.push(new WeakRef(rows));
    }
    // The lanes are still open (they close after a minute idle), as they are all day under load.
    await settle();
    // At most one may still be reachable inside the driver (a recent result); before the fix all 20 were.
    expect(refs.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
  });
});
