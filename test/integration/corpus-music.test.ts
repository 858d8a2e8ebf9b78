// Issue 3 through the studio's own handlers: stored splits, statistics, whole pieces, MIDI export.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMidi } from '../../core/midi/parse-midi';
import { writeMidiFile } from '../support/midi-fixtures';
import { hasJsb, JSB_MISSING, jsbMidiRoot, projectRoot, tempDir } from '../support/paths';
import { startStudio, type StudioHarness } from '../support/studio-harness';

let harness: StudioHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

async function importFolder(folder: string, corpusName: string): Promise<number> {
  const { studio } = harness!;
  const { jobId } = await studio.handlers['corpora.importPaths']({ corpusName, paths: [folder] });
  const job = await harness!.waitForJob(jobId, 120_000);
  expect(job.status).toBe('done');
  if (job.result?.kind !== 'import-midi') throw new Error('expected an import result');
  return job.result.corpusId;
}

describe('corpus splits', () => {
  it('draws a seeded 80/10/10 split for pieces without split folders, deterministic and stored', async () => {
    harness = startStudio();
    const folder = path.join(harness.dir, 'loose');
    for (let i = 0; i < 40; i++) writeMidiFile(path.join(folder, `p${i}.mid`), i, 3);
    const corpusId = await importFolder(folder, 'Loose');
    const { studio } = harness;
    const splits = await studio.handlers['corpora.splits']({ corpusId });
    expect(splits).toEqual({ seed: 1, train: 32, valid: 4, test: 4, none: 0 });
    const before = (await studio.handlers['corpora.pieces']({ corpusId })).map((p) => p.split);

    const resplit = await studio.handlers['corpora.resplit']({ corpusId, seed: 7 });
    expect(resplit).toEqual({ seed: 7, train: 32, valid: 4, test: 4, none: 0 });
    const after = (await studio.handlers['corpora.pieces']({ corpusId })).map((p) => p.split);
    expect(after).not.toEqual(before);
    await studio.handlers['corpora.resplit']({ corpusId, seed: 1 });
    expect((await studio.handlers['corpora.pieces']({ corpusId })).map((p) => p.split)).toEqual(before);
  });

  it.skipIf(!hasJsb)(`keeps the split of train/valid/test folders whatever the seed (${hasJsb ? 'JSB' : JSB_MISSING})`, async () => {
    harness = startStudio();
    const corpusId = await importFolder(jsbMidiRoot, 'JSB');
    const { studio } = harness;
    expect(await studio.handlers['corpora.splits']({ corpusId })).toEqual({ seed: 1, train: 229, valid: 76, test: 77, none: 0 });
    expect(await studio.handlers['corpora.resplit']({ corpusId, seed: 99 })).toMatchObject({ train: 229, valid: 76, test: 77 });
  });
});

describe('corpus statistics through the API', () => {
  it('describes the corpus and each split, and refreshes the cache when pieces change', async () => {
    harness = startStudio();
    const folder = path.join(harness.dir, 'stats', 'train');
    writeMidiFile(path.join(folder, 'a.mid'), 0, 4); // pitches 60..63
    writeMidiFile(path.join(folder, 'b.mid'), 5, 2); // pitches 65, 66
    const corpusId = await importFolder(path.dirname(folder), 'Stats');
    const { studio } = harness;
    const all = await studio.handlers['corpora.statistics']({ corpusId, split: null });
    expect(all).toMatchObject({ pieces: 2, notes: 6 });
    expect(all.pitch.slice(60, 67)).toEqual([1, 1, 1, 1, 0, 1, 1]);
    expect((await studio.handlers['corpora.statistics']({ corpusId, split: 'test' })).pieces).toBe(0);
    const cached = studio.db.prepare(`SELECT COUNT(*) AS n FROM corpus_statistics WHERE corpus_id = ?`).get(corpusId) as { n: number };
    expect(cached.n).toBe(2);

    writeMidiFile(path.join(harness.dir, 'more', 'c.mid'), 9, 5);
    await importFolder(path.join(harness.dir, 'more'), 'Stats');
    expect(await studio.handlers['corpora.statistics']({ corpusId, split: null })).toMatchObject({ pieces: 3, notes: 11 });
  });

  it('refuses an unknown corpus or split with a clear error', async () => {
    harness = startStudio();
    const { dispatchReply } = await import('../support/dispatch-helper');
    expect(await dispatchReply(harness.studio, 'corpora.statistics', { corpusId: 999, split: null })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'There is no corpus 999.' },
    });
    expect(await dispatchReply(harness.studio, 'corpora.statistics', { corpusId: 1, split: 'holdout' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/split/) },
    });
  });
});

describe('MIDI export', () => {
  it('import → export → import gives the same notes, tempo map, meters, names, programs and channels', async () => {
    harness = startStudio();
    const demo = path.join(projectRoot, 'resources/demo');
    const corpusId = await importFolder(demo, 'Demo');
    const { studio } = harness;
    const pieces = await studio.handlers['corpora.pieces']({ corpusId });
    expect(pieces.length).toBeGreaterThan(20);
    for (const summary of pieces) {
      const original = await studio.handlers['pieces.get']({ pieceId: summary.id });
      const file = await studio.handlers['pieces.midi']({ pieceId: summary.id });
      expect(file.fileName).toBe(summary.fileName.replace(/\.[^.]+$/, '') + '.mid');
      const again = parseMidi(Buffer.from(file.base64, 'base64'), original.name);
      expect(again.ppq).toBe(original.ppq);
      expect(again.timeSignatures).toEqual(original.timeSignatures);
      expect(again.keySignatures).toEqual(original.keySignatures);
      expect(again.tempos.map((t) => [t.ticks, t.bpm.toFixed(3)])).toEqual(original.tempos.map((t) => [t.ticks, t.bpm.toFixed(3)]));
      expect(again.tracks.map((t) => [t.name, t.program, t.channel, t.isDrum])).toEqual(
        original.tracks.map((t) => [t.name, t.program, t.channel, t.isDrum]),
      );
      const notes = (piece: typeof again) => piece.tracks.map((t) => t.notes.map((n) => [n.ticks, n.pitch, n.durationTicks, n.velocity]));
      expect(notes(again)).toEqual(notes(original));
      expect(again.tracks.map((t) => t.controlChanges.map((c) => [c.ticks, c.controller, c.value]))).toEqual(
        original.tracks.map((t) => t.controlChanges.map((c) => [c.ticks, c.controller, c.value])),
      );
    }
  });

  it('saves through the desktop dialog when there is one, and says what to do when there is not', async () => {
    let suggested = '';
    const target = path.join(tempDir('studio-export-'), 'out.mid');
    harness = startStudio({
      chooseMidiSavePath: async (name) => {
        suggested = name;
        return target;
      },
    });
    writeMidiFile(path.join(harness.dir, 'one', 'tune.mid'), 3, 6);
    const corpusId = await importFolder(path.join(harness.dir, 'one'), 'One');
    const [piece] = await harness.studio.handlers['corpora.pieces']({ corpusId });
    expect(await harness.studio.handlers['pieces.exportMidi']({ pieceId: piece!.id })).toEqual({ savedTo: target });
    expect(suggested).toBe('tune.mid');
    expect(parseMidi(fs.readFileSync(target), 'tune').tracks[0]!.notes).toHaveLength(6);
    fs.rmSync(path.dirname(target), { recursive: true, force: true });

    const browser = startStudio();
    await expect(browser.studio.handlers['pieces.exportMidi']({ pieceId: piece!.id })).rejects.toThrow(/downloaded/);
    await browser.dispose();
  });
});
