// The RL run: exact resume (k iterations straight = stop, JSON round trip, resume), the saved model
// is an ordinary studio LSTM state with the tuned weights, and bad input gives clear errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSnapshot, readSavedNeuralModel } from '../../../core/models/neural-studio/checkpoint';
import { loadSavedNeural } from '../../../core/models/neural-studio/saved-model';
import { noteStepSet } from '../../../core/models/neural/note-step-data';
import { createTfjsOps, type NeuralOps, type Tf } from '../../../core/models/neural/ops';
import { decodeArrays } from '../../../core/models/neural/weights-codec';
import { RlError } from '../../../core/models/rl/errors';
import { lstmGenerateInputFor } from '../../../core/models/rl/jobs';
import { readSavedRlModel } from '../../../core/models/rl/saved-model';
import { validateRlSettings, type RlSettings } from '../../../core/models/rl/settings';
import { startModelFromSaved } from '../../../core/models/rl/start-model';
import { trainRl, type RlCheckpoint } from '../../../core/models/rl/train';
import { LstmSettingsSchema } from '../../../core/ipc/schemas';
import { createEngine } from '../../../electron/workers/neural/engine';
import { cMajorMelody, corpusOf, savedLstm, TINY_LSTM, TINY_RL } from './helpers';

let tf: Tf;
let ops: NeuralOps;
beforeAll(async () => {
  tf = (await createEngine({ prefer: 'cpu' })).tf;
  ops = createTfjsOps(tf);
});

const corpus = corpusOf(Array.from({ length: 6 }, (_, k) => cMajorMelody(k + 1, 30)));
const flat = (checkpoint: RlCheckpoint) => ({
  policy: decodeArrays(checkpoint.policy.weights).map((array) => Array.from(array.values)),
  policyAdam: decodeArrays(checkpoint.policy.optimizer).map((array) => Array.from(array.values)),
  discriminator: decodeArrays(checkpoint.discriminator.weights).map((array) => Array.from(array.values)),
  discriminatorAdam: decodeArrays(checkpoint.discriminator.optimizer).map((array) => Array.from(array.values)),
  baseline: checkpoint.baseline,
  history: checkpoint.history,
});

describe('an RL run', () => {
  const settings: RlSettings = { ...TINY_RL, baseline: 'moving-average', rewards: { ...TINY_RL.rewards, kl: 0.1 } };

  it('resumes exactly: stopped after 3 of 6 iterations, JSON round trip, resumed = straight through (and extended)', async () => {
    const engine = { tf, ops };
    const straight = await trainRl(engine, startModelFromSaved(savedLstm()), corpus, settings, { now: () => 0 });
    expect(straight.stopReason).toBe('max-iterations');
    expect(straight.iterations).toBe(6);
    let done = 0;
    const stopped = await trainRl(engine, startModelFromSaved(savedLstm()), corpus, settings, { now: () => 0, shouldStop: () => done >= 3, onIteration: () => void done++ });
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.checkpoint.iteration).toBe(3);
    const saved = JSON.parse(JSON.stringify(stopped.checkpoint)) as RlCheckpoint;
    // The settings given on resume count only for how long it goes on (the checkpoint's others win).
    const resumed = await trainRl(engine, startModelFromSaved(savedLstm()), corpus, { ...settings, learningRate: 0.5 }, { now: () => 0 }, saved);
    expect(resumed.iterations).toBe(6);
    expect(flat(resumed.checkpoint)).toEqual(flat(straight.checkpoint));
    const extended = await trainRl(engine, startModelFromSaved(savedLstm()), corpus, { ...settings, iterations: 7 }, { now: () => 0 }, resumed.checkpoint);
    expect(extended.iterations).toBe(7);
    expect(extended.history.slice(0, 6)).toEqual(straight.history);
    // Something was learnt and recorded: the policy moved, the discriminator trained.
    const record = straight.history.at(-1)!;
    expect(record.kl).toBeGreaterThan(0);
    expect(record.discriminatorAccuracy).not.toBeNull();
    expect(record.discriminatorLoss).toBeGreaterThan(0);
    expect(record.pitchClassShare.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(Object.keys(record.terms).sort()).toEqual(['discriminator', 'inKey', 'kl', 'repeats', 'resolution']);
  });

  it('saves an ordinary studio LSTM state with the tuned weights, which generation reads', async () => {
    const lstmSettings = LstmSettingsSchema.parse({ windowLength: TINY_LSTM.windowLength, units: TINY_LSTM.units, pitchEmbedding: 0, velocity: false });
    const start = startModelFromSaved(savedLstm(), lstmSettings);
    const tensorsBefore = tf.memory().numTensors;
    const result = await trainRl({ tf, ops }, start, corpus, { ...settings, iterations: 2, discriminator: { ...settings.discriminator, mode: 'sixteenths' } });
    // Every tensor of the run is released (both networks, their Adams, every step's intermediates).
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const model = readSavedRlModel(JSON.parse(JSON.stringify(result.model)));
    const tuned = decodeSnapshot(readSavedNeuralModel(model.policy, 'lstm'));
    const before = new Map(start.weights.map((array) => [array.name, Array.from(array.values)]));
    const changed = tuned.weights.filter((array) => JSON.stringify(Array.from(array.values)) !== JSON.stringify(before.get(array.name)));
    expect(changed.map((array) => array.name).sort()).toEqual(['lstm_0/bias', 'lstm_0/kernel', 'lstm_0/recurrent_kernel', 'pitch/bias', 'pitch/kernel']);
    expect(model.history).toHaveLength(2);
    const input = lstmGenerateInputFor({ family: 'rl', state: model, tempoBpm: 120, ppq: 480, primer: { kind: 'clip-notes', rows: [{ pitch: 60, step: 0, duration: 0.25, velocity: 80 }] } });
    const loaded = loadSavedNeural(tf, ops, input.settings, input.state);
    try {
      const piece = loaded.samplePiece({ temperature: 1, length: { unit: 'steps', value: 10 }, seed: 3 }, input.primer, { name: 'RL', tempo: 120 });
      expect(piece.tracks[0]!.notes.length).toBe(11);
    } finally {
      loaded.dispose();
    }
  });
});

