// Training a VAE through the worker's glue (runVaeTraining) on the neural engine: a run cancelled
// between two batches and resumed from its JSON round-tripped checkpoint ends with exactly the weights
// and history of the uninterrupted run (scheduled sampling, transposition, KL annealing, free nats,
// learning-rate decay and Adam included); the worker's generation entry point decodes with the engine.
import { describe, expect, it } from 'vitest';
import type { VaeCheckpointData, VaeTrainInput, VaeTrainWorkerResult } from '../../core/models/vae/jobs';
import { VAE_FAMILY } from '../../core/models/vae/jobs';
import { deserializeVaeModel } from '../../core/models/vae/serialize';
import type { VaeCheckpoint, VaeEpochRecord, VaeTrainSettings } from '../../core/models/vae/train';
import { runVaeGeneration } from '../../electron/workers/vae/generate-vae';
import { runVaeTraining } from '../../electron/workers/vae/train-vae';
import { randomMelodies, TINY_CONFIG } from '../unit/vae/helpers';

const SETTINGS: VaeTrainSettings = {
  batchSize: 3,
  maxEpochs: 4,
  patience: 10,
  maxTranspose: 2,
  clipNorm: 1,
  decayRate: 0.99,
  minLearningRate: 1e-4,
  maxBeta: 0.5,
  betaRate: 0.9,
  freeNats: 1,
  sampling: { kind: 'inverse-sigmoid', rate: 3, max: 0.7 },
  samplingMode: 'sample',
  greedyValidation: true,
  seed: 5,
  maxSeconds: 0,
};

const input: VaeTrainInput = { family: VAE_FAMILY, config: TINY_CONFIG, settings: SETTINGS, train: randomMelodies(11, 8), valid: randomMelodies(12, 3), resume: null };

function fakeContext(cancelAfterPolls = Infinity): { context: Parameters<typeof runVaeTraining>[1]; checkpoints: VaeCheckpointData[] } {
  const checkpoints: VaeCheckpointData[] = [];
  let polls = 0;
  return {
    checkpoints,
    context: {
      progress: () => undefined,
      emit: (data) => checkpoints.push(data as VaeCheckpointData),
      isCancelled: () => ++polls > cancelAfterPolls,
    },
  };
}

const withoutTime = (history: readonly VaeEpochRecord[]): Omit<VaeEpochRecord, 'seconds'>[] => history.map(({ seconds: _seconds, ...rest }) => rest);

describe('VAE training in the worker', () => {
  it('resumes exactly after a cancel between two batches', async () => {
    const straight = fakeContext();
    const whole: VaeTrainWorkerResult = await runVaeTraining(input, straight.context);
    expect(whole.stopReason).toBe('max-epochs');
    expect(whole.epochs).toBe(4);
    const finalCheckpoint = straight.checkpoints.at(-1)!.checkpoint;
    expect(finalCheckpoint.history).toHaveLength(4);

    // 3 batches per epoch; stop in the middle of the second epoch (after 5 batches).
    const first = fakeContext(5);
    const stopped = await runVaeTraining(input, first.context);
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.model).toBeNull();
    const saved = JSON.parse(JSON.stringify(first.checkpoints.at(-1)!.checkpoint)) as VaeCheckpoint;
    expect(saved.epoch).toBe(1);
    expect(saved.position?.nextBatch).toBe(2);
    expect(saved.steps).toBe(5);

    const second = fakeContext();
    const resumed = await runVaeTraining({ ...input, resume: saved }, second.context);
    expect(resumed.stopReason).toBe('max-epochs');
    const end = second.checkpoints.at(-1)!.checkpoint;
    if (whole.engine === 'native') {
      expect(withoutTime(end.history)).toEqual(withoutTime(finalCheckpoint.history));
      expect(end.weights).toEqual(finalCheckpoint.weights);
      expect(end.optimizer).toEqual(finalCheckpoint.optimizer);
      expect(resumed.best).toEqual(whole.best);
      expect(deserializeVaeModel(resumed.model!).weights).toEqual(deserializeVaeModel(whole.model!).weights);
    } else {
      // tfjs's own Adam recomputes β₁ᵗ, β₂ᵗ as powers when its state is restored where the running
      // optimiser multiplies them up step by step: the last float32 digits differ, nothing else.
      console.warn('native kernels unavailable: the VAE resume is compared to 1e-5, not bit for bit');
      const close = (a: readonly Omit<VaeEpochRecord, 'seconds'>[], b: readonly Omit<VaeEpochRecord, 'seconds'>[]): void =>
        a.forEach((record, k) => Object.entries(record).forEach(([key, value]) => expect(value).toBeCloseTo((b[k] as unknown as Record<string, number>)[key]!, 4)));
      close(withoutTime(end.history), withoutTime(finalCheckpoint.history));
      expect(resumed.best.epoch).toBe(whole.best.epoch);
    }
    // The records are what the schedules say.
    for (const record of end.history) {
      expect(record.samplingProbability).toBeLessThanOrEqual(0.7);
      expect(record.validNllBound).not.toBeNull();
      expect(record.learningRate).toBeCloseTo((TINY_CONFIG.learningRate - 1e-4) * 0.99 ** (record.steps - 1) + 1e-4, 9);
    }
  });

  it('refuses a checkpoint made on other data or settings, and an empty train split', async () => {
    const run = fakeContext(2);
    await runVaeTraining(input, run.context);
    const saved = run.checkpoints.at(-1)!.checkpoint;
    await expect(runVaeTraining({ ...input, train: input.train.slice(1), resume: saved }, fakeContext().context)).rejects.toThrow(/trained on 8 segments, this run has 7/);
    await expect(runVaeTraining({ ...input, config: { ...TINY_CONFIG, latentSize: 4 }, resume: saved }, fakeContext().context)).rejects.toThrow(/other model settings/);
    await expect(runVaeTraining({ ...input, train: [] }, fakeContext().context)).rejects.toThrow(/at least one segment/);
  });

  it('generates through the worker entry point', async () => {
    const result = await runVaeTraining({ ...input, settings: { ...SETTINGS, maxEpochs: 1 } }, fakeContext().context);
    const generated = await runVaeGeneration(
      { family: VAE_FAMILY, model: result.model!, request: { use: 'interpolate', from: { tokens: input.train[0]! }, to: { tokens: input.train[1]! }, steps: 4, options: { method: 'slerp' } } },
      { progress: () => undefined },
    );
    expect(generated.items).toHaveLength(4);
    expect(generated.pieces).toHaveLength(4);
    expect(generated.items.every((item) => item.tokens.length === 16)).toBe(true);
    expect(generated.sequence.timeSignatures).toEqual([{ ticks: 0, numerator: 4, denominator: 4 }]);
  });
});
