// The neural models on tfjs's cpu backend with the plain tfjs ops (the native kernels are checked
// in test/integration/neural-models-kernels.test.ts): the fused layers against tfjs compositions
// and finite differences, the LSTM stepper against the model, the transformer's causality, the
// trainer resuming from an encoded checkpoint exactly, and generation's lengths and primers.
import { beforeAll, describe, expect, it } from 'vitest';
import { LstmSettingsSchema, TransformerSettingsSchema, type LstmSettings, type TransformerSettings } from '../../../core/ipc/schemas';
import { mulberry32 } from '../../../core/models/hmm/random';
import { encodeSnapshot, NeuralStateError, readSavedNeuralModel, restoreSnapshot, decodeSnapshot } from '../../../core/models/neural-studio/checkpoint';
import { lstmPiece, sampleLstmNotes, sampleTransformerTokens, transformerPiece } from '../../../core/models/neural-studio/generate';
import { tokenSequenceSet } from '../../../core/models/neural-studio/sequences';
import { createLstmTask, createTransformerTask } from '../../../core/models/neural-studio/tasks';
import { runNeuralTraining, type TrainingRunResult } from '../../../core/models/neural-studio/trainer';
import { EventTransformer } from '../../../core/models/neural/event-transformer';
import { addPositions, causalSoftmax, layerNorm, maskedSparseCrossEntropy, mergeHeads, relu, residual, splitHeads } from '../../../core/models/neural/fused-ops';
import { allocateNoteStepBatch, fillNoteStepBatch, noteStepSet, windowStarts, type NoteStepSet } from '../../../core/models/neural/note-step-data';
import { NoteStepLstm, noteStepLayout, noteStepper, type NoteStepLstmConfig } from '../../../core/models/neural/note-step-lstm';
import { createTfjsOps, type NeuralOps, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tf } from '../../../core/models/neural/ops';
import { createJavascriptRawKernels } from '../../../core/models/neural/raw-kernels';
import { createEngine } from '../../../electron/workers/neural/engine';
import { checkFiniteDifferences, expectClose, randomArray } from '../neural/helpers';

let tf: Tf;
let ops: NeuralOps;
beforeAll(async () => {
  const engine = await createEngine({ prefer: 'cpu' });
  tf = engine.tf;
  ops = createTfjsOps(tf);
});

function gradientsOf(loss: (inputs: Tensor[]) => Tensor, inputs: Tensor[]): Float32Array[] {
  const { grads } = tf.tidy(() => {
    const result = tf.grads((...args: Tensor[]) => loss(args))(inputs);
    return { grads: result };
  });
  const arrays = grads.map((grad) => Float32Array.from(grad.dataSync() as Float32Array));
  tf.dispose(grads);
  return arrays;
}

