// Issue 4 through the studio: HMMs trained in real workers on corpora in a real database, checkpointed,
// cancelled, resumed, evaluated, decoded (Viterbi) and sampled into clips.
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../core/midi/parse-midi';
import { encodePitch } from '../../core/music/representations';
import { writeMidiFile } from '../support/midi-fixtures';
import { hasJsb, JSB_MISSING, jsbMidiRoot } from '../support/paths';
import { dispatchReply } from '../support/dispatch-helper';
import { call, disposedAfterEach, importFolder, modelEvents, type StudioHarness, until } from '../support/studio-harness';

const start = disposedAfterEach();

/** A corpus of generated melodies in train/ and valid/ folders, imported; returns its id. */
async function importCorpus(harness: StudioHarness, name: string, counts: { train: number; valid: number; notes: number }): Promise<number> {
  const root = path.join(harness.dir, name);
  for (let i = 0; i < counts.train; i++) writeMidiFile(path.join(root, 'train', `t${i}.mid`), i, counts.notes);
  for (let i = 0; i < counts.valid; i++) writeMidiFile(path.join(root, 'valid', `v${i}.mid`), 50 + i, counts.notes);
  return importFolder(harness, root, name);
}

/** The parameters of a stored model (its state without the timings of its history). */
function parameters(harness: StudioHarness, modelId: number): unknown {
  const state = harness.studio.models.state(modelId) as Record<string, unknown>;
  return { initial: state.initial, transition: state.transition, emission: state.emission, iterationsCompleted: state.iterationsCompleted };
}

function expectNonDecreasing(values: readonly number[]): void {
  for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]! - 1e-9 * Math.abs(values[i - 1]!));
}

