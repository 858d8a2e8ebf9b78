// The neural models' plumbing without tensors: token windows (every token scored once), note-step
// batches and their augmentation, the weights codec, sampling, the learning-rate schedule, the
// settings' checks and names, and the unigram baseline.
import { describe, expect, it } from 'vitest';
import { LstmSettingsSchema, TransformerSettingsSchema } from '../../../core/ipc/schemas';
import { mulberry32 } from '../../../core/models/hmm/random';
import { unigramNoteLoss } from '../../../core/models/neural-studio/baseline';
import { likelihoodMeaning } from '../../../core/models/neural-studio/likelihood';
import { checkNeuralSettings, COSINE_FLOOR, defaultNeuralModelName, learningRateAt, NeuralSettingsError } from '../../../core/models/neural-studio/settings';
import { tokenSequenceSet } from '../../../core/models/neural-studio/sequences';
import { pieceOpenings } from '../../../core/models/neural-studio/tasks';
import { IGNORED_LABEL } from '../../../core/models/neural/fused-ops';
import { allocateNoteStepBatch, fillNoteStepBatch, noteStepRows, noteStepSet, windowStarts } from '../../../core/models/neural/note-step-data';
import { dropoutMask, mixSeed, permutation, stream } from '../../../core/models/neural/random-streams';
import { sampleLogits, SamplingError } from '../../../core/models/neural/sampling';
import { allocateTokenBatch, fillTokenBatch, tokenWindows } from '../../../core/models/neural/token-windows';
import { base64ToBytes, bytesToBase64, decodeArrays, encodeArrays, WeightsCodecError } from '../../../core/models/neural/weights-codec';

describe('token windows', () => {
  const set = tokenSequenceSet([Array.from({ length: 23 }, (_, k) => k), [100, 101, 102], []]);

  it('scores every token of every piece exactly once, the first from BOS, with at least C − S tokens of context after the first window', () => {
    const context = 8;
    const windows = tokenWindows(set, context);
    const batch = allocateTokenBatch(windows.length, context);
    fillTokenBatch(set, windows, windows.map((_, k) => k), batch, { bos: 388, scoring: true });
    const scored: number[] = [];
    windows.forEach((window, b) => {
      for (let t = 0; t < context; t++) {
        const label = batch.labels[b * context + t]!;
        if (label === IGNORED_LABEL) continue;
        scored.push(label);
        // The input before a target is the token before it (or BOS for a piece's first token).
        const position = window.start + t + 1;
        expect(batch.inputs[b * context + t]).toBe(position === 1 ? 388 : label - 1);
        if (window.scoreFrom > 0) expect(t).toBeGreaterThanOrEqual(context / 2);
      }
    });
    expect(scored.sort((a, b) => a - b)).toEqual([...Array.from({ length: 23 }, (_, k) => k), 100, 101, 102]);
  });

  it('pads a piece shorter than the context (targets ignored) and trains on every target', () => {
    const windows = tokenWindows(set, 8);
    const short = windows.findIndex((window) => window.piece === 1);
    const batch = allocateTokenBatch(1, 8);
    fillTokenBatch(set, windows, [short], batch, { bos: 388, scoring: false });
    expect(Array.from(batch.inputs)).toEqual([388, 100, 101, 102, 388, 388, 388, 388]);
    expect(Array.from(batch.labels)).toEqual([100, 101, 102, -1, -1, -1, -1, -1]);
  });

  it('transposes note-ons and note-offs together, never out of 0..127, and leaves other tokens alone', () => {
    // Note-on 126 and 2, their note-offs, a time-shift (256) and a velocity (360).
    const events = tokenSequenceSet([[360, 126, 2, 256, 128 + 126, 128 + 2]]);
    const windows = tokenWindows(events, 6);
    for (let seed = 0; seed < 40; seed++) {
      const batch = allocateTokenBatch(1, 6);
      fillTokenBatch(events, windows, [0], batch, { bos: 388, scoring: false, augmentation: { transpose: 5, random: mulberry32(seed) } });
      const shift = batch.labels[1]! - 126;
      expect(shift).toBeGreaterThanOrEqual(-2);
      expect(shift).toBeLessThanOrEqual(1);
      expect(Array.from(batch.labels)).toEqual([360, 126 + shift, 2 + shift, 256, 254 + shift, 130 + shift]);
    }
  });
});

