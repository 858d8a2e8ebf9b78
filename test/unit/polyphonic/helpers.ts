// Shared by the polyphonic tests: a tiny synthetic corpus of fixed chords, and small models.
import type { PolyphonicConfig } from '../../../core/models/polyphonic/config';
import { framesFromPitchLists, type Frames, type PitchRange } from '../../../core/models/polyphonic/frames';
import type { PolyphonicTrainSettings } from '../../../core/models/polyphonic/train';

export const CHORD_RANGE: PitchRange = { low: 60, high: 72 };

/** A fixed progression (C, F, G, C/E), each chord with its own top note: 67, 69, 71, 72. */
export const CHORDS: readonly (readonly number[])[] = [
  [60, 64, 67],
  [60, 65, 69],
  [62, 67, 71],
  [64, 67, 72],
];

/** Pieces cycling through the progression from the first chord, `lengths` steps each. */
export function chordPieces(lengths: readonly number[]): Frames[] {
  return lengths.map((length) => framesFromPitchLists(Array.from({ length }, (_, t) => [...CHORDS[t % CHORDS.length]!]), CHORD_RANGE));
}

export const TINY_CONFIG: PolyphonicConfig = {
  kind: 'rnn-nade',
  range: CHORD_RANGE,
  resolution: 4,
  units: [16],
  nadeHidden: 8,
  dropout: 0,
  inputDropout: 0,
  skipInput: true,
  learningRate: 0.02,
  seed: 3,
};

export const TINY_SETTINGS: PolyphonicTrainSettings = {
  batchSize: 4,
  maxEpochs: 60,
  patience: 60,
  maxTranspose: 0,
  clipNorm: 5,
  decayFactor: 1,
  decayPatience: 5,
  minLearningRate: 1e-5,
  seed: 1,
  maxSeconds: 0,
  initBiasFromData: true,
  averageDecay: 0,
};