describe('training an HMM', () => {
  it('trains 8 states on pitch for 5 iterations, streaming checkpoints with every point of the curve, and scores the valid split', async () => {
    const harness = start({ modelUpdateIntervalMs: 0 });
    const corpusId = await importCorpus(harness, 'Melodies', { train: 8, valid: 3, notes: 24 });
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { representation: 'pitch', states: 8, maxIterations: 5, tolerance: 1e-12 },
    });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('done');
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ name: 'HMM 8 states · pitch', corpusName: 'Melodies', status: 'trained', iterations: 5, jobId, error: null });
    expect(model.history.map((point) => point.iteration)).toEqual([1, 2, 3, 4, 5]);
    expectNonDecreasing(model.history.map((point) => point.logLikelihoodPerToken));
    expect(model.history[0]!.logLikelihoodPerToken).toBeLessThan(0);
    expect(Number.isFinite(model.validLogLikelihoodPerToken)).toBe(true);
    expect(model.validLogLikelihoodPerToken).toBeLessThan(0);
    // 8 pieces of 24 quarter notes at 4 steps a quarter.
    expect(model.trainTokens).toBe(8 * 24 * 4);
    expect(['native', 'typescript']).toContain(model.engine);
    expect(model.sizeBytes).toBe(Buffer.byteLength(JSON.stringify(harness.studio.models.state(modelId))));
    expect(model.trainingSeconds).toBeGreaterThan(0);
    expect(job.result).toEqual({
      kind: 'train-model',
      modelId,
      iterations: 5,
      stopReason: 'max-iterations',
      logLikelihoodPerToken: model.history[4]!.logLikelihoodPerToken,
    });
    // The live curve: the worker checkpoints after the first and the last iteration and at most once a
    // second between (a fast model must not flood main); each update carries the curve so far, whole.
    const live = modelEvents(harness, modelId).filter((summary) => summary?.status === 'training' && summary.iterations > 0);
    expect(live.map((summary) => summary!.iterations)[0]).toBe(1);
    expect(live.map((summary) => summary!.iterations).at(-1)).toBe(5);
    for (const summary of live) expect(summary!.history).toEqual(model.history.slice(0, summary!.iterations));
    expect(modelEvents(harness, modelId).at(-1)).toEqual(model);
    expect((await call(harness, 'models.list', undefined)).map((summary) => summary.id)).toEqual([modelId]);
  });

  it('stops a cancelled training at its last iteration, resumes it from there, and ends where one run would', async () => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Longer', { train: 16, valid: 2, notes: 64 });
    const settings = { representation: 'pitch' as const, states: 24, maxIterations: 10_000, tolerance: 1e-12, seed: 4 };
    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'hmm', settings });
    await until(() => modelEvents(harness, modelId).some((summary) => (summary?.iterations ?? 0) >= 1), 'the first checkpoint');
    const refused = await dispatchReply(harness.studio, 'models.resume', { modelId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/is training already/) } });
    await call(harness, 'jobs.cancel', { jobId });
    const cancelled = await harness.waitForJob(jobId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.result).toMatchObject({ kind: 'train-model', modelId, stopReason: 'stopped' });

    const stopped = await call(harness, 'models.get', { modelId });
    expect(stopped.status).toBe('stopped');
    // Announced at most every 100 ms, but the first checkpoint at once and the stop at the end.
    const announced = modelEvents(harness, modelId).map((summary) => summary!.iterations);
    expect(announced).toContain(1);
    expect([...announced].sort((a, b) => a - b)).toEqual(announced);
    expect(modelEvents(harness, modelId).at(-1)).toEqual(stopped);
    const k = stopped.iterations;
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(10_000);
    expect(stopped.history.map((point) => point.iteration)).toEqual(Array.from({ length: k }, (_, i) => i + 1));

    const { jobId: resumeJob } = await call(harness, 'models.resume', { modelId, maxIterations: k + 3 });
    expect((await harness.waitForJob(resumeJob)).status).toBe('done');
    const resumed = await call(harness, 'models.get', { modelId });
    expect(resumed).toMatchObject({ status: 'trained', iterations: k + 3, jobId: resumeJob });
    expect(resumed.settings.maxIterations).toBe(k + 3);
    expect(resumed.history.slice(0, k)).toEqual(stopped.history);
    expect(resumed.history.slice(k).map((point) => point.iteration)).toEqual([k + 1, k + 2, k + 3]);
    expectNonDecreasing(resumed.history.map((point) => point.logLikelihoodPerToken));

    // The same model trained straight through to k + 3 iterations has exactly the same parameters.
    const { modelId: straightId, jobId: straightJob } = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { ...settings, maxIterations: k + 3 },
    });
    expect((await harness.waitForJob(straightJob)).status).toBe('done');
    const straight = await call(harness, 'models.get', { modelId: straightId });
    expect(straight.engine).toBe(resumed.engine);
    expect(parameters(harness, straightId)).toEqual(parameters(harness, modelId));
    expect(straight.history).toEqual(resumed.history);
  });

  it('a training cancelled while still queued leaves its model stopped, ready to resume', async () => {
    const harness = start({ poolSize: 1 });
    const corpusId = await importCorpus(harness, 'Queue', { train: 8, valid: 0, notes: 32 });
    const long = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { representation: 'pitch', states: 16, maxIterations: 10_000, tolerance: 1e-12 },
    });
    const queued = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 2 } });
    expect(harness.studio.jobs.get(queued.jobId)!.status).toBe('queued');
    expect((await call(harness, 'models.get', { modelId: queued.modelId })).status).toBe('training');
    await call(harness, 'jobs.cancel', { jobId: queued.jobId });
    expect(await call(harness, 'models.get', { modelId: queued.modelId })).toMatchObject({ status: 'stopped', iterations: 0, jobId: queued.jobId });
    expect(modelEvents(harness, queued.modelId).at(-1)).toMatchObject({ status: 'stopped' });
    await call(harness, 'jobs.cancel', { jobId: long.jobId });
    await harness.waitForJob(long.jobId);
    expect((await call(harness, 'models.get', { modelId: long.modelId })).status).toBe('stopped');
  });

  it.each(['event', 'note'] as const)('trains the %s representation too', async (representation) => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Tunes', { train: 6, valid: 2, notes: 16 });
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { representation, states: 4, maxIterations: 3, tolerance: 1e-12, init: 'random' },
    });
    const job = await harness.waitForJob(jobId);
    expect(job.error).toBeNull();
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ status: 'trained', representation, name: `HMM 4 states · ${representation}` });
    expect(model.iterations).toBeGreaterThanOrEqual(2);
    expectNonDecreasing(model.history.map((point) => point.logLikelihoodPerToken));
    expect(Number.isFinite(model.validLogLikelihoodPerToken)).toBe(true);
    // The note model's E-step is TypeScript only.
    if (representation === 'note') {
      expect(model.engine).toBe('typescript');
      expect(model.trainTokens).toBe(6 * 16);
    }
  });

  it('a model left training by a closed studio is stopped when the studio starts again, and resumes', async () => {
    const first = start();
    const corpusId = await importCorpus(first, 'Again', { train: 4, valid: 1, notes: 16 });
    const { modelId, jobId } = await call(first, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { representation: 'pitch', states: 4, maxIterations: 3, tolerance: 1e-12 },
    });
    await first.waitForJob(jobId);
    // As if the studio had been killed mid-training: the row still says training.
    first.studio.db.prepare(`UPDATE models SET status = 'training', iterations = 2 WHERE id = ?`).run(modelId);
    await first.studio.close();
    const second = start({ dataDir: first.dir, databasePath: path.join(first.dir, 'studio.sqlite') });
    expect((await call(second, 'models.get', { modelId })).status).toBe('stopped');
    const { jobId: resumeJob } = await call(second, 'models.resume', { modelId, maxIterations: 5 });
    expect((await second.waitForJob(resumeJob)).status).toBe('done');
    expect(await call(second, 'models.get', { modelId })).toMatchObject({ status: 'trained', iterations: 5 });
    start.forget(first);
  });

  it.skipIf(!hasJsb)(`trains 16 states on the pitch of the JSB chorales' train split (${hasJsb ? 'JSB' : JSB_MISSING})`, async () => {
    const harness = start();
    const corpusId = await importFolder(harness, jsbMidiRoot, 'JSB');
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { representation: 'pitch', states: 16, maxIterations: 10, tolerance: 1e-12 },
    });
    const job = await harness.waitForJob(jobId, 120_000);
    expect(job.status).toBe('done');
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ status: 'trained', iterations: 10 });
    expectNonDecreasing(model.history.map((point) => point.logLikelihoodPerToken));
    expect(model.validLogLikelihoodPerToken).toBeLessThan(0);
    expect(model.validLogLikelihoodPerToken).toBeGreaterThan(-Math.log(130));
    console.log(
      `JSB pitch HMM, 16 states, 10 iterations (${model.engine}, ${model.trainTokens} tokens, ${model.trainingSeconds.toFixed(2)} s): ` +
        `train ${model.history[9]!.logLikelihoodPerToken.toFixed(4)}, valid ${model.validLogLikelihoodPerToken!.toFixed(4)} nats/token`,
    );
  });
});

