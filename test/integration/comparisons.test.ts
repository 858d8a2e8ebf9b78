// Issue 8 through the studio: trained HMMs compared on a corpus's held-out split in a real worker job —
// likelihoods, samples stored as clips, MusPy and Yang & Lerch metrics, stored results that reopen
// without a job (also after a restart), A/B preferences, CSV and .mid exports, cancel and bad input.
import { HmmSettingsSchema } from '../../core/ipc/schemas';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../core/comparisons';
import type { Comparison } from '../../core/ipc/schemas';
import { MUSPY_METRIC_NAMES, YANG_LERCH_FEATURE_NAMES } from '../../core/metrics';
import { parseMidi } from '../../core/midi/parse-midi';
import { generatePiece, heldOutPerToken, loadSavedHmm, sequencesFor } from '../../core/models/hmm-studio';
import { writeMidiFile } from '../support/midi-fixtures';
import { hasJsb, JSB_MISSING, jsbMidiRoot, tempDir } from '../support/paths';
import { call, disposedAfterEach, importFolder, refusal, type StudioHarness, until } from '../support/studio-harness';

const start = disposedAfterEach();
const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** Generated melodies (24 quarter notes unless told, a chromatic run from a seed-given pitch) in split folders. */
async function importCorpus(harness: StudioHarness, name: string, counts: { train: number; valid: number; test: number }, notes = 24): Promise<number> {
  const root = path.join(harness.dir, name);
  for (let i = 0; i < counts.train; i++) writeMidiFile(path.join(root, 'train', `t${i}.mid`), i, notes);
  for (let i = 0; i < counts.valid; i++) writeMidiFile(path.join(root, 'valid', `v${i}.mid`), 50 + i, notes);
  for (let i = 0; i < counts.test; i++) writeMidiFile(path.join(root, 'test', `x${i}.mid`), 100 + i, notes);
  return importFolder(harness, root, name);
}

async function train(harness: StudioHarness, corpusId: number, states: number, maxIterations = 3): Promise<number> {
  const { modelId, jobId } = await call(harness, 'models.train', {
    corpusId,
    family: 'hmm',
    settings: { representation: 'pitch', states, maxIterations, tolerance: 1e-12, seed: states },
  });
  expect((await harness.waitForJob(jobId, 120_000)).status).toBe('done');
  return modelId;
}

