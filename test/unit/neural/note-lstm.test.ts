// The seeds' LSTM model definition and its training windows, on the cpu backend with the plain
// tfjs ops (the native kernels are tested in test/integration/neural-native.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { BIG_NOTE_LSTM, initialNoteLstmWeights, NoteLstm, NoteLstmConfigError, SEEDS_NOTE_LSTM, validateNoteLstmConfig, type NoteLstmConfig } from '../../../core/models/neural/note-lstm';
import { allocateNoteBatch, fillNoteBatch, NoteWindowError, noteSequenceSet, windowStarts } from '../../../core/models/neural/note-windows';
import { createTfjsOps, type Tf } from '../../../core/models/neural/ops';
import { createEngine } from '../../../electron/workers/neural/engine';

let tf: Tf;
beforeAll(async () => {
  tf = (await createEngine({ prefer: 'cpu' })).tf;
});

const TINY: NoteLstmConfig = { ...SEEDS_NOTE_LSTM, windowLength: 4, units: [8] };

describe('note windows', () => {
  const pieces = [
    [60, 62, 64, 65, 67].map((pitch, k) => ({ pitch, step: k * 0.5, duration: 0.25 + k })),
    [70, 71].map((pitch) => ({ pitch, step: 1, duration: 1 })),
  ];

  it('never crosses from one piece into the next', () => {
    const set = noteSequenceSet(pieces);
    expect(Array.from(set.offsets)).toEqual([0, 5, 7]);
    expect(Array.from(windowStarts(set, 3))).toEqual([0, 1]);
    expect(Array.from(windowStarts(set, 1))).toEqual([0, 1, 2, 3, 5]);
  });

  it('fills time-major inputs (pitch/128, step, duration) and the next note as label', () => {
    const set = noteSequenceSet(pieces);
    const starts = windowStarts(set, 3);
    const batch = allocateNoteBatch(2, 3);
    fillNoteBatch(set, starts, [1, 0], batch);
    // Step t, batch b at (t·B + b)·3: batch 0 is the window starting at note 1.
    expect(Array.from(batch.inputs.subarray(0, 3))).toEqual([62 / 128, 0.5, 1.25]);
    expect(Array.from(batch.inputs.subarray(3, 6))).toEqual([60 / 128, 0, 0.25]);
    expect(Array.from(batch.inputs.subarray((2 * 2 + 0) * 3, (2 * 2 + 0) * 3 + 3))).toEqual([65 / 128, 1.5, 3.25]);
    expect(Array.from(batch.pitch)).toEqual([67, 65]);
    expect(Array.from(batch.step)).toEqual([2, 1.5]);
    expect(Array.from(batch.duration)).toEqual([4.25, 3.25]);
  });

  it('rejects a window longer than every piece, and bad notes, with clear errors', () => {
    const set = noteSequenceSet(pieces);
    expect(() => windowStarts(set, 5)).toThrow(NoteWindowError);
    expect(() => windowStarts(set, 5)).toThrow(/longest has 5 notes/);
    expect(() => windowStarts(set, 0)).toThrow(/whole number ≥ 1/);
    expect(() => noteSequenceSet([[{ pitch: 128, step: 0, duration: 1 }]])).toThrow(/0\.\.127/);
    expect(() => noteSequenceSet([[{ pitch: 60, step: Number.NaN, duration: 1 }]])).toThrow(/finite/);
  });
});

