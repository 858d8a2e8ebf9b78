// Issue 5 through the studio: the LSTM and the transformer trained in real workers on corpora in a
// real database, checkpointed every epoch, cancelled mid-epoch and resumed with the same optimiser
// state, scored on the validation split, and sampled into clips (with a primer clip too).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LstmSettings } from '../../core/ipc/schemas';
import { decodeSnapshot, readSavedNeuralModel } from '../../core/models/neural-studio/checkpoint';
import { C_MAJOR_SCALE, scaleNotes, writeTrackFile } from '../support/midi-fixtures';
import { dispatchReply } from '../support/dispatch-helper';
import { call, disposedAfterEach, importFolder, modelEvents, type StudioHarness, until } from '../support/studio-harness';

const start = disposedAfterEach();

/** C major, one octave up: the pattern every piece repeats. */
const SCALE = C_MAJOR_SCALE;
const STEP_SECONDS = 0.25;
const DURATION_SECONDS = 0.2;

/** The scale from position `offset`, `notes` eighth notes at 120 bpm (a quarter is 0.5 s); `velocity` 0..1. */
function writeScale(file: string, offset: number, notes: number, velocity = 0.8): void {
  writeTrackFile(file, 'Scale', scaleNotes(offset, notes, velocity, STEP_SECONDS, DURATION_SECONDS));
}

async function importScales(harness: StudioHarness, name: string, counts: { train: number; valid: number; notes: number }): Promise<number> {
  const root = path.join(harness.dir, name);
  for (let i = 0; i < counts.train; i++) writeScale(path.join(root, 'train', `t${i}.mid`), i, counts.notes);
  // Louder than the train pieces: an identical file would be imported once (a duplicate).
  for (let i = 0; i < counts.valid; i++) writeScale(path.join(root, 'valid', `v${i}.mid`), 3 + i, counts.notes, 0.9);
  return importFolder(harness, root, name);
}

