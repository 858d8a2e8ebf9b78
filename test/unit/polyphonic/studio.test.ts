// The studio's side of the polyphonic family, without a database: settings to config, the pitch
// range chosen from the corpus, the model a checkpoint keeps, what its likelihood means, and clips
// to piano rolls and back (infill keeps every note outside its region, harmonize the melody).
import { describe, expect, it } from 'vitest';
import { likelihoodFigures } from '../../../core/comparisons/likelihood';
import { PolyphonicSettingsSchema } from '../../../core/ipc/schemas';
import { likelihoodMeaning } from '../../../core/models/neural-studio/likelihood';
import { lengthInSteps, prepareHarmonize, prepareInfill } from '../../../core/models/polyphonic/clips';
import { initialPolyphonicWeights } from '../../../core/models/polyphonic/config';
import { PolyphonicError } from '../../../core/models/polyphonic/errors';
import { encodeWeights } from '../../../core/models/polyphonic/serialize';
import {
  chooseTrainingRange,
  defaultPolyphonicModelName,
  polyphonicConfigOf,
  polyphonicTrainSettingsOf,
  serializedModelOfCheckpoint,
  trainingPointOf,
} from '../../../core/models/polyphonic/studio';
import type { PolyphonicCheckpoint } from '../../../core/models/polyphonic/train';
import { PIANO_ROLL_PITCHES, type PianoRoll } from '../../../core/music/representations/pianoroll';
import { normalizeMusic } from '../../../core/music/normalize';
import type { Note, Piece } from '../../../core/music/types';
import { TINY_CONFIG } from './helpers';

function note(ticks: number, durationTicks: number, pitch: number, velocity = 90): Note {
  return { ticks, durationTicks, pitch, velocity, time: 0, duration: 0 };
}

function piece(name: string, tracks: Note[][]): Piece {
  return normalizeMusic({
    name,
    ppq: 480,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: tracks.map((notes, k) => ({ name: `T${k}`, program: 0, channel: k, isDrum: false, notes, controlChanges: [] })),
    durationTicks: 0,
    duration: 0,
  });
}

const FRAME = { range: { low: 48, high: 84 }, resolution: 4 };