describe('using a trained HMM', () => {
  async function trainedModel(harness: StudioHarness): Promise<{ corpusId: number; modelId: number }> {
    const corpusId = await importCorpus(harness, 'Source', { train: 6, valid: 2, notes: 24 });
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      name: 'Little HMM',
      settings: { representation: 'pitch', states: 8, maxIterations: 5 },
    });
    expect((await harness.waitForJob(jobId)).status).toBe('done');
    return { corpusId, modelId };
  }

  it('generates clips that are stored, listed, exported as MIDI and outlive their model', async () => {
    const saved: string[] = [];
    const harness: StudioHarness = start({
      chooseMidiSavePath: async (name) => {
        saved.push(name);
        return path.join(harness.dir, 'saved.mid');
      },
    });
    const { corpusId, modelId } = await trainedModel(harness);
    const { jobId } = await call(harness, 'models.generate', { modelId, count: 3, length: { unit: 'bars', value: 4 }, seed: 7 });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('done');
    if (job.result?.kind !== 'generate') throw new Error('expected a generate result');
    expect(job.result.modelId).toBe(modelId);
    expect(job.result.clipIds).toHaveLength(3);

    const clips = await call(harness, 'clips.list', undefined);
    expect(clips.map((clip) => clip.name).sort()).toEqual(['Little HMM · sample 1', 'Little HMM · sample 2', 'Little HMM · sample 3']);
    for (const summary of clips) {
      expect(summary).toMatchObject({ modelId, modelName: 'Little HMM', trackCount: 1 });
      expect(summary.noteCount).toBeGreaterThan(0);
      const clip = await call(harness, 'clips.get', { clipId: summary.id });
      expect(clip.tracks[0]).toMatchObject({ name: 'HMM', program: 0, channel: 0 });
      expect(clip.tracks[0]!.notes).toHaveLength(summary.noteCount);
      // Four bars of 4/4 at most.
      expect(clip.durationTicks).toBeLessThanOrEqual(4 * 4 * clip.ppq);
      // Generated at the corpus's usual tempo (the fixtures start at 90 + seed bpm).
      expect(clip.tempos[0]!.bpm).toBeGreaterThanOrEqual(90);
      const file = await call(harness, 'clips.midi', { clipId: summary.id });
      expect(file.fileName).toBe(`${summary.name}.mid`);
      const parsed = parseMidi(Buffer.from(file.base64, 'base64'), summary.name);
      expect(parsed.tracks[0]!.notes.map((note) => [note.ticks, note.pitch, note.durationTicks])).toEqual(
        clip.tracks[0]!.notes.map((note) => [note.ticks, note.pitch, note.durationTicks]),
      );
    }
    expect(harness.events.filter((entry) => entry.event === 'clips.changed')).toHaveLength(3);
    expect(await call(harness, 'clips.exportMidi', { clipId: clips[0]!.id })).toEqual({ savedTo: path.join(harness.dir, 'saved.mid') });
    expect(saved).toEqual([`${clips[0]!.name}.mid`]);
    expect(parseMidi(fs.readFileSync(path.join(harness.dir, 'saved.mid')), 'saved').tracks[0]!.notes).toHaveLength(clips[0]!.noteCount);

    // The same seed gives the same music.
    const again = await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'bars', value: 4 }, seed: 7 });
    const againJob = await harness.waitForJob(again.jobId);
    if (againJob.result?.kind !== 'generate') throw new Error('expected a generate result');
    const first = await call(harness, 'clips.get', { clipId: job.result.clipIds[0]! });
    const repeat = await call(harness, 'clips.get', { clipId: againJob.result.clipIds[0]! });
    expect(repeat.name).toBe('Little HMM · sample 4');
    expect(repeat.tracks[0]!.notes).toEqual(first.tracks[0]!.notes);

    await call(harness, 'clips.delete', { clipId: repeat.id });
    await call(harness, 'models.delete', { modelId });
    expect(modelEvents(harness, modelId).at(-1)).toBeNull();
    const orphans = await call(harness, 'clips.list', undefined);
    expect(orphans).toHaveLength(3);
    for (const clip of orphans) expect(clip).toMatchObject({ modelId: null, modelName: null });
    expect(await dispatchReply(harness.studio, 'models.get', { modelId })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    // Deleting the corpus deletes its models (none left here) but never clips.
    await call(harness, 'corpora.delete', { corpusId });
    expect(await call(harness, 'clips.list', undefined)).toHaveLength(3);
  });

  it('decodes the hidden-state path of a piece: one state per token, with its start tick', async () => {
    const harness = start();
    const { corpusId, modelId } = await trainedModel(harness);
    const [summary] = await call(harness, 'corpora.pieces', { corpusId });
    const piece = harness.studio.corpora.loadPiece(summary!.id);
    const path = await call(harness, 'models.viterbi', { modelId, pieceId: summary!.id });
    const tokens = encodePitch(piece, { resolution: 4 });
    expect(path.states).toHaveLength(tokens.length);
    expect(path.ticks).toHaveLength(tokens.length);
    expect(path.ticks.slice(0, 3)).toEqual([0, piece.ppq / 4, piece.ppq / 2]);
    for (const state of path.states) expect(state).toBeLessThan(8);
    expect(new Set(path.states).size).toBeGreaterThan(1);
    // The editor shows clips: an edited copy of the piece decodes to the same path.
    const copy = await call(harness, 'clips.create', { from: { pieceId: summary!.id } });
    expect(await call(harness, 'models.viterbi', { modelId, clipId: copy.id })).toEqual(path);
  });

  it('deleting a corpus deletes its models and says so', async () => {
    const harness = start();
    const { corpusId, modelId } = await trainedModel(harness);
    await call(harness, 'corpora.delete', { corpusId });
    expect(await call(harness, 'models.list', undefined)).toEqual([]);
    expect(modelEvents(harness, modelId).at(-1)).toBeNull();
  });
});

