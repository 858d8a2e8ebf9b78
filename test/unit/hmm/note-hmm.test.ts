import { describe, expect, it } from 'vitest';
import { expectationStep } from '../../../core/models/hmm/emission-model';
import { NOTE_FEATURES, noteObservations, notesFromObservations } from '../../../core/models/hmm/note-features';
import {
  evaluateNotes,
  noteEmissionModel,
  sampleNoteHmm,
  trainNoteHmm,
  viterbiNotes,
  type NoteHmmParams,
  type NoteSequenceSet,
} from '../../../core/models/hmm/note-hmm';
import { deserializeNoteHmm, serializeNoteHmm } from '../../../core/models/hmm/serialize';
import { allPaths, expectClose } from './helpers';

/** Two states: low, short, soft notes vs high, long, loud ones. Pitches 0..3, features (logDuration, velocity). */
function knownNoteModel(): NoteHmmParams {
  return {
    nStates: 2,
    nPitches: 4,
    nFeatures: 2,
    initial: Float64Array.of(0.7, 0.3),
    transition: Float64Array.of(0.85, 0.15, 0.25, 0.75),
    pitch: Float64Array.of(0.6, 0.3, 0.05, 0.05, 0.05, 0.05, 0.4, 0.5),
    means: Float64Array.of(-1, 0.3, 0.5, 0.8),
    variances: Float64Array.of(0.2, 0.01, 0.3, 0.02),
    varianceFloor: Float64Array.of(1e-4, 1e-4),
  };
}

function sampleNotes(model: NoteHmmParams, count: number, length: number, seed: number): NoteSequenceSet {
  const samples = Array.from({ length: count }, (_, s) => sampleNoteHmm(model, { length, seed: seed * 1000 + s }));
  const offsets = new Int32Array(count + 1);
  samples.forEach((_, s) => (offsets[s + 1] = (s + 1) * length));
  const pitches = new Int32Array(count * length);
  const features = new Float64Array(count * length * model.nFeatures);
  samples.forEach((sample, s) => {
    pitches.set(sample.pitches, s * length);
    features.set(sample.features, s * length * model.nFeatures);
  });
  return { pitches, features, nFeatures: model.nFeatures, offsets };
}

