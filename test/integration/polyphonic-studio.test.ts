// Issue 9 through the studio: a polyphonic model (RNN-NADE) trained in a real worker on a corpus of
// chorale-like chords in a real database, its curve and held-out frame NLL stored; cancelled and
// resumed to the same curve as one run; continuing, harmonizing a melody and infilling a region of
// clips, each result a clip; bad requests refused with a clear message; and compared with an HMM on
// the held-out frame NLL and the metrics of its samples.
import { describe, expect, it } from 'vitest';
import type { ModelSummary, PolyphonicSettings } from '../../core/ipc/schemas';
import type { Note } from '../../core/music/types';
import { readPolyphonicCheckpoint } from '../../core/models/polyphonic/studio';
import { writeTrackFile } from '../support/midi-fixtures';
import { call, disposedAfterEach, generated, importWrittenCorpus, modelEvents, refusal, type StudioHarness, until } from '../support/studio-harness';

const start = disposedAfterEach();

/** Bass, alto, soprano: I IV V I in C, every chord a half note (1 s at 120 bpm = 960 ticks at 480 ppq). */
const CHORDS = [
  [48, 64, 72],
  [53, 65, 72],
  [55, 62, 71],
  [48, 64, 72],
] as const;
const LOW = 48;
const HIGH = 72;
const HALF = 960;

/** `repeats` times the four chords, one a second. */
function choraleNotes(repeats: number, velocity: number): { midi: number; time: number; duration: number; velocity: number }[] {
  return Array.from({ length: repeats * CHORDS.length }, (_, k) => CHORDS[k % CHORDS.length]!.map((pitch) => ({ midi: pitch, time: k, duration: 1, velocity }))).flat();
}

async function importChorales(harness: StudioHarness, name: string): Promise<number> {
  return importWrittenCorpus(harness, name, [['train', 6], ['valid', 2], ['test', 2]], (file, _index, velocity) => writeTrackFile(file, 'Choir', choraleNotes(3, velocity)));
}

const TINY: Partial<PolyphonicSettings> = {
  kind: 'rnn-nade',
  units: [24],
  nadeHidden: 16,
  batchSize: 3,
  learningRate: 0.02,
  patience: 0,
  dropout: 0,
  inputDropout: 0,
  transpose: 0,
  seed: 3,
};

async function trainTiny(harness: StudioHarness, corpusId: number, epochs: number): Promise<ModelSummary> {
  const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'polyphonic', settings: { ...TINY, maxIterations: epochs } });
  const job = await harness.waitForJob(jobId, 240_000);
  expect(job.error).toBeNull();
  expect(job.status).toBe('done');
  return call(harness, 'models.get', { modelId });
}

const key = (note: Note): string => `${note.ticks}/${note.durationTicks}/${note.pitch}/${note.velocity}`;