describe('fused layers', () => {
  it('head layout, positions, residuals and relu equal their tfjs compositions, values and gradients', () => {
    const [B, L, H, dh, C] = [2, 3, 2, 4, 5];
    const d = H * dh;
    const x = tf.tensor2d(randomArray(11, B * L * d), [B * L, d]);
    const y = tf.tensor2d(randomArray(12, B * L * d), [B * L, d]);
    const positions = tf.tensor2d(randomArray(13, C * d), [C, d]);
    const mask = Float32Array.from(randomArray(14, B * L * d), (value) => (value > 0 ? 2 : 0));
    const maskTensor = tf.tensor2d(mask, [B * L, d]);
    const heads = (t: Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [B, L, H, dh]), [0, 2, 1, 3]), [B * H, L, dh]);
    const cases: [string, (inputs: Tensor[]) => Tensor, (inputs: Tensor[]) => Tensor, Tensor[]][] = [
      ['splitHeads', ([a]) => splitHeads(tf, a as Tensor2D, B, L, H), ([a]) => heads(a!), [x]],
      ['mergeHeads ∘ splitHeads', ([a]) => mergeHeads(tf, splitHeads(tf, a as Tensor2D, B, L, H), B, L, H), ([a]) => tf.mul(a!, 1), [x]],
      [
        'addPositions',
        ([a, p]) => addPositions(tf, a as Tensor2D, p as Tensor2D, B, L, mask),
        ([a, p]) => tf.mul(tf.reshape(tf.add(tf.reshape(a!, [B, L, d]), tf.slice(p!, [0, 0], [L, d])), [B * L, d]), maskTensor),
        [x, positions],
      ],
      ['residual', ([a, b]) => residual(tf, a as Tensor2D, b as Tensor2D, mask), ([a, b]) => tf.add(a!, tf.mul(b!, maskTensor)), [x, y]],
      ['relu', ([a]) => relu(tf, a as Tensor2D), ([a]) => tf.relu(a!), [x]],
    ];
    for (const [name, fused, reference, inputs] of cases) {
      const weights = tf.tensor(randomArray(15, reference(inputs).size), reference(inputs).shape);
      const loss = (f: (inputs: Tensor[]) => Tensor) => (args: Tensor[]) => tf.sum(tf.mul(f(args), weights));
      expect(Array.from(fused(inputs).dataSync()), name).toEqual(Array.from(reference(inputs).dataSync()));
      const ours = gradientsOf(loss(fused), inputs);
      gradientsOf(loss(reference), inputs).forEach((gradient, k) => expectClose(ours[k]!, gradient, 1e-6, `${name} gradient ${k}`));
    }
  });

  it('layer norm equals the tfjs composition, values and gradients, and matches finite differences', () => {
    const x = tf.tensor2d(randomArray(1, 6 * 10, 2), [6, 10]);
    const gamma = tf.tensor1d(randomArray(2, 10, 1));
    const beta = tf.tensor1d(randomArray(3, 10, 1));
    const weights = tf.tensor2d(randomArray(4, 60, 1), [6, 10]);
    const reference = ([xs, g, b]: Tensor[]): Tensor => {
      const { mean, variance } = tf.moments(xs!, 1, true);
      const y = tf.add(tf.mul(tf.div(tf.sub(xs!, mean), tf.sqrt(tf.add(variance, 1e-5))), g!), b!);
      return tf.sum(tf.mul(y, weights));
    };
    const fused = ([xs, g, b]: Tensor[]): Tensor => tf.sum(tf.mul(layerNorm(tf, xs as Tensor2D, g as Tensor1D, b as Tensor1D), weights));
    expect(fused([x, gamma, beta]).dataSync()[0]).toBeCloseTo(reference([x, gamma, beta]).dataSync()[0]!, 4);
    const ours = gradientsOf(fused, [x, gamma, beta]);
    const theirs = gradientsOf(reference, [x, gamma, beta]);
    ours.forEach((gradient, k) => expectClose(gradient, theirs[k]!, 1e-4, `layer norm gradient ${k}`));
    checkFiniteDifferences(tf, fused, [x, gamma, beta], ours[0]!, 0, 'dx');
  });

  it('the causal softmax equals masked tfjs softmax, gives the future no weight, and differentiates right', () => {
    const scores = tf.tensor3d(randomArray(5, 2 * 5 * 5, 3), [2, 5, 5]);
    const weights = tf.tensor3d(randomArray(6, 50, 1), [2, 5, 5]);
    const mask = tf.tensor2d(Float32Array.from({ length: 25 }, (_, k) => (k % 5 > Math.floor(k / 5) ? -1e9 : 0)), [5, 5]);
    const reference = ([s]: Tensor[]): Tensor => tf.sum(tf.mul(tf.softmax(tf.add(tf.mul(s!, 0.5), mask)), weights));
    const fused = ([s]: Tensor[]): Tensor => tf.sum(tf.mul(causalSoftmax(tf, s as Tensor3D, 0.5), weights));
    const probabilities = causalSoftmax(tf, scores, 0.5).arraySync();
    expect(probabilities[1]![2]!.slice(3)).toEqual([0, 0]);
    expect(probabilities[1]![2]!.reduce((a, b) => a + b)).toBeCloseTo(1, 6);
    expect(fused([scores]).dataSync()[0]).toBeCloseTo(reference([scores]).dataSync()[0]!, 5);
    const ours = gradientsOf(fused, [scores]);
    expectClose(ours[0]!, gradientsOf(reference, [scores])[0]!, 1e-4, 'causal softmax gradient');
    checkFiniteDifferences(tf, fused, [scores], ours[0]!, 0, 'dscores');
  });

  it('the masked cross-entropy averages over labelled rows only', () => {
    const logits = tf.tensor2d(randomArray(7, 4 * 6, 2), [4, 6]);
    const labels = Int32Array.of(2, -1, 5, 0);
    const kept = [0, 2, 3];
    const reference = ([l]: Tensor[]): Tensor =>
      ops.sparseCrossEntropy(tf.gather(l!, kept) as Tensor2D, tf.tensor1d(kept.map((row) => labels[row]!), 'int32'));
    const fused = ([l]: Tensor[]): Tensor => maskedSparseCrossEntropy(tf, l as Tensor2D, labels);
    expect(fused([logits]).dataSync()[0]).toBeCloseTo(reference([logits]).dataSync()[0]!, 5);
    const ours = gradientsOf(fused, [logits]);
    expectClose(ours[0]!, gradientsOf(reference, [logits])[0]!, 1e-5, 'masked cross-entropy gradient');
    expect(Array.from(ours[0]!.subarray(6, 12))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => maskedSparseCrossEntropy(tf, logits, Int32Array.of(1, 2, 6, 0))).toThrow(/label 6/);
  });
});

