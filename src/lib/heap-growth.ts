// How far V8 lets garbage pile up before a full collection. By default the heap may grow to up to four
// times what is live after each collection; the daily job holds about 70 MB live but churns through sweep
// batches (rows read, statements built, results parsed) whose data lives just long enough to reach the old
// generation, so a 150,000-tenancy morning peaked at 330–380 MB of RSS with under 80 MB live. A factor of
// two keeps it near 250 MB (bench/daily.ts) for a little more collector time. It is a growth factor, not a
// ceiling: a process that really needs more memory still gets it, where --max-old-space-size would crash it.
// Applied by the entry points (the service, the CLI, the benchmarks) before they start work.
import { setFlagsFromString } from 'node:v8';

/** The heap grows to at most this many per cent above what is live after a full collection. */
const HEAP_GROWING_PERCENT = 100;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
