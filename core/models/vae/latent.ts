/**
 * Latent-space arithmetic: interpolation (slerp, lerp) and attribute vectors.
 *
 * slerp here interpolates the direction on the great circle between the endpoints' directions and
 * the length linearly between their lengths. For endpoints of equal norm this is exactly the usual
 * slerp (Shoemake 1985, MusicVAE's), and for unequal ones it still keeps every step's norm between
 * the endpoints' norms — where prior samples live (a shell of radius ≈ √dims) — while lerp cuts
 * through the middle of the ball (its midpoint of two orthogonal unit vectors has norm 0.71), where
 * the decoder has seen few codes.
 */
import { VaeError } from './errors';

export type InterpolationMethod = 'slerp' | 'lerp';

export function norm(v: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k]! * v[k]!;
  return Math.sqrt(sum);
}

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>, t: number): void {
  if (a.length !== b.length) throw new VaeError(`Cannot interpolate latent vectors of sizes ${a.length} and ${b.length}.`);
  if (!Number.isFinite(t)) throw new VaeError(`The interpolation position must be a number, got ${t}.`);
}

export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  checkPair(a, b, t);
  return Float32Array.from({ length: a.length }, (_, k) => (1 - t) * a[k]! + t * b[k]!);
}

export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  checkPair(a, b, t);
  const na = norm(a);
  const nb = norm(b);
  // A zero endpoint has no direction: fall back to the straight line.
  if (na === 0 || nb === 0) return lerp(a, b, t);
  let dot = 0;
  for (let k = 0; k < a.length; k++) dot += (a[k]! / na) * (b[k]! / nb);
  const omega = Math.acos(Math.max(-1, Math.min(1, dot)));
  const length = (1 - t) * na + t * nb;
  const sinOmega = Math.sin(omega);
  let wa: number;
  let wb: number;
  if (sinOmega < 1e-6) {
    // (Anti)parallel: the great circle is not unique (or is a point); interpolate the directions linearly.
    wa = 1 - t;
    wb = t;
  } else {
    wa = Math.sin((1 - t) * omega) / sinOmega;
    wb = Math.sin(t * omega) / sinOmega;
  }
  const direction = Float64Array.from({ length: a.length }, (_, k) => (wa * a[k]!) / na + (wb * b[k]!) / nb);
  const directionNorm = norm(direction);
  const scale = directionNorm === 0 ? 0 : length / directionNorm;
  return Float32Array.from(direction, (value) => value * scale);
}

/** `steps` codes from a to b inclusive (steps ≥ 2: the endpoints are the first and the last). */
export function interpolate(a: ArrayLike<number>, b: ArrayLike<number>, steps: number, method: InterpolationMethod = 'slerp'): Float32Array[] {
  if (!Number.isInteger(steps) || steps < 2) throw new VaeError(`An interpolation needs at least 2 steps (the two endpoints), got ${steps}.`);
  if (method !== 'slerp' && method !== 'lerp') throw new VaeError(`The interpolation method must be 'slerp' or 'lerp', got ${String(method)}.`);
  const between = method === 'slerp' ? slerp : lerp;
  return Array.from({ length: steps }, (_, k) => between(a, b, k / (steps - 1)));
}

/**
 * An attribute vector (MusicVAE §5.3): the mean code of the segments scoring highest on `measure`
 * minus the mean code of those scoring lowest (each a `fraction` of the segments, at least one).
 */
export function attributeVector(codes: readonly ArrayLike<number>[], scores: readonly number[], fraction = 0.25): Float32Array {
  if (codes.length !== scores.length) throw new VaeError(`attributeVector: ${codes.length} codes but ${scores.length} scores.`);
  if (codes.length < 2) throw new VaeError('An attribute vector needs at least 2 segments (some high and some low on the attribute).');
  if (!(fraction > 0 && fraction <= 0.5)) throw new VaeError(`The fraction of segments at each end must be in (0, 0.5], got ${fraction}.`);
  const order = scores.map((_, k) => k).sort((x, y) => scores[x]! - scores[y]! || x - y);
  const count = Math.max(1, Math.floor(codes.length * fraction));
  const size = codes[0]!.length;
  const vector = new Float32Array(size);
  for (let k = 0; k < count; k++) {
    const high = codes[order[order.length - 1 - k]!]!;
    const low = codes[order[k]!]!;
    for (let j = 0; j < size; j++) vector[j] = vector[j]! + (high[j]! - low[j]!) / count;
  }
  return vector;
}

/** z + α·vector. */
export function addScaled(z: ArrayLike<number>, vector: ArrayLike<number>, alpha: number): Float32Array {
  if (z.length !== vector.length) throw new VaeError(`Cannot add an attribute vector of size ${vector.length} to a code of size ${z.length}.`);
  return Float32Array.from({ length: z.length }, (_, k) => z[k]! + alpha * vector[k]!);
}
