// Issue 5: neural generation streams. While a variation is sampled the worker sends parts (only the
// new notes), main creates the clip at the first part and grows it, announcing each change; a cancel
// keeps the part-made clip, marked as stopped. Real workers, a real database, a trained LSTM.
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';
import { afterEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../core/ipc/contract';
import type { LstmSettings } from '../../core/ipc/schemas';
import { LstmNoteStream, PieceStream, lstmPiece, type GeneratedPartData, type LstmPrimer } from '../../core/models/neural-studio';
import type { NoteStepRow } from '../../core/music/representations';
import type { Note } from '../../core/music/types';
import { dispatchReply } from '../support/dispatch-helper';
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

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const SCALE = [60, 62, 64, 65, 67, 69, 71, 72] as const;

function writeScale(file: string, offset: number, notes: number, velocity: number): void {
  const midi = new Midi();
  midi.header.setTempo(120);
  const track = midi.addTrack();
  for (let k = 0; k < notes; k++) track.addNote({ midi: SCALE[(offset + k) % SCALE.length]!, time: k * 0.25, duration: 0.2, velocity });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, midi.toArray());
}

/** Two layers of 256 units: slow enough per note (and trained in a second) that a long variation takes a while. */
const SLOW_LSTM: Partial<LstmSettings> = { windowLength: 8, units: [256, 256], pitchEmbedding: 8, batchSize: 32, learningRate: 0.01, schedule: 'constant', patience: 0, maxIterations: 1 };

/** A studio with a trained LSTM, recording every clip change with the clip's note count at that moment. */
async function studioWithLstm() {
  const harness = startStudio();
  harnesses.push(harness);
  const root = path.join(harness.dir, 'scales');
  for (let i = 0; i < 4; i++) writeScale(path.join(root, 'train', `t${i}.mid`), i, 48, 0.8);
  writeScale(path.join(root, 'valid', 'v.mid'), 3, 48, 0.9);
  const imported = await harness.waitForJob((await harness.studio.handlers['corpora.importPaths']({ corpusName: 'Scales', paths: [root] })).jobId, 120_000);
  if (imported.result?.kind !== 'import-midi') throw new Error(`import failed: ${imported.error}`);
  const { modelId, jobId } = await call(harness, 'models.train', { corpusId: imported.result.corpusId, family: 'lstm', settings: SLOW_LSTM });
  expect((await harness.waitForJob(jobId, 120_000)).status).toBe('done');

  type Seen = { kind: 'clip'; clipId: number; notes: number; name: string } | { kind: 'job'; jobId: number; status: string };
  const seen: Seen[] = [];
  harness.studio.onEvent((event, payload) => {
    if (event === 'clips.changed') {
      const clipId = (payload as { clipId: number | null }).clipId;
      if (clipId === null) return;
      const summary = harness.studio.clips.summary(clipId);
      seen.push({ kind: 'clip', clipId, notes: summary.noteCount, name: summary.name });
    } else if (event === 'job.updated') {
      const job = payload as { id: number; status: string };
      seen.push({ kind: 'job', jobId: job.id, status: job.status });
    }
  });
  const clipEvents = (clipId?: number) => seen.flatMap((entry) => (entry.kind === 'clip' && (clipId === undefined || entry.clipId === clipId) ? [entry] : []));
  return { harness, modelId, seen, clipEvents };
}

