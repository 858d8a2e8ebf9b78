import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MidiDownload } from '../../../renderer/src/export/export-midi';
import { bytesToBase64 } from '../../../renderer/src/import/base64';
import { StudioModel, statisticsKey } from '../../../renderer/src/state/studio-model';
import { createFakeStudio, makeCorpus, makePiece, makeStatistics, settle, type FakeStudio } from './fake-studio';

const models: StudioModel[] = [];

async function startModel(fake: FakeStudio, download?: (file: MidiDownload) => void): Promise<StudioModel> {
  const model = new StudioModel(fake.api, { refreshDelayMs: 5, download });
  models.push(model);
  await model.start();
  await settle();
  return model;
}

afterEach(() => {
  for (const model of models.splice(0)) model.dispose();
});

function seed(fake: FakeStudio): void {
  fake.corpora.push(makeCorpus({ id: 1, name: 'Songs', pieceCount: 3 }), makeCorpus({ id: 2, name: 'Other', pieceCount: 1 }));
  fake.pieces.set(1, [
    makePiece({ id: 10, corpusId: 1, relativePath: 'a.mid', split: 'train' }),
    makePiece({ id: 11, corpusId: 1, relativePath: 'b.mid', split: 'train' }),
    makePiece({ id: 12, corpusId: 1, relativePath: 'c.mid', split: 'test' }),
  ]);
  fake.pieces.set(2, [makePiece({ id: 20, corpusId: 2, relativePath: 'x.mid' })]);
  fake.statistics.set('1/all', makeStatistics({ pieces: 3, notes: 300 }));
  fake.statistics.set('1/train', makeStatistics({ pieces: 2, notes: 200 }));
}

const statisticsCalls = (fake: FakeStudio) => fake.calls.filter((call) => call.method === 'corpora.statistics').map((call) => call.input);

describe('StudioModel: splits', () => {
  it('loads the selected corpus’s split counts and seed with its pieces', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.seeds.set(1, 99);
    const model = await startModel(fake);
    expect(model.state.splits).toEqual({ corpusId: 1, counts: { seed: 99, train: 2, valid: 0, test: 1, none: 0 } });
    model.selectCorpus(2);
    expect(model.state.splits).toBeNull();
    await settle();
    expect(model.state.splits?.corpusId).toBe(2);
    expect(model.state.splits?.counts.none).toBe(1);
  });

  it('re-splits: new counts and pieces, stale statistics, and a notice', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    await model.loadStatistics(1, 'train');
    fake.onResplit = (corpusId) => {
      const rows = fake.pieces.get(corpusId)!;
      rows[1] = { ...rows[1]!, split: 'valid' };
    };
    expect(await model.resplit(1, 1234)).toBe(true);
    expect(fake.calls.find((call) => call.method === 'corpora.resplit')?.input).toEqual({ corpusId: 1, seed: 1234 });
    expect(model.state.splits?.counts).toEqual({ seed: 1234, train: 1, valid: 1, test: 1, none: 0 });
    expect(model.state.pieces?.rows.map((piece) => piece.split)).toEqual(['train', 'valid', 'test']);
    expect(model.state.statistics[statisticsKey(1, 'train')]?.stale).toBe(true);
    expect(model.state.notices.at(-1)).toMatchObject({ tone: 'info', message: 'Re-split with seed 1234: train 1, valid 1, test 1.' });
  });

  it('reports a refused re-split', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    fake.failNext('corpora.resplit', 'seed: Too big');
    expect(await model.resplit(1, 5)).toBe(false);
    expect(model.state.notices.at(-1)).toMatchObject({ tone: 'error', message: 'Could not re-split: seed: Too big' });
  });
});