describe('the studio side of the polyphonic models', () => {
  it('maps settings to a config and training settings, and names the model', () => {
    const settings = PolyphonicSettingsSchema.parse({ units: [64, 64], patience: 0, transpose: 3, maxIterations: 7, seed: 9 });
    expect(polyphonicConfigOf(settings, { low: 40, high: 80 })).toMatchObject({ kind: 'rnn-nade', range: { low: 40, high: 80 }, resolution: 4, units: [64, 64], skipInput: true, seed: 9 });
    expect(polyphonicTrainSettingsOf(settings)).toMatchObject({ maxEpochs: 7, maxTranspose: 3, seed: 9, patience: Number.MAX_SAFE_INTEGER });
    expect(defaultPolyphonicModelName(settings)).toBe('RNN-NADE 64×2 · 16ths');
    expect(defaultPolyphonicModelName({ ...settings, kind: 'rnn-bernoulli', units: [32], resolution: 1 })).toBe('RNN-Bernoulli (baseline) 32 · quarters');
  });

  it("chooses the train split's range widened by the transposition, within the piano's keys (else MIDI's)", () => {
    const low = piece('a', [[note(0, 480, 30), note(0, 480, 60)]]);
    const high = piece('b', [[note(0, 480, 100)]]);
    expect(chooseTrainingRange([low, high], 6)).toEqual({ low: 24, high: 106 });
    expect(chooseTrainingRange([low, high], 12)).toEqual({ low: 21, high: 108 });
    expect(chooseTrainingRange([piece('c', [[note(0, 480, 15)]])], 6)).toEqual({ low: 9, high: 21 });
    expect(() => chooseTrainingRange([piece('d', [[]])], 6)).toThrow(/has no notes/);
  });

  it("keeps the best epoch's weights, else the running average, else the current ones; curve points are minus the NLLs", () => {
    const current = encodeWeights(initialPolyphonicWeights(TINY_CONFIG));
    const other = encodeWeights(initialPolyphonicWeights({ ...TINY_CONFIG, seed: 8 }));
    const base = { format: 'polyphonic-checkpoint', version: 1, config: TINY_CONFIG, weights: current, best: null, average: null } as unknown as PolyphonicCheckpoint;
    expect(serializedModelOfCheckpoint(base).weights).toEqual(current);
    expect(serializedModelOfCheckpoint({ ...base, average: { steps: 3, values: other.map((weight) => weight.data) } }).weights).toEqual(other);
    expect(serializedModelOfCheckpoint({ ...base, best: { epoch: 2, validNll: 1, weights: other } }).weights).toEqual(other);
    expect(trainingPointOf({ epoch: 3, trainNll: 2.5, validNll: 3, learningRate: 0.01, seconds: 1 })).toEqual({
      iteration: 3,
      logLikelihoodPerToken: -2.5,
      trainLoss: 2.5,
      validLoss: 3,
      validLogLikelihoodPerToken: -3,
      learningRate: 0.01,
    });
  });

  it('labels the likelihood per frame: exact, discrete, comparable only at one resolution', () => {
    expect(likelihoodMeaning('polyphonic', 'pianoroll', 4)).toMatchObject({ unit: 'nats/frame', perplexity: true, comparableKey: 'pianoroll@4' });
    expect(likelihoodFigures('pianoroll', -5, 'polyphonic')).toEqual({ nllPerToken: 5, perplexity: Math.exp(5), nllIsBound: false, discrete: true });
    expect(lengthInSteps({ unit: 'bars', value: 2 }, 4)).toBe(32);
  });

  it('infill replaces only its region: notes outside stay, notes across its edges keep their outer parts', () => {
    const clip = piece('Clip', [[note(0, 960, 60), note(960, 960, 64), note(1680, 720, 67)], [note(0, 2400, 50)]]);
    const use = prepareInfill(clip, { startTick: 960, endTick: 1920, lowPitch: 55, highPitch: 70 }, FRAME, 'Infill');
    expect(use.request.region).toEqual({ startStep: 8, endStep: 16, lowPitch: 55, highPitch: 70 });
    // A result with one new note, pitch 62, steps 10..12.
    const roll: PianoRoll = { ...use.request.roll, data: Uint8Array.from(use.request.roll.data) };
    for (let step = 8; step < 16; step++) for (let pitch = 55; pitch <= 70; pitch++) roll.data[step * PIANO_ROLL_PITCHES + pitch] = 0;
    for (let step = 10; step < 12; step++) roll.data[step * PIANO_ROLL_PITCHES + 62] = 1;
    const result = use.compose(roll);
    const simple = (notes: readonly Note[]) => notes.map((n) => [n.ticks, n.durationTicks, n.pitch]);
    // Track 0 held the region's notes: 64 goes, 67 keeps its part after the region, the new note joins it.
    expect(simple(result.tracks[0]!.notes)).toEqual([
      [0, 960, 60],
      [1200, 240, 62],
      [1920, 480, 67],
    ]);
    // Pitch 50 is below the region's band: untouched.
    expect(simple(result.tracks[1]!.notes)).toEqual([[0, 2400, 50]]);
    expect(() => prepareInfill(clip, { startTick: 3000, endTick: 4000 }, FRAME, 'Infill')).toThrow(PolyphonicError);
  });

  it('harmonize reads the selected notes from their first step and puts the added voices on a new track', () => {
    const clip = piece('Tune', [[note(480, 480, 72), note(960, 480, 74), note(1440, 480, 30)]]);
    const use = prepareHarmonize(clip, 0, [0, 1], FRAME, 'Harmony');
    expect(use.request.melody.steps).toBe(8);
    const roll: PianoRoll = { ...use.request.melody, data: Uint8Array.from(use.request.melody.data) };
    for (let step = 0; step < 8; step++) roll.data[step * PIANO_ROLL_PITCHES + 60] = 1;
    const result = use.compose(roll);
    expect(result.tracks.map((track) => track.name)).toEqual(['T0', 'Harmony']);
    expect(result.tracks[0]!.notes).toEqual(clip.tracks[0]!.notes);
    expect(result.tracks[1]!.notes.map((n) => [n.ticks, n.durationTicks, n.pitch, n.velocity])).toEqual([[480, 960, 60, 90]]);
    // The low note lies outside the model's range: harmonized above, it was not selected; selected, it is refused.
    expect(() => prepareHarmonize(clip, 0, [2], FRAME, 'Harmony')).toThrow(/wider than the model's trained range/);
  });
});
