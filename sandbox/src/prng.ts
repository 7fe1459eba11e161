/** A small seeded pseudo-random generator (mulberry32): the same seed always yields the same demo data. */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `count` lowercase hex digits. */
  hex(count: number): string;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick() needs at least one item');
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (probability) => next() < probability,
    hex(count) {
      let out = '';
      while (out.length < count)
        out += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return out.slice(0, count);
    },
  };
}

/**
 * Makes 24-hex ids shaped like MongoDB ObjectIds (4-byte timestamp + 8 random bytes), which is what
 * Clockify ids look like. Deterministic when given a seeded generator.
 */
export function createIdFactory(prng: Prng, epochSeconds: number): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    const seconds = (epochSeconds + counter) >>> 0;
    return seconds.toString(16).padStart(8, '0') + prng.hex(16);
  };
}
