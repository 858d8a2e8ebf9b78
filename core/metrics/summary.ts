/**
 * Means and standard deviations of sets, in JSON-able form: JSON has no NaN, so an undefined value is
 * `null`. Standard deviations are population ones (divide by n), as `np.std` computes them in mgeval's
 * absolute measurement.
 */

export interface ValueSummary {
  /** Values that were defined (not NaN) and entered the mean. */
  readonly n: number;
  readonly mean: number | null;
  readonly sd: number | null;
}

/** NaN and ±Infinity become null; everything else stays as it is. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Mean and population SD of the finite values; NaN values are left out and not counted. */
export function summarize(values: ArrayLike<number>): ValueSummary {
  let n = 0;
  let sum = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value)) continue;
    n++;
    sum += value;
  }
  if (n === 0) return { n, mean: null, sd: null };
  const mean = sum / n;
  let squares = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (Number.isFinite(value)) squares += (value - mean) ** 2;
  }
  return { n, mean, sd: Math.sqrt(squares / n) };
}

/** Per-dimension mean and population SD of equal-length vectors. */
export function summarizeVectors(vectors: readonly (readonly number[])[], dimensions: number): { readonly mean: number[]; readonly sd: number[] } | null {
  if (vectors.length === 0) return null;
  const mean = new Array<number>(dimensions).fill(0);
  for (const vector of vectors) for (let d = 0; d < dimensions; d++) mean[d]! += vector[d]!;
  for (let d = 0; d < dimensions; d++) mean[d]! /= vectors.length;
  const sd = new Array<number>(dimensions).fill(0);
  for (const vector of vectors) for (let d = 0; d < dimensions; d++) sd[d]! += (vector[d]! - mean[d]!) ** 2;
  for (let d = 0; d < dimensions; d++) sd[d] = Math.sqrt(sd[d]! / vectors.length);
  return { mean, sd };
}