describe('bad requests', () => {
  it('refuses 0 states in the contract, before anything is stored', async () => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Any', { train: 2, valid: 0, notes: 8 });
    const reply = await dispatchReply(harness.studio, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 0 } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/settings\.states: An HMM needs at least one state\./) } });
    expect(await call(harness, 'models.list', undefined)).toEqual([]);
  });

  it('refuses a corpus without a train split with a clear error, before any job starts', async () => {
    const harness = start();
    const root = path.join(harness.dir, 'OnlyValid');
    for (let i = 0; i < 3; i++) writeMidiFile(path.join(root, 'valid', `v${i}.mid`), i, 8);
    const corpusId = await importFolder(harness, root, 'Only valid');
    const jobsBefore = (await call(harness, 'jobs.list', undefined)).length;
    const reply = await dispatchReply(harness.studio, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 4 } });
    expect(reply).toEqual({ ok: false, error: { code: 'invalid-input', message: 'The corpus “Only valid” has no pieces in its train split.' } });
    expect(await call(harness, 'jobs.list', undefined)).toHaveLength(jobsBefore);
    expect(await call(harness, 'models.list', undefined)).toEqual([]);
    expect(await dispatchReply(harness.studio, 'models.train', { corpusId: 999, family: 'hmm', settings: { representation: 'pitch', states: 4 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'There is no corpus 999.' },
    });
  });

  it('fails a model whose train split has no notes, and refuses to generate from a model with no parameters', async () => {
    const harness = start();
    const root = path.join(harness.dir, 'Drums');
    const midi = new Midi();
    const track = midi.addTrack();
    track.channel = 9;
    for (let i = 0; i < 8; i++) track.addNote({ midi: 36, ticks: i * 240, durationTicks: 120 });
    fs.mkdirSync(path.join(root, 'train'), { recursive: true });
    fs.writeFileSync(path.join(root, 'train', 'beat.mid'), midi.toArray());
    const corpusId = await importFolder(harness, root, 'Drums');
    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 4 } });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toBe('The corpus “Drums” has no notes to learn from in its train split: its 1 piece is empty or drums only.');
    expect(await call(harness, 'models.get', { modelId })).toMatchObject({ status: 'failed', error: job.error, iterations: 0 });
    expect(
      await dispatchReply(harness.studio, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 16 } }),
    ).toEqual({ ok: false, error: { code: 'invalid-input', message: '“HMM 4 states · pitch” has no trained parameters yet: train it for at least one iteration first.' } });
    expect(await dispatchReply(harness.studio, 'models.viterbi', { modelId, pieceId: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('fails a training whose worker fails (a damaged saved state), with the worker’s message', async () => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Damaged', { train: 3, valid: 0, notes: 8 });
    const { modelId, jobId } = await call(harness, 'models.train', {
      corpusId,
      family: 'hmm',
      settings: { representation: 'pitch', states: 2, maxIterations: 2 },
    });
    await harness.waitForJob(jobId);
    expect(await call(harness, 'models.get', { modelId })).toMatchObject({ status: 'trained', validLogLikelihoodPerToken: null });
    harness.studio.db.prepare(`UPDATE models SET state = '{"format":"something else"}' WHERE id = ?`).run(modelId);
    const { jobId: resumeJob } = await call(harness, 'models.resume', { modelId, maxIterations: 4 });
    const job = await harness.waitForJob(resumeJob);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/format something else/);
    const model = await call(harness, 'models.get', { modelId });
    expect(model).toMatchObject({ status: 'failed', error: job.error, iterations: 2 });
    expect(modelEvents(harness, modelId).at(-1)).toEqual(model);
  });
});
