// Shared by the RL tests: tiny start LSTMs stored as the neural family stores them, synthetic
// corpora (C-major scales and arpeggios, random notes) and small settings.
import { mulberry32 } from '../../../core/models/hmm/random';
import { encodeSnapshot, type SavedNeuralModel } from '../../../core/models/neural-studio/checkpoint';
import { noteStepSet, type NoteStepSet } from '../../../core/models/neural/note-step-data';
import { initialNoteStepLstmWeights, SEEDS_NOTE_STEP_LSTM, type NoteStepLstmConfig } from '../../../core/models/neural/note-step-lstm';
import { DEFAULT_RL_SETTINGS, type RlSettings } from '../../../core/models/rl/settings';

export const TINY_LSTM: NoteStepLstmConfig = { ...SEEDS_NOTE_STEP_LSTM, windowLength: 4, units: [8], seed: 3 };

/** A (randomly initialised) LSTM's stored state, as if trained for one epoch. */
export function savedLstm(config: NoteStepLstmConfig = TINY_LSTM): SavedNeuralModel {
  return encodeSnapshot({
    family: 'lstm',
    config,
    openings: [],
    weights: initialNoteStepLstmWeights(config),
    optimizer: [],
    trainer: { epochsCompleted: 1, bestValidLoss: null, epochsSinceBest: 0, stopReason: 'max-iterations' },
    history: [],
  });
}

const C_MAJOR = [0, 2, 4, 5, 7, 9, 11];

/** Pitches of C-major melodies: scale runs up and down and broken triads, between 60 and 84. */
export function cMajorMelody(seed: number, length: number): number[] {
  const random = mulberry32(seed);
  const degreePitch = (degree: number): number => 60 + 12 * Math.floor(degree / 7) + C_MAJOR[((degree % 7) + 7) % 7]!;
  const pitches: number[] = [];
  let degree = Math.floor(random() * 7);
  while (pitches.length < length) {
    const run = 3 + Math.floor(random() * 5);
    const arpeggio = random() < 0.4;
    const direction = random() < 0.5 ? -1 : 1;
    for (let k = 0; k < run && pitches.length < length; k++) {
      degree = Math.max(0, Math.min(13, degree + direction * (arpeggio ? 2 : 1)));
      pitches.push(degreePitch(degree));
    }
  }
  return pitches;
}

export function randomMelody(seed: number, length: number, low = 55, high = 90): number[] {
  const random = mulberry32(seed);
  return Array.from({ length }, () => low + Math.floor(random() * (high - low + 1)));
}

/** Pieces of eighth notes at 120 bpm (0.25 s) from pitch lists. */
export function corpusOf(melodies: readonly (readonly number[])[]): NoteStepSet {
  return noteStepSet(melodies.map((pitches) => pitches.map((pitch) => ({ pitch, step: 0.25, duration: 0.25, velocity: 80 }))));
}

/** Small and fast: 8 episodes of 12 notes after a 4-note primer, a small discriminator. */
export const TINY_RL: RlSettings = {
  ...DEFAULT_RL_SETTINGS,
  episodeLength: 12,
  primerLength: 4,
  batchSize: 8,
  iterations: 6,
  learningRate: 0.01,
  discriminator: { ...DEFAULT_RL_SETTINGS.discriminator, windowLength: 8, filters: 8, hidden: 8, learningRate: 0.005 },
  discriminatorSteps: 2,
  discriminatorWarmup: 3,
  discriminatorBatch: 8,
  seed: 11,
};