const SMALL_LSTM: NoteStepLstmConfig = {
  windowLength: 6,
  units: [12, 10],
  pitchEmbedding: 5,
  velocity: true,
  dropout: 0,
  lossWeights: { pitch: 1, step: 1, duration: 1, velocity: 1 },
  learningRate: 0.01,
  seed: 3,
};

function melodies(seed: number, pieces: number, length: number) {
  const random = mulberry32(seed);
  return Array.from({ length: pieces }, () => {
    let pitch = 60;
    return Array.from({ length }, () => {
      pitch = Math.min(90, Math.max(40, pitch + Math.round((random() - 0.5) * 8)));
      return { pitch, step: Math.round(random() * 4) / 8, duration: 0.125 + Math.round(random() * 6) / 8, velocity: 40 + Math.floor(random() * 80) };
    });
  });
}

describe('the LSTM', () => {
  it('stepping one note at a time with the state carried predicts what the model predicts for the window', () => {
    for (const config of [SMALL_LSTM, { ...SMALL_LSTM, pitchEmbedding: 0, velocity: false, units: [9] }]) {
      const model = new NoteStepLstm(tf, ops, config);
      const set = noteStepSet(melodies(4, 2, 20));
      const batch = allocateNoteStepBatch(3, config.windowLength, noteStepLayout(config));
      const starts = windowStarts(set, config.windowLength);
      fillNoteStepBatch(set, starts, [0, 5, 17], batch);
      model.trainStep(batch);
      const expected = model.predict(batch);
      const stepper = noteStepper(model.inferenceWeights(), createJavascriptRawKernels());
      [0, 5, 17].forEach((window, b) => {
        stepper.reset();
        for (let t = 0; t < config.windowLength; t++) {
          const note = starts[window]! + t;
          stepper.feed({ pitch: set.pitch[note]!, step: set.step[note]!, duration: set.duration[note]!, velocity: set.velocity[note]! });
        }
        const prediction = stepper.predict();
        expectClose(prediction.pitchLogits, expected.pitchLogits.subarray(b * 128, (b + 1) * 128), 1e-5, `pitch logits, window ${window}`);
        expect(prediction.step).toBeCloseTo(expected.step[b]!, 5);
        expect(prediction.duration).toBeCloseTo(expected.duration[b]!, 5);
        if (config.velocity) expect(prediction.velocity).toBeCloseTo(expected.velocity![b]!, 5);
      });
      model.dispose();
    }
  });

  it('refuses a config it cannot build with a clear error', () => {
    expect(() => new NoteStepLstm(tf, ops, { ...SMALL_LSTM, units: [4, 0] })).toThrow('LSTM layer 2 needs a whole number of units ≥ 1, got 0.');
    expect(() => new NoteStepLstm(tf, ops, { ...SMALL_LSTM, learningRate: Number.NaN })).toThrow(/learning rate must be a positive number/);
  });
});

