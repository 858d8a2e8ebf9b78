import { describe, expect, it } from 'vitest';
import { VaeSettingsSchema } from '../../../core/ipc/schemas';
import { chooseVaeRange, vaeConfigOf, vaeTrainingPointOf, vaeTrainSettingsOf } from '../../../core/models/vae/studio';
import type { VaeEpochRecord } from '../../../core/models/vae/train';
import type { Piece } from '../../../core/music/types';

const piece = (pitches: number[]): Piece =>
  ({
    name: 'p',
    ppq: 480,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [],
    keySignatures: [],
    tracks: [{ name: 't', channel: 0, program: 0, isDrum: false, notes: pitches.map((pitch, k) => ({ ticks: k * 480, durationTicks: 480, time: k * 0.5, duration: 0.5, pitch, velocity: 80 })) }],
  }) as unknown as Piece;

describe('the VAE settings mapping', () => {
  it('maps the studio settings to the core config and training settings', () => {
    const settings = VaeSettingsSchema.parse({ bars: 4, beatsPerBar: 3, resolution: 2, latentSize: 32, freeBits: 48, samplingRate: 0, patience: 0, transpose: 2, maxIterations: 7 });
    const config = vaeConfigOf(settings, { low: 50, high: 70 });
    expect(config).toMatchObject({ range: { low: 50, high: 70 }, stepsPerQuarter: 2, stepsPerBar: 6, bars: 4, latentSize: 32, hierarchical: true });
    const train = vaeTrainSettingsOf(settings);
    expect(train.freeNats).toBeCloseTo(48 * Math.log(2), 10);
    expect(train.sampling).toEqual({ kind: 'constant', probability: 0 });
    expect(train.patience).toBe(Number.MAX_SAFE_INTEGER);
    expect(train).toMatchObject({ maxEpochs: 7, maxTranspose: 2, maxBeta: 0.5, betaRate: 0.99999 });
    expect(vaeTrainSettingsOf(VaeSettingsSchema.parse({})).sampling).toEqual({ kind: 'inverse-sigmoid', rate: 1000, max: 1 });
  });

  it('chooses the range from the train split, widened within the piano', () => {
    expect(chooseVaeRange([piece([60, 72])], 3)).toEqual({ low: 57, high: 75 });
    expect(chooseVaeRange([piece([22, 107])], 5)).toEqual({ low: 21, high: 108 });
    expect(() => chooseVaeRange([piece([])], 0)).toThrow(/no notes/);
  });

  it('reports an epoch per token with its own numbers as metrics', () => {
    const record = { epoch: 3, steps: 9, beta: 0.2, samplingProbability: 0.1, learningRate: 0.001, trainLoss: 64, trainReconstruction: 48, trainKl: 16, trainAccuracy: 0.9, validNllBound: 96, validNllBoundPerToken: 3, validReconstruction: 80, validKl: 16, validAccuracy: 0.8, validGreedyAccuracy: 0.7, seconds: 1 } satisfies VaeEpochRecord;
    const point = vaeTrainingPointOf(record, { bars: 2, stepsPerBar: 16 });
    expect(point).toMatchObject({ iteration: 3, logLikelihoodPerToken: -2, trainLoss: 2, validLoss: 3, validLogLikelihoodPerToken: -3 });
    expect(point.metrics).toMatchObject({ reconstructionAccuracy: 0.9, kl: 16, beta: 0.2, samplingProbability: 0.1, validNllBound: 96 });
  });
});
