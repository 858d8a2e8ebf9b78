import { describe, expect, it } from 'vitest';
import { createTypescriptEStepKernel } from '../../../core/models/hmm/categorical';
import { CATEGORICAL_INITS, initialiseCategorical, unigram } from '../../../core/models/hmm/categorical-init';
import { evaluateCategorical, trainCategoricalHmm } from '../../../core/models/hmm/categorical-train';
import { HmmSettingsError } from '../../../core/models/hmm/errors';
import { deserializeCategoricalHmm, serializeCategoricalHmm } from '../../../core/models/hmm/serialize';
import { sequenceSet, type CategoricalEStepKernel, type IterationRecord } from '../../../core/models/hmm/types';
import { validateCategoricalParams } from '../../../core/models/hmm/validation';
import { knownModel, randomSymbols, sampleSequences } from './helpers';

const randomData = (seed: number) => sequenceSet([randomSymbols(300, 7, seed), randomSymbols(180, 7, seed + 1), randomSymbols(90, 7, seed + 2)]);

describe('Baum-Welch (categorical)', () => {
  it.each(CATEGORICAL_INITS)('never decreases the log-likelihood on random data (init %s, maximum likelihood)', (init) => {
    for (const seed of [1, 2, 3]) {
      const result = trainCategoricalHmm(randomData(seed * 10), { nStates: 4, nSymbols: 7, init, seed, pseudoCount: 0, maxIterations: 60, tolerance: 0 });
      expect(result.history).toHaveLength(60);
      for (let k = 1; k < result.history.length; k++) {
        const before = result.history[k - 1]!.logLikelihood;
        const after = result.history[k]!.logLikelihood;
        expect(after, `iteration ${k + 1} (seed ${seed})`).toBeGreaterThanOrEqual(before - 1e-9 * Math.abs(before));
      }
      // It learned something: clearly better than where it started.
      expect(result.history.at(-1)!.logLikelihood).toBeGreaterThan(result.history[0]!.logLikelihood);
    }
  });

  it('recovers the held-out likelihood of the HMM that generated the data', () => {
    const truth = knownModel();
    const train = sampleSequences(truth, 40, 150, 1);
    const heldOut = sampleSequences(truth, 40, 150, 2);
    const trueHeldOut = evaluateCategorical(truth, heldOut).perToken;
    // A few restarts; keep the one that fits the training data best.
    const runs = [1, 2, 3, 4].map((seed) => trainCategoricalHmm(train, { nStates: 3, nSymbols: 6, seed, init: 'random', maxIterations: 300, tolerance: 1e-7 }));
    const best = runs.reduce((a, b) => (a.history.at(-1)!.logLikelihood >= b.history.at(-1)!.logLikelihood ? a : b));
    const learned = evaluateCategorical(best.params, heldOut).perToken;
    // A model without hidden structure (the unigram) is far worse: the margin below is meaningful.
    const unigramPerToken = Array.from(heldOut.symbols).reduce((s, x) => s + Math.log(unigram(train, 6)[x]!), 0) / heldOut.symbols.length;
    expect(trueHeldOut - unigramPerToken).toBeGreaterThan(0.15);
    // (A run stuck in a local optimum, or a 2-state model, is about 0.05 nats per token worse.)
    expect(Math.abs(learned - trueHeldOut)).toBeLessThan(0.01);
  });

  it('stops on convergence, and records every iteration through the callback', () => {
    const seen: IterationRecord[] = [];
    const result = trainCategoricalHmm(randomData(5), { nStates: 3, nSymbols: 7, maxIterations: 500, tolerance: 1e-4 }, { onIteration: (r) => seen.push(r) });
    expect(result.stopReason).toBe('converged');
    expect(result.iterationsCompleted).toBeLessThan(500);
    expect(seen).toEqual(result.history);
    expect(seen.map((r) => r.iteration)).toEqual(seen.map((_, k) => k + 1));
    expect(seen[0]!.relativeChange).toBeNull();
    expect(seen.at(-1)!.relativeChange!).toBeLessThan(1e-4);
    expect(seen.at(-2)!.relativeChange!).toBeGreaterThanOrEqual(1e-4);
    expect(seen.at(-1)!.perToken).toBeCloseTo(seen.at(-1)!.logLikelihood / 570, 12);
    validateCategoricalParams(result.params);
  });

  it('stops when asked (a cancelled job), and resumes to exactly the uninterrupted result', () => {
    const data = randomData(20);
    const settings = { nStates: 4, nSymbols: 7, maxIterations: 8, tolerance: 0, seed: 9 };
    const straight = trainCategoricalHmm(data, settings);
    let iterations = 0;
    const stopped = trainCategoricalHmm(data, settings, { onIteration: () => iterations++, shouldStop: () => iterations >= 3 });
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.iterationsCompleted).toBe(3);
    // Through JSON, as the lead will store it in SQLite.
    const saved = deserializeCategoricalHmm(JSON.parse(JSON.stringify(serializeCategoricalHmm(stopped))));
    const resumed = trainCategoricalHmm(data, settings, { resume: saved });
    expect(resumed.iterationsCompleted).toBe(8);
    expect(resumed.stopReason).toBe('max-iterations');
    expect(Array.from(resumed.params.emission)).toEqual(Array.from(straight.params.emission));
    expect(Array.from(resumed.params.transition)).toEqual(Array.from(straight.params.transition));
    expect(resumed.history.map((r) => r.logLikelihood)).toEqual(straight.history.map((r) => r.logLikelihood));
  });

  it('serialises to JSON and back losslessly, with settings and history', () => {
    const result = trainCategoricalHmm(randomData(30), { nStates: 3, nSymbols: 7, maxIterations: 5 });
    const json = JSON.parse(JSON.stringify(serializeCategoricalHmm(result))) as unknown;
    const back = deserializeCategoricalHmm(json);
    expect(Array.from(back.params.emission)).toEqual(Array.from(result.params.emission));
    expect(Array.from(back.params.initial)).toEqual(Array.from(result.params.initial));
    expect(back.history).toEqual(result.history);
    expect(back.settings).toEqual(result.settings);
    expect(back.stopReason).toBe(result.stopReason);
    expect(() => deserializeCategoricalHmm({ ...(json as object), emission: [1, 2] })).toThrow(HmmSettingsError);
    expect(() => deserializeCategoricalHmm({ ...(json as object), format: 'other' })).toThrow(/format/);
  });

  it('uses the kernel it is given for every E-step', () => {
    const inner = createTypescriptEStepKernel();
    let calls = 0;
    const counting: CategoricalEStepKernel = { name: 'counting', eStep: (...args) => (calls++, inner.eStep(...args)) };
    const result = trainCategoricalHmm(randomData(40), { nStates: 2, nSymbols: 7, maxIterations: 4, tolerance: 0 }, { kernel: counting });
    expect(calls).toBe(4);
    expect(result.kernel).toBe('counting');
  });

  it('initialisations are seeded, valid and never symmetric', () => {
    const data = randomData(50);
    for (const init of CATEGORICAL_INITS) {
      const a = initialiseCategorical(data, 5, 7, init, 3);
      const b = initialiseCategorical(data, 5, 7, init, 3);
      const c = initialiseCategorical(data, 5, 7, init, 4);
      validateCategoricalParams(a);
      expect(Array.from(a.emission)).toEqual(Array.from(b.emission));
      expect(Array.from(a.emission)).not.toEqual(Array.from(c.emission));
      expect(a.emission.slice(0, 7)).not.toEqual(a.emission.slice(7, 14));
    }
  });

  it('refuses a uniform start, which is a fixed point', () => {
    const uniform = {
      nStates: 3,
      nSymbols: 7,
      initial: new Float64Array(3).fill(1 / 3),
      transition: new Float64Array(9).fill(1 / 3),
      emission: new Float64Array(21).fill(1 / 7),
    };
    expect(() => trainCategoricalHmm(randomData(60), { nStates: 3, nSymbols: 7 }, { initialParams: uniform })).toThrow(/fixed point/);
  });
});