describe('bad input', () => {
  const run = (overrides: { settings?: Partial<RlSettings>; state?: unknown; corpus?: ReturnType<typeof noteStepSet> }) =>
    trainRl({ tf, ops }, startModelFromSaved(overrides.state ?? savedLstm()), overrides.corpus ?? corpus, { ...TINY_RL, ...overrides.settings });

  it('an episode of no notes', async () => {
    await expect(run({ settings: { episodeLength: 0 } })).rejects.toThrow(/an episode must append at least one note/);
    expect(() => validateRlSettings({ ...TINY_RL, episodeLength: 0 })).toThrow(RlError);
  });

  it('a start model that is not an LSTM', () => {
    const transformer = { ...savedLstm(), family: 'transformer' };
    expect(() => startModelFromSaved(transformer)).toThrow(/starts from a trained LSTM .* the chosen model is a transformer model/);
    expect(() => startModelFromSaved({ format: 'hmm' })).toThrow(/starts from a trained LSTM/);
    expect(() => startModelFromSaved(null)).toThrow(/no model state/);
    const untrained = { ...savedLstm(), trainer: { epochsCompleted: 0, bestValidLoss: null, epochsSinceBest: 0, stopReason: null } };
    expect(() => startModelFromSaved(untrained)).toThrow(/not been trained/);
  });

  it('an empty corpus, or one too short for the primer', async () => {
    await expect(run({ corpus: noteStepSet([]) })).rejects.toThrow(/The corpus has no notes/);
    await expect(run({ corpus: noteStepSet([[], []]) })).rejects.toThrow(/The corpus has no notes/);
    await expect(run({ corpus: corpusOf([[60, 62]]), settings: { primerLength: 4 } })).rejects.toThrow(/No piece of the corpus has 4 notes for a primer \(the longest has 2\)/);
  });

  it('other settings and a checkpoint of another start model', async () => {
    expect(() => validateRlSettings({ ...TINY_RL, batchSize: 1 })).toThrow(/batch-mean baseline needs at least 2 episodes/);
    expect(() => validateRlSettings({ ...TINY_RL, temperature: 0 })).toThrow(/temperature must be a number > 0/);
    expect(() => validateRlSettings({ ...TINY_RL, discriminatorSteps: 0, discriminatorWarmup: 0 })).toThrow(/the discriminator never trains/);
    expect(() => validateRlSettings({ ...TINY_RL, discriminator: { ...TINY_RL.discriminator, kernelSize: 20 } })).toThrow(/kernelSize/);
    const first = await trainRl({ tf, ops }, startModelFromSaved(savedLstm()), corpus, { ...TINY_RL, iterations: 1 });
    const other = startModelFromSaved(savedLstm({ ...TINY_LSTM, seed: 99 }));
    await expect(trainRl({ tf, ops }, other, corpus, TINY_RL, {}, first.checkpoint)).rejects.toThrow(/another start model/);
  });
});
