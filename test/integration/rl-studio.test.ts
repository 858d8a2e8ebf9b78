// Issue 6 through the studio: an LSTM tuned by REINFORCE against a discriminator, trained in a real
// worker from a trained LSTM of the studio on a corpus of scales in a real database; its reward and
// discriminator curves stored; cancelled and resumed to the same curve; generating as the LSTM it is;
// compared as an LSTM; and bad start models refused before any job.
import { describe, expect, it } from 'vitest';
import type { LstmSettings, RlSettings } from '../../core/ipc/schemas';
import { scaleNotes, writeTrackFile } from '../support/midi-fixtures';
import { call, disposedAfterEach, importWrittenCorpus, modelEvents, refusalBeforeAnyJob, type StudioHarness, until } from '../support/studio-harness';

const start = disposedAfterEach();

async function importScales(harness: StudioHarness, name: string): Promise<number> {
  return importWrittenCorpus(harness, name, [['train', 6], ['valid', 2]], (file, offset, velocity) => writeTrackFile(file, 'Scale', scaleNotes(offset, 48, velocity, 0.25)));
}

const TINY_LSTM: Partial<LstmSettings> = {
  windowLength: 8,
  units: [32],
  pitchEmbedding: 8,
  batchSize: 16,
  learningRate: 0.01,
  schedule: 'constant',
  patience: 0,
  lossWeights: { pitch: 1, step: 1, duration: 1, velocity: 1 },
};

const ITERATIONS = 12;
const TINY_RL = (startModelId: number): Partial<RlSettings> & { startModelId: number } => ({
  startModelId,
  episodeLength: 8,
  primerLength: 4,
  batchSize: 4,
  maxIterations: ITERATIONS,
  learningRate: 0.005,
  discriminatorWindow: 4,
  discriminatorFilters: 4,
  discriminatorWarmup: 2,
  seed: 4,
});

