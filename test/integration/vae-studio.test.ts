// Issue 6 through the studio: a MusicVAE-style VAE trained in a real worker on a corpus of scale
// melodies in a real database (its curve with reconstruction accuracy, KL, β and the held-out bound
// stored); cancelled and resumed to the same curve as one run; samples from the prior, a clip's
// segment reconstructed and an interpolation between two clips, each landing as clips; bad requests
// refused with a clear message before any job; and compared on the held-out ELBO bound (labelled a bound).
import { describe, expect, it } from 'vitest';
import type { VaeSettings } from '../../core/ipc/schemas';
import type { Note } from '../../core/music/types';
import { scaleNotes, writeTrackFile } from '../support/midi-fixtures';
import { call, disposedAfterEach, generated, importWrittenCorpus, modelEvents, refusalBeforeAnyJob, type StudioHarness, until } from '../support/studio-harness';

const start = disposedAfterEach();

/** Eighth notes at 120 bpm: 0.25 s, i.e. 2 sixteenths; 4/4 bars of 8 notes. */
const EIGHTH = 0.25;
const PPQ = 480;
const BAR_TICKS = 4 * PPQ;

async function importMelodies(harness: StudioHarness, name: string): Promise<number> {
  // 4 bars each: 3 two-bar segments per piece (one a bar).
  return importWrittenCorpus(harness, name, [['train', 6], ['valid', 2]], (file, offset, velocity) => writeTrackFile(file, 'Melody', scaleNotes(offset, 32, velocity, EIGHTH)));
}

const EPOCHS = 80;
const TINY: Partial<VaeSettings> = {
  bars: 2,
  latentSize: 16,
  encoderUnits: 32,
  conductorUnits: 32,
  decoderUnits: 32,
  batchSize: 6,
  learningRate: 0.01,
  patience: 0,
  maxBeta: 0.1,
  betaRate: 0.99,
  samplingRate: 0,
  seed: 5,
};

const key = (note: Note, shift = 0): string => `${note.ticks - shift}/${note.durationTicks}/${note.pitch}`;
const notesOf = async (harness: StudioHarness, clipId: number): Promise<Note[]> => (await call(harness, 'clips.get', { clipId })).tracks.flatMap((track) => track.notes);

