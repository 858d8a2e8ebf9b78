import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Length, bytesToBase64 } from '../../../renderer/src/import/base64';
import { normaliseRelativePath, type LocalFile } from '../../../renderer/src/import/local-file';
import { defaultCorpusName, describeSelection, FALLBACK_CORPUS_NAME, keepMidiFromFolder } from '../../../renderer/src/import/selection';
import { MAX_CALL_BASE64, MAX_FILE_BASE64, planUploadBatches } from '../../../renderer/src/import/upload-plan';

function file(relativePath: string, size = 10): LocalFile {
  return { relativePath, size, read: async () => new Uint8Array(size) };
}

describe('bytesToBase64', () => {
  it('matches Node’s encoder for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const expected = Buffer.from(bytes).toString('base64');
        expect(bytesToBase64(bytes)).toBe(expected);
        expect(base64Length(bytes.length)).toBe(expected.length);
      }),
      { numRuns: 60 },
    );
  });

  it('encodes a 5 MiB file without overflowing the stack', () => {
    const bytes = new Uint8Array(5 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('planUploadBatches', () => {
  it('keeps each call under the base64 limit and every file in order', () => {
    const files = Array.from({ length: 10 }, (_, i) => file(`f${i}.mid`, 300));
    const plan = planUploadBatches(files, { maxCallBase64: 1000 });
    // 300 bytes are 400 base64 characters: two files per call.
    expect(plan.batches.map((batch) => batch.length)).toEqual([2, 2, 2, 2, 2]);
    expect(plan.batches.flat()).toEqual(files);
    expect(plan.tooLarge).toEqual([]);
  });

  it('respects the file-count limit and sets aside files over the per-file limit', () => {
    const huge = file('huge.mid', MAX_FILE_BASE64);
    const files = [file('a.mid'), huge, file('b.mid'), file('c.mid')];
    const plan = planUploadBatches(files, { maxCallFiles: 2 });
    expect(plan.tooLarge).toEqual([huge]);
    expect(plan.batches.map((batch) => batch.map((f) => f.relativePath))).toEqual([['a.mid', 'b.mid'], ['c.mid']]);
  });

  it('puts 200 MiB of 30 MiB files into calls of at most 64 MiB of base64', () => {
    const files = Array.from({ length: 7 }, (_, i) => file(`big${i}.mid`, 30 * 1024 * 1024));
    const plan = planUploadBatches(files);
    for (const batch of plan.batches) expect(batch.reduce((sum, f) => sum + base64Length(f.size), 0)).toBeLessThanOrEqual(MAX_CALL_BASE64);
    expect(plan.batches.flat()).toHaveLength(7);
    expect(plan.batches.length).toBe(7);
  });

  it('makes nothing of nothing', () => {
    expect(planUploadBatches([])).toEqual({ batches: [], tooLarge: [] });
  });
});

describe('selections', () => {
  it('names the corpus after the chosen folder', () => {
    const selection = { kind: 'files', files: [file('train/001.mid'), file('train/sub/002.mid')] } as const;
    expect(defaultCorpusName(selection)).toBe('train');
    expect(describeSelection(selection)).toBe('Folder “train” — 2 files');
  });

  it('names the corpus after a single file, or falls back for loose files', () => {
    expect(defaultCorpusName({ kind: 'files', files: [file('Prelude in C.mid')] })).toBe('Prelude in C');
    expect(defaultCorpusName({ kind: 'files', files: [file('a.mid'), file('b.mid')] })).toBe(FALLBACK_CORPUS_NAME);
    expect(describeSelection({ kind: 'files', files: [file('a.mid'), file('b.mid')] })).toBe('2 files');
  });

  it('names the corpus from desktop paths', () => {
    expect(defaultCorpusName({ kind: 'paths', paths: ['/home/me/music/jsb/train'] })).toBe('train');
    expect(defaultCorpusName({ kind: 'paths', paths: ['C:\\Music\\Bach\\bwv001.mid'] })).toBe('bwv001');
    expect(defaultCorpusName({ kind: 'paths', paths: ['/m/chorales/a.mid', '/m/chorales/b.mid'] })).toBe('chorales');
    expect(defaultCorpusName({ kind: 'paths', paths: ['/m/x/a.mid', '/m/y/b.mid'] })).toBe(FALLBACK_CORPUS_NAME);
  });

  it('keeps only MIDI endings from folders', () => {
    const kept = keepMidiFromFolder([file('d/a.mid'), file('d/.DS_Store'), file('d/b.MIDI'), file('d/readme.txt'), file('d/c.kar')]);
    expect(kept.map((f) => f.relativePath)).toEqual(['d/a.mid', 'd/b.MIDI', 'd/c.kar']);
  });

  it('normalises relative paths', () => {
    expect(normaliseRelativePath('/train/./001.mid')).toBe('train/001.mid');
    expect(normaliseRelativePath('train\\sub\\001.mid')).toBe('train/sub/001.mid');
  });
});