/** RFC 4180 reading: quoted fields may hold commas, doubled quotes and line breaks; lines end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += char;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

const isFiniteNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

describe('comparing models', () => {
  it('scores two HMMs on the test split, samples them into clips, measures the samples, and reopens without a job', async () => {
    const exportRoot = tempDir('studio-compare-export-');
    folders.push(exportRoot);
    const harness = start({ chooseFolder: async () => exportRoot });
    const corpusId = await importCorpus(harness, 'Runs', { train: 8, valid: 2, test: 4 });
    const small = await train(harness, corpusId, 8);
    const large = await train(harness, corpusId, 16);
    const jobsBefore = harness.studio.jobs.list().length;
    // What the view would read at each announcement: status, and the results so far.
    const seen: { status: string; reference: boolean; models: number }[] = [];
    harness.studio.onEvent((event, payload) => {
      if (event !== 'comparison.updated') return;
      const { comparisonId: id } = payload as { comparisonId: number };
      const results = harness.studio.comparisons.results(id);
      seen.push({ status: harness.studio.comparisons.get(id).status, reference: results !== null, models: results?.models.length ?? 0 });
    });

    const { comparisonId, jobId } = await call(harness, 'comparisons.create', {
      corpusId,
      modelIds: [small, large],
      samplesPerModel: 3,
      length: { unit: 'bars', value: 4 },
      seed: 11,
    });
    const job = await harness.waitForJob(jobId, 120_000);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'done', kind: 'compare', result: { kind: 'compare', comparisonId }, progress: 1 });
    expect(harness.studio.jobs.list().length).toBe(jobsBefore + 1);

    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    const models = await Promise.all([small, large].map((modelId) => call(harness, 'models.get', { modelId })));
    expect(comparison).toMatchObject({
      id: comparisonId,
      name: `${models[0]!.name} vs ${models[1]!.name} on Runs`,
      corpusId,
      corpusName: 'Runs',
      modelIds: [small, large],
      status: 'done',
      jobId,
      samplesPerModel: 3,
      referenceSplit: 'test',
      error: null,
      preferences: [
        { modelId: small, wins: 0, losses: 0, ties: 0 },
        { modelId: large, wins: 0, losses: 0, ties: 0 },
      ],
    });
    const results = comparison.results!;

    // The reference: the 4 test pieces, each a chromatic run of 24 notes from 64..67 (seeds 100..103).
    const testPieces = harness.studio.corpora.pieces(corpusId).filter((piece) => piece.split === 'test');
    expect(results.reference.split).toBe('test');
    expect(results.reference.pieces).toBe(4);
    expect(results.reference.pieceIds).toEqual(testPieces.map((piece) => piece.id));
    expect(results.reference.statistics).toMatchObject({ pieces: 4, notes: 96 });
    expect(results.reference.musPy.pieces).toBe(4);
    expect(results.reference.musPy.metrics.pitchRange).toMatchObject({ n: 4, mean: 11, sd: 0 });
    expect(results.reference.musPy.metrics.nPitchClassesUsed).toMatchObject({ n: 4, mean: 12, sd: 0 });
    expect(results.reference.musPy.metrics.polyphony.mean).toBeCloseTo(1, 12);

    const reference = harness.studio.corpora.loadPieces(corpusId, 'test');
    expect(results.models.map((row) => row.modelId)).toEqual([small, large]);
    for (const [index, row] of results.models.entries()) {
      const model = models[index]!;
      expect(row).toMatchObject({
        modelName: model.name,
        family: 'hmm',
        representation: 'pitch',
        nllIsBound: false,
        discrete: true,
        trainingSeconds: model.trainingSeconds,
        sizeBytes: model.sizeBytes,
        history: model.history,
      });
      // The held-out NLL is the model's own likelihood of the test split, computed here independently.
      const settings = HmmSettingsSchema.parse(model.settings);
      const loaded = loadSavedHmm(harness.studio.models.state(model.id), settings);
      const expectedNll = -heldOutPerToken(loaded, sequencesFor(reference, settings));
      expect(row.nllPerToken).toBeGreaterThan(0);
      expect(row.nllPerToken!).toBeCloseTo(expectedNll, 9);
      expect(row.perplexity!).toBeCloseTo(Math.exp(row.nllPerToken!), 9);
      expect(row.perplexity!).toBeLessThan(130);

      // Three samples, stored as clips, with seeds seed + k and the length policy of models.generate.
      expect(row.clipIds).toHaveLength(3);
      for (const [k, clipId] of row.clipIds.entries()) {
        const clip = await call(harness, 'clips.get', { clipId });
        expect(clip.name).toBe(`${model.name} · comparison ${comparisonId} · sample ${k + 1}`);
        expect(clip.modelId).toBe(model.id);
        const expected = generatePiece(loaded, settings, { length: { unit: 'bars', value: 4 }, seed: 11 + k }, { name: 'x', tempo: 120 });
        expect(clip.tracks.map((track) => track.notes.map((note) => [note.ticks, note.durationTicks, note.pitch]))).toEqual(
          expected.tracks.map((track) => track.notes.map((note) => [note.ticks, note.durationTicks, note.pitch])),
        );
        expect(clip.durationTicks).toBeLessThanOrEqual(4 * 4 * clip.ppq);
        const midi = await call(harness, 'clips.midi', { clipId });
        const parsed = parseMidi(Buffer.from(midi.base64, 'base64'), clip.name);
        expect(parsed.tracks.flatMap((track) => track.notes).length).toBe(clip.tracks.flatMap((track) => track.notes).length);
      }

      expect(row.musPy.pieces).toBe(3);
      expect(Object.keys(row.musPy.metrics).sort()).toEqual([...MUSPY_METRIC_NAMES].sort());
      for (const name of ['pitchRange', 'nPitchesUsed', 'nPitchClassesUsed', 'pitchEntropy', 'scaleConsistency', 'emptyBeatRate'] as const) {
        expect(isFiniteNumber(row.musPy.metrics[name].mean), name).toBe(true);
      }
      expect(row.relative.referencePieces).toBe(4);
      expect(row.relative.generatedPieces).toBe(3);
      expect(row.relative.features.map((feature) => feature.feature)).toEqual([...YANG_LERCH_FEATURE_NAMES]);
      for (const feature of row.relative.features) {
        expect(feature.reference, feature.feature).not.toBeNull();
        expect(feature.reference!.overlapArea).toBeGreaterThanOrEqual(0);
        expect(feature.reference!.overlapArea).toBeLessThanOrEqual(1);
        expect(feature.reference!.klDivergence).toBeGreaterThanOrEqual(0);
      }
      expect(row.statistics.pieces).toBe(3);
      const sampleNotes = row.clipIds.map((clipId) => harness.studio.clips.get(clipId).tracks.reduce((n, track) => n + track.notes.length, 0));
      expect(row.statistics.notes).toBe(sampleNotes.reduce((a, b) => a + b, 0));
    }
    // Two different models, two different scores (a mix-up of their rows would show here).
    expect(results.models[0]!.nllPerToken).not.toBe(results.models[1]!.nllPerToken);

    // Announced as it ran, and the samples as clips.
    const clipEvents = harness.events.filter((entry) => entry.event === 'clips.changed');
    for (const clipId of results.models.flatMap((row) => row.clipIds)) expect(clipEvents.some((entry) => (entry.payload as { clipId: number }).clipId === clipId)).toBe(true);

    // While it ran, the results filled in: the reference first, then one model after the other.
    expect(seen[0]).toEqual({ status: 'running', reference: false, models: 0 });
    expect(seen).toContainEqual({ status: 'running', reference: true, models: 0 });
    expect(seen).toContainEqual({ status: 'running', reference: true, models: 1 });
    expect(seen.at(-1)).toEqual({ status: 'done', reference: true, models: 2 });

    // Reopening reads the stored results: no job, same answer.
    expect(await call(harness, 'comparisons.get', { comparisonId })).toEqual(comparison);
    expect(harness.studio.jobs.list().length).toBe(jobsBefore + 1);
    expect(await call(harness, 'comparisons.list', undefined)).toEqual([
      {
        id: comparisonId,
        name: comparison.name,
        corpusId,
        corpusName: 'Runs',
        modelIds: [small, large],
        status: 'done',
        jobId,
        samplesPerModel: 3,
        referenceSplit: 'test',
        error: null,
        createdAt: comparison.createdAt,
      },
    ]);

    // A/B preferences: tallies per model; the same model on both sides is allowed.
    const [a1, a2] = results.models[0]!.clipIds;
    const [b1] = results.models[1]!.clipIds;
    let tallied = await call(harness, 'comparisons.recordPreference', { comparisonId, clipA: a1!, clipB: b1!, preferred: 'a', blind: true });
    expect(tallied.preferences).toEqual([
      { modelId: small, wins: 1, losses: 0, ties: 0 },
      { modelId: large, wins: 0, losses: 1, ties: 0 },
    ]);
    await call(harness, 'comparisons.recordPreference', { comparisonId, clipA: a2!, clipB: b1!, preferred: 'b', blind: false });
    tallied = await call(harness, 'comparisons.recordPreference', { comparisonId, clipA: b1!, clipB: a1!, preferred: 'same', blind: true });
    expect(tallied.preferences).toEqual([
      { modelId: small, wins: 1, losses: 1, ties: 1 },
      { modelId: large, wins: 1, losses: 1, ties: 1 },
    ]);
    tallied = await call(harness, 'comparisons.recordPreference', { comparisonId, clipA: a1!, clipB: a2!, preferred: 'a', blind: true });
    expect(tallied.preferences[0]).toEqual({ modelId: small, wins: 2, losses: 2, ties: 1 });
    expect(tallied.results).toEqual(results);
    expect(await refusal(harness, 'comparisons.recordPreference', { comparisonId, clipA: a1, clipB: a1, preferred: 'a', blind: true })).toMatch(/two different samples/);
    const stranger = harness.studio.clips.insert({ name: 'Not a sample', modelId: null, music: reference[0]! });
    expect(await refusal(harness, 'comparisons.recordPreference', { comparisonId, clipA: a1, clipB: stranger, preferred: 'b', blind: true })).toBe(
      `Clip ${stranger} is not a sample of comparison ${comparisonId}.`,
    );
    expect(await refusal(harness, 'comparisons.recordPreference', { comparisonId, clipA: a1, clipB: b1, preferred: 'maybe', blind: true })).toMatch(/preferred/);

    // CSV: one row per model and metric, the reference's rows first; it reads back to the same numbers.
    const csv = await call(harness, 'comparisons.csv', { comparisonId });
    expect(csv.fileName).toBe(`${comparison.name}.csv`);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([...CSV_HEADER]);
    const referenceRows = 1 + 2 * MUSPY_METRIC_NAMES.length;
    const rowsPerModel = 6 + 2 * MUSPY_METRIC_NAMES.length + 2 * YANG_LERCH_FEATURE_NAMES.length;
    expect(rows.length).toBe(1 + referenceRows + 2 * rowsPerModel);
    for (const row of rows) expect(row).toHaveLength(5);
    expect(rows[1]).toEqual(['Reference (test split)', 'corpus', '', 'pieces', '4']);
    const value = (model: string, metric: string): string => rows.find((row) => row[0] === model && row[3] === metric)![4]!;
    expect(Number(value(models[1]!.name, 'nllPerToken'))).toBe(results.models[1]!.nllPerToken);
    expect(Number(value(models[0]!.name, 'perplexity'))).toBe(results.models[0]!.perplexity);
    expect(Number(value('Reference (test split)', 'musPy.pitchRange.mean'))).toBe(11);
    const pitchClassOa = results.models[0]!.relative.features.find((feature) => feature.feature === 'pitchClassHistogram')!.reference!.overlapArea;
    expect(Number(value(models[0]!.name, 'yangLerch.pitchClassHistogram.overlapArea'))).toBe(pitchClassOa);

    // The samples as .mid files, a folder per model; and written into a chosen folder.
    const files = await call(harness, 'comparisons.midiFiles', { comparisonId });
    expect(files.map((file) => file.relativePath)).toEqual([
      `${models[0]!.name}/sample-01.mid`,
      `${models[0]!.name}/sample-02.mid`,
      `${models[0]!.name}/sample-03.mid`,
      `${models[1]!.name}/sample-01.mid`,
      `${models[1]!.name}/sample-02.mid`,
      `${models[1]!.name}/sample-03.mid`,
    ]);
    for (const file of files) expect(parseMidi(Buffer.from(file.base64, 'base64'), file.relativePath).tracks.length).toBeGreaterThan(0);
    expect(await call(harness, 'comparisons.exportMidiFolder', { comparisonId })).toEqual({ savedTo: exportRoot });
    for (const file of files) expect(fs.readFileSync(path.join(exportRoot, ...file.relativePath.split('/')))).toEqual(Buffer.from(file.base64, 'base64'));

    // After a restart on the same database, the comparison is still there, whole, and runs nothing.
    await harness.studio.close();
    start.forget(harness);
    const again = start({ dataDir: harness.dir, databasePath: path.join(harness.dir, 'studio.sqlite') });
    const reopened = await call(again, 'comparisons.get', { comparisonId });
    expect(reopened).toEqual(tallied);
    expect(again.studio.jobs.list().filter((entry) => entry.status === 'queued' || entry.status === 'running')).toEqual([]);

    // Deleting it keeps its samples (the composer's clips) and drops its preferences.
    await call(again, 'comparisons.delete', { comparisonId });
    expect(await refusal(again, 'comparisons.get', { comparisonId })).toBe(`There is no comparison ${comparisonId}.`);
    expect(await call(again, 'comparisons.list', undefined)).toEqual([]);
    expect((await call(again, 'clips.get', { clipId: a1! })).id).toBe(a1);
    expect(again.studio.db.prepare(`SELECT COUNT(*) AS n FROM comparison_preferences`).get()).toEqual({ n: 0 });
  }, 180_000);

  it('cancels a comparison mid-run: cancelled, no results, the samples made so far kept as clips', async () => {
    const harness = start();
    // A large reference split: measuring each model's samples against it takes a while.
    const corpusId = await importCorpus(harness, 'Cancel', { train: 6, valid: 1, test: 60 }, 64);
    const modelIds = [await train(harness, corpusId, 4, 2), await train(harness, corpusId, 6, 2), await train(harness, corpusId, 8, 2)];
    const clipsBefore = harness.studio.clips.list().length;
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', { corpusId, modelIds, samplesPerModel: 4, length: { unit: 'bars', value: 16 } });
    await until(() => harness.studio.clips.list().length > clipsBefore, 'the first sample');
    await call(harness, 'jobs.cancel', { jobId });
    expect((await harness.waitForJob(jobId)).status).toBe('cancelled');
    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    expect(comparison).toMatchObject({ status: 'cancelled', results: null, error: null, jobId });
    const made = harness.studio.clips.list().length - clipsBefore;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThan(12);
    expect(await refusal(harness, 'comparisons.midiFiles', { comparisonId })).toMatch(/has no samples to export yet: it was cancelled/);
    expect(await refusal(harness, 'comparisons.csv', { comparisonId })).toMatch(/was cancelled/);
    expect(await refusal(harness, 'comparisons.exportMidiFolder', { comparisonId })).toMatch(/only in the desktop app/);
    const updates = harness.events.filter((entry) => entry.event === 'comparison.updated');
    expect(updates.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('refuses what cannot be compared, with errors that say why, before any job starts', async () => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Here', { train: 4, valid: 1, test: 2 });
    const otherId = await importCorpus(harness, 'Elsewhere', { train: 4, valid: 1, test: 0 });
    const modelId = await train(harness, corpusId, 4, 2);
    const foreignId = await train(harness, otherId, 4, 2);
    const settings = { representation: 'pitch' as const, states: 4, maxIterations: 5, tolerance: 1e-4, init: 'kmeans' as const, seed: 1, resolution: 4 };
    const untrained = harness.studio.models.create({ name: 'Never trained', corpusId, settings });
    harness.studio.models.setStatus(untrained, 'stopped');
    const training = harness.studio.models.create({ name: 'Busy', corpusId, settings });
    const jobsBefore = harness.studio.jobs.list().length;

    const create = (input: Record<string, unknown>): Promise<string> => refusal(harness, 'comparisons.create', input);
    expect(await create({ corpusId, modelIds: [] })).toMatch(/Choose at least one model/);
    expect(await create({ corpusId: 999, modelIds: [modelId] })).toBe('There is no corpus 999.');
    expect(await create({ corpusId, modelIds: [modelId, 999] })).toBe('There is no model 999.');
    expect(await create({ corpusId, modelIds: [modelId, modelId] })).toMatch(/chosen twice/);
    expect(await create({ corpusId, modelIds: [modelId, foreignId] })).toBe(
      `“HMM 4 states · pitch” was trained on “Elsewhere”, not on “Here”: compare models of one corpus.`,
    );
    expect(await create({ corpusId, modelIds: [untrained] })).toBe('“Never trained” has no trained parameters: train it for at least one iteration first.');
    expect(await create({ corpusId, modelIds: [training] })).toMatch(/“Busy” is still training/);
    expect(await create({ corpusId: otherId, modelIds: [foreignId] })).toBe('The corpus “Elsewhere” has no pieces in its test split.');
    expect(await create({ corpusId, modelIds: [modelId], samplesPerModel: 0 })).toMatch(/samplesPerModel/);
    expect(harness.studio.jobs.list().length).toBe(jobsBefore);
    expect(await call(harness, 'comparisons.list', undefined)).toEqual([]);

    // The valid split works as a reference where the test split is empty.
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', {
      corpusId: otherId,
      modelIds: [foreignId],
      samplesPerModel: 2,
      length: { unit: 'steps', value: 32 },
      referenceSplit: 'valid',
    });
    expect((await harness.waitForJob(jobId)).status).toBe('done');
    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    expect(comparison.results!.reference).toMatchObject({ split: 'valid', pieces: 1 });
    // One reference piece gives no intra-reference distances: the paper's measure is undefined, not invented.
    expect(comparison.results!.models[0]!.relative.features.every((feature) => feature.reference === null)).toBe(true);
    expect(await refusal(harness, 'comparisons.get', { comparisonId: 12345 })).toBe('There is no comparison 12345.');
  }, 120_000);

  it('fails a comparison whose worker fails (a damaged saved state), with the worker’s message and no results', async () => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Damaged', { train: 4, valid: 1, test: 2 });
    const modelId = await train(harness, corpusId, 4, 2);
    harness.studio.db.prepare(`UPDATE models SET state = '{"broken":true}' WHERE id = ?`).run(modelId);
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', { corpusId, modelIds: [modelId], samplesPerModel: 1 });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('failed');
    expect(job.error).toBeTruthy();
    expect(await call(harness, 'comparisons.get', { comparisonId })).toMatchObject({ status: 'failed', error: job.error, results: null });
    expect(await refusal(harness, 'comparisons.recordPreference', { comparisonId, clipA: 1, clipB: 2, preferred: 'a', blind: true })).toMatch(/it failed/);
  }, 120_000);

  it('a comparison left running by a closed studio is failed when the studio starts again', async () => {
    const first = start();
    const corpusId = await importCorpus(first, 'Again', { train: 4, valid: 1, test: 2 });
    const modelId = await train(first, corpusId, 4, 2);
    const { comparisonId, jobId } = await call(first, 'comparisons.create', { corpusId, modelIds: [modelId], samplesPerModel: 2, length: { unit: 'bars', value: 2 } });
    expect((await first.waitForJob(jobId)).status).toBe('done');
    // As if the studio had been killed mid-comparison: the row still says running, with partial results.
    first.studio.db.prepare(`UPDATE comparisons SET status = 'running' WHERE id = ?`).run(comparisonId);
    await first.studio.close();
    start.forget(first);
    const second = start({ dataDir: first.dir, databasePath: path.join(first.dir, 'studio.sqlite') });
    const comparison: Comparison = await call(second, 'comparisons.get', { comparisonId });
    expect(comparison).toMatchObject({ status: 'failed', results: null, error: 'The studio closed before this comparison finished.' });
  }, 120_000);

  it('deleting a corpus cancels its running comparison and deletes it', async () => {
    const harness = start();
    const corpusId = await importCorpus(harness, 'Doomed', { train: 4, valid: 1, test: 2 });
    const modelId = await train(harness, corpusId, 4, 2);
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', {
      corpusId,
      modelIds: [modelId],
      samplesPerModel: 64,
      length: { unit: 'bars', value: 4000 },
    });
    await until(() => harness.studio.jobs.get(jobId)?.status === 'running', 'the comparison to start');
    await call(harness, 'corpora.delete', { corpusId });
    expect((await harness.waitForJob(jobId)).status).toBe('cancelled');
    expect(await call(harness, 'comparisons.list', undefined)).toEqual([]);
    expect(harness.events.some((entry) => entry.event === 'comparison.updated' && (entry.payload as { comparisonId: number }).comparisonId === comparisonId)).toBe(true);
  }, 120_000);

  it.skipIf(!hasJsb)(`compares two pitch HMMs on the JSB chorales' test split (${hasJsb ? 'JSB' : JSB_MISSING})`, async () => {
    const harness = start();
    const corpusId = await importFolder(harness, jsbMidiRoot, 'JSB');
    const small = await train(harness, corpusId, 8, 5);
    const large = await train(harness, corpusId, 16, 5);
    const started = Date.now();
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', { corpusId, modelIds: [small, large], samplesPerModel: 2 });
    const job = await harness.waitForJob(jobId, 240_000);
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    const seconds = (Date.now() - started) / 1000;
    const { results } = await call(harness, 'comparisons.get', { comparisonId });
    expect(results!.reference.pieces).toBe(77);
    for (const row of results!.models) {
      expect(row.nllPerToken).toBeGreaterThan(0);
      expect(row.nllPerToken).toBeLessThan(Math.log(130));
      expect(row.perplexity!).toBeCloseTo(Math.exp(row.nllPerToken!), 9);
      expect(row.clipIds).toHaveLength(2);
      for (const feature of row.relative.features) expect(feature.reference!.overlapArea).toBeLessThanOrEqual(1);
    }
    console.log(
      `JSB comparison (test split, 77 pieces, 2 samples of 8 bars each, ${seconds.toFixed(1)} s): ` +
        results!.models.map((row) => `${row.modelName}: NLL ${row.nllPerToken!.toFixed(4)} nats/token, perplexity ${row.perplexity!.toFixed(2)}`).join('; '),
    );
  }, 300_000);
});