describe('note-step batches', () => {
  const rows = Array.from({ length: 12 }, (_, k) => ({ pitch: 60 + k, step: 0.5, duration: 0.25 + k / 100, velocity: 64 }));
  const set = noteStepSet([rows, rows.slice(0, 4)]);

  it('lays windows out time-major with the pitches apart, and the next note as label', () => {
    const starts = windowStarts(set, 3);
    expect(starts.length).toBe(9 + 1);
    const batch = allocateNoteStepBatch(2, 3, { pitchEmbedding: true, velocity: true });
    fillNoteStepBatch(set, starts, [2, 0], batch);
    expect(Array.from(batch.pitches)).toEqual([62, 60, 63, 61, 64, 62]);
    // (step, duration, velocity/127) of note t for batch b at (t·B + b)·3.
    expect(Array.from(batch.features.subarray(0, 3))).toEqual([0.5, Math.fround(0.27), Math.fround(64 / 127)]);
    expect(Array.from(batch.pitch)).toEqual([65, 63]);
    const seeds = allocateNoteStepBatch(1, 3, { pitchEmbedding: false, velocity: false });
    fillNoteStepBatch(set, starts, [0], seeds);
    expect(Array.from(seeds.features.subarray(0, 3))).toEqual([60 / 128, 0.5, 0.25]);
  });

  it('augments a window and its label alike: one transposition within range, one time-stretch', () => {
    const starts = windowStarts(set, 4);
    const batch = allocateNoteStepBatch(1, 4, { pitchEmbedding: true, velocity: false });
    for (let seed = 0; seed < 30; seed++) {
      fillNoteStepBatch(set, starts, [0], batch, { transpose: 3, timeStretch: 0.2, random: mulberry32(seed) });
      const shift = batch.pitches[0]! - 60;
      expect(Math.abs(shift)).toBeLessThanOrEqual(3);
      expect(Array.from(batch.pitches)).toEqual([60, 61, 62, 63].map((pitch) => pitch + shift));
      expect(batch.pitch[0]).toBe(64 + shift);
      const stretch = batch.features[0]! / 0.5;
      expect(stretch).toBeGreaterThanOrEqual(0.8 - 1e-6);
      expect(stretch).toBeLessThanOrEqual(1.2 + 1e-6);
      expect(batch.step[0]).toBeCloseTo(0.5 * stretch, 5);
    }
    const high = noteStepSet([[126, 127, 125, 127, 126].map((pitch) => ({ pitch, step: 0.1, duration: 0.1, velocity: 80 }))]);
    fillNoteStepBatch(high, windowStarts(high, 4), [0], batch, { transpose: 12, timeStretch: 0, random: mulberry32(1) });
    expect(Math.max(...batch.pitches, batch.pitch[0]!)).toBeLessThanOrEqual(127);
  });

  it('gives pieces back as rows and keeps their openings for generation', () => {
    expect(noteStepRows(set, 1)).toEqual(rows.slice(0, 4).map((row) => ({ ...row, duration: Math.fround(row.duration) })));
    const openings = pieceOpenings(set, 3);
    expect(openings).toHaveLength(2);
    expect(openings[1]!.map((row) => row.pitch)).toEqual([60, 61, 62]);
  });
});

describe('weights codec', () => {
  it('round-trips named float32 and int32 arrays through base64, as Buffer writes base64', () => {
    const arrays = [
      { name: 'iter', shape: [], values: Int32Array.of(41) },
      { name: 'w', shape: [2, 3], values: Float32Array.of(1.5, -2, 3.25, Number.MIN_VALUE, -0, 1e30) },
      { name: 'b', shape: [1], values: Float32Array.of(0.1) },
    ];
    const encoded = encodeArrays(arrays);
    expect(encoded.specs).toEqual([
      { name: 'iter', shape: [], dtype: 'int32' },
      { name: 'w', shape: [2, 3], dtype: 'float32' },
      { name: 'b', shape: [1], dtype: 'float32' },
    ]);
    const bytes = new Uint8Array([...Buffer.from(Int32Array.of(41).buffer), ...Buffer.from(arrays[1]!.values.buffer), ...Buffer.from(arrays[2]!.values.buffer)]);
    expect(encoded.data).toBe(Buffer.from(bytes).toString('base64'));
    const decoded = decodeArrays(JSON.parse(JSON.stringify(encoded)) as typeof encoded);
    expect(decoded.map((array) => [array.name, array.shape, Array.from(array.values)])).toEqual(arrays.map((array) => [array.name, array.shape, Array.from(array.values)]));
    expect(decoded[0]!.values).toBeInstanceOf(Int32Array);
    for (const length of [0, 1, 2, 3, 4, 5, 100]) {
      const data = Uint8Array.from({ length }, (_, k) => (k * 37 + 5) & 255);
      expect(bytesToBase64(data)).toBe(Buffer.from(data).toString('base64'));
      expect(Array.from(base64ToBytes(bytesToBase64(data)))).toEqual(Array.from(data));
    }
  });

  it('says what is wrong with damaged weights', () => {
    expect(() => decodeArrays({ specs: [{ name: 'w', shape: [4], dtype: 'float32' }], data: 'AAAA' })).toThrow(/end before "w"/);
    expect(() => decodeArrays({ specs: [], data: 'AAAA' })).toThrow(/3 bytes more/);
    expect(() => base64ToBytes('A*AA')).toThrow(WeightsCodecError);
    expect(() => encodeArrays([{ name: 'x', shape: [3], values: new Float32Array(2) }])).toThrow(/2 values for shape \[3\]/);
  });
});

