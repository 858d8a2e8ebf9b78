// Corpus import end to end inside main: real worker, real database.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeMidiBytes, writeMidiFile } from '../support/midi-fixtures';
import { hasJsb, JSB_MISSING, jsbMidiRoot } from '../support/paths';
import { startStudio, type StudioHarness } from '../support/studio-harness';

let harness: StudioHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe('MIDI import', () => {
  it('stores every piece with its tempo map, meters, tracks, notes and sustain, and detects re-imports', async () => {
    harness = startStudio();
    const { studio, dir } = harness;
    const folder = path.join(dir, 'in', 'my songs');
    writeMidiFile(path.join(folder, 'a.mid'), 1, 8);
    writeMidiFile(path.join(folder, 'nested', 'b.midi'), 2, 5);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'not music, and not a .mid: ignored when walking folders');

    const { jobId } = await studio.handlers['corpora.importPaths']({ corpusName: 'Songs', paths: [folder] });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ kind: 'import-midi', imported: 2, duplicates: [], failures: [] });

    const [corpus] = await studio.handlers['corpora.list'](undefined);
    expect(corpus).toMatchObject({ name: 'Songs', pieceCount: 2, noteCount: 13 });
    const pieces = await studio.handlers['corpora.pieces']({ corpusId: corpus!.id });
    expect(pieces.map((p) => p.relativePath)).toEqual(['my songs/a.mid', 'my songs/nested/b.midi']);
    // No split folders: both pieces get the seeded split (80/10/10 of two pieces is two for training).
    expect(pieces[0]).toMatchObject({ trackCount: 1, noteCount: 8, initialTimeSignature: '3/4', split: 'train' });
    // MIDI stores tempo as whole microseconds per quarter note, so 91 bpm comes back as 60e6 / 659340.
    expect(pieces[0]!.initialBpm).toBeCloseTo(91, 3);

    const piece = studio.corpora.loadPiece(pieces[0]!.id);
    expect(piece.tracks[0]).toMatchObject({ name: 'Voice 1', program: 40, channel: 0, isDrum: false });
    expect(piece.tracks[0]!.notes.map((n) => n.pitch)).toEqual([61, 62, 63, 64, 65, 66, 67, 68]);
    // @tonejs/midi writes velocity 0.5 as floor(0.5 * 127).
    expect(piece.tracks[0]!.notes[0]).toMatchObject({ ticks: 0, durationTicks: piece.ppq, velocity: 63 });
    expect(piece.tracks[0]!.controlChanges).toEqual([{ ticks: 0, time: 0, controller: 64, value: 127 }]);
    expect(piece.tempos).toHaveLength(1);
    expect(piece.tempos[0]!.ticks).toBe(0);
    expect(piece.tempos[0]!.bpm).toBeCloseTo(91, 3);

    // The same bytes again, under another name: detected, not stored twice.
    fs.copyFileSync(path.join(folder, 'a.mid'), path.join(dir, 'copy-of-a.mid'));
    const again = await harness.waitForJob(
      (await studio.handlers['corpora.importPaths']({ corpusName: 'Songs', paths: [path.join(dir, 'copy-of-a.mid')] })).jobId,
    );
    expect(again.result).toMatchObject({ imported: 0, duplicates: ['copy-of-a.mid'] });
    expect((await studio.handlers['corpora.list'](undefined))[0]!.pieceCount).toBe(2);
    expect(harness.events.some((e) => e.event === 'library.changed')).toBe(true);
  });

  it('reports each corrupt or non-MIDI file clearly and imports the rest', async () => {
    harness = startStudio();
    const { studio, dir } = harness;
    const folder = path.join(dir, 'mixed');
    writeMidiFile(path.join(folder, 'good-1.mid'), 1);
    writeMidiFile(path.join(folder, 'good-2.mid'), 2);
    fs.writeFileSync(path.join(folder, 'broken.mid'), Buffer.from('this is not a MIDI file at all'));
    const truncated = makeMidiBytes(3).slice(0, 30);
    fs.writeFileSync(path.join(folder, 'truncated.mid'), truncated);

    const { jobId } = await studio.handlers['corpora.importPaths']({
      corpusName: 'Mixed',
      paths: [folder, path.join(dir, 'does-not-exist.mid')],
    });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('done');
    if (job.result?.kind !== 'import-midi') throw new Error('expected an import result');
    expect(job.result.imported).toBe(2);
    const failures = Object.fromEntries(job.result.failures.map((f) => [path.basename(f.file), f.error]));
    expect(failures['broken.mid']).toMatch(/Not a MIDI file/);
    expect(failures['truncated.mid']).toMatch(/truncated: chunk 1 declares \d+ bytes but only \d+ remain/);
    expect(failures['does-not-exist.mid']).toMatch(/does not exist/);
    const notesInDb = studio.db.prepare(`SELECT COUNT(*) AS n FROM notes`).get() as { n: number };
    expect(notesInDb.n).toBe(16);
  });

  it('stages uploaded files (browser mode), keeps their folders as the split, and removes the staging folder', async () => {
    harness = startStudio();
    const { studio, dir } = harness;
    const files = [
      { relativePath: 'chorales/train/x.mid', base64: Buffer.from(makeMidiBytes(1)).toString('base64') },
      { relativePath: 'chorales/test/y.mid', base64: Buffer.from(makeMidiBytes(2)).toString('base64') },
    ];
    const { jobId } = await studio.handlers['corpora.importFiles']({ corpusName: 'Uploaded', files });
    const job = await harness.waitForJob(jobId);
    expect(job.result).toMatchObject({ imported: 2 });
    const [corpus] = await studio.handlers['corpora.list'](undefined);
    const pieces = await studio.handlers['corpora.pieces']({ corpusId: corpus!.id });
    expect(pieces.map((p) => [p.relativePath, p.split])).toEqual([
      ['chorales/test/y.mid', 'test'],
      ['chorales/train/x.mid', 'train'],
    ]);
    const sources = studio.db.prepare(`SELECT source_path FROM pieces`).all() as { source_path: string | null }[];
    expect(sources.every((s) => s.source_path === null)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'staging'))).toEqual([]);
  });

  it('cancels a running import, keeping whole pieces only', async () => {
    harness = startStudio();
    const { studio, dir } = harness;
    const folder = path.join(dir, 'many');
    for (let i = 0; i < 400; i++) writeMidiFile(path.join(folder, `f${String(i).padStart(3, '0')}.mid`), i, 200);
    const { jobId } = await studio.handlers['corpora.importPaths']({ corpusName: 'Many', paths: [folder] });
    while (studio.jobs.get(jobId)?.status !== 'running') await new Promise((r) => setTimeout(r, 5));
    await studio.handlers['jobs.cancel']({ jobId });
    const job = await harness.waitForJob(jobId);
    expect(job.status).toBe('cancelled');
    const counts = studio.db
      .prepare(`SELECT p.note_count AS expected, (SELECT COUNT(*) FROM notes n JOIN tracks t ON n.track_id = t.id WHERE t.piece_id = p.id) AS actual FROM pieces p`)
      .all() as { expected: number; actual: number }[];
    expect(counts.length).toBeLessThan(400);
    for (const row of counts) expect(row.actual).toBe(row.expected);
    if (job.result?.kind === 'import-midi') expect(job.result.imported).toBe(counts.length);
  });

  it('rejects bad input with a clear message before any job starts', async () => {
    harness = startStudio();
    const { dispatchReply } = await import('../support/dispatch-helper');
    const reply = await dispatchReply(harness.studio, 'corpora.importPaths', { corpusName: '   ', paths: [] });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/corpusName: A corpus needs a name.*paths: Choose at least one/) },
    });
    const traversal = await dispatchReply(harness.studio, 'corpora.importFiles', {
      corpusName: 'x',
      files: [{ relativePath: '../../etc/evil.mid', base64: '' }],
    });
    expect(traversal).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(harness.studio.jobs.list()).toHaveLength(0);
  });

  it.skipIf(!hasJsb)(`imports all JSB chorales with the known totals (${hasJsb ? 'present' : JSB_MISSING})`, async () => {
    harness = startStudio();
    const { studio } = harness;
    const { jobId } = await studio.handlers['corpora.importPaths']({ corpusName: 'JSB', paths: [jsbMidiRoot] });
    const job = await harness.waitForJob(jobId, 120_000);
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ imported: 382, failures: [] });
    const [corpus] = await studio.handlers['corpora.list'](undefined);
    expect(corpus).toMatchObject({ pieceCount: 382, noteCount: 82_722 });
    expect(corpus!.durationSeconds).toBeGreaterThan(13_000);
    const splits = studio.db.prepare(`SELECT split, COUNT(*) AS n, SUM(note_count) AS notes FROM pieces GROUP BY split ORDER BY split`).all();
    expect(splits).toEqual([
      { split: 'test', n: 77, notes: 17_525 },
      { split: 'train', n: 229, notes: 49_300 },
      { split: 'valid', n: 76, notes: 15_897 },
    ]);
    const tracks = studio.db.prepare(`SELECT DISTINCT name, channel, program FROM tracks ORDER BY channel`).all();
    expect(tracks).toEqual([
      { name: 'Soprano', channel: 0, program: 52 },
      { name: 'Alto', channel: 1, program: 52 },
      { name: 'Tenor', channel: 2, program: 52 },
      { name: 'Bass', channel: 3, program: 52 },
    ]);
  });
});
