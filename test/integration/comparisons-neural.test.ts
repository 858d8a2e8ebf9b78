// Issue 8 with every family: a pitch HMM, an LSTM and a transformer trained in real workers on one
// corpus, compared in one compare job — each scored on the held-out split in its own representation
// (the neural numbers are the ones training reports on the same split), sampled with the seeds and
// length policy of models.generate (the same clips), and measured against the reference.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../core/ipc/contract';
import type { ModelSummary } from '../../core/ipc/schemas';
import { MUSPY_METRIC_NAMES, YANG_LERCH_FEATURE_NAMES } from '../../core/metrics';
import { dispatchReply } from '../support/dispatch-helper';
import { writeMidiFile } from '../support/midi-fixtures';
import { startStudio, type StudioHarness } from '../support/studio-harness';

const harnesses: StudioHarness[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.dispose();
});

async function call<M extends MethodName>(harness: StudioHarness, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const reply = await dispatchReply(harness.studio, method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as MethodOutput<M>;
}

/** Chromatic runs of 24 quarter notes from a seed-given pitch, in split folders. */
async function importCorpus(harness: StudioHarness, name: string): Promise<number> {
  const root = path.join(harness.dir, name);
  for (let i = 0; i < 8; i++) writeMidiFile(path.join(root, 'train', `t${i}.mid`), i, 24);
  for (let i = 0; i < 2; i++) writeMidiFile(path.join(root, 'valid', `v${i}.mid`), 50 + i, 24);
  for (let i = 0; i < 3; i++) writeMidiFile(path.join(root, 'test', `x${i}.mid`), 100 + i, 24);
  const { jobId } = await harness.studio.handlers['corpora.importPaths']({ corpusName: name, paths: [root] });
  const job = await harness.waitForJob(jobId, 120_000);
  if (job.result?.kind !== 'import-midi') throw new Error(`import failed: ${job.error}`);
  return job.result.corpusId;
}

async function trained(harness: StudioHarness, input: MethodInput<'models.train'>): Promise<ModelSummary> {
  const { modelId, jobId } = await call(harness, 'models.train', input);
  const job = await harness.waitForJob(jobId, 120_000);
  expect(job.error).toBeNull();
  expect(job.status).toBe('done');
  return call(harness, 'models.get', { modelId });
}

const isFiniteNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

/** A clip's notes as [ticks, duration, pitch] rows, to compare clips made two ways. */
function notesOf(harness: StudioHarness, clipId: number): number[][] {
  return harness.studio.clips.get(clipId).tracks.flatMap((track) => track.notes.map((note) => [note.ticks, note.durationTicks, note.pitch]));
}

describe('comparing models of every family', () => {
  it('compares a pitch HMM, an LSTM and a transformer: held-out likelihoods, samples as clips, metrics', async () => {
    const harness = startStudio();
    harnesses.push(harness);
    const corpusId = await importCorpus(harness, 'Runs');
    const hmm = await trained(harness, { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 4, maxIterations: 3, seed: 1 } });
    const lstm = await trained(harness, {
      corpusId,
      family: 'lstm',
      settings: { windowLength: 8, units: [16], pitchEmbedding: 8, batchSize: 16, learningRate: 0.01, schedule: 'constant', patience: 0, maxIterations: 3 },
    });
    const transformer = await trained(harness, {
      corpusId,
      family: 'transformer',
      settings: { contextLength: 32, layers: 1, heads: 2, modelSize: 16, feedForwardSize: 32, batchSize: 8, maxIterations: 3, learningRate: 0.01, dropout: 0, patience: 0 },
    });
    const models = [hmm, lstm, transformer];
    const modelIds = models.map((model) => model.id);

    const length = { unit: 'bars', value: 4 } as const;
    const seed = 11;
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', { corpusId, modelIds, samplesPerModel: 2, length, seed });
    const job = await harness.waitForJob(jobId, 240_000);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'done', kind: 'compare', result: { kind: 'compare', comparisonId }, progress: 1 });
    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    expect(comparison).toMatchObject({ status: 'done', error: null, referenceSplit: 'test', modelIds });
    const results = comparison.results!;
    expect(results.reference).toMatchObject({ split: 'test', pieces: 3 });
    expect(results.models.map((row) => [row.modelId, row.family, row.representation])).toEqual([
      [hmm.id, 'hmm', 'pitch'],
      [lstm.id, 'lstm', 'note-steps'],
      [transformer.id, 'transformer', 'event'],
    ]);

    for (const [index, row] of results.models.entries()) {
      const model = models[index]!;
      expect(row).toMatchObject({ modelName: model.name, nllIsBound: false, discrete: true, trainingSeconds: model.trainingSeconds, sizeBytes: model.sizeBytes });
      expect(isFiniteNumber(row.nllPerToken), `${row.family} NLL`).toBe(true);
      expect(row.nllPerToken!).toBeGreaterThan(0);
      expect(row.perplexity!).toBeCloseTo(Math.exp(row.nllPerToken!), 9);
      expect(Object.keys(row.musPy.metrics).sort()).toEqual([...MUSPY_METRIC_NAMES].sort());
      expect(row.musPy.pieces).toBe(2);
      for (const name of ['pitchRange', 'nPitchesUsed', 'nPitchClassesUsed', 'pitchEntropy', 'scaleConsistency'] as const) {
        expect(isFiniteNumber(row.musPy.metrics[name].mean), `${row.family} ${name}`).toBe(true);
      }
      expect(row.relative.features.map((feature) => feature.feature)).toEqual([...YANG_LERCH_FEATURE_NAMES]);
      expect(row.clipIds).toHaveLength(2);
      for (const [k, clipId] of row.clipIds.entries()) {
        const clip = await call(harness, 'clips.get', { clipId });
        expect(clip.name).toBe(`${model.name} · comparison ${comparisonId} · sample ${k + 1}`);
        expect(clip.modelId).toBe(model.id);
        expect(clip.tracks.flatMap((track) => track.notes).length, `${row.family} sample ${k + 1} has notes`).toBeGreaterThan(0);
        expect(clip.durationTicks).toBeLessThanOrEqual(4 * 4 * clip.ppq);
      }
      expect(row.statistics.pieces).toBe(2);
    }
    // Scales of their own: better than a uniform guess among 128 pitches (LSTM) or 388 event tokens.
    expect(results.models[1]!.perplexity!).toBeLessThan(128);
    expect(results.models[2]!.perplexity!).toBeLessThan(388);

    // The samples are what models.generate makes with the same seeds and length (its defaults otherwise).
    for (const [index, model] of models.entries()) {
      if (model.family === 'hmm') continue;
      const { jobId: generateJob } = await call(harness, 'models.generate', { modelId: model.id, count: 2, length, seed });
      const generated = await harness.waitForJob(generateJob, 120_000);
      if (generated.result?.kind !== 'generate') throw new Error(`generate failed: ${generated.error}`);
      const compared = results.models[index]!.clipIds.map((clipId) => notesOf(harness, clipId));
      expect(generated.result.clipIds.map((clipId) => notesOf(harness, clipId)), `${model.family} samples`).toEqual(compared);
    }

    // On the validation split the neural numbers are those their training reported for it.
    const onValid = await call(harness, 'comparisons.create', { corpusId, modelIds: [lstm.id, transformer.id], samplesPerModel: 1, length: { unit: 'bars', value: 1 }, referenceSplit: 'valid' });
    expect((await harness.waitForJob(onValid.jobId, 120_000)).status).toBe('done');
    const validRows = (await call(harness, 'comparisons.get', { comparisonId: onValid.comparisonId })).results!.models;
    expect(validRows[0]!.nllPerToken!).toBeCloseTo(-lstm.validLogLikelihoodPerToken!, 4);
    expect(validRows[1]!.nllPerToken!).toBeCloseTo(-transformer.validLogLikelihoodPerToken!, 4);
  }, 300_000);
});
