import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalFile } from '../../../renderer/src/import/local-file';
import { StudioModel } from '../../../renderer/src/state/studio-model';
import { createFakeStudio, makeCorpus, makeJob, makePiece, settle, type FakeStudio } from './fake-studio';

const models: StudioModel[] = [];

async function startModel(fake: FakeStudio): Promise<StudioModel> {
  const model = new StudioModel(fake.api, { refreshDelayMs: 5 });
  models.push(model);
  await model.start();
  await settle();
  return model;
}

afterEach(() => {
  for (const model of models.splice(0)) model.dispose();
});

function seed(fake: FakeStudio): void {
  fake.corpora.push(makeCorpus({ id: 1, name: 'JSB train', pieceCount: 2, noteCount: 500 }), makeCorpus({ id: 2, name: 'Demo', pieceCount: 1 }));
  fake.pieces.set(1, [makePiece({ id: 10, corpusId: 1, relativePath: 'train/a.mid' }), makePiece({ id: 11, corpusId: 1, relativePath: 'train/b.mid' })]);
  fake.pieces.set(2, [makePiece({ id: 20, corpusId: 2, relativePath: 'tune.mid' })]);
  fake.jobs.push(makeJob({ id: 3, status: 'done', progress: 1 }), makeJob({ id: 4, status: 'running', progress: 0.5 }));
}