describe('NoteLstm', () => {
  it('rejects bad settings with a clear error', () => {
    expect(() => validateNoteLstmConfig({ ...TINY, units: [0] })).toThrow(NoteLstmConfigError);
    expect(() => validateNoteLstmConfig({ ...TINY, units: [0] })).toThrow(/units\[0\]/);
    expect(() => validateNoteLstmConfig({ ...TINY, units: [] })).toThrow(/at least one/);
    expect(() => validateNoteLstmConfig({ ...TINY, learningRate: Number.NaN })).toThrow(/learningRate/);
    expect(() => validateNoteLstmConfig({ ...TINY, windowLength: 2.5 })).toThrow(/windowLength/);
    expect(() => validateNoteLstmConfig({ ...TINY, lossWeights: { pitch: -1, step: 1, duration: 1 } })).toThrow(/lossWeights\.pitch/);
    expect(() => validateNoteLstmConfig(SEEDS_NOTE_LSTM)).not.toThrow();
    expect(() => validateNoteLstmConfig(BIG_NOTE_LSTM)).not.toThrow();
  });

  it('initialises like Keras, from the seed', () => {
    const weights = initialNoteLstmWeights(SEEDS_NOTE_LSTM);
    expect(weights.map((w) => `${w.name} ${w.shape.join('x')}`)).toEqual([
      'lstm_0/kernel 3x512',
      'lstm_0/recurrent_kernel 128x512',
      'lstm_0/bias 512',
      'pitch/kernel 128x128',
      'pitch/bias 128',
      'step/kernel 128x1',
      'step/bias 1',
      'duration/kernel 128x1',
      'duration/bias 1',
    ]);
    const again = initialNoteLstmWeights(SEEDS_NOTE_LSTM);
    weights.forEach((w, k) => expect(w.values).toEqual(again[k]!.values));
    expect(initialNoteLstmWeights({ ...SEEDS_NOTE_LSTM, seed: 2 })[0]!.values).not.toEqual(weights[0]!.values);
    // Forget-gate bias 1, the others 0 (unit_forget_bias).
    const bias = weights[2]!.values;
    expect(Array.from(bias.subarray(0, 128)).every((v) => v === 0)).toBe(true);
    expect(Array.from(bias.subarray(128, 256)).every((v) => v === 1)).toBe(true);
    expect(Array.from(bias.subarray(256)).every((v) => v === 0)).toBe(true);
    // Orthonormal rows of the recurrent kernel.
    const u = weights[1]!.values;
    for (const [r, s] of [
      [0, 0],
      [5, 5],
      [0, 1],
      [17, 90],
    ] as const) {
      let dot = 0;
      for (let j = 0; j < 512; j++) dot += u[r * 512 + j]! * u[s * 512 + j]!;
      expect(dot).toBeCloseTo(r === s ? 1 : 0, 5);
    }
    // Glorot-uniform limits.
    const limit = Math.sqrt(6 / (3 + 512));
    expect(Math.max(...weights[0]!.values.map(Math.abs))).toBeLessThanOrEqual(limit);
  });

  it('trains (loss falls on a fixed batch), round-trips its weights and leaks no tensors', async () => {
    const model = new NoteLstm(tf, createTfjsOps(tf), TINY);
    const batch = allocateNoteBatch(4, TINY.windowLength);
    batch.inputs.forEach((_, k) => (batch.inputs[k] = ((k * 37) % 11) / 11));
    batch.pitch.set([60, 62, 64, 65]);
    batch.step.set([0.5, 0.25, 0.5, 1]);
    batch.duration.set([0.5, 0.5, 1, 0.25]);
    const first = model.trainStep(batch);
    const tensors = tf.memory().numTensors;
    let last = first;
    for (let k = 0; k < 30; k++) last = model.trainStep(batch);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(last).toBeLessThan(first * 0.7);
    expect(model.evaluate(batch).total).toBeCloseTo(model.evaluate(batch).total, 10);

    // Serialise with tfjs's own weight format, load into a fresh model: same predictions.
    const { data, specs } = await tf.io.encodeWeights(model.getWeights());
    const copy = new NoteLstm(tf, createTfjsOps(tf), TINY);
    const decoded = tf.io.decodeWeights(data, specs);
    copy.setWeights(decoded);
    tf.dispose(Object.values(decoded));
    expect(copy.predict(batch.inputs, 4)).toEqual(model.predict(batch.inputs, 4));
    expect(() => copy.setWeights({})).toThrow(/missing/);
    model.dispose();
    copy.dispose();
  });

  it('refuses a batch whose window length differs from the model', () => {
    const model = new NoteLstm(tf, createTfjsOps(tf), TINY);
    expect(() => model.trainStep(allocateNoteBatch(2, 5))).toThrow(/5 notes; this model takes 4/);
    expect(() => model.predict(new Float32Array(7), 1)).toThrow(/4×1×3/);
    model.dispose();
  });
});
