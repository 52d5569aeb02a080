/**
 * Seeded randomness, so that a run's data subset, initial shuffles, augmentation and samples repeat exactly.
 * (`Math.random` cannot be seeded.)
 */

/** mulberry32: a small, well-known 32-bit PRNG; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first `k` entries of a seeded Fisher–Yates shuffle of 0…n-1 (all n when k is omitted). */
export function shuffledIndices(n: number, seed: number, k = n): Int32Array {
  const random = mulberry32(seed);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/** `k` distinct indices below `n`, chosen with the seed, in increasing order. */
export function sampleIndices(n: number, k: number, seed: number): Int32Array {
  return shuffledIndices(n, seed, k).sort();
}