/** The density of one note under one state, by the definition. */
function emissionDensity(model: NoteHmmParams, state: number, data: NoteSequenceSet, note: number): number {
  let p = model.pitch[state * model.nPitches + data.pitches[note]!]!;
  for (let f = 0; f < model.nFeatures; f++) {
    const v = model.variances[state * model.nFeatures + f]!;
    const x = data.features[note * model.nFeatures + f]! - model.means[state * model.nFeatures + f]!;
    p *= Math.exp((-x * x) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  }
  return p;
}

describe('note HMM (categorical pitch × Gaussian features)', () => {
  const model = knownNoteModel();

  it('likelihood and state occupancies equal brute-force enumeration over all paths', () => {
    const data = sampleNotes(model, 1, 5, 3);
    let likelihood = 0;
    const occupancy = new Float64Array(2);
    const paths = [...allPaths(2, 5)];
    const joints = paths.map((path) => {
      let p = model.initial[path[0]!]! * emissionDensity(model, path[0]!, data, 0);
      for (let t = 1; t < 5; t++) p *= model.transition[path[t - 1]! * 2 + path[t]!]! * emissionDensity(model, path[t]!, data, t);
      likelihood += p;
      return p;
    });
    paths.forEach((path, k) => path.forEach((state) => (occupancy[state] = occupancy[state]! + joints[k]! / likelihood)));

    const stats = noteEmissionModel.createStats(model);
    const counts = { initialCounts: new Float64Array(2), transitionCounts: new Float64Array(4) };
    const logLikelihood = expectationStep(model, noteEmissionModel, model, data, stats, counts);
    expect(Math.abs(logLikelihood - Math.log(likelihood))).toBeLessThan(1e-11);
    expectClose(stats.weights, occupancy, 1e-11, 'occupancy');
    expect(evaluateNotes(model, data).logLikelihood).toBeCloseTo(Math.log(likelihood), 11);
  });

  it('never decreases the log-likelihood, from either initialisation', () => {
    const data = sampleNotes(model, 6, 80, 4);
    for (const init of ['random', 'kmeans'] as const) {
      const result = trainNoteHmm(data, { nStates: 3, nPitches: 4, init, seed: 2, pseudoCount: 0, maxIterations: 40, tolerance: 0 });
      for (let k = 1; k < result.history.length; k++) {
        const before = result.history[k - 1]!.logLikelihood;
        expect(result.history[k]!.logLikelihood, `${init}, iteration ${k + 1}`).toBeGreaterThanOrEqual(before - 1e-9 * Math.abs(before));
      }
    }
  });

  it('recovers the held-out likelihood of the generating model', () => {
    const train = sampleNotes(model, 30, 120, 5);
    const heldOut = sampleNotes(model, 30, 120, 6);
    const runs = [1, 2, 3].map((seed) => trainNoteHmm(train, { nStates: 2, nPitches: 4, seed, maxIterations: 200, tolerance: 1e-8 }));
    const best = runs.reduce((a, b) => (a.history.at(-1)!.logLikelihood >= b.history.at(-1)!.logLikelihood ? a : b));
    const truth = evaluateNotes(model, heldOut).perToken;
    const oneState = trainNoteHmm(train, { nStates: 1, nPitches: 4, maxIterations: 50 });
    expect(truth - evaluateNotes(oneState.params, heldOut).perToken).toBeGreaterThan(0.3);
    expect(Math.abs(evaluateNotes(best.params, heldOut).perToken - truth)).toBeLessThan(0.02);
    // And it decodes: most notes get the state that generated them (up to relabelling).
    const sample = sampleNoteHmm(model, { length: 400, seed: 77 });
    const decoded = viterbiNotes(best.params, { pitches: sample.pitches, features: sample.features, nFeatures: 2, offsets: Int32Array.of(0, 400) }, 0);
    const agree = decoded.states.reduce((n, s, t) => n + (s === sample.states[t] ? 1 : 0), 0) / 400;
    expect(Math.max(agree, 1 - agree)).toBeGreaterThan(0.9);
  });

  it('temperature 0 samples the most probable pitch and the mean features', () => {
    const sample = sampleNoteHmm(model, { length: 10, seed: 1, temperature: 0 });
    expect(Array.from(sample.states)).toEqual(new Array(10).fill(0));
    expect(Array.from(sample.pitches)).toEqual(new Array(10).fill(0));
    for (let t = 0; t < 10; t++) expect([sample.features[2 * t], sample.features[2 * t + 1]]).toEqual([-1, 0.3]);
  });

  it('serialises and resumes to exactly the uninterrupted result', () => {
    const data = sampleNotes(model, 4, 60, 8);
    const settings = { nStates: 2, nPitches: 4, maxIterations: 6, tolerance: 0 };
    const straight = trainNoteHmm(data, settings);
    const first = trainNoteHmm(data, { ...settings, maxIterations: 2 });
    const saved = deserializeNoteHmm(JSON.parse(JSON.stringify(serializeNoteHmm(first))));
    const resumed = trainNoteHmm(data, settings, { resume: saved });
    expect(Array.from(resumed.params.means)).toEqual(Array.from(straight.params.means));
    expect(Array.from(resumed.params.pitch)).toEqual(Array.from(straight.params.pitch));
    expect(resumed.history.map((r) => r.logLikelihood)).toEqual(straight.history.map((r) => r.logLikelihood));
  });
});

describe('note features', () => {
  it('turn notes into (pitch, logDuration, logStep, velocity) and back', () => {
    const ppq = 480;
    const notes = [
      { ticks: 0, durationTicks: 480, pitch: 60, velocity: 100 },
      { ticks: 0, durationTicks: 240, pitch: 64, velocity: 90 },
      { ticks: 960, durationTicks: 120, pitch: 67, velocity: 64 },
    ];
    const observations = noteObservations([{ notes, ppq }]);
    expect(observations.nFeatures).toBe(NOTE_FEATURES.length);
    expect(Array.from(observations.pitches)).toEqual([60, 64, 67]);
    expect(observations.features[0]).toBeCloseTo(0, 12); // one quarter
    expect(observations.features[3 + 0]).toBeCloseTo(Math.log(0.5), 12);
    expect(observations.features[6 + 1]).toBeCloseTo(Math.log(2 + 1 / 64), 12);
    expect(observations.features[3 + 2]).toBeCloseTo(90 / 127, 12);
    expect(notesFromObservations(observations.pitches, observations.features, ppq)).toEqual(notes);
  });
});