describe('sampling', () => {
  const logits = Float32Array.of(0.5, 3, 1, -2, 2.9);

  it('takes the most likely at temperature 0 or top-k 1, and repeats a seed', () => {
    expect(sampleLogits(logits, { temperature: 0 }, mulberry32(1))).toBe(1);
    for (let seed = 0; seed < 20; seed++) expect(sampleLogits(logits, { temperature: 1.5, topK: 1 }, mulberry32(seed))).toBe(1);
    const draws = (seed: number) => Array.from({ length: 10 }, (_, k) => sampleLogits(logits, { temperature: 1 }, mulberry32(seed * 100 + k)));
    expect(draws(3)).toEqual(draws(3));
  });

  it('draws in proportion to softmax(logits/T), and only within top-k and top-p', () => {
    const counts = new Array<number>(5).fill(0);
    const random = mulberry32(9);
    const n = 20_000;
    for (let k = 0; k < n; k++) counts[sampleLogits(logits, { temperature: 1 }, random)]!++;
    const z = Array.from(logits).reduce((sum, value) => sum + Math.exp(value), 0);
    counts.forEach((count, k) => expect(Math.abs(count / n - Math.exp(logits[k]!) / z)).toBeLessThan(0.012));
    const top2 = new Set(Array.from({ length: 500 }, (_, k) => sampleLogits(logits, { temperature: 1, topK: 2 }, mulberry32(k))));
    expect([...top2].sort()).toEqual([1, 4]);
    // p = 0.5: the likeliest alone (≈ 0.47) does not reach it, the two likeliest do.
    const nucleus = new Set(Array.from({ length: 500 }, (_, k) => sampleLogits(logits, { temperature: 1, topP: 0.5 }, mulberry32(k))));
    expect([...nucleus].sort()).toEqual([1, 4]);
    expect(sampleLogits(logits, { temperature: 1 }, mulberry32(1), (index) => index === 3)).toBe(3);
  });

  it('refuses settings that mean nothing', () => {
    expect(() => sampleLogits(logits, { temperature: -1 }, mulberry32(1))).toThrow(SamplingError);
    expect(() => sampleLogits(logits, { temperature: 1, topK: 0 }, mulberry32(1))).toThrow(/top-k/);
    expect(() => sampleLogits(logits, { temperature: 1, topP: 0 }, mulberry32(1))).toThrow(/top-p/);
  });
});