describe('StudioModel: statistics', () => {
  it('fetches each (corpus, scope) once and caches it', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const loading = model.loadStatistics(1, 'all');
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'loading', data: null });
    // A second request while the first runs does not fetch again.
    await Promise.all([loading, model.loadStatistics(1, 'all')]);
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'ready', stale: false });
    expect(model.state.statistics['1/all']?.data?.notes).toBe(300);
    await model.loadStatistics(1, 'all');
    await model.loadStatistics(1, 'train');
    expect(model.state.statistics['1/train']?.data?.notes).toBe(200);
    expect(statisticsCalls(fake)).toEqual([
      { corpusId: 1, split: null },
      { corpusId: 1, split: 'train' },
    ]);
  });

  it('marks a corpus’s statistics stale on library.changed and refetches them when asked', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    await model.loadStatistics(1, 'all');
    fake.emit('library.changed', { corpusId: 2 });
    expect(model.state.statistics['1/all']?.stale).toBe(false);
    fake.emit('library.changed', { corpusId: 1 });
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'ready', stale: true });
    // The old figures stay on screen while the new ones come.
    fake.statistics.set('1/all', makeStatistics({ pieces: 4, notes: 420 }));
    const refresh = model.loadStatistics(1, 'all');
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'loading', data: { notes: 300 } });
    await refresh;
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'ready', stale: false, data: { notes: 420 } });
    expect(statisticsCalls(fake)).toHaveLength(2);
  });

  it('a reply computed before a change arrives stale, so it is fetched again', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const loading = model.loadStatistics(1, 'all');
    fake.emit('library.changed', { corpusId: 1 });
    await loading;
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'ready', stale: true });
  });

  it('shows an error and retries on demand', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    fake.failNext('corpora.statistics', 'The database is locked.');
    await model.loadStatistics(1, 'all');
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'error', error: 'The database is locked.' });
    await model.loadStatistics(1, 'all');
    expect(statisticsCalls(fake)).toHaveLength(1);
    await model.loadStatistics(1, 'all', { force: true });
    expect(model.state.statistics['1/all']).toMatchObject({ status: 'ready', error: null });
  });

  it('forgets a deleted corpus’s statistics', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    await model.loadStatistics(1, 'all');
    await model.loadStatistics(2, 'all');
    await model.deleteCorpus(1);
    expect(Object.keys(model.state.statistics)).toEqual(['2/all']);
  });

  it('switches the corpus tab', async () => {
    const fake = createFakeStudio();
    const model = await startModel(fake);
    expect(model.state.corpusTab).toBe('pieces');
    model.showCorpusTab('statistics');
    expect(model.state.corpusTab).toBe('statistics');
  });
});

describe('StudioModel: Export MIDI…', () => {
  it('browser mode downloads the file and says so', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.midiFiles.set(10, { fileName: 'a.mid', base64: bytesToBase64(Uint8Array.from([77, 84, 104, 100])) });
    const download = vi.fn<(file: MidiDownload) => void>();
    const model = await startModel(fake, download);
    const exporting = model.exportPiece(10);
    expect(model.state.exportingPieceIds).toEqual([10]);
    await exporting;
    expect(model.state.exportingPieceIds).toEqual([]);
    expect(download).toHaveBeenCalledWith({ fileName: 'a.mid', bytes: Uint8Array.from([77, 84, 104, 100]) });
    expect(model.state.notices.at(-1)).toMatchObject({ tone: 'info', message: 'Downloaded a.mid' });
  });

  it('the desktop saves through main’s dialog; a cancelled dialog says nothing', async () => {
    const fake = createFakeStudio();
    fake.mode = 'electron';
    seed(fake);
    const download = vi.fn();
    const model = await startModel(fake, download);
    fake.savePath = '/home/me/a.mid';
    await model.exportPiece(10);
    expect(model.state.notices.at(-1)).toMatchObject({ tone: 'info', message: 'Saved to /home/me/a.mid' });
    const noticeCount = model.state.notices.length;
    fake.savePath = null;
    await model.exportPiece(10);
    expect(model.state.notices).toHaveLength(noticeCount);
    expect(download).not.toHaveBeenCalled();
  });

  it('names the piece when the export fails', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake, vi.fn());
    fake.failNext('pieces.midi', 'There is no piece 11.');
    await model.exportPiece(11);
    expect(model.state.notices.at(-1)).toMatchObject({ tone: 'error', message: 'Could not export b.mid: There is no piece 11.' });
    expect(model.state.exportingPieceIds).toEqual([]);
  });
});