/** The scale's next pitch. */
function successor(pitch: number): number {
  const at = SCALE.indexOf(pitch as (typeof SCALE)[number]);
  return at < 0 ? -1 : SCALE[(at + 1) % SCALE.length]!;
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

describe('the LSTM', () => {
  it('learns a repeating scale (validation loss under a threshold) and a greedy sample continues it', async () => {
    const harness = start({ modelUpdateIntervalMs: 0 });
    const corpusId = await importScales(harness, 'Scales', { train: 6, valid: 2, notes: 64 });
    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'lstm', settings: { ...TINY_LSTM, maxIterations: 25 } });
    const job = await harness.waitForJob(jobId, 120_000);
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ family: 'lstm', representation: 'note-steps', status: 'trained', iterations: 25, name: 'LSTM 32 · window 8' });
    expect(model.history.map((point) => point.iteration)).toEqual(Array.from({ length: 25 }, (_, k) => k + 1));
    // The engine and why: native here when the addon is built, else the wasm fallback.
    expect(['native', 'wasm', 'cpu']).toContain(model.engine);
    expect(model.engineReason).toMatch(/native|wasm|cpu/);
    expect(model.trainTokens).toBe(6 * 64);
    const first = model.history[0]!;
    const last = model.history.at(-1)!;
    expect(last.validLoss!).toBeLessThan(first.validLoss!);
    // The fixed threshold: the pitch is all but certain (pitch NLL < 0.1 nats), the loss small.
    expect(last.validLoss!).toBeLessThan(0.15);
    expect(model.validLogLikelihoodPerToken!).toBeGreaterThan(-0.1);
    expect(model.validLogLikelihoodPerToken).toBe(last.validLogLikelihoodPerToken);
    expect(job.result).toMatchObject({ kind: 'train-model', modelId, iterations: 25, stopReason: 'max-iterations' });
    // Every epoch reached main (announced as it was stored), each announcement the whole curve so far.
    const live = modelEvents(harness, modelId).filter((summary) => summary?.status === 'training' && summary.iterations > 0);
    expect(live[0]!.iterations).toBe(1);
    for (const summary of live) expect(summary!.history).toEqual(model.history.slice(0, summary!.iterations));

    // Greedy (temperature 0) from a stored opening: every pitch follows the one before on the scale,
    // every step a quarter of a second (240 ticks at 120 bpm, 480 ppq).
    const { jobId: generateJob } = await call(harness, 'models.generate', { modelId, count: 2, length: { unit: 'steps', value: 24 }, temperature: 0, seed: 3 });
    const generated = await harness.waitForJob(generateJob);
    expect(generated.error).toBeNull();
    if (generated.result?.kind !== 'generate') throw new Error('expected a generate result');
    expect(generated.result.clipIds).toHaveLength(2);
    for (const clipId of generated.result.clipIds) {
      const clip = await call(harness, 'clips.get', { clipId });
      expect(clip.tracks[0]).toMatchObject({ name: 'LSTM' });
      const notes = clip.tracks[0]!.notes;
      expect(notes).toHaveLength(24);
      expect(notes[0]!.ticks).toBe(0);
      for (let k = 1; k < notes.length; k++) {
        expect(notes[k]!.pitch, `note ${k} of clip ${clipId}`).toBe(successor(notes[k - 1]!.pitch));
        expect(Math.abs(notes[k]!.ticks - notes[k - 1]!.ticks - 240)).toBeLessThanOrEqual(24);
      }
    }

    // A primer clip: its notes start the result, the continuation follows the pattern from there.
    const [piece] = (await call(harness, 'corpora.pieces', { corpusId })).filter((summary) => summary.split === 'valid');
    const primer = await call(harness, 'clips.create', { from: { pieceId: piece!.id }, name: 'Primer' });
    const { jobId: continued } = await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'bars', value: 2 }, temperature: 0, seed: 1, primerClipId: primer.id });
    const continuedJob = await harness.waitForJob(continued);
    expect(continuedJob.error).toBeNull();
    if (continuedJob.result?.kind !== 'generate') throw new Error('expected a generate result');
    const clip = await call(harness, 'clips.get', { clipId: continuedJob.result.clipIds[0]! });
    const source = harness.studio.corpora.loadPiece(piece!.id);
    const sourceNotes = source.tracks[0]!.notes;
    const notes = clip.tracks[0]!.notes;
    // The primer's 64 notes (8 quarter-second steps a bar of 2 s) and 2 bars more: 16 notes.
    expect(notes.map((note) => note.pitch).slice(0, sourceNotes.length)).toEqual(sourceNotes.map((note) => note.pitch));
    expect(notes.length - sourceNotes.length).toBeGreaterThanOrEqual(14);
    expect(notes.length - sourceNotes.length).toBeLessThanOrEqual(16);
    for (let k = sourceNotes.length; k < notes.length; k++) expect(notes[k]!.pitch).toBe(successor(notes[k - 1]!.pitch));
  });

  it('cancelled mid-epoch, resumes from its last checkpoint with the same optimiser state, and ends where one run would', async () => {
    const harness = start();
    const corpusId = await importScales(harness, 'Long scales', { train: 16, valid: 2, notes: 400 });
    // Bigger and slower per epoch (hundreds of batches), so the cancel lands inside an epoch.
    const settings = { ...TINY_LSTM, units: [64, 64], batchSize: 8, maxIterations: 4, dropout: 0.1, transpose: 2, timeStretch: 0.1, seed: 9 };
    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'lstm', settings });
    await until(() => modelEvents(harness, modelId).some((summary) => (summary?.iterations ?? 0) >= 1), 'the first checkpoint', 120_000);
    // Into the second epoch (the first checkpoint is announced at once), then cancel.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await call(harness, 'jobs.cancel', { jobId });
    const cancelled = await harness.waitForJob(jobId);
    expect(cancelled.status).toBe('cancelled');
    const stopped = await call(harness, 'models.get', { modelId });
    expect(stopped.status).toBe('stopped');
    const k = stopped.iterations;
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(4);
    expect(stopped.history.map((point) => point.iteration)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    // The stored state is the last complete epoch: weights, Adam's moments and its step count.
    const saved = decodeSnapshot(readSavedNeuralModel(harness.studio.models.state(modelId), 'lstm'));
    expect(saved.trainer.epochsCompleted).toBe(k);
    const batchesPerEpoch = saved.optimizer[0]!.values[0]! / k;
    expect(Number.isInteger(batchesPerEpoch)).toBe(true);
    expect(batchesPerEpoch).toBeGreaterThan(100);
    expect(saved.optimizer.slice(1).map((moment) => moment.name)).toEqual([...saved.weights.map((w) => `${w.name}/m`), ...saved.weights.map((w) => `${w.name}/v`)]);

    const { jobId: resumeJob } = await call(harness, 'models.resume', { modelId });
    expect((await harness.waitForJob(resumeJob, 120_000)).status).toBe('done');
    const resumed = await call(harness, 'models.get', { modelId });
    expect(resumed).toMatchObject({ status: 'trained', iterations: 4 });
    expect(resumed.history.slice(0, k)).toEqual(stopped.history);
    const after = decodeSnapshot(readSavedNeuralModel(harness.studio.models.state(modelId), 'lstm'));
    expect(after.optimizer[0]!.values[0]).toBe(4 * batchesPerEpoch);

    // The same model straight through: the epoch after the cancel (and every other) has the same losses.
    const { modelId: straightId, jobId: straightJob } = await call(harness, 'models.train', { corpusId, family: 'lstm', settings });
    expect((await harness.waitForJob(straightJob, 120_000)).status).toBe('done');
    const straight = await call(harness, 'models.get', { modelId: straightId });
    expect(straight.engine).toBe(resumed.engine);
    straight.history.forEach((point, e) => {
      const other = resumed.history[e]!;
      expect(Math.abs(other.trainLoss! - point.trainLoss!), `epoch ${e + 1} train loss`).toBeLessThan(1e-4 * Math.max(1, point.trainLoss!));
      expect(Math.abs(other.validLoss! - point.validLoss!), `epoch ${e + 1} validation loss`).toBeLessThan(1e-4 * Math.max(1, point.validLoss!));
    });
  });

  it('stops early when the validation loss stops improving', async () => {
    const harness = start();
    const corpusId = await importScales(harness, 'Patience', { train: 4, valid: 1, notes: 48 });
    // A rate so high the loss jumps around: no improvement for 2 epochs comes soon.
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'lstm',
      settings: { ...TINY_LSTM, learningRate: 0.5, patience: 2, maxIterations: 200 },
    });
    const job = await harness.waitForJob(jobId, 120_000);
    if (job.status === 'failed') {
      // Such a rate may also diverge; then the failure says what to do.
      expect(job.error).toMatch(/Training diverged.*Lower the learning rate/);
      return;
    }
    const model = await call(harness, 'models.get', { modelId });
    expect(job.result).toMatchObject({ kind: 'train-model', stopReason: 'converged' });
    expect(model.iterations).toBeLessThan(200);
    const losses = model.history.map((point) => point.validLoss!);
    const best = Math.min(...losses);
    expect(losses.slice(-2).every((loss) => loss >= best)).toBe(true);
  });
});

