// A test that starts the service (or the CLI) in a process of its own must not leave it running when an
// assertion fails half-way: an orphaned service keeps its scheduler and dispatcher going, holds a database
// and takes CPU from everything that runs after it. Registered right after the spawn, this stops the child
// when the test ends however it ends: SIGTERM first (an embedded Postgres is stopped by its owner), then
// SIGKILL if it has not exited within a few seconds. A child the test already stopped is left alone.
import type { ChildProcess } from 'node:child_process';
import { onTestFinished } from 'vitest';

const GRACE_MS = 8_000;

export function stopOnFinish(child: ChildProcess): void {
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), GRACE_MS);
    await exited;
    clearTimeout(timer);
  });
}
