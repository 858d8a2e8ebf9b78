/** Small models, brute-force references and comparisons shared by the HMM tests. */
import { expect } from 'vitest';
import { mulberry32 } from '../../../core/models/hmm/random';
import { randomCategorical } from '../../../core/models/hmm/categorical-init';
import { sampleCategoricalHmm } from '../../../core/models/hmm/sample';
import { sequenceSet, type CategoricalHmmParams, type SequenceSet } from '../../../core/models/hmm/types';

export function randomModel(nStates: number, nSymbols: number, seed: number): CategoricalHmmParams {
  return randomCategorical(nStates, nSymbols, mulberry32(seed));
}

export function randomSymbols(length: number, nSymbols: number, seed: number): Int32Array {
  const random = mulberry32(seed);
  return Int32Array.from({ length }, () => Math.floor(random() * nSymbols));
}

/** Every state path of the given length, as arrays of states. */
export function* allPaths(nStates: number, length: number): Generator<number[]> {
  const path = new Array<number>(length).fill(0);
  for (;;) {
    yield [...path];
    let t = length - 1;
    while (t >= 0 && path[t] === nStates - 1) path[t--] = 0;
    if (t < 0) return;
    path[t] = path[t]! + 1;
  }
}

/** P(path, observations) for a categorical HMM, by the definition. */
export function jointProbability(model: CategoricalHmmParams, path: readonly number[], symbols: ArrayLike<number>): number {
  const { nStates: n, nSymbols: m } = model;
  let p = model.initial[path[0]!]! * model.emission[path[0]! * m + symbols[0]!]!;
  for (let t = 1; t < path.length; t++) {
    p *= model.transition[path[t - 1]! * n + path[t]!]! * model.emission[path[t]! * m + symbols[t]!]!;
  }
  return p;
}

/** Expected counts and likelihood by enumerating every path (only for tiny N^T). */
export function bruteForceCounts(model: CategoricalHmmParams, symbols: ArrayLike<number>) {
  const { nStates: n, nSymbols: m } = model;
  const initialCounts = new Float64Array(n);
  const transitionCounts = new Float64Array(n * n);
  const emissionCounts = new Float64Array(n * m);
  let likelihood = 0;
  for (const path of allPaths(n, symbols.length)) likelihood += jointProbability(model, path, symbols);
  for (const path of allPaths(n, symbols.length)) {
    const posterior = jointProbability(model, path, symbols) / likelihood;
    initialCounts[path[0]!]! += posterior;
    for (let t = 0; t < path.length; t++) {
      emissionCounts[path[t]! * m + symbols[t]!]! += posterior;
      if (t > 0) transitionCounts[path[t - 1]! * n + path[t]!]! += posterior;
    }
  }
  return { likelihood, initialCounts, transitionCounts, emissionCounts };
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, what = 'value'): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) {
    const a = actual[k]!;
    const e = expected[k]!;
    const scale = Math.max(Math.abs(a), Math.abs(e));
    if (Math.abs(a - e) > relative * scale) {
      expect.fail(`${what}[${k}]: ${a} differs from ${e} by more than ${relative} relative`);
    }
  }
}

/** A model with clearly distinct states, for recovery tests. */
export function knownModel(): CategoricalHmmParams {
  return {
    nStates: 3,
    nSymbols: 6,
    initial: Float64Array.of(0.6, 0.3, 0.1),
    transition: Float64Array.of(0.8, 0.15, 0.05, 0.1, 0.7, 0.2, 0.2, 0.1, 0.7),
    emission: Float64Array.of(
      0.5, 0.4, 0.05, 0.03, 0.01, 0.01,
      0.02, 0.03, 0.45, 0.45, 0.03, 0.02,
      0.05, 0.05, 0.05, 0.05, 0.4, 0.4,
    ),
  };
}

export function sampleSequences(model: CategoricalHmmParams, count: number, length: number, seed: number): SequenceSet {
  const sequences: Int32Array[] = [];
  for (let s = 0; s < count; s++) sequences.push(sampleCategoricalHmm(model, { length, seed: seed * 1000 + s }).symbols);
  return sequenceSet(sequences);
}
