import { describe, expect, it } from 'vitest';
import type { LocalFile } from '../../../renderer/src/import/local-file';
import { chooseWithDialog, ImportInputError, runImport } from '../../../renderer/src/import/run-import';
import { createFakeStudio } from './fake-studio';

function bytesFile(relativePath: string, bytes: number[]): LocalFile {
  return { relativePath, size: bytes.length, read: async () => Uint8Array.from(bytes) };
}

describe('runImport', () => {
  it('desktop: sends the dialog’s paths to corpora.importPaths in one call', async () => {
    const fake = createFakeStudio();
    fake.mode = 'electron';
    fake.dialogPaths = ['/music/jsb/train'];
    const selection = await chooseWithDialog(fake.api, true);
    expect(selection).toEqual({ kind: 'paths', paths: ['/music/jsb/train'] });
    const outcome = await runImport(fake.api, '  JSB train ', selection!);
    expect(outcome).toEqual({ jobIds: [1], skipped: [] });
    expect(fake.calls.map((call) => call.method)).toEqual(['dialog.chooseImportPaths', 'corpora.importPaths']);
    expect(fake.calls[0]!.input).toEqual({ folders: true });
    expect(fake.calls[1]!.input).toEqual({ corpusName: 'JSB train', paths: ['/music/jsb/train'] });
  });

  it('desktop: a cancelled dialog gives no selection', async () => {
    const fake = createFakeStudio();
    fake.mode = 'electron';
    fake.dialogPaths = [];
    expect(await chooseWithDialog(fake.api, false)).toBeNull();
  });

  it('browser: uploads base64 in several calls into the same corpus name, reporting progress', async () => {
    const fake = createFakeStudio();
    const files = [bytesFile('set/a.mid', [77, 84, 104, 100]), bytesFile('set/b.mid', [1, 2, 3]), bytesFile('set/c.mid', [255])];
    const progress: string[] = [];
    const outcome = await runImport(fake.api, 'Set', { kind: 'files', files }, (p) => progress.push(`${p.sentFiles}/${p.totalFiles}`), {
      maxCallBase64: 7,
    });
    expect(outcome.jobIds).toEqual([1, 2, 3]);
    const uploads = fake.calls.filter((call) => call.method === 'corpora.importFiles').map((call) => call.input);
    expect(uploads).toEqual([
      { corpusName: 'Set', files: [{ relativePath: 'set/a.mid', base64: 'TVRoZA==' }] },
      { corpusName: 'Set', files: [{ relativePath: 'set/b.mid', base64: 'AQID' }] },
      { corpusName: 'Set', files: [{ relativePath: 'set/c.mid', base64: '/w==' }] },
    ]);
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(fake.corpora.map((corpus) => corpus.name)).toEqual(['Set']);
  });

  it('refuses an empty name or an empty selection with a readable message', async () => {
    const fake = createFakeStudio();
    await expect(runImport(fake.api, '   ', { kind: 'files', files: [bytesFile('a.mid', [1])] })).rejects.toThrow('Give the corpus a name.');
    await expect(runImport(fake.api, 'X', { kind: 'files', files: [] })).rejects.toBeInstanceOf(ImportInputError);
    await expect(runImport(fake.api, 'X', { kind: 'paths', paths: [] })).rejects.toThrow('Choose at least one file or folder.');
    expect(fake.calls).toEqual([]);
  });

  it('passes the studio’s error message through', async () => {
    const fake = createFakeStudio();
    fake.failNext('corpora.importFiles', 'The disk is full.');
    await expect(runImport(fake.api, 'X', { kind: 'files', files: [bytesFile('a.mid', [1])] })).rejects.toThrow('The disk is full.');
  });
});
