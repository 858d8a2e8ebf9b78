import { describe, expect, it } from 'vitest';
import { sampleCategoricalHmm, temper } from '../../../core/models/hmm/sample';
import { viterbiCategorical } from '../../../core/models/hmm/viterbi';
import { allPaths, jointProbability, knownModel, randomModel, randomSymbols } from './helpers';

describe('Viterbi', () => {
  it('finds the brute-force most probable path on tiny models', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const model = randomModel(3, 4, seed);
      const symbols = randomSymbols(6, 4, 50 + seed);
      let bestProbability = -1;
      for (const path of allPaths(3, 6)) bestProbability = Math.max(bestProbability, jointProbability(model, path, symbols));
      const decoded = viterbiCategorical(model, symbols);
      // Paths can tie exactly (same transitions and emissions in another order): compare probabilities.
      const decodedProbability = jointProbability(model, Array.from(decoded.states), symbols);
      expect(Math.abs(decodedProbability - bestProbability) / bestProbability).toBeLessThan(1e-12);
      expect(decoded.logProbability).toBeCloseTo(Math.log(bestProbability), 10);
    }
  });

  it('decodes the obvious states of a well-separated model', () => {
    // Symbols 0/1 come from state 0, 2/3 from state 1, 4/5 from state 2 (mostly).
    const decoded = viterbiCategorical(knownModel(), [0, 1, 0, 0, 2, 3, 3, 2, 4, 5, 4]);
    expect(Array.from(decoded.states)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
  });
});

describe('sampling with temperature', () => {
  const model = knownModel();

  it('is reproducible from its seed', () => {
    const a = sampleCategoricalHmm(model, { length: 200, seed: 42 });
    const b = sampleCategoricalHmm(model, { length: 200, seed: 42 });
    const c = sampleCategoricalHmm(model, { length: 200, seed: 43 });
    expect(Array.from(a.symbols)).toEqual(Array.from(b.symbols));
    expect(Array.from(a.symbols)).not.toEqual(Array.from(c.symbols));
    expect(a.seed).toBe(42);
    expect(Number.isInteger(sampleCategoricalHmm(model, { length: 3 }).seed)).toBe(true);
  });

  it('at temperature 0 always takes the most probable choice (argmax), whatever the seed', () => {
    for (const seed of [1, 2, 3]) {
      const sample = sampleCategoricalHmm(model, { length: 20, seed, temperature: 0 });
      // π argmax = 0; A row 0 argmax = 0 (stays); B row 0 argmax = symbol 0.
      expect(Array.from(sample.states)).toEqual(new Array(20).fill(0));
      expect(Array.from(sample.symbols)).toEqual(new Array(20).fill(0));
    }
    // Near 0 behaves like 0.
    const cold = sampleCategoricalHmm(model, { length: 500, seed: 5, temperature: 0.02 });
    expect(cold.symbols.every((s) => s === 0)).toBe(true);
  });

  it('temperature per choice: only the emission temperature at 0 makes emissions the state argmax', () => {
    const sample = sampleCategoricalHmm(model, { length: 3000, seed: 7, temperature: { emission: 0 } });
    const argmaxSymbol = [0, 2, 4];
    expect(sample.states.some((s) => s !== 0)).toBe(true);
    sample.states.forEach((state, t) => expect(sample.symbols[t]).toBe(argmaxSymbol[state]));
  });

  it('at temperature 1 reproduces the model frequencies; high temperature flattens them', () => {
    const length = 200_000;
    const frequencies = (symbols: Int32Array, states: Int32Array, state: number): number[] => {
      const counts = new Array(6).fill(0);
      let total = 0;
      states.forEach((s, t) => {
        if (s !== state) return;
        counts[symbols[t]!]++;
        total++;
      });
      return counts.map((c) => c / total);
    };
    const warm = sampleCategoricalHmm(model, { length, seed: 1 });
    frequencies(warm.symbols, warm.states, 0).forEach((f, k) => expect(Math.abs(f - model.emission[k]!)).toBeLessThan(0.01));
    const hot = sampleCategoricalHmm(model, { length, seed: 1, temperature: 100 });
    frequencies(hot.symbols, hot.states, 0).forEach((f) => expect(Math.abs(f - 1 / 6)).toBeLessThan(0.02));
  });

  it('tempering is p^(1/T) renormalised', () => {
    const row = Float64Array.of(0.5, 0.3, 0.2);
    const tempered = temper(row, 1, 3, 0.5);
    const squares = [0.25, 0.09, 0.04];
    const sum = squares.reduce((a, b) => a + b);
    tempered.forEach((p, k) => expect(p).toBeCloseTo(squares[k]! / sum, 14));
    expect(Array.from(temper(row, 1, 3, 0))).toEqual([1, 0, 0]);
    expect(Array.from(temper(row, 1, 3, 1))).toEqual(Array.from(row).map((p) => expect.closeTo(p, 15)));
  });
});
