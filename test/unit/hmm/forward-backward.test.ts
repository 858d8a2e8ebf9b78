import { describe, expect, it } from 'vitest';
import { allocateCategoricalCounts, createTypescriptEStepKernel, categoricalEmissionModel } from '../../../core/models/hmm/categorical';
import { totalLogLikelihood } from '../../../core/models/hmm/emission-model';
import { sequenceSet } from '../../../core/models/hmm/types';
import { bruteForceCounts, expectClose, randomModel, randomSymbols } from './helpers';

describe('scaled forward-backward (categorical)', () => {
  it('gives the likelihood of brute-force enumeration over all 3^5 state paths (N=3, M=4, T=5)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const model = randomModel(3, 4, seed);
      const symbols = randomSymbols(5, 4, 100 + seed);
      const { likelihood } = bruteForceCounts(model, symbols);
      const data = sequenceSet([symbols]);
      const { logLikelihood } = totalLogLikelihood(model, categoricalEmissionModel, model, data);
      expect(Math.abs(logLikelihood - Math.log(likelihood))).toBeLessThan(1e-12 * Math.abs(Math.log(likelihood)) + 1e-13);
    }
  });

  it('E-step counts equal the brute-force posterior expectations', () => {
    const model = randomModel(3, 4, 7);
    const symbols = randomSymbols(5, 4, 8);
    const reference = bruteForceCounts(model, symbols);
    const counts = allocateCategoricalCounts(3, 4);
    const logLikelihood = createTypescriptEStepKernel().eStep(model, sequenceSet([symbols]), counts);
    expect(logLikelihood).toBeCloseTo(Math.log(reference.likelihood), 12);
    expectClose(counts.initialCounts, reference.initialCounts, 1e-12, 'initial');
    expectClose(counts.transitionCounts, reference.transitionCounts, 1e-12, 'transition');
    expectClose(counts.emissionCounts, reference.emissionCounts, 1e-12, 'emission');
  });

  it('sums over sequences, skips empty ones, and counts add up to the data', () => {
    const model = randomModel(3, 4, 11);
    const a = randomSymbols(5, 4, 1);
    const b = randomSymbols(4, 4, 2);
    const counts = allocateCategoricalCounts(3, 4);
    const kernel = createTypescriptEStepKernel();
    const total = kernel.eStep(model, sequenceSet([a, [], b]), counts);
    const ra = bruteForceCounts(model, a);
    const rb = bruteForceCounts(model, b);
    expect(total).toBeCloseTo(Math.log(ra.likelihood) + Math.log(rb.likelihood), 11);
    expectClose(counts.emissionCounts, ra.emissionCounts.map((x, k) => x + rb.emissionCounts[k]!), 1e-12, 'emission');
    // Every observation is emitted by exactly one state: the emission counts sum to the token count.
    expect(counts.emissionCounts.reduce((s, x) => s + x, 0)).toBeCloseTo(9, 10);
    expect(counts.transitionCounts.reduce((s, x) => s + x, 0)).toBeCloseTo(4 + 3, 10);
    expect(counts.initialCounts.reduce((s, x) => s + x, 0)).toBeCloseTo(2, 12);
  });

  it('stays finite and exact on a long sequence (scaling), against a log-space forward pass', () => {
    const model = randomModel(4, 10, 3);
    const symbols = randomSymbols(20_000, 10, 4);
    const { logLikelihood } = totalLogLikelihood(model, categoricalEmissionModel, model, sequenceSet([symbols]));
    // Independent reference: forward recursion in log space with log-sum-exp.
    const n = 4;
    let logAlpha = Array.from({ length: n }, (_, j) => Math.log(model.initial[j]!) + Math.log(model.emission[j * 10 + symbols[0]!]!));
    for (let t = 1; t < symbols.length; t++) {
      logAlpha = Array.from({ length: n }, (_, j) => {
        const terms = logAlpha.map((la, i) => la + Math.log(model.transition[i * n + j]!));
        const max = Math.max(...terms);
        return max + Math.log(terms.reduce((s, x) => s + Math.exp(x - max), 0)) + Math.log(model.emission[j * 10 + symbols[t]!]!);
      });
    }
    const max = Math.max(...logAlpha);
    const reference = max + Math.log(logAlpha.reduce((s, x) => s + Math.exp(x - max), 0));
    expect(Number.isFinite(logLikelihood)).toBe(true);
    expect(logLikelihood).toBeLessThan(-20_000);
    expect(Math.abs(logLikelihood - reference) / Math.abs(reference)).toBeLessThan(1e-11);
  });

  it('reports an impossible sequence as -Infinity and leaves its counts out', () => {
    const model = {
      ...randomModel(2, 3, 5),
      emission: Float64Array.of(0.5, 0.5, 0, 0.5, 0.5, 0),
    };
    const counts = allocateCategoricalCounts(2, 3);
    const logLikelihood = createTypescriptEStepKernel().eStep(model, sequenceSet([[0, 1], [2, 0]]), counts);
    expect(logLikelihood).toBe(Number.NEGATIVE_INFINITY);
    expect(counts.emissionCounts.reduce((s, x) => s + x, 0)).toBeCloseTo(2, 12);
  });
});
