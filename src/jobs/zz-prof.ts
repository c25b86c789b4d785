export const t0 = performance.now();
export function mark(label: string): void {
  if (process.env.RENTLINE_PROFILE) console.log(`[prof] ${((performance.now() - t0) / 1000).toFixed(2)}s ${label} rss=${Math.round(process.memoryUsage().rss / 1048576)}MB heap=${Math.round(process.memoryUsage().heapUsed / 1048576)}MB`);
}