describe('the transformer', () => {
  const config = { vocabulary: 388, contextLength: 8, layers: 2, heads: 2, modelSize: 8, feedForwardSize: 16, dropout: 0, learningRate: 0.01, seed: 2 };

  it('is causal: a token never changes the logits of the positions before it', () => {
    const model = new EventTransformer(tf, ops, config);
    const tokens = Int32Array.of(388, 60, 356, 257, 188, 62, 258, 190);
    const changed = Int32Array.from(tokens);
    changed[5] = 70;
    const a = model.logits(tokens, 1, 8).arraySync();
    const b = model.logits(changed, 1, 8).arraySync();
    for (let t = 0; t < 5; t++) expect(b[t]).toEqual(a[t]);
    expect(b[5]).not.toEqual(a[5]);
    expect(model.nextLogits(tokens)).toEqual(Float32Array.from(a[7]!));
    model.dispose();
  });

  it('learns a repeating sequence of events', () => {
    const set = tokenSequenceSet([Array.from({ length: 40 }, (_, k) => [60, 257, 188][k % 3]!)]);
    const settings = TransformerSettingsSchema.parse({ contextLength: 8, layers: 2, heads: 2, modelSize: 8, feedForwardSize: 16, dropout: 0, batchSize: 4, learningRate: 0.01 });
    const task = createTransformerTask(tf, ops, settings, set, set);
    const before = task.evaluate()!.nllPerToken;
    for (let step = 0; step < 60; step++) task.trainBatch(Int32Array.of(0, 1, 2, 3).map((k) => k % task.trainExamples), 1, step);
    const after = task.evaluate()!.nllPerToken;
    expect(before).toBeGreaterThan(4);
    expect(after).toBeLessThan(1);
    task.dispose();
  });
});

function lstmSettings(overrides: Partial<LstmSettings> = {}): LstmSettings {
  return LstmSettingsSchema.parse({ windowLength: 5, units: [8], pitchEmbedding: 4, batchSize: 8, dropout: 0.2, transpose: 2, timeStretch: 0.1, schedule: 'cosine', patience: 0, maxIterations: 3, seed: 7, ...overrides });
}

describe('training and checkpoints', () => {
  const set: NoteStepSet = noteStepSet(melodies(8, 3, 30));
  const valid: NoteStepSet = noteStepSet(melodies(9, 1, 20));

  async function train(settings: LstmSettings | TransformerSettings, resume: unknown = null): Promise<TrainingRunResult> {
    const task =
      'windowLength' in settings
        ? createLstmTask(tf, ops, settings, set, valid)
        : createTransformerTask(tf, ops, settings, tokenSequenceSet([Array.from(set.pitch)]), tokenSequenceSet([Array.from(valid.pitch)]));
    const saved = resume === null ? null : readSavedNeuralModel(resume, task.description.family);
    const result = await runNeuralTraining(tf, task, settings, { resume: saved, shouldStop: () => false });
    task.dispose();
    return result;
  }

  it.each(['lstm', 'transformer'] as const)('a %s resumed from its encoded checkpoint after epoch 1 trains epochs 2 and 3 exactly as one run does', async (family) => {
    const settings =
      family === 'lstm'
        ? lstmSettings()
        : TransformerSettingsSchema.parse({ contextLength: 6, layers: 1, heads: 2, modelSize: 8, feedForwardSize: 8, batchSize: 4, dropout: 0.1, transpose: 2, maxIterations: 3, seed: 7 });
    const straight = await train(settings);
    const first = await train({ ...settings, maxIterations: 1 });
    // Through JSON, as the database stores it.
    const stored = JSON.parse(JSON.stringify(encodeSnapshot(first.snapshot!))) as unknown;
    const resumed = await train(settings, stored);
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.snapshot!.optimizer.map((array) => Array.from(array.values))).toEqual(straight.snapshot!.optimizer.map((array) => Array.from(array.values)));
    expect(resumed.snapshot!.weights.map((array) => Array.from(array.values))).toEqual(straight.snapshot!.weights.map((array) => Array.from(array.values)));
    // The learning rate followed the schedule across the pause.
    expect(resumed.history.map((point) => point.learningRate)).toEqual(straight.history.map((point) => point.learningRate));
  });

  it('stops between batches when asked, keeping the last complete epoch', async () => {
    const settings = lstmSettings({ maxIterations: 5 });
    const task = createLstmTask(tf, ops, settings, set, valid);
    let batches = 0;
    const perEpoch = Math.floor(task.trainExamples / task.batchSize);
    // Polled before every batch and once more before each epoch's evaluation: this stops inside epoch 3.
    const result = await runNeuralTraining(tf, task, settings, { resume: null, shouldStop: () => ++batches > 2 * (perEpoch + 1) + 1 });
    task.dispose();
    expect(result.stopReason).toBe('stopped');
    expect(result.epochs).toBe(2);
    expect(result.snapshot!.trainer.epochsCompleted).toBe(2);
    expect(result.snapshot!.optimizer[0]!.values[0]).toBe(2 * perEpoch);
  });

  it('refuses a state that is not a neural model’s, or of another family, or of another shape', async () => {
    expect(() => readSavedNeuralModel({ format: 'hmm' }, 'lstm')).toThrow(NeuralStateError);
    const { snapshot } = await train(lstmSettings({ maxIterations: 1 }));
    const saved = encodeSnapshot(snapshot!);
    expect(() => readSavedNeuralModel(saved, 'transformer')).toThrow('The saved model is a lstm, not a transformer.');
    const other = new NoteStepLstm(tf, ops, { ...SMALL_LSTM, units: [9] });
    await expect(restoreSnapshot(tf, other, decodeSnapshot(saved))).rejects.toThrow(/has shape/);
    other.dispose();
  });
});

