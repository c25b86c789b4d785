// Seeded pseudo-randomness for the demo data generator.
// Every tenancy draws from its own stream, derived from (seed, tenancy index, purpose), so the tenancy file and
// the transaction file can be generated independently (and in any order) yet always describe the same people,
// and changing how many numbers one tenancy consumes never shifts the tenancies after it.

/** Finalises a 32-bit integer hash (murmur3's fmix32): spreads nearby inputs far apart. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed for one tenancy's stream; `purpose` separates e.g. profile draws from ledger draws. */
export function streamSeed(seed: number, tenancyIndex: number, purpose: number): number {
  return mix32(mix32(seed ^ 0x5bd1e995) ^ mix32(Math.imul(tenancyIndex + 1, 0x9e3779b1) ^ purpose));
}

/** mulberry32: tiny, fast and good enough for test data (not for anything secret). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks a key by weight; weights need not sum to 1. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    let total = 0;
    for (const [, w] of entries) total += w;
    let roll = this.next() * total;
    for (const [key, w] of entries) {
      roll -= w;
      if (roll < 0) return key;
    }
    return (entries[entries.length - 1] as [K, number])[0];
  }
}
