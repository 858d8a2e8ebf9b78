// Shared by the VAE tests: a tiny model, fast settings and a tiny synthetic corpus of melodies.
import { mulberry32 } from '../../../core/models/hmm/random';
import { HOLD_TOKEN, REST_TOKEN, SPECIAL_TOKENS, type VaeConfig } from '../../../core/models/vae/config';
import type { VaeTrainSettings } from '../../../core/models/vae/train';

/** 2 bars of 4/4 at eighths (8 steps a bar, 16 a segment), pitches 60..72 (15 tokens). */
export const TINY_CONFIG: VaeConfig = {
  range: { low: 60, high: 72 },
  stepsPerQuarter: 2,
  stepsPerBar: 8,
  bars: 2,
  hierarchical: true,
  encoderUnits: 24,
  latentSize: 8,
  conductorUnits: 16,
  decoderUnits: 32,
  learningRate: 0.01,
  seed: 3,
};

export const TINY_SETTINGS: VaeTrainSettings = {
  batchSize: 8,
  maxEpochs: 120,
  patience: 200,
  maxTranspose: 0,
  clipNorm: 5,
  decayRate: 1,
  minLearningRate: 1e-5,
  maxBeta: 0.05,
  betaRate: 0.99,
  freeNats: 0,
  sampling: { kind: 'constant', probability: 0 },
  samplingMode: 'argmax',
  greedyValidation: false,
  seed: 1,
  maxSeconds: 0,
};

/** Random melodies: each step starts a note (60..72) with probability ½, else holds or rests. */
export function randomMelodies(seed: number, count: number, steps = 16): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const tokens: number[] = [];
    for (let t = 0; t < steps; t++) {
      const u = random();
      if (t === 0 || u < 0.5) tokens.push(SPECIAL_TOKENS + Math.floor(random() * 13));
      else tokens.push(u < 0.8 && tokens[t - 1] !== REST_TOKEN ? HOLD_TOKEN : REST_TOKEN);
    }
    return tokens;
  });
}

import type { Piece, TimeSignatureChange } from '../../../core/music/types';

/** A one-track piece at 480 ppq from [tick, durationTicks, pitch] triples. */
export function makePiece(notes: readonly (readonly [number, number, number])[], timeSignatures: readonly TimeSignatureChange[] = [], durationTicks?: number): Piece {
  const end = Math.max(0, ...notes.map(([ticks, duration]) => ticks + duration));
  return {
    name: 'test piece',
    ppq: 480,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures,
    keySignatures: [],
    tracks: [
      {
        name: 'melody',
        program: 0,
        channel: 0,
        isDrum: false,
        notes: notes.map(([ticks, duration, pitch]) => ({ ticks, durationTicks: duration, time: ticks / 960, duration: duration / 960, pitch, velocity: 90 })),
        controlChanges: [],
      },
    ],
    durationTicks: durationTicks ?? end,
    duration: (durationTicks ?? end) / 960,
  };
}
