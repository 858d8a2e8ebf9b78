/**
 * Seeded randomness for training, one stream per purpose and position: the shuffle of epoch e, the
 * augmentation and dropout of batch b of epoch e. Each is a pure function of (seed, purpose, e, b),
 * so a run resumed from the checkpoint after epoch e draws exactly what an uninterrupted run draws.
 */
import { mulberry32, type Random } from '../hmm/random';

/** Purposes, so two streams of one position never coincide. */
export const STREAM = { shuffle: 1, augment: 2, dropout: 3, sample: 4 } as const;

/** A 32-bit seed mixed from integers (murmur3's finaliser over a running hash). */
export function mixSeed(...parts: readonly number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    hash ^= k;
    hash = Math.imul((hash << 13) | (hash >>> 19), 5) + 0xe6546b64;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function stream(seed: number, purpose: number, ...position: readonly number[]): Random {
  return mulberry32(mixSeed(seed, purpose, ...position));
}

/** A Fisher–Yates permutation of 0..n-1. */
export function permutation(random: Random, n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const j = Math.floor(random() * (k + 1));
    const t = order[k]!;
    order[k] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Inverted dropout: each entry 0 with probability `rate`, else 1/(1 − rate) (so the expectation is 1). */
export function dropoutMask(random: Random, length: number, rate: number): Float32Array {
  const keep = 1 - rate;
  const scale = 1 / keep;
  const mask = new Float32Array(length);
  for (let k = 0; k < length; k++) mask[k] = random() < keep ? scale : 0;
  return mask;
}