describe('a polyphonic model in the studio', () => {
  it('trains (curve, held-out frame NLL), continues, harmonizes and infills clips, and refuses bad requests', async () => {
    const harness = start({ modelUpdateIntervalMs: 0 });
    const corpusId = await importChorales(harness, 'Chorales');
    const model = await trainTiny(harness, corpusId, 20);
    const modelId = model.id;
    expect(model).toMatchObject({ family: 'polyphonic', representation: 'pianoroll', status: 'trained', iterations: 20, name: 'RNN-NADE 24 · 16ths' });
    // 6 pieces of 12 half notes at 8 sixteenths each.
    expect(model.trainTokens).toBe(6 * 12 * 8);
    expect(['native', 'wasm', 'cpu']).toContain(model.engine);
    expect(model.engineReason).toMatch(/NADE loss/);
    expect(model.trainingSeconds).toBeGreaterThan(0);
    expect(model.sizeBytes).toBeGreaterThan(1000);
    expect(model.history.map((point) => point.iteration)).toEqual(Array.from({ length: 20 }, (_, k) => k + 1));
    for (const point of model.history) {
      expect(point.logLikelihoodPerToken).toBe(-point.trainLoss!);
      expect(point.validLogLikelihoodPerToken).toBe(-point.validLoss!);
      expect(point.learningRate).toBeGreaterThan(0);
    }
    const validLl = model.history.map((point) => point.validLogLikelihoodPerToken!);
    // It learns the four chords: the held-out frame NLL falls well below its start; the summary holds the best epoch's.
    expect(validLl.at(-1)!).toBeGreaterThan(validLl[0]! + 1);
    expect(model.validLogLikelihoodPerToken).toBe(Math.max(...validLl));
    // The checkpoint holds the range chosen from the train split (transpose 0: exactly its notes).
    const checkpoint = readPolyphonicCheckpoint(harness.studio.models.state(modelId));
    expect(checkpoint.config).toMatchObject({ range: { low: LOW, high: HIGH }, resolution: 4, units: [24] });
    const live = modelEvents(harness, modelId).filter((summary) => summary?.status === 'training' && summary.iterations > 0);
    expect(live[0]!.iterations).toBe(1);

    // Continue from nothing: one bar (16 steps), two results, one track each; the same seed, the same music.
    const continued = await generated(harness, (await call(harness, 'models.generate', { modelId, count: 2, length: { unit: 'bars', value: 1 }, temperature: 1, seed: 4 })).jobId);
    expect(continued).toHaveLength(2);
    const sample = await call(harness, 'clips.get', { clipId: continued[0]! });
    expect(sample).toMatchObject({ modelId, name: `${model.name} · sample 1` });
    expect(sample.tracks).toHaveLength(1);
    expect(sample.tracks[0]!.name).toBe('RNN-NADE');
    expect(sample.tracks[0]!.notes.length).toBeGreaterThan(0);
    for (const note of sample.tracks[0]!.notes) {
      expect(note.pitch).toBeGreaterThanOrEqual(LOW);
      expect(note.pitch).toBeLessThanOrEqual(HIGH);
      expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(4 * 480);
    }
    const again = await generated(harness, (await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'bars', value: 1 }, temperature: 1, seed: 4 })).jobId);
    expect((await call(harness, 'clips.get', { clipId: again[0]! })).tracks[0]!.notes).toEqual(sample.tracks[0]!.notes);

    // Continue a primer clip: the primer as it was, the continuation on its own track after it.
    const [piece] = (await call(harness, 'corpora.pieces', { corpusId })).filter((summary) => summary.split === 'valid');
    const primer = await call(harness, 'clips.create', { from: { pieceId: piece!.id }, name: 'Chorale' });
    const primerClip = await call(harness, 'clips.get', { clipId: primer.id });
    const [withPrimerId] = await generated(harness, (await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 16 }, temperature: 0.5, seed: 1, primerClipId: primer.id })).jobId);
    const withPrimer = await call(harness, 'clips.get', { clipId: withPrimerId! });
    expect(withPrimer.name).toBe(`Chorale – continued 1 (${model.name})`);
    expect(withPrimer.tracks[0]!.notes.map(key)).toEqual(primerClip.tracks[0]!.notes.map(key));
    expect(withPrimer.tracks[1]!.name).toBe('Continuation (RNN-NADE)');
    const primerEnd = 12 * HALF;
    for (const note of withPrimer.tracks[1]!.notes) {
      expect(note.ticks).toBeGreaterThanOrEqual(primerEnd);
      expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(primerEnd + 16 * 120);
    }

    // Harmonize: a clip holding the soprano only; the melody comes back unchanged, the voices below it.
    const soprano = primerClip.tracks[0]!.notes.filter((note) => note.pitch >= 71);
    const melodyClip = await call(harness, 'clips.update', { clipId: primer.id, name: 'Melody', music: { ...primerClip, tracks: [{ ...primerClip.tracks[0]!, notes: soprano }] } });
    const melody = await call(harness, 'clips.get', { clipId: melodyClip.id });
    const harmonizedIds = await generated(
      harness,
      (await call(harness, 'models.harmonize', { modelId, clipId: melody.id, track: 0, notes: melody.tracks[0]!.notes.map((_, k) => k), count: 2, temperature: 0.7, seed: 2 })).jobId,
    );
    expect(harmonizedIds).toHaveLength(2);
    for (const [k, clipId] of harmonizedIds.entries()) {
      const result = await call(harness, 'clips.get', { clipId });
      expect(result.name).toBe(`Melody – harmonized ${k + 1} (${model.name})`);
      expect(result.tracks.map((track) => track.name)).toEqual(['Choir', 'Harmony (RNN-NADE)']);
      expect(result.tracks[0]!.notes.map(key)).toEqual(melody.tracks[0]!.notes.map(key));
      const voices = result.tracks[1]!.notes;
      expect(voices.length).toBeGreaterThan(0);
      for (const note of voices) {
        const above = melody.tracks[0]!.notes.find((m) => m.ticks <= note.ticks && note.ticks < m.ticks + m.durationTicks)!;
        expect(note.pitch, `voice at tick ${note.ticks}`).toBeLessThan(above.pitch);
        expect(note.pitch).toBeGreaterThanOrEqual(LOW);
      }
    }

    // Infill the second and third chords of a chorale: the notes outside the region are as they were.
    const chorale = await call(harness, 'clips.get', { clipId: (await call(harness, 'clips.create', { from: { pieceId: piece!.id }, name: 'Source' })).id });
    const region = { startTick: HALF, endTick: 3 * HALF };
    const [infilledId] = await generated(harness, (await call(harness, 'models.infill', { modelId, clipId: chorale.id, region, count: 1, temperature: 1, seed: 5, lookahead: 8 })).jobId);
    const infilled = await call(harness, 'clips.get', { clipId: infilledId! });
    expect(infilled.name).toBe(`Source – infilled 1 (${model.name})`);
    expect(infilled.tracks).toHaveLength(1);
    const outside = (note: Note): boolean => note.ticks + note.durationTicks <= region.startTick || note.ticks >= region.endTick;
    expect(infilled.tracks[0]!.notes.filter(outside).map(key).sort()).toEqual(chorale.tracks[0]!.notes.filter(outside).map(key).sort());
    const inside = infilled.tracks[0]!.notes.filter((note) => !outside(note));
    expect(inside.length).toBeGreaterThan(0);
    for (const note of inside) {
      expect(note.ticks).toBeGreaterThanOrEqual(region.startTick);
      expect(note.ticks + note.durationTicks).toBeLessThanOrEqual(region.endTick);
    }
    // Every result announced itself as a clip.
    const announced = harness.events.filter((entry) => entry.event === 'clips.changed').map((entry) => (entry.payload as { clipId: number | null }).clipId);
    for (const clipId of [...continued, ...harmonizedIds, infilledId!]) expect(announced).toContain(clipId);

    // Bad requests, refused before any job.
    const jobsBefore = (await call(harness, 'jobs.list', undefined)).length;
    const hmm = await call(harness, 'models.train', { corpusId, family: 'hmm', settings: { representation: 'pitch', states: 2, maxIterations: 2 } });
    expect((await harness.waitForJob(hmm.jobId)).status).toBe('done');
    const harmonizeWith = (changes: Record<string, unknown>) => ({ modelId, clipId: melody.id, track: 0, notes: [0, 1], ...changes });
    expect(await refusal(harness, 'models.harmonize', harmonizeWith({ modelId: hmm.modelId }))).toMatch(/is an HMM: only a polyphonic model can harmonize a melody/);
    expect(await refusal(harness, 'models.infill', { modelId: hmm.modelId, clipId: chorale.id, region })).toMatch(/is an HMM: only a polyphonic model can infill a region/);
    expect(await refusal(harness, 'models.harmonize', harmonizeWith({ notes: [] }))).toMatch(/Select the melody notes to harmonize/);
    expect(await refusal(harness, 'models.harmonize', harmonizeWith({ notes: [0, 99] }))).toBe(`Track 0 (“Choir”) of “Melody” has ${soprano.length} notes: there is no note 99.`);
    expect(await refusal(harness, 'models.harmonize', harmonizeWith({ track: 3 }))).toBe('“Melody” has 1 track: there is no track 3.');
    expect(await refusal(harness, 'models.harmonize', harmonizeWith({ clipId: 999 }))).toBe('There is no clip 999.');
    expect(await refusal(harness, 'models.infill', { modelId, clipId: chorale.id, region: { startTick: 20 * HALF, endTick: 21 * HALF } })).toMatch(/is not inside “Source”, which ends at tick 11520/);
    expect(await refusal(harness, 'models.infill', { modelId, clipId: chorale.id, region: { startTick: 100, endTick: 101 } })).toMatch(/shorter than one step of the model's grid/);
    expect(await refusal(harness, 'models.infill', { modelId, clipId: chorale.id, region: { startTick: HALF, endTick: HALF } })).toMatch(/The region must end after it starts/);
    expect(await refusal(harness, 'models.infill', { modelId, clipId: chorale.id, region: { ...region, lowPitch: 30, highPitch: 60 } })).toMatch(/beyond the model's trained range 48\.\.72/);
    // A melody higher than anything the model was trained on.
    const high = await call(harness, 'clips.update', { clipId: melody.id, music: { ...melody, tracks: [{ ...melody.tracks[0]!, notes: melody.tracks[0]!.notes.map((note) => ({ ...note, pitch: note.pitch + 12 })) }] } });
    expect(await refusal(harness, 'models.harmonize', harmonizeWith({ clipId: high.id }))).toBe(
      "The melody has notes from pitch 84 to 84, wider than the model's trained range 48..72: transpose it or use a model trained on a wider range.",
    );
    expect(await refusal(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 8 }, primerClipId: high.id })).toMatch(/wider than the model's trained range/);
    expect(await refusal(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 8 }, topK: 5 })).toMatch(/top-k do not apply/);
    expect(await refusal(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 8 }, temperature: 0 })).toMatch(/temperature above 0/);
    expect(await call(harness, 'jobs.list', undefined)).toHaveLength(jobsBefore + 1);

    // Compared with the HMM on the validation split: its figure is the held-out frame NLL it trained to.
    const { comparisonId, jobId } = await call(harness, 'comparisons.create', { corpusId, modelIds: [hmm.modelId, modelId], samplesPerModel: 2, length: { unit: 'bars', value: 2 }, referenceSplit: 'valid' });
    const comparing = await harness.waitForJob(jobId, 240_000);
    expect(comparing.error).toBeNull();
    const comparison = await call(harness, 'comparisons.get', { comparisonId });
    const row = comparison.results!.models.find((candidate) => candidate.modelId === modelId)!;
    expect(row).toMatchObject({ family: 'polyphonic', representation: 'pianoroll', nllIsBound: false, discrete: true });
    expect(row.nllPerToken!).toBeCloseTo(-model.validLogLikelihoodPerToken!, 4);
    expect(row.perplexity!).toBeCloseTo(Math.exp(row.nllPerToken!), 6);
    expect(row.clipIds).toHaveLength(2);
    expect(row.musPy.pieces).toBe(2);
    expect(Number.isFinite(row.musPy.metrics.nPitchesUsed.mean)).toBe(true);
    const compared = await call(harness, 'clips.get', { clipId: row.clipIds[0]! });
    expect(compared.tracks[0]!.notes.every((note) => note.pitch >= LOW && note.pitch <= HIGH)).toBe(true);
  }, 600_000);

  it('cancelled, keeps a checkpoint that resumes to exactly the curve of one uninterrupted run', async () => {
    const harness = start();
    const corpusId = await importChorales(harness, 'Resume');
    const settings = { ...TINY, dropout: 0.2, inputDropout: 0.1, transpose: 2, batchSize: 2, maxIterations: 120 };
    const { modelId, jobId } = await call(harness, 'models.train', { corpusId, family: 'polyphonic', settings });
    await until(() => modelEvents(harness, modelId).some((summary) => (summary?.iterations ?? 0) >= 1), 'the first checkpoint', 120_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await call(harness, 'jobs.cancel', { jobId });
    expect((await harness.waitForJob(jobId)).status).toBe('cancelled');
    const stopped = await call(harness, 'models.get', { modelId });
    expect(stopped.status).toBe('stopped');
    const k = stopped.iterations;
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(120);
    expect(stopped.history.map((point) => point.iteration)).toEqual(Array.from({ length: k }, (_, i) => i + 1));
    // The stored checkpoint is where the run stopped (mid-epoch or between two).
    expect(readPolyphonicCheckpoint(harness.studio.models.state(modelId)).epoch).toBe(k);
    // A stopped model can generate already (its best epoch so far).
    expect(await generated(harness, (await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 8 }, seed: 1 })).jobId)).toHaveLength(1);

    const { jobId: resumeJob } = await call(harness, 'models.resume', { modelId });
    expect((await harness.waitForJob(resumeJob, 240_000)).status).toBe('done');
    const resumed = await call(harness, 'models.get', { modelId });
    expect(resumed).toMatchObject({ status: 'trained', iterations: 120 });
    expect(resumed.history.slice(0, k)).toEqual(stopped.history);

    const { modelId: straightId, jobId: straightJob } = await call(harness, 'models.train', { corpusId, family: 'polyphonic', settings });
    expect((await harness.waitForJob(straightJob, 240_000)).status).toBe('done');
    const straight = await call(harness, 'models.get', { modelId: straightId });
    expect(straight.engine).toBe(resumed.engine);
    expect(resumed.history).toEqual(straight.history);
    expect(resumed.validLogLikelihoodPerToken).toBe(straight.validLogLikelihoodPerToken);

    // More epochs on a finished model: resume takes a larger maximum.
    expect(await refusal(harness, 'models.resume', { modelId })).toMatch(/has run 120 of its 120 epochs/);
    const { jobId: moreJob } = await call(harness, 'models.resume', { modelId, maxIterations: 122 });
    expect((await harness.waitForJob(moreJob, 240_000)).status).toBe('done');
    expect((await call(harness, 'models.get', { modelId })).iterations).toBe(122);
  }, 600_000);
});