describe('neural generation streams', () => {
  it('creates the clip at the first part, grows it before the job is done, and ends with the whole variation', async () => {
    const { harness, modelId, seen, clipEvents } = await studioWithLstm();
    const from = seen.length;
    let firstNotes: readonly Note[] | null = null;
    harness.studio.onEvent((event, payload) => {
      const clipId = (payload as { clipId?: number | null }).clipId;
      if (event === 'clips.changed' && typeof clipId === 'number' && firstNotes === null) firstNotes = harness.studio.clips.get(clipId).tracks[0]!.notes;
    });
    const { jobId } = await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 600 }, temperature: 1, seed: 11 });
    const job = await harness.waitForJob(jobId, 120_000);
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    if (job.result?.kind !== 'generate') throw new Error('expected a generate result');
    expect(job.result.clipIds).toHaveLength(1);
    const clipId = job.result.clipIds[0]!;

    const events = seen.slice(from);
    const done = events.findIndex((entry) => entry.kind === 'job' && entry.jobId === jobId && entry.status === 'done');
    expect(done).toBeGreaterThan(0);
    const before = events.slice(0, done).flatMap((entry) => (entry.kind === 'clip' && entry.clipId === clipId ? [entry.notes] : []));
    expect(before.length, `note counts announced before the job was done: ${before.join(', ')}`).toBeGreaterThanOrEqual(2);
    // The first announcement is the first part (64 notes, or fewer after 100 ms), then only growth.
    expect(before[0]!).toBeGreaterThan(0);
    expect(before[0]!).toBeLessThanOrEqual(64);
    for (let k = 1; k < before.length; k++) expect(before[k]!).toBeGreaterThanOrEqual(before[k - 1]!);
    expect(before.at(-1)).toBe(600);
    expect(clipEvents(clipId).every((entry) => !entry.name.endsWith('(stopped)'))).toBe(true);

    const clip = await call(harness, 'clips.get', { clipId });
    const notes = clip.tracks[0]!.notes;
    expect(notes).toHaveLength(600);
    expect(clip.name).toBe(`${(await call(harness, 'models.get', { modelId })).name} · sample 1`);
    // What played first is where the finished piece starts.
    expect(firstNotes).not.toBeNull();
    expect(notes.slice(0, firstNotes!.length)).toEqual(firstNotes);
    // The same seed again gives the same piece, streamed or not.
    const again = await harness.waitForJob((await call(harness, 'models.generate', { modelId, count: 1, length: { unit: 'steps', value: 600 }, temperature: 1, seed: 11 })).jobId, 120_000);
    if (again.result?.kind !== 'generate') throw new Error('expected a generate result');
    expect((await call(harness, 'clips.get', { clipId: again.result.clipIds[0]! })).tracks[0]!.notes).toEqual(notes);
  });

  it('cancelled mid-way, keeps the part-made clip with the notes so far, marked as stopped', async () => {
    const { harness, modelId, clipEvents } = await studioWithLstm();
    const from = clipEvents().length;
    const { jobId } = await call(harness, 'models.generate', { modelId, count: 2, length: { unit: 'steps', value: 10_000 }, temperature: 1, seed: 4 });
    await until(() => clipEvents().slice(from).some((entry) => entry.notes >= 64), 'the first part', 120_000);
    await call(harness, 'jobs.cancel', { jobId });
    const job = await harness.waitForJob(jobId, 60_000);
    expect(job.status).toBe('cancelled');
    if (job.result?.kind !== 'generate') throw new Error('expected a generate result');
    expect(job.result.clipIds).toHaveLength(1);
    const clipId = job.result.clipIds[0]!;
    const clip = await call(harness, 'clips.get', { clipId });
    expect(clip.name).toBe(`${(await call(harness, 'models.get', { modelId })).name} · sample 1 (stopped)`);
    const notes = clip.tracks[0]!.notes;
    const announced = clipEvents(clipId).map((entry) => entry.notes);
    expect(notes.length).toBeGreaterThanOrEqual(Math.max(...announced.slice(0, -1)));
    expect(notes.length).toBeLessThan(10_000);
    expect(announced.at(-1)).toBe(notes.length);
    for (let k = 1; k < notes.length; k++) expect(notes[k]!.ticks).toBeGreaterThanOrEqual(notes[k - 1]!.ticks);
    const summary = (await call(harness, 'clips.list', undefined)).find((entry) => entry.id === clipId);
    expect(summary).toMatchObject({ noteCount: notes.length, name: clip.name });
  });
});

describe('the parts of a stream', () => {
  /** Rows with chords (steps of 0) so that parts split chords, and notes sort before those sent. */
  function rows(count: number): NoteStepRow[] {
    return Array.from({ length: count }, (_, k) => ({ pitch: 80 - (k % 5) * 3, step: k % 3 === 0 ? 0.1 + (k % 7) / 70 : 0, duration: 0.05 + (k % 4) / 10, velocity: 40 + (k % 50) }));
  }

  function replay(parts: readonly GeneratedPartData[]): Note[] {
    const notes: Note[] = [];
    for (const part of parts) {
      expect(part.keep).toBeLessThanOrEqual(notes.length);
      notes.length = part.keep;
      notes.push(...part.notes);
    }
    return notes;
  }

  for (const primer of [{ rows: rows(9), keep: true }, { rows: rows(9), keep: false }] satisfies LstmPrimer[]) {
    it(`rebuilds exactly the whole decode from parts of any size (primer ${primer.keep ? 'kept' : 'left out'})`, () => {
      const continuation = rows(500).slice(3);
      const options = { name: 'Sample 1', tempo: 97, ppq: 480 };
      const whole = lstmPiece(primer, continuation, { length: { unit: 'steps', value: continuation.length } }, options);
      for (const size of [1, 2, 7, 64]) {
        const stream = new PieceStream(0, 5);
        const decoder = new LstmNoteStream(primer, options);
        const parts: GeneratedPartData[] = [];
        for (let end = size; end < continuation.length; end += size) {
          const part = stream.partAdding(decoder.fresh(continuation.slice(0, end)), false);
          if (part) parts.push(part);
          // Only new notes travel, and the few of a chord split between parts.
          expect(part!.notes.length).toBeLessThanOrEqual(size + 5 + (primer.keep && end === size ? 9 : 0));
        }
        const last = stream.partFor(whole, true)!;
        parts.push(last);
        expect(parts[0]!.head).toMatchObject({ name: 'Sample 1', ppq: 480, tracks: [{ name: 'LSTM', notes: [] }] });
        expect(parts.slice(1).every((part) => part.head === undefined)).toBe(true);
        expect(last.notes.length).toBeLessThanOrEqual(size + 5);
        expect(replay(parts), `parts of ${size}`).toEqual(whole.tracks[0]!.notes);
      }
    });
  }
});