describe('the transformer', () => {
  it('trains a few epochs on the event tokens, scores them comparably with an event HMM, and generates', async () => {
    const harness = start();
    const corpusId = await importScales(harness, 'Events', { train: 6, valid: 2, notes: 48 });
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'transformer',
      settings: { contextLength: 32, layers: 1, heads: 2, modelSize: 32, feedForwardSize: 64, batchSize: 8, maxIterations: 6, learningRate: 0.01, dropout: 0, patience: 0 },
    });
    const job = await harness.waitForJob(jobId, 120_000);
    expect(job.error).toBeNull();
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ family: 'transformer', representation: 'event', status: 'trained', iterations: 6, name: 'Transformer 1 layer · d 32' });
    const losses = model.history.map((point) => point.trainLoss!);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    // Per event token, better than guessing among the 388 tokens.
    expect(model.validLogLikelihoodPerToken!).toBeGreaterThan(-Math.log(388));
    expect(model.validLogLikelihoodPerToken!).toBeLessThan(0);

    // An event HMM on the same corpus and resolution scores the same tokens (its number is comparable).
    const hmm = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'event', states: 8, maxIterations: 5, resolution: 4 } });
    expect((await harness.waitForJob(hmm.jobId)).status).toBe('done');
    const hmmModel = await call(harness, 'models.get', { modelId: hmm.modelId });
    expect(hmmModel.trainTokens).toBe(model.trainTokens);

    const { jobId: generateJob } = await call(harness, 'models.generate', { modelId, count: 2, length: { unit: 'steps', value: 40 }, temperature: 0.8, topK: 20, topP: 0.95, seed: 5 });
    const generated = await harness.waitForJob(generateJob, 120_000);
    expect(generated.error).toBeNull();
    if (generated.result?.kind !== 'generate') throw new Error('expected a generate result');
    expect(generated.result.clipIds).toHaveLength(2);
    const clip = await call(harness, 'clips.get', { clipId: generated.result.clipIds[0]! });
    expect(clip.tracks[0]).toMatchObject({ name: 'Transformer' });
    // The same seed gives the same music.
    const again = await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 40 }, temperature: 0.8, topK: 20, topP: 0.95, seed: 5 });
    const againJob = await harness.waitForJob(again.jobId, 120_000);
    if (againJob.result?.kind !== 'generate') throw new Error('expected a generate result');
    const repeat = await call(harness, 'clips.get', { clipId: againJob.result.clipIds[0]! });
    expect(repeat.tracks[0]!.notes).toEqual(clip.tracks[0]!.notes);
  });
});