describe('an RL-tuned model in the studio', () => {
  it('tunes a trained LSTM with its reward curves, resumes exactly, generates as an LSTM, is compared, and refuses bad start models', async () => {
    const harness = start({ modelUpdateIntervalMs: 0 });
    const corpusId = await importScales(harness, 'Scales');
    const { modelId: lstmId, jobId: lstmJob } = await call(harness, 'models.train', { corpusId, family: 'lstm', settings: { ...TINY_LSTM, maxIterations: 200 } });
    // Not trained yet (its first epoch is still to come): refused.
    expect(await refusalBeforeAnyJob(harness, 'models.train', { corpusId, family: 'rl', settings: TINY_RL(lstmId) })).toMatch(/has no trained parameters yet: train the LSTM/);
    await call(harness, 'jobs.cancel', { jobId: lstmJob });
    await harness.waitForJob(lstmJob);
    const { jobId: resumeLstm } = await call(harness, 'models.resume', { modelId: lstmId, maxIterations: 10 });
    await harness.waitForJob(resumeLstm, 120_000);
    const lstm = await call(harness, 'models.get', { modelId: lstmId });
    expect(lstm.status).toBe('trained');

    expect(await refusalBeforeAnyJob(harness, 'models.train', { corpusId, family: 'rl', settings: TINY_RL(99_999) })).toMatch(/There is no model 99999/);
    const { modelId: hmmId, jobId: hmmJob } = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 3, maxIterations: 2 } });
    await harness.waitForJob(hmmJob, 120_000);
    expect(await refusalBeforeAnyJob(harness, 'models.train', { corpusId, family: 'rl', settings: TINY_RL(hmmId) })).toMatch(/is an HMM: RL tuning starts from a trained LSTM/);
    expect(await refusalBeforeAnyJob(harness, 'models.train', { corpusId, family: 'rl', settings: { ...TINY_RL(lstmId), batchSize: 1 } })).toMatch(/batch-mean baseline needs at least 2 episodes/);

    // Cancelled after its first checkpoint and resumed: the same curve as a straight run.
    const { modelId: resumedId, jobId: firstJob } = await call(harness, 'models.train', { corpusId, family: 'rl', settings: TINY_RL(lstmId) });
    await until(() => modelEvents(harness, resumedId).some((summary) => (summary?.iterations ?? 0) >= 1), 'the first checkpoint', 120_000);
    await call(harness, 'jobs.cancel', { jobId: firstJob });
    expect((await harness.waitForJob(firstJob)).status).toBe('cancelled');
    expect((await call(harness, 'models.get', { modelId: resumedId })).status).toBe('stopped');
    const { jobId: resumeJob } = await call(harness, 'models.resume', { modelId: resumedId });
    expect((await harness.waitForJob(resumeJob, 240_000)).error).toBeNull();
    const resumed = await call(harness, 'models.get', { modelId: resumedId });

    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'rl', settings: TINY_RL(lstmId) });
    expect((await harness.waitForJob(jobId, 240_000)).error).toBeNull();
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ family: 'rl', representation: 'note-steps', status: 'trained', iterations: ITERATIONS, name: `RL-tuned “${lstm.name}”` });
    expect(model.history.map((point) => point.iteration)).toEqual(Array.from({ length: ITERATIONS }, (_, k) => k + 1));
    for (const point of model.history) {
      const metrics = point.metrics!;
      for (const name of ['reward', 'rewardDiscriminator', 'rewardInKey', 'rewardRepeats', 'rewardKl', 'discriminatorAccuracyReal', 'discriminatorAccuracyFake', 'kl', 'entropy', 'inKeyShare']) {
        expect(Number.isFinite(metrics[name]), name).toBe(true);
      }
      expect(point.logLikelihoodPerToken).toBe(-metrics.entropy!);
    }
    // The tuned policy's held-out pitch log-likelihood, as an LSTM's.
    expect(model.validLogLikelihoodPerToken).not.toBeNull();
    expect(model.validLogLikelihoodPerToken!).toBeLessThan(0);
    expect(resumed.status).toBe('trained');
    expect(resumed.history.map((point) => point.metrics)).toEqual(model.history.map((point) => point.metrics));
    expect(resumed.validLogLikelihoodPerToken).toBeCloseTo(model.validLogLikelihoodPerToken!, 6);

    // Generated as an LSTM: with and without a primer, top-k allowed.
    const generate = await call(harness, 'models.generate', { modelId, count: 2, length: { unit: 'steps', value: 16 }, temperature: 1, topK: 4, seed: 7 });
    const job = await harness.waitForJob(generate.jobId, 120_000);
    expect(job.error).toBeNull();
    if (job.result?.kind !== 'generate') throw new Error('no generate result');
    expect(job.result.clipIds).toHaveLength(2);
    for (const clipId of job.result.clipIds) {
      const clip = await call(harness, 'clips.get', { clipId });
      expect(clip.tracks.flatMap((track) => track.notes).length).toBeGreaterThan(0);
    }
    // Not a VAE.
    expect(await refusalBeforeAnyJob(harness, 'models.reconstruct', { modelId, clipId: job.result.clipIds[0]! })).toMatch(/is an RL-tuned model: only a VAE can reconstruct a clip/);

    // Compared beside its start LSTM, scored as an LSTM (exact, not a bound).
    const { comparisonId, jobId: compareJob } = await call(harness, 'comparisons.create', { corpusId, modelIds: [modelId, lstmId], samplesPerModel: 2, length: { unit: 'steps', value: 16 }, referenceSplit: 'valid' });
    expect((await harness.waitForJob(compareJob, 240_000)).error).toBeNull();
    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    const row = comparison.results!.models.find((entry) => entry.modelId === modelId)!;
    expect(row.nllIsBound).toBe(false);
    expect(row.nllPerToken).toBeCloseTo(-model.validLogLikelihoodPerToken!, 4);
    expect(row.clipIds).toHaveLength(2);

    // The start LSTM gone: the tuned model still generates, but cannot be resumed.
    await call(harness, 'models.delete', { modelId: lstmId });
    expect(await refusalBeforeAnyJob(harness, 'models.resume', { modelId, maxIterations: ITERATIONS + 2 })).toMatch(/There is no model/);
  });
});