describe('random streams', () => {
  it('are pure functions of (seed, purpose, position)', () => {
    expect(mixSeed(1, 2, 3)).toBe(mixSeed(1, 2, 3));
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 3, 2));
    expect(Array.from(permutation(stream(5, 1, 2), 50))).toEqual(Array.from(permutation(stream(5, 1, 2), 50)));
    expect(Array.from(permutation(stream(5, 1, 2), 50)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    const mask = dropoutMask(mulberry32(1), 10_000, 0.25);
    const kept = mask.filter((value) => value !== 0);
    expect(kept.every((value) => Math.abs(value - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 10_000 - 0.75)).toBeLessThan(0.02);
  });
});

describe('settings', () => {
  it('schedules the learning rate: constant, stepped, cosine down to a tenth', () => {
    const base = { learningRate: 0.01, stepEvery: 3, stepFactor: 0.5, maxIterations: 11 };
    expect(learningRateAt({ ...base, schedule: 'constant' }, 7)).toBe(0.01);
    expect([1, 3, 4, 7].map((epoch) => learningRateAt({ ...base, schedule: 'step' }, epoch))).toEqual([0.01, 0.01, 0.005, 0.0025]);
    expect(learningRateAt({ ...base, schedule: 'cosine' }, 1)).toBeCloseTo(0.01, 12);
    expect(learningRateAt({ ...base, schedule: 'cosine' }, 6)).toBeCloseTo(0.01 * (COSINE_FLOOR + (1 - COSINE_FLOOR) / 2), 12);
    expect(learningRateAt({ ...base, schedule: 'cosine' }, 11)).toBeCloseTo(0.001, 12);
  });

  it('refuses a window no piece can fill, naming the longest piece', () => {
    const settings = LstmSettingsSchema.parse({ windowLength: 40 });
    expect(() => checkNeuralSettings(settings, { corpusName: 'Bach', longestTrainPiece: 40 })).toThrow(NeuralSettingsError);
    expect(() => checkNeuralSettings(settings, { corpusName: 'Bach', longestTrainPiece: 40 })).toThrow(/the longest has 40 notes.*at most 39/);
    expect(() => checkNeuralSettings(settings, { longestTrainPiece: 41 })).not.toThrow();
    expect(() => checkNeuralSettings(TransformerSettingsSchema.parse({}), { longestTrainPiece: 1 })).not.toThrow();
  });

  it('has defaults as the seeds and issue 5 give them, and names models after them', () => {
    const lstm = LstmSettingsSchema.parse({});
    expect(lstm).toMatchObject({ family: 'lstm', representation: 'note-steps', windowLength: 25, units: [128], learningRate: 0.005, lossWeights: { pitch: 0.05, step: 1, duration: 1 } });
    const transformer = TransformerSettingsSchema.parse({});
    expect(transformer).toMatchObject({ family: 'transformer', representation: 'event', layers: 2, heads: 4, modelSize: 128 });
    expect(defaultNeuralModelName(lstm)).toBe('LSTM 128 · window 25');
    expect(defaultNeuralModelName({ ...lstm, units: [64, 64] })).toBe('LSTM 64×2 · window 25');
    expect(defaultNeuralModelName(transformer)).toBe('Transformer 2 layers · d 128');
    expect(LstmSettingsSchema.safeParse({ units: [0] }).error?.issues[0]?.message).toBe('Every LSTM layer needs at least one unit.');
    expect(LstmSettingsSchema.safeParse({ learningRate: Number.NaN }).error?.issues[0]?.message).toMatch(/must be a number/);
    expect(TransformerSettingsSchema.safeParse({ modelSize: 30 }).error?.issues[0]?.message).toMatch(/multiple of the number of heads/);
  });

  it('labels what each family’s held-out likelihood measures', () => {
    expect(likelihoodMeaning('lstm', 'note-steps')).toMatchObject({ unit: 'nats/note (pitch)', perplexity: true, comparableKey: 'note-pitch' });
    expect(likelihoodMeaning('transformer', 'event', 4).comparableKey).toBe(likelihoodMeaning('hmm', 'event', 4).comparableKey);
    expect(likelihoodMeaning('hmm', 'note').perplexity).toBe(false);
  });
});

describe('the unigram baseline', () => {
  it('predicts pitch from smoothed train frequencies and values from train means, on the valid windows', () => {
    const train = noteStepSet([[60, 60, 62].map((pitch) => ({ pitch, step: 1, duration: 2, velocity: 127 }))]);
    const valid = noteStepSet([[
      { pitch: 60, step: 0, duration: 2, velocity: 127 },
      { pitch: 62, step: 3, duration: 1, velocity: 127 },
    ]]);
    const loss = unigramNoteLoss(train, valid, 1, { pitch: 0.5, step: 1, duration: 1 });
    // One window: label pitch 62 seen once in 3 train notes + 128 pseudo-counts.
    expect(loss.pitch).toBeCloseTo(-Math.log(2 / 131), 10);
    expect(loss.step).toBeCloseTo(4, 10);
    expect(loss.duration).toBeCloseTo(1, 10);
    expect(loss.total).toBeCloseTo(0.5 * -Math.log(2 / 131) + 5, 10);
  });
});
