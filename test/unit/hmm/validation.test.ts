import { describe, expect, it } from 'vitest';
import { evaluateCategorical, trainCategoricalHmm, type CategoricalHmmSettings } from '../../../core/models/hmm/categorical-train';
import { HmmSettingsError } from '../../../core/models/hmm/errors';
import { trainNoteHmm } from '../../../core/models/hmm/note-hmm';
import { sampleCategoricalHmm } from '../../../core/models/hmm/sample';
import { sequenceSet, type CategoricalEStepKernel, type SequenceSet } from '../../../core/models/hmm/types';
import { knownModel } from './helpers';

/** A kernel that fails the test if training does any work at all. */
const forbidden: CategoricalEStepKernel = {
  name: 'forbidden',
  eStep: () => {
    throw new Error('an E-step ran before validation failed');
  },
};
const data = sequenceSet([[0, 1, 2, 1], [2, 2, 0]]);
const settings: CategoricalHmmSettings = { nStates: 2, nSymbols: 3 };

function expectSettingsError(run: () => unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an HmmSettingsError').toBeInstanceOf(HmmSettingsError);
  expect((thrown as Error).message).toMatch(message);
}

describe('bad settings give a clear HmmSettingsError before any work', () => {
  const train = (s: Partial<CategoricalHmmSettings>, d: SequenceSet = data) =>
    trainCategoricalHmm(d, { ...settings, ...s } as CategoricalHmmSettings, { kernel: forbidden, onIteration: () => expect.fail('no iteration expected') });

  it.each([
    ['0 states', { nStates: 0 }, /nStates \(the number of hidden states\) must be an integer from 1 to 4096, got 0/],
    ['fractional states', { nStates: 2.5 }, /nStates.*got 2\.5/],
    ['NaN states', { nStates: Number.NaN }, /nStates.*got NaN/],
    ['0 symbols', { nSymbols: 0 }, /nSymbols.*got 0/],
    ['NaN tolerance', { tolerance: Number.NaN }, /tolerance must be a finite number ≥ 0, got NaN/],
    ['negative tolerance', { tolerance: -1 }, /tolerance/],
    ['infinite pseudo-count', { pseudoCount: Number.POSITIVE_INFINITY }, /pseudoCount.*Infinity/],
    ['0 iterations', { maxIterations: 0 }, /maxIterations/],
    ['negative seed', { seed: -1 }, /seed/],
    ['unknown init', { init: 'uniform' as never }, /init must be one of random, unigram, kmeans, got "uniform"/],
  ])('%s', (_name, bad, message) => expectSettingsError(() => train(bad), message));

  it('empty corpus: no sequences, or only empty ones', () => {
    expectSettingsError(() => train({}, sequenceSet([])), /empty: there are no sequences/);
    expectSettingsError(() => train({}, sequenceSet([[], []])), /empty: every sequence has length 0/);
  });

  it('symbols out of range', () => {
    expectSettingsError(() => train({}, sequenceSet([[0, 1, 3]])), /symbol 3 at position 2 is outside 0\.\.2/);
    expectSettingsError(() => train({}, sequenceSet([[-1]])), /symbol -1/);
  });

  it('malformed offsets', () => {
    expectSettingsError(() => train({}, { symbols: Int32Array.of(0, 1), offsets: Int32Array.of(0, 3) }), /last offset \(3\)/);
    expectSettingsError(() => train({}, { symbols: Int32Array.of(0, 1), offsets: Int32Array.of(0, 2, 1, 2) }), /must not decrease/);
  });

  it('NaN or non-stochastic initial parameters', () => {
    const model = { ...knownModel(), emission: knownModel().emission.map((x, k) => (k === 3 ? Number.NaN : x)) };
    expectSettingsError(() => trainCategoricalHmm(sequenceSet([[0, 1]]), { nStates: 3, nSymbols: 6 }, { initialParams: model, kernel: forbidden }), /emission\[0\]\[3\].*NaN/);
    const unnormalised = { ...knownModel(), initial: Float64Array.of(0.5, 0.5, 0.5) };
    expectSettingsError(() => evaluateCategorical(unnormalised, sequenceSet([[0]])), /initial row 0 sums to 1\.5/);
  });

  it('a saved model that does not match the settings', () => {
    const resume = { params: knownModel(), iterationsCompleted: 2, history: [] };
    expectSettingsError(() => trainCategoricalHmm(data, { nStates: 2, nSymbols: 3 }, { resume, kernel: forbidden }), /3 states and 6 symbols, the settings 2 and 3/);
  });

  it('note model: NaN features, bad pitches, 0 states', () => {
    const notes = { pitches: Int32Array.of(60, 62), features: Float64Array.of(0, 1, Number.NaN, 2), nFeatures: 2, offsets: Int32Array.of(0, 2) };
    expectSettingsError(() => trainNoteHmm(notes, { nStates: 2, nPitches: 128 }), /feature 0 of note 1 is NaN/);
    expectSettingsError(() => trainNoteHmm({ ...notes, features: Float64Array.of(0, 1, 2, 3), pitches: Int32Array.of(60, 130) }, { nStates: 2, nPitches: 128 }), /pitch 130 of note 1/);
    expectSettingsError(() => trainNoteHmm({ ...notes, features: Float64Array.of(0, 1, 2, 3) }, { nStates: 0, nPitches: 128 }), /nStates/);
  });

  it('sampling settings', () => {
    expectSettingsError(() => sampleCategoricalHmm(knownModel(), { length: 0 }), /length must be an integer from 1/);
    expectSettingsError(() => sampleCategoricalHmm(knownModel(), { length: 5, temperature: -1 }), /temperature \(initial\)/);
    expectSettingsError(() => sampleCategoricalHmm(knownModel(), { length: 5, temperature: { transition: Number.NaN } }), /temperature \(transition\).*NaN/);
  });
});