describe('generation', () => {
  const settings = lstmSettings({ dropout: 0, transpose: 0, timeStretch: 0, maxIterations: 1 });

  it('makes as many notes as asked, or fills bars and cuts there; a primer clip starts the result', async () => {
    const task = createLstmTask(tf, ops, settings, noteStepSet(melodies(8, 3, 30)), null);
    const stepper = noteStepper((task.model as NoteStepLstm).inferenceWeights(), createJavascriptRawKernels());
    const opening = { rows: melodies(2, 1, 5)[0]!, keep: false };
    const notes = sampleLstmNotes(stepper, opening, { temperature: 1, length: { unit: 'steps', value: 12 }, seed: 4 }, 120, { hasVelocity: true });
    expect(notes).toHaveLength(12);
    expect(notes[0]!.step).toBe(0);
    expect(notes.every((note) => note.duration >= 0.02 && note.velocity >= 1 && note.velocity <= 127)).toBe(true);
    expect(sampleLstmNotes(stepper, opening, { temperature: 1, length: { unit: 'steps', value: 12 }, seed: 4 }, 120, { hasVelocity: true })).toEqual(notes);

    const primer = { rows: [60, 62, 64, 65, 67, 69].map((pitch, k) => ({ pitch, step: k === 0 ? 0 : 0.25, duration: 0.2, velocity: 90 })), keep: true };
    const request = { temperature: 1, length: { unit: 'bars' as const, value: 2 }, seed: 1 };
    const continuation = sampleLstmNotes(stepper, primer, request, 120, { hasVelocity: true });
    const piece = lstmPiece(primer, continuation, request, { name: 'x', tempo: 120, ppq: 480 });
    const pieceNotes = piece.tracks[0]!.notes;
    // Every primer note is there, where it was (a continuation note may share the last one's onset).
    primer.rows.forEach((row, k) => expect(pieceNotes.some((note) => note.pitch === row.pitch && note.ticks === k * 240)).toBe(true));
    expect(pieceNotes.length).toBeGreaterThan(primer.rows.length);
    // The primer's last onset (1.25 s = 1200 ticks at 120 bpm), then two bars of 4/4.
    const primerEnd = 1200;
    for (const note of pieceNotes) expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(primerEnd + 2 * 4 * 480);
    task.dispose();
  });

  it('the transformer continues a primer of tokens, and bars cut at the bar line', () => {
    const model = new EventTransformer(tf, ops, { vocabulary: 388, contextLength: 6, layers: 1, heads: 1, modelSize: 4, feedForwardSize: 4, dropout: 0, learningRate: 0.01, seed: 1 });
    const primer = [356, 60, 259, 188];
    const tokens = sampleTransformerTokens(model, primer, { temperature: 1, length: { unit: 'steps', value: 20 }, seed: 3 }, { resolution: 4 });
    expect(tokens).toHaveLength(20);
    expect(tokens.every((token) => token >= 0 && token < 388)).toBe(true);
    const piece = transformerPiece(primer, [...tokens, 261, 261, 261, 261], { length: { unit: 'bars', value: 1 } }, 4, { name: 'x', tempo: 100 });
    const notes = piece.tracks[0]!.notes;
    expect(notes[0]).toMatchObject({ pitch: 60, ticks: 0, durationTicks: 4 * 120 });
    for (const note of notes) expect(note.ticks).toBeLessThan(4 * 120 + 4 * 480);
    model.dispose();
  });
});
