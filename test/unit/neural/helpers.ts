// Shared by the neural unit and integration tests: seeded arrays, comparisons, finite differences.
import { expect } from 'vitest';
import { mulberry32 } from '../../../core/models/hmm/random';
import type { Tensor, Tf } from '../../../core/models/neural/ops';

export function randomArray(seed: number, length: number, scale = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length }, () => (2 * random() - 1) * scale);
}

/** max |a − b| over the elements, divided by max(|b|) (or 1 when b is all tiny). */
export function relativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let scale = 0;
  for (let k = 0; k < expected.length; k++) {
    worst = Math.max(worst, Math.abs(actual[k]! - expected[k]!));
    scale = Math.max(scale, Math.abs(expected[k]!));
  }
  return worst / Math.max(scale, 1e-3);
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  const difference = relativeDifference(actual, expected);
  expect(difference, `${what}: relative difference`).toBeLessThan(tolerance);
  // Guard against comparing two arrays of zeros (or NaNs, which would fail the line above anyway).
  expect(Array.from(expected).some((value) => value !== 0), `${what}: the expected values are all zero`).toBe(true);
}

/**
 * Central finite differences of the scalar loss(inputs) w.r.t. a few coordinates of inputs[which],
 * compared with the analytic gradient. float32 arithmetic: h = 1e-2 keeps rounding (~1e-7/h) and
 * truncation (~h²) errors near 1e-4, so the tolerance is absolute, 2e-3 of max(1, |gradient|).
 */
export function checkFiniteDifferences(
  tf: Tf,
  loss: (inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  analytic: Float32Array,
  which: number,
  what: string,
  samples = 12,
): void {
  const base = Float32Array.from(inputs[which]!.dataSync());
  const random = mulberry32(which * 7919 + base.length);
  const h = 1e-2;
  for (let s = 0; s < Math.min(samples, base.length); s++) {
    const k = samples >= base.length ? s : Math.floor(random() * base.length);
    const evaluate = (delta: number): number =>
      tf.tidy(() => {
        const moved = Float32Array.from(base);
        moved[k] = moved[k]! + delta;
        const replaced = inputs.map((input, j) => (j === which ? tf.tensor(moved, input.shape) : input));
        return loss(replaced).dataSync()[0]!;
      });
    const numeric = (evaluate(h) - evaluate(-h)) / (2 * h);
    const error = Math.abs(numeric - analytic[k]!);
    expect(error, `${what}[${k}]: finite difference ${numeric} vs gradient ${analytic[k]}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
  }
}