describe('a VAE in the studio', () => {
  it('trains with its curve and bound, resumes exactly, samples, reconstructs, interpolates and is compared', async () => {
    const harness = start({ modelUpdateIntervalMs: 0 });
    const corpusId = await importMelodies(harness, 'Melodies');
    const settings = { ...TINY, maxIterations: EPOCHS };

    // Cancelled once its first checkpoint is stored, then resumed: the same curve as one straight run.
    const { modelId: resumedId, jobId: firstJob } = await call(harness, 'models.train', { corpusId, family: 'vae', settings });
    await until(() => modelEvents(harness, resumedId).some((summary) => (summary?.iterations ?? 0) >= 1), 'the first checkpoint', 120_000);
    await call(harness, 'jobs.cancel', { jobId: firstJob });
    expect((await harness.waitForJob(firstJob)).status).toBe('cancelled');
    const stopped = await call(harness, 'models.get', { modelId: resumedId });
    expect(stopped.status).toBe('stopped');
    expect(stopped.iterations).toBeLessThan(EPOCHS);
    const { jobId: resumeJob } = await call(harness, 'models.resume', { modelId: resumedId });
    expect((await harness.waitForJob(resumeJob, 240_000)).status).toBe('done');
    const resumed = await call(harness, 'models.get', { modelId: resumedId });

    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'vae', settings });
    const job = await harness.waitForJob(jobId, 240_000);
    expect(job.error).toBeNull();
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ family: 'vae', representation: 'melody', status: 'trained', iterations: EPOCHS, name: 'MusicVAE 2 bars · z 16' });
    // 6 pieces × 3 segments × 32 steps.
    expect(model.trainTokens).toBe(6 * 3 * 32);
    expect(model.history.map((point) => point.iteration)).toEqual(Array.from({ length: EPOCHS }, (_, k) => k + 1));
    for (const point of model.history) {
      expect(point.metrics).toBeDefined();
      const metrics = point.metrics!;
      for (const name of ['reconstructionAccuracy', 'kl', 'beta', 'samplingProbability', 'validNllBoundPerToken', 'validNllBound']) expect(Number.isFinite(metrics[name]), name).toBe(true);
      expect(metrics.samplingProbability).toBe(0);
      expect(point.validLogLikelihoodPerToken).toBeCloseTo(-metrics.validNllBoundPerToken!, 10);
      expect(point.validLogLikelihoodPerToken!).toBeLessThan(0);
    }
    expect(model.history.at(-1)!.metrics!.reconstructionAccuracy).toBeGreaterThan(model.history[0]!.metrics!.reconstructionAccuracy!);
    // The model's held-out figure: minus the best epoch's bound per token.
    expect(model.validLogLikelihoodPerToken).toBeCloseTo(Math.max(...model.history.map((point) => point.validLogLikelihoodPerToken!)), 10);

    expect(resumed.status).toBe('trained');
    expect(resumed.history.length).toBe(EPOCHS);
    resumed.history.forEach((point, e) => {
      const straight = model.history[e]!;
      expect(Math.abs(point.trainLoss! - straight.trainLoss!), `epoch ${e + 1}`).toBeLessThan(1e-5 * Math.max(1, straight.trainLoss!));
      expect(point.validLoss).toBeCloseTo(straight.validLoss!, 5);
    });

    // Samples from the prior: count clips, each the model's two bars.
    const sampleIds = await generated(harness, (await call(harness, 'models.generate', { modelId, count: 2, length: { unit: 'bars', value: 8 }, temperature: 0.5, seed: 3 })).jobId);
    expect(sampleIds).toHaveLength(2);
    for (const clipId of sampleIds) {
      const notes = await notesOf(harness, clipId);
      expect(notes.length).toBeGreaterThan(0);
      for (const note of notes) expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(2 * BAR_TICKS);
    }

    // Clips of two train pieces; their first two bars reconstructed, and interpolated between.
    const pieces = (await call(harness, 'corpora.pieces', { corpusId })).filter((piece) => piece.split === 'train');
    const a = await call(harness, 'clips.create', { from: { pieceId: pieces[0]!.id }, name: 'A' });
    const b = await call(harness, 'clips.create', { from: { pieceId: pieces[3]!.id }, name: 'B' });
    const [reconstructedA] = await generated(harness, (await call(harness, 'models.reconstruct', { modelId, clipId: a.id, startBar: 0, count: 1, temperature: 0.001, seed: 1 })).jobId);
    const [reconstructedB] = await generated(harness, (await call(harness, 'models.reconstruct', { modelId, clipId: b.id, startBar: 0, count: 1, temperature: 0.001, seed: 2 })).jobId);
    const clipA = await call(harness, 'clips.get', { clipId: reconstructedA! });
    expect(clipA.name).toBe(`A – reconstructed 1 (${model.name})`);
    const fromA = await notesOf(harness, reconstructedA!);
    const fromB = await notesOf(harness, reconstructedB!);
    // The reconstructions are close to the originals' first two bars (a trained model on its own train data).
    const original = (await notesOf(harness, a.id)).filter((note) => note.ticks < 2 * BAR_TICKS);
    const same = fromA.filter((note) => original.some((other) => other.ticks === note.ticks && other.pitch === note.pitch)).length;
    expect(same / original.length).toBeGreaterThan(0.5);

    const steps = 4;
    const clipIds = await generated(harness, (await call(harness, 'models.interpolate', { modelId, from: { clipId: a.id, startBar: 0 }, to: { clipId: b.id, startBar: 0 }, steps, method: 'slerp', temperature: 0.001, seed: 9 })).jobId);
    expect(clipIds).toHaveLength(1);
    const path = await call(harness, 'clips.get', { clipId: clipIds[0]! });
    expect(path.name).toBe('A → B (slerp, 4 steps)');
    const pathNotes = path.tracks.flatMap((track) => track.notes);
    for (const note of pathNotes) expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(steps * 2 * BAR_TICKS);
    // The endpoints are the two clips' reconstructions.
    const segmentNotes = (index: number) => pathNotes.filter((note) => note.ticks >= index * 2 * BAR_TICKS && note.ticks < (index + 1) * 2 * BAR_TICKS).map((note) => key(note, index * 2 * BAR_TICKS));
    expect(segmentNotes(0)).toEqual(fromA.map((note) => key(note)));
    expect(segmentNotes(steps - 1)).toEqual(fromB.map((note) => key(note)));

    // Bad requests, refused before any job.
    expect(await refusalBeforeAnyJob(harness, 'models.generate', { modelId, length: { unit: 'bars', value: 2 }, primerClipId: a.id })).toMatch(/cannot continue a primer clip/);
    expect(await refusalBeforeAnyJob(harness, 'models.reconstruct', { modelId, clipId: a.id, startBar: 3 })).toMatch(/has 4 bars; a segment of this model needs 2 from bar 4/);
    expect(await refusalBeforeAnyJob(harness, 'models.interpolate', { modelId, from: { clipId: a.id }, to: { clipId: 99_999 } })).toMatch(/clip 99999/i);
    const { modelId: hmmId, jobId: hmmJob } = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 3, maxIterations: 2 } });
    await harness.waitForJob(hmmJob, 120_000);
    expect(await refusalBeforeAnyJob(harness, 'models.reconstruct', { modelId: hmmId, clipId: a.id })).toMatch(/is an HMM: only a VAE can reconstruct a clip/);
    expect(await refusalBeforeAnyJob(harness, 'models.interpolate', { modelId: hmmId, from: { clipId: a.id }, to: { clipId: b.id } })).toMatch(/only a VAE can interpolate/);

    // Compared with the HMM: the VAE's held-out figure is the ELBO bound, labelled as one.
    const { comparisonId, jobId: compareJob } = await call(harness, 'comparisons.create', { corpusId, modelIds: [modelId, hmmId], samplesPerModel: 2, length: { unit: 'bars', value: 4 }, referenceSplit: 'valid' });
    const compared = await harness.waitForJob(compareJob, 240_000);
    expect(compared.error).toBeNull();
    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    const row = comparison.results!.models.find((entry) => entry.modelId === modelId)!;
    expect(row.nllIsBound).toBe(true);
    expect(row.nllPerToken).toBeGreaterThan(0);
    expect(row.clipIds).toHaveLength(2);
    // Two segments back to back fill the 4 bars asked for.
    for (const clipId of row.clipIds) for (const note of await notesOf(harness, clipId)) expect(note.ticks).toBeLessThan(4 * BAR_TICKS);
    expect(comparison.results!.models.find((entry) => entry.modelId === hmmId)!.nllIsBound).toBe(false);
  });
});
