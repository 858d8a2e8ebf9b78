// The polyphonic models on the cpu backend with the plain tfjs ops (the native path is tested in
// test/integration/polyphonic.test.ts): the step-by-step generator computes the same likelihood as
// training; a tiny corpus of fixed chords is learnt (frame NLL near zero) and harmonizing its top
// voice returns the chords; settings and inputs that cannot work give clear errors.
import { beforeAll, describe, expect, it } from 'vitest';
import type { PianoRoll } from '../../../core/music/representations/pianoroll';
import { makeFrameBatch } from '../../../core/models/polyphonic/batches';
import { validatePolyphonicConfig } from '../../../core/models/polyphonic/config';
import { PolyphonicError } from '../../../core/models/polyphonic/errors';
import { framesFromPianoRoll, framesFromPitchLists, framesToPianoRoll, framesToPitchLists, transposeFrames, allowedShifts, type Frames } from '../../../core/models/polyphonic/frames';
import { PolyphonicNet } from '../../../core/models/polyphonic/inference';
import { PolyphonicModel } from '../../../core/models/polyphonic/model';
import { SeededRandom } from '../../../core/models/polyphonic/random';
import { generatePolyphonic } from '../../../core/models/polyphonic/jobs';
import { deserializeModel, serializeModel } from '../../../core/models/polyphonic/serialize';
import { frameNll, trainPolyphonic, validateTrainSettings } from '../../../core/models/polyphonic/train';
import { continueRoll, harmonize, infill } from '../../../core/models/polyphonic/uses';
import { createTfjsOps, type NeuralOps, type Tf } from '../../../core/models/neural/ops';
import { createEngine } from '../../../electron/workers/neural/engine';
import { CHORD_RANGE, CHORDS, chordPieces, TINY_CONFIG, TINY_SETTINGS } from './helpers';

let tf: Tf;
let ops: NeuralOps;
beforeAll(async () => {
  tf = (await createEngine({ prefer: 'cpu' })).tf;
  ops = createTfjsOps(tf);
});

function randomPieces(seed: number, lengths: readonly number[], pitches: number): Frames[] {
  const random = new SeededRandom(seed);
  return lengths.map((steps) => ({ steps, pitches, data: Uint8Array.from({ length: steps * pitches }, () => (random.next() < 0.25 ? 1 : 0)) }));
}

/** Σ log p(frame) over the pieces, by the step-by-step generator. */
function netLogLikelihood(net: PolyphonicNet, pieces: readonly Frames[]): number {
  let total = 0;
  for (const piece of pieces) {
    const state = net.initialState();
    let previous = new Uint8Array(piece.pitches);
    for (let t = 0; t < piece.steps; t++) {
      net.advance(state, previous);
      previous = piece.data.slice(t * piece.pitches, (t + 1) * piece.pitches);
      total += net.distribution(state).logProb(previous);
    }
  }
  return total;
}