describe('bad requests', () => {
  it('refuses a window longer than any piece, zero units and a NaN learning rate before anything is stored', async () => {
    const harness = start();
    const corpusId = await importScales(harness, 'Short', { train: 2, valid: 1, notes: 16 });
    const jobsBefore = (await call(harness, 'jobs.list', undefined)).length;
    const longWindow = await dispatchReply(harness.studio, 'models.train', { corpusId, family: 'lstm', settings: { windowLength: 25 } });
    expect(longWindow).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message:
          "A window of 25 notes is longer than any piece of “Short”'s train split can fill: the longest has 16 notes, and a window needs one more note after it to predict. Use a window of at most 15.",
      },
    });
    expect(await dispatchReply(harness.studio, 'models.train', { corpusId, family: 'lstm', settings: { units: [64, 0] } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/settings\.units\.1: Every LSTM layer needs at least one unit\./) },
    });
    expect(await dispatchReply(harness.studio, 'models.train', { corpusId, family: 'lstm', settings: { windowLength: 4, learningRate: Number.NaN } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/settings\.learningRate: The learning rate must be a number/) },
    });
    expect(await dispatchReply(harness.studio, 'models.train', { corpusId, family: 'transformer', settings: { modelSize: 30, heads: 4 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/settings\.modelSize: The model size must be a multiple of the number of heads\./) },
    });
    expect(await call(harness, 'jobs.list', undefined)).toHaveLength(jobsBefore);
    expect(await call(harness, 'models.list', undefined)).toEqual([]);
  });

  it('refuses neural-only generation options for an HMM, a missing primer clip, and Viterbi for a neural model', async () => {
    const harness = start();
    const corpusId = await importScales(harness, 'Options', { train: 2, valid: 1, notes: 24 });
    const hmm = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 2, maxIterations: 2 } });
    expect((await harness.waitForJob(hmm.jobId)).status).toBe('done');
    expect(await dispatchReply(harness.studio, 'models.generate', { modelId: hmm.modelId, count: 1, length: { unit: 'steps', value: 8 }, topK: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'An HMM samples from its own distributions: top-k apply to the LSTM and the transformer only.' },
    });
    const lstm = await call(harness, 'models.train', { corpusId, family: 'lstm', settings: { ...TINY_LSTM, windowLength: 4, maxIterations: 1 } });
    expect((await harness.waitForJob(lstm.jobId)).status).toBe('done');
    expect(await dispatchReply(harness.studio, 'models.generate', { modelId: lstm.modelId, count: 1, length: { unit: 'steps', value: 8 }, primerClipId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    const [piece] = await call(harness, 'corpora.pieces', { corpusId });
    expect(await dispatchReply(harness.studio, 'models.viterbi', { modelId: lstm.modelId, pieceId: piece!.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/is not an HMM/) },
    });
  });
});
