// The discriminator: its convolution equals tf.conv1d ('same'), the windows are cut as documented,
// and trained on C-major melodies against random notes it tells held-out windows apart.
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../core/models/hmm/random';
import { createTfjsOps, type NeuralOps, type Tf } from '../../../core/models/neural/ops';
import { Discriminator, im2col } from '../../../core/models/rl/discriminator';
import { DEFAULT_DISCRIMINATOR, type DiscriminatorConfig } from '../../../core/models/rl/settings';
import { copyWindow, CorpusWindows, episodeWindowEnds, rollOf, ROLL_PITCHES } from '../../../core/models/rl/windows';
import { createEngine } from '../../../electron/workers/neural/engine';
import { cMajorMelody, corpusOf, randomMelody } from './helpers';

let tf: Tf;
let ops: NeuralOps;
beforeAll(async () => {
  tf = (await createEngine({ prefer: 'cpu' })).tf;
  ops = createTfjsOps(tf);
});

const CONFIG: DiscriminatorConfig = { ...DEFAULT_DISCRIMINATOR, windowLength: 8, filters: 16, kernelSize: 3, poolSize: 2, hidden: 16, learningRate: 0.005, seed: 2 };

/** Windows [count × W × 128] of whole melodies' last W notes. */
function windowsOf(melodies: readonly (readonly number[])[], W: number): Uint8Array {
  const out = new Uint8Array(melodies.length * W * ROLL_PITCHES);
  melodies.forEach((pitches, slot) => {
    const roll = rollOf({ count: pitches.length, pitch: (k) => pitches[k]!, step: () => 0.25, duration: () => 0.25 }, CONFIG);
    copyWindow(roll, roll.rows, W, out, slot);
  });
  return out;
}

describe('piano-roll windows', () => {
  it('one row per note, or per 16th with notes covering their duration', () => {
    const notes = { count: 3, pitch: (k: number) => [60, 64, 67][k]!, step: (k: number) => [9, 0.25, 0.125][k]!, duration: (k: number) => [0.25, 0.5, 0.125][k]! };
    const byNote = rollOf(notes, { mode: 'notes', tempoBpm: 120 });
    expect(byNote.rows).toBe(3);
    expect(byNote.data[1 * 128 + 64]).toBe(1);
    // 120 bpm: a 16th is 0.125 s. Onsets 0, 2, 3 (the first step is ignored); durations 2, 4, 1 rows.
    const bySixteenth = rollOf(notes, { mode: 'sixteenths', tempoBpm: 120 });
    expect(Array.from(bySixteenth.noteRow)).toEqual([0, 2, 3]);
    expect(bySixteenth.rows).toBe(6);
    const sounding = (row: number) => [60, 64, 67].filter((pitch) => bySixteenth.data[row * 128 + pitch] === 1);
    expect([0, 1, 2, 3, 4, 5].map(sounding)).toEqual([[60], [60], [64], [64, 67], [64], [64]]);
  });

  it("an episode's windows end at its end and every window before, while they reach into it; earlier rows are silence", () => {
    const roll = rollOf({ count: 20, pitch: (k) => 40 + k, step: () => 0.25, duration: () => 0.25 }, { mode: 'notes', tempoBpm: 120 });
    expect(episodeWindowEnds(roll, 4, 8)).toEqual([20, 12]);
    expect(episodeWindowEnds(roll, 13, 8)).toEqual([20]);
    const short = rollOf({ count: 3, pitch: (k) => 40 + k, step: () => 0.25, duration: () => 0.25 }, { mode: 'notes', tempoBpm: 120 });
    expect(episodeWindowEnds(short, 1, 8)).toEqual([3]);
    const out = new Uint8Array(8 * 128);
    copyWindow(short, 3, 8, out, 0);
    expect(out.slice(0, 5 * 128).every((cell) => cell === 0)).toBe(true);
    expect(out[5 * 128 + 40]).toBe(1);
    expect(out[7 * 128 + 42]).toBe(1);
  });

  it('draws corpus windows only from full windows (pieces shorter than a window give one)', () => {
    const corpus = corpusOf([randomMelody(1, 10), randomMelody(2, 3)]);
    const windows = new CorpusWindows(corpus, { mode: 'notes', tempoBpm: 120, windowLength: 8 });
    expect(windows.windowCount).toBe(3 + 1);
    const sample = windows.sample(mulberry32(4), 50);
    for (let slot = 0; slot < 50; slot++) {
      const rows = Array.from({ length: 8 }, (_, row) => sample.subarray((slot * 8 + row) * 128, (slot * 8 + row + 1) * 128).some((cell) => cell === 1));
      // Either a full window, or the short piece right-aligned after 5 silent rows.
      expect(rows.every(Boolean) || rows.join() === [false, false, false, false, false, true, true, true].join()).toBe(true);
    }
  });
});

describe('discriminator', () => {
  it("computes tf.conv1d's 'same' convolution as one product", () => {
    const config = { windowLength: 5, kernelSize: 3 };
    const random = mulberry32(3);
    const windows = Uint8Array.from({ length: 2 * 5 * 128 }, () => (random() < 0.05 ? 1 : 0));
    const kernel = Float32Array.from({ length: 3 * 128 * 4 }, () => random() - 0.5);
    const ours = tf.matMul(tf.tensor2d(im2col(windows, 2, config), [10, 3 * 128]), tf.tensor2d(kernel, [3 * 128, 4])).dataSync();
    const reference = tf.conv1d(tf.tensor3d(Float32Array.from(windows), [2, 5, 128]), tf.tensor3d(kernel, [3, 128, 4]), 1, 'same').dataSync();
    expect(Array.from(ours).map((value) => value.toFixed(4))).toEqual(Array.from(reference).map((value) => value.toFixed(4)));
  });

  it('tells C-major scales and arpeggios from random notes on held-out windows (≥ 90%)', () => {
    const W = CONFIG.windowLength;
    const corpus = new CorpusWindows(corpusOf(Array.from({ length: 20 }, (_, k) => cMajorMelody(100 + k, 40))), CONFIG);
    const discriminator = new Discriminator(tf, ops, CONFIG);
    try {
      const random = mulberry32(9);
      const batch = 32;
      for (let step = 0; step < 60; step++) {
        const fake = windowsOf(Array.from({ length: batch }, (_, k) => randomMelody(1000 * step + k, W)), W);
        discriminator.trainStep(corpus.sample(random, batch), batch, fake, batch);
      }
      const heldOutReal = windowsOf(Array.from({ length: 200 }, (_, k) => cMajorMelody(5000 + k, W + 7)), W);
      const heldOutFake = windowsOf(Array.from({ length: 200 }, (_, k) => randomMelody(9000 + k, W)), W);
      const accuracy = discriminator.accuracy(heldOutReal, 200, heldOutFake, 200);
      expect(accuracy.real).toBeGreaterThanOrEqual(0.9);
      expect(accuracy.fake).toBeGreaterThanOrEqual(0.9);
      // Before training it could not: a fresh one is near chance on one side at least.
      const fresh = new Discriminator(tf, ops, CONFIG);
      const before = fresh.accuracy(heldOutReal, 200, heldOutFake, 200);
      fresh.dispose();
      expect(Math.min(before.real, before.fake)).toBeLessThan(0.8);
    } finally {
      discriminator.dispose();
    }
  });
});