describe('StudioModel', () => {
  it('loads app info, corpora, jobs (newest first) and the first corpus’s pieces', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const state = model.state;
    expect(state.connection).toBe('ready');
    expect(state.appInfo?.mode).toBe('browser');
    expect(state.corpora.map((corpus) => corpus.name)).toEqual(['JSB train', 'Demo']);
    expect(state.selectedCorpusId).toBe(1);
    expect(state.pieces).toMatchObject({ corpusId: 1, loaded: true });
    expect(state.pieces?.rows.map((piece) => piece.relativePath)).toEqual(['train/a.mid', 'train/b.mid']);
    expect(state.jobs.map((job) => job.id)).toEqual([4, 3]);
  });

  it('says so when the studio cannot be reached', async () => {
    const fake = createFakeStudio();
    fake.failNext('app.info', 'socket closed');
    const model = await startModel(fake);
    expect(model.state.connection).toBe('offline');
    expect(model.state.notices.map((notice) => notice.message)).toEqual(['Cannot reach the studio: socket closed']);
  });

  it('applies job.updated at once and refreshes the library when a job ends', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    fake.emit('job.updated', makeJob({ id: 4, status: 'running', progress: 0.8, message: 'Parsed 80 of 100 files' }));
    expect(model.state.jobs.find((job) => job.id === 4)?.progress).toBe(0.8);
    // An older state arriving late does not roll the job back.
    fake.emit('job.updated', makeJob({ id: 4, status: 'running', progress: 0.6 }));
    expect(model.state.jobs.find((job) => job.id === 4)?.progress).toBe(0.8);

    fake.corpora[0] = { ...fake.corpora[0]!, pieceCount: 3 };
    fake.pieces.get(1)!.push(makePiece({ id: 12, corpusId: 1, relativePath: 'train/c.mid' }));
    const before = fake.calls.length;
    fake.emit('job.updated', makeJob({ id: 4, status: 'done', progress: 1 }));
    await vi.waitFor(() => expect(model.state.pieces?.rows).toHaveLength(3));
    expect(model.state.corpora[0]!.pieceCount).toBe(3);
    const refetches = fake.calls.slice(before).map((call) => call.method);
    expect(refetches.filter((method) => method === 'corpora.list')).toHaveLength(1);
  });

  it('coalesces a burst of library.changed events into few refetches', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const before = fake.calls.length;
    for (let i = 0; i < 50; i++) fake.emit('library.changed', { corpusId: 1 });
    // Another corpus changing does not refetch the selected corpus's pieces.
    fake.emit('library.changed', { corpusId: 2 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    const methods = fake.calls.slice(before).map((call) => call.method);
    expect(methods.filter((method) => method === 'corpora.list').length).toBeLessThanOrEqual(2);
    expect(methods.filter((method) => method === 'corpora.pieces').length).toBeLessThanOrEqual(2);
    expect(methods.filter((method) => method === 'corpora.list').length).toBeGreaterThanOrEqual(1);
    expect(model.state.selectedCorpusId).toBe(1);
  });

  it('ignores a pieces reply for a corpus that is no longer selected', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    model.selectCorpus(2);
    model.selectCorpus(1);
    model.selectCorpus(2);
    await settle();
    expect(model.state.pieces?.corpusId).toBe(2);
    expect(model.state.pieces?.rows.map((piece) => piece.id)).toEqual([20]);
  });

  it('deletes a corpus and moves the selection to the next', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    expect(await model.deleteCorpus(1)).toBe(true);
    await settle();
    expect(model.state.corpora.map((corpus) => corpus.name)).toEqual(['Demo']);
    expect(model.state.selectedCorpusId).toBe(2);
    expect(fake.calls.find((call) => call.method === 'corpora.delete')?.input).toEqual({ corpusId: 1 });
    expect(model.state.notices.at(-1)).toMatchObject({ tone: 'info', message: 'Deleted “JSB train”.' });
  });

  it('shows a failed call as an error notice, and dismisses it', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    fake.failNext('corpora.delete', 'The corpus is in use by a training run.');
    expect(await model.deleteCorpus(2)).toBe(false);
    expect(model.state.corpora).toHaveLength(2);
    const notice = model.state.notices.at(-1)!;
    expect(notice).toMatchObject({ tone: 'error', message: 'Could not delete “Demo”: The corpus is in use by a training run.' });
    model.dismissNotice(notice.id);
    expect(model.state.notices).toEqual([]);
  });

  it('desktop import: dialog paths go to importPaths and the new corpus is selected', async () => {
    const fake = createFakeStudio();
    fake.mode = 'electron';
    seed(fake);
    const model = await startModel(fake);
    fake.dialogPaths = ['/home/me/bach'];
    const selection = await model.chooseWithDialog(true);
    expect(selection).toEqual({ kind: 'paths', paths: ['/home/me/bach'] });
    const outcome = await model.importSelection('Bach', selection!);
    expect(outcome?.jobIds).toHaveLength(1);
    expect(fake.calls.filter((call) => call.method === 'corpora.importPaths').map((call) => call.input)).toEqual([
      { corpusName: 'Bach', paths: ['/home/me/bach'] },
    ]);
    expect(fake.calls.some((call) => call.method === 'corpora.importFiles')).toBe(false);
    expect(model.state.corpora.find((corpus) => corpus.id === model.state.selectedCorpusId)?.name).toBe('Bach');
    expect(model.state.jobs.some((job) => job.title === 'Import into “Bach”')).toBe(true);
  });

  it('browser mode: the dialog method is refused and the refusal is shown', async () => {
    const fake = createFakeStudio();
    const model = await startModel(fake);
    expect(await model.chooseWithDialog(false)).toBeNull();
    expect(model.state.notices.at(-1)?.message).toMatch(/only in the desktop app/);
  });

  it('browser import: uploads and reports a failure to start', async () => {
    const fake = createFakeStudio();
    const model = await startModel(fake);
    const files: LocalFile[] = [{ relativePath: 'set/a.mid', size: 4, read: async () => Uint8Array.from([77, 84, 104, 100]) }];
    fake.failNext('corpora.importFiles', 'corpusName: A corpus needs a name.');
    expect(await model.importSelection('Set', { kind: 'files', files })).toBeNull();
    expect(model.state.notices.at(-1)?.message).toBe('Could not import: corpusName: A corpus needs a name.');
    expect(await model.importSelection('Set', { kind: 'files', files })).not.toBeNull();
    expect(model.state.corpora.map((corpus) => corpus.name)).toEqual(['Set']);
    expect(model.state.selectedCorpusId).toBe(model.state.corpora[0]!.id);
  });
});
