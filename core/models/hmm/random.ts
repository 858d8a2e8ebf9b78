/**
 * Seeded randomness for initialisation and sampling: the same seed gives the same model and the
 * same sample on every machine (no Math.random anywhere in the HMM code).
 */

/** A uniform generator on [0, 1): mulberry32, 32-bit state, good enough for initialisation and sampling. */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exp(1) draws normalised: a Dirichlet(1, ..., 1) row, i.e. uniform over the simplex. */
export function fillDirichletRow(random: Random, out: Float64Array, offset: number, length: number): void {
  let sum = 0;
  for (let k = 0; k < length; k++) {
    // 1 - u lies in (0, 1], so the log is finite; the floor keeps every entry above 0 (a start
    // probability of exactly 0 could never become positive again under Baum-Welch).
    const draw = Math.max(-Math.log(1 - random()), 1e-9);
    out[offset + k] = draw;
    sum += draw;
  }
  for (let k = 0; k < length; k++) out[offset + k] = out[offset + k]! / sum;
}

/** A standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Index drawn from unnormalised non-negative weights weights[offset .. offset+length). */
export function drawIndex(random: Random, weights: Float64Array, offset: number, length: number, total?: number): number {
  let sum = total ?? 0;
  if (total === undefined) for (let k = 0; k < length; k++) sum += weights[offset + k]!;
  let target = random() * sum;
  for (let k = 0; k < length; k++) {
    target -= weights[offset + k]!;
    if (target < 0) return k;
  }
  // Rounding can leave a sliver at the end: return the last index with positive weight.
  for (let k = length - 1; k >= 0; k--) if (weights[offset + k]! > 0) return k;
  return length - 1;
}