describe('frames', () => {
  it('convert from pitch lists and piano rolls and back, and transpose within the range', () => {
    const frames = framesFromPitchLists([[60, 64], [], [72]], CHORD_RANGE);
    expect(frames.pitches).toBe(13);
    expect(framesToPitchLists(frames, CHORD_RANGE)).toEqual([[60, 64], [], [72]]);
    const roll = framesToPianoRoll(frames, CHORD_RANGE, 4);
    expect(roll.data[0 * 128 + 64]).toBe(1);
    expect(roll.data[2 * 128 + 72]).toBe(1);
    expect(framesFromPianoRoll(roll, CHORD_RANGE).data).toEqual(frames.data);
    expect(allowedShifts(frames, 5)).toEqual([0, 0]);
    expect(framesToPitchLists(transposeFrames(framesFromPitchLists([[62]], CHORD_RANGE), -2), CHORD_RANGE)).toEqual([[60]]);
    expect(() => transposeFrames(frames, 1)).toThrow(/outside the model's range/);
  });

  it('refuse notes outside the range, naming both', () => {
    expect(() => framesFromPitchLists([[59]], CHORD_RANGE)).toThrow(/pitch 59, outside the model's range 60\.\.72/);
    const roll: PianoRoll = { steps: 1, resolution: 4, mode: 'binary', data: new Uint8Array(128), onsets: null };
    roll.data[40] = 1;
    roll.data[80] = 1;
    expect(() => framesFromPianoRoll(roll, CHORD_RANGE)).toThrow(/from pitch 40 to 80, wider than the model's trained range 60\.\.72/);
  });
});

describe('PolyphonicModel', () => {
  it.each([
    ['rnn-nade', true],
    ['rnn-nade', false],
    ['rnn-bernoulli', true],
  ] as const)('%s (skipInput %s): the generator scores frames exactly as training does (2 layers)', (kind, skipInput) => {
    const config = { ...TINY_CONFIG, kind, skipInput, units: [12, 10], nadeHidden: 6 };
    const model = new PolyphonicModel(tf, ops, config);
    const pieces = randomPieces(4, [7, 3, 5], 13);
    const { nll, frames } = model.evaluate(makeFrameBatch(pieces));
    expect(frames).toBe(15);
    const net = new PolyphonicNet(model.getWeights());
    expect(-netLogLikelihood(net, pieces)).toBeCloseTo(nll, 3);
    // A random model is far from certain: ~0.7 nats per pitch.
    expect(nll / frames).toBeGreaterThan(4);
    model.dispose();
  });

  it('learns a corpus of fixed chords (frame NLL near zero) and harmonizing the top voice returns the chords', async () => {
    const model = new PolyphonicModel(tf, ops, TINY_CONFIG);
    const tensors: number[] = [];
    const result = await trainPolyphonic(model, { train: chordPieces([12, 16, 9, 14]), valid: chordPieces([10]) }, { ...TINY_SETTINGS, maxEpochs: 150 }, {
      onEpoch: async (_, checkpoint) => {
        await checkpoint();
        tensors.push(tf.memory().numTensors);
      },
    });
    // No tensors leak from a training step, an evaluation or a checkpoint.
    expect(tensors.at(-1)).toBe(tensors[0]);
    expect(result.history[0]!.validNll).toBeGreaterThan(2);
    expect(result.best.validNll).toBeLessThan(0.02);
    expect(frameNll(model, chordPieces([16]))).toBeLessThan(0.02);

    const weights = model.getWeights();
    const steps = 12;
    const melody = framesToPianoRoll(framesFromPitchLists(Array.from({ length: steps }, (_, t) => [CHORDS[t % 4]!.at(-1)!]), CHORD_RANGE), CHORD_RANGE, 4);
    const variations = harmonize(weights, melody, { variations: 3, seed: 5 });
    expect(variations).toHaveLength(3);
    for (const variation of variations) {
      expect(framesToPitchLists(framesFromPianoRoll(variation.roll, CHORD_RANGE), CHORD_RANGE)).toEqual(Array.from({ length: steps }, (_, t) => CHORDS[t % 4]));
      expect(variation.logLikelihood).toBeGreaterThan(-1);
    }

    // The job's entry point (a stored model, a request) gives the same, and reports progress.
    const fractions: number[] = [];
    const viaJob = generatePolyphonic({ family: 'polyphonic', model: serializeModel(weights), request: { use: 'harmonize', melody, options: { variations: 3, seed: 5 } } }, (fraction) =>
      fractions.push(fraction),
    );
    expect(viaJob.map((variation) => Array.from(variation.roll.data))).toEqual(variations.map((variation) => Array.from(variation.roll.data)));
    expect(fractions.at(-1)).toBe(1);

    // Continuing after two chords follows the progression; infilling a middle region restores it
    // (at temperature 0.5: the model is not quite certain, ~1% per frame of a stray note).
    const primer = framesToPianoRoll(framesFromPitchLists([[...CHORDS[0]!], [...CHORDS[1]!]], CHORD_RANGE), CHORD_RANGE, 4);
    const [continuation] = continueRoll(weights, primer, 6, { seed: 2, temperature: 0.5 });
    expect(framesToPitchLists(framesFromPianoRoll(continuation!.roll, CHORD_RANGE), CHORD_RANGE)).toEqual(Array.from({ length: 6 }, (_, t) => CHORDS[(t + 2) % 4]));
    const full = framesToPianoRoll(chordPieces([12])[0]!, CHORD_RANGE, 4);
    const holed = { ...full, data: Uint8Array.from(full.data) };
    holed.data.fill(0, 4 * 128, 8 * 128);
    const [filled] = infill(weights, holed, { startStep: 4, endStep: 8 }, { seed: 3, temperature: 0.5 });
    expect(Array.from(filled!.roll.data)).toEqual(Array.from(full.data));
    model.dispose();
  });

  it('the independent-Bernoulli baseline learns the chords too', async () => {
    const model = new PolyphonicModel(tf, ops, { ...TINY_CONFIG, kind: 'rnn-bernoulli' });
    const result = await trainPolyphonic(model, { train: chordPieces([12, 16, 9, 14]), valid: chordPieces([10]) }, TINY_SETTINGS);
    expect(result.history[0]!.validNll).toBeGreaterThan(2);
    expect(result.best.validNll).toBeLessThan(0.2);
    model.dispose();
  });

  it('weights survive serialisation as JSON exactly', () => {
    const model = new PolyphonicModel(tf, ops, TINY_CONFIG);
    const weights = model.getWeights();
    const restored = deserializeModel(JSON.parse(JSON.stringify(serializeModel(weights))) as ReturnType<typeof serializeModel>);
    expect(restored.config).toEqual(weights.config);
    restored.weights.forEach((weight, k) => expect(Array.from(weight.values)).toEqual(Array.from(weights.weights[k]!.values)));
    model.dispose();
  });
});

describe('bad input', () => {
  const model = {
    get weights() {
      return new PolyphonicModel(tf, ops, TINY_CONFIG).getWeights();
    },
  };
  const roll = (steps: number, notes: [number, number][], resolution = 4): PianoRoll => {
    const data = new Uint8Array(steps * 128);
    for (const [step, pitch] of notes) data[step * 128 + pitch] = 1;
    return { steps, resolution, mode: 'binary', data, onsets: null };
  };

  it('a roll wider than the trained range is refused by every use', () => {
    const weights = model.weights;
    const wide = roll(4, [[0, 60], [1, 90]]);
    expect(() => harmonize(weights, wide)).toThrow(PolyphonicError);
    expect(() => harmonize(weights, wide)).toThrow(/wider than the model's trained range 60\.\.72/);
    expect(() => infill(weights, wide, { startStep: 0, endStep: 2 })).toThrow(/wider than the model's trained range/);
    expect(() => continueRoll(weights, wide, 4)).toThrow(/wider than the model's trained range/);
    expect(() => infill(weights, roll(4, [[0, 60]]), { startStep: 0, endStep: 2, lowPitch: 50, highPitch: 70 })).toThrow(/beyond the model's trained range/);
  });

  it('an empty selection is refused', () => {
    const weights = model.weights;
    expect(() => harmonize(weights, roll(4, []))).toThrow(/The melody is empty/);
    expect(() => harmonize(weights, roll(0, []))).toThrow(/The melody is empty/);
    expect(() => infill(weights, roll(4, [[0, 60]]), { startStep: 2, endStep: 2 })).toThrow(/The selection is empty \(steps 2\.\.2\)/);
    expect(() => infill(weights, roll(4, [[0, 60]]), { startStep: 0, endStep: 2, lowPitch: 65, highPitch: 64 })).toThrow(/The selection is empty \(pitches 65\.\.64\)/);
    expect(() => infill(weights, roll(4, [[0, 60]]), { startStep: 2, endStep: 6 })).toThrow(/after the piano roll's 4 steps/);
    expect(() => continueRoll(weights, roll(0, []), 0)).toThrow(/steps ≥ 1/);
  });

  it('a roll at another resolution, bad options and bad settings are refused', () => {
    const weights = model.weights;
    expect(() => harmonize(weights, roll(2, [[0, 64]], 1))).toThrow(/1 steps per quarter; the model was trained on 4/);
    expect(() => harmonize(weights, roll(2, [[0, 64]]), { temperature: 0 })).toThrow(/temperature/);
    expect(() => harmonize(weights, roll(2, [[0, 64]]), { variations: 0 })).toThrow(/variations/);
    expect(() => validatePolyphonicConfig({ ...TINY_CONFIG, range: { low: 70, high: 60 } })).toThrow(/0 ≤ low ≤ high ≤ 127/);
    expect(() => validatePolyphonicConfig({ ...TINY_CONFIG, units: [] })).toThrow(/at least one LSTM layer/);
    expect(() => validatePolyphonicConfig({ ...TINY_CONFIG, dropout: 1 })).toThrow(/dropout/);
    expect(() => validateTrainSettings({ ...TINY_SETTINGS, batchSize: 0 })).toThrow(/batchSize/);
  });

  it('training refuses pieces of another range and an empty train split', async () => {
    const tiny = new PolyphonicModel(tf, ops, TINY_CONFIG);
    await expect(trainPolyphonic(tiny, { train: [], valid: [] }, TINY_SETTINGS)).rejects.toThrow(/at least one piece/);
    const other = framesFromPitchLists([[40]], { low: 36, high: 84 });
    await expect(trainPolyphonic(tiny, { train: [other], valid: [] }, TINY_SETTINGS)).rejects.toThrow(/49 pitches per frame; the model covers 13/);
    tiny.dispose();
  });
});
