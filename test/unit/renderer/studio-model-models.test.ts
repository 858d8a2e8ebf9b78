import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MidiDownload } from '../../../renderer/src/export/export-midi';
import { bytesToBase64 } from '../../../renderer/src/import/base64';
import { StudioModel } from '../../../renderer/src/state/studio-model';
import { curveData } from '../../../renderer/src/views/models/training-curve-model';
import { defaultTrainForm, validateTrainForm } from '../../../renderer/src/views/models/train-form';
import { createFakeStudio, makeClip, makeCorpus, makeModel, makePiece, settle, type FakeStudio } from './fake-studio';

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
  fake.corpora.push(makeCorpus({ id: 1, name: 'Chorales', pieceCount: 3 }), makeCorpus({ id: 2, name: 'Loose', pieceCount: 1 }));
  fake.pieces.set(1, [
    makePiece({ id: 10, corpusId: 1, relativePath: 'train/a.mid', split: 'train' }),
    makePiece({ id: 11, corpusId: 1, relativePath: 'train/b.mid', split: 'train' }),
    makePiece({ id: 12, corpusId: 1, relativePath: 'valid/c.mid', split: 'valid' }),
  ]);
  fake.pieces.set(2, [makePiece({ id: 20, corpusId: 2, relativePath: 'x.mid', split: 'test' })]);
}

function trainRequest(corpusId: number, overrides: Partial<ReturnType<typeof defaultTrainForm>> = {}) {
  const result = validateTrainForm({ ...defaultTrainForm(corpusId), ...overrides });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.input;
}

describe('StudioModel: models', () => {
  it('loads models and clips at start and selects the newest model', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.models.push(makeModel({ id: 5, name: 'Newer' }), makeModel({ id: 4, name: 'Older' }));
    fake.clips.push(makeClip({ id: 1, modelId: 5 }));
    const model = await startModel(fake);
    expect(model.state.modelsLoaded).toBe(true);
    expect(model.state.models.map((entry) => entry.name)).toEqual(['Newer', 'Older']);
    expect(model.state.selectedModelId).toBe(5);
    expect(model.state.clips.map((clip) => [clip.id, clip.modelName, clip.noteCount])).toEqual([[1, 'Newer', 8]]);
    model.showView('models');
    expect(model.state.view).toBe('models');
  });

  it('train → model.updated per iteration → the curve grows without refetching the list', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const outcome = await model.models.train(trainRequest(1, { states: '8', maxIterations: '15' }));
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(fake.calls.find((call) => call.method === 'models.train')?.input).toEqual({
      corpusId: 1,
      family: 'hmm',
      settings: { representation: 'pitch', states: 8, maxIterations: 15, tolerance: 1e-4, init: 'kmeans', seed: 1, resolution: 4 },
    });
    expect(model.state.selectedModelId).toBe(outcome.modelId);
    expect(model.state.models[0]).toMatchObject({ status: 'training', name: 'HMM 8 states · pitch', corpusName: 'Chorales' });

    const listsBefore = fake.calls.filter((call) => call.method === 'models.list').length;
    fake.trainStep(outcome.modelId, -3.2);
    fake.trainStep(outcome.modelId, -2.7);
    fake.trainStep(outcome.modelId, -2.55);
    const training = model.state.models.find((entry) => entry.id === outcome.modelId)!;
    expect(training.iterations).toBe(3);
    expect(curveData(training.history, training.validLogLikelihoodPerToken)).toEqual({
      iterations: [1, 2, 3],
      train: [-3.2, -2.7, -2.55],
      valid: [null, null, null],
    });
    expect(model.state.jobs.find((job) => job.id === outcome.jobId)?.progress).toBeCloseTo(3 / 15, 10);

    fake.finishTraining(outcome.modelId, -2.61);
    await settle();
    const trained = model.state.models.find((entry) => entry.id === outcome.modelId)!;
    expect(trained).toMatchObject({ status: 'trained', validLogLikelihoodPerToken: -2.61, engine: 'native' });
    expect(curveData(trained.history, trained.validLogLikelihoodPerToken).valid).toEqual([-2.61, -2.61, -2.61]);
    expect(fake.calls.filter((call) => call.method === 'models.list').length).toBe(listsBefore);
  });

  it('returns the server’s refusal to the dialog instead of a notice', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const outcome = await model.models.train(trainRequest(2));
    expect(outcome).toEqual({ ok: false, error: '“Loose” has no pieces in its train split.' });
    expect(model.state.models).toEqual([]);
    expect(model.state.notices).toEqual([]);
  });

  it('stop cancels the model’s job; resume continues it and the iterations grow', async () => {
    const fake = createFakeStudio();
    seed(fake);
    const model = await startModel(fake);
    const outcome = await model.models.train(trainRequest(1, { maxIterations: '500', tolerance: '1e-12' }));
    if (!outcome.ok) throw new Error(outcome.error);
    fake.trainStep(outcome.modelId, -3);
    fake.trainStep(outcome.modelId, -2.9);
    await model.models.stop(outcome.modelId);
    expect(fake.calls.find((call) => call.method === 'jobs.cancel')?.input).toEqual({ jobId: outcome.jobId });
    const stopped = model.state.models.find((entry) => entry.id === outcome.modelId)!;
    expect(stopped.status).toBe('stopped');
    expect(model.state.jobs.find((job) => job.id === outcome.jobId)?.status).toBe('cancelled');

    expect(await model.models.resume(outcome.modelId)).toBe(true);
    expect(fake.calls.filter((call) => call.method === 'models.resume').map((call) => call.input)).toEqual([{ modelId: outcome.modelId }]);
    const resumed = model.state.models.find((entry) => entry.id === outcome.modelId)!;
    expect(resumed.status).toBe('training');
    expect(resumed.jobId).not.toBe(outcome.jobId);
    fake.trainStep(outcome.modelId, -2.85);
    expect(model.state.models.find((entry) => entry.id === outcome.modelId)!.iterations).toBe(3);
    // Stop does nothing for a model that is not training.
    fake.finishTraining(outcome.modelId, -2.9);
    const cancels = fake.calls.filter((call) => call.method === 'jobs.cancel').length;
    await model.models.stop(outcome.modelId);
    expect(fake.calls.filter((call) => call.method === 'jobs.cancel').length).toBe(cancels);
  });

  it('resume past the maximum asks for more iterations', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.models.push(makeModel({ id: 3, status: 'trained', iterations: 100, history: [{ iteration: 100, logLikelihoodPerToken: -2 }] }));
    const model = await startModel(fake);
    expect(await model.models.resume(3)).toBe(true);
    expect(fake.calls.find((call) => call.method === 'models.resume')?.input).toEqual({ modelId: 3, maxIterations: 150 });
  });

  it('deleting a model moves the selection, keeps its clips and ignores a late list reply', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.models.push(makeModel({ id: 5, name: 'Five' }), makeModel({ id: 4, name: 'Four' }));
    fake.clips.push(makeClip({ id: 1, modelId: 5 }));
    const model = await startModel(fake);
    expect(await model.models.delete(5)).toBe(true);
    expect(model.state.models.map((entry) => entry.id)).toEqual([4]);
    expect(model.state.selectedModelId).toBe(4);
    expect(model.state.notices.at(-1)?.message).toBe('Deleted “Five”. Its clips stay in the clip list.');
    await vi.waitFor(() => expect(model.state.clips[0]?.modelId).toBeNull());
    // A model.updated for the deleted model (an iteration that crossed the delete) does not bring it back.
    fake.emit('model.updated', { modelId: 5, model: makeModel({ id: 5, updatedAt: '2030-01-01T00:00:00.000Z' }) });
    expect(model.state.models.map((entry) => entry.id)).toEqual([4]);
    // Deleted elsewhere (another window): the event removes it too.
    fake.emit('model.updated', { modelId: 4, model: null });
    expect(model.state.models).toEqual([]);
    expect(model.state.selectedModelId).toBeNull();
  });

  it('generate → job → clips appear, the first new one is selected and its music loaded', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.models.push(makeModel({ id: 5, name: 'Five', iterations: 3 }));
    const model = await startModel(fake);
    const jobId = await model.models.generate({ modelId: 5, count: 2, length: { unit: 'bars', value: 4 }, temperature: 1 });
    expect(jobId).not.toBeNull();
    expect(model.state.generateJobs[5]).toBe(jobId);
    const made = fake.completeGenerate(jobId!);
    await vi.waitFor(() => expect(model.state.clips).toHaveLength(2));
    await vi.waitFor(() => expect(model.state.selectedClipId).toBe(made[0]!.id));
    await vi.waitFor(() => expect(model.state.clipMusic[made[0]!.id]?.status).toBe('ready'));
    expect(model.state.clipMusic[made[0]!.id]?.clip?.tracks[0]?.notes).toHaveLength(4);
    expect(model.state.jobs.find((job) => job.id === jobId)?.result).toEqual({ kind: 'generate', modelId: 5, clipIds: made.map((clip) => clip.id) });
    // Only one clips.get for the selected clip, however often it is asked for.
    await model.clips.loadMusic(made[0]!.id);
    expect(fake.calls.filter((call) => call.method === 'clips.get')).toHaveLength(1);
  });

  it('a model without iterations cannot generate: the refusal is a notice', async () => {
    const fake = createFakeStudio();
    seed(fake);
    fake.models.push(makeModel({ id: 5, name: 'Empty', iterations: 0 }));
    const model = await startModel(fake);
    expect(await model.models.generate({ modelId: 5, length: { unit: 'steps', value: 16 } })).toBeNull();
    expect(model.state.notices.at(-1)?.message).toBe('Could not generate with “Empty”: “Empty” has no trained parameters yet.');
  });
});

describe('StudioModel: clips', () => {
  it('exports a clip as a download in the browser and through the dialog on the desktop', async () => {
    const fake = createFakeStudio();
    fake.clips.push(makeClip({ id: 3, name: 'HMM · sample 1' }));
    fake.clipMidiFiles.set(3, { fileName: 'HMM · sample 1.mid', base64: bytesToBase64(Uint8Array.from([77, 84, 104, 100])) });
    const download = vi.fn<(file: MidiDownload) => void>();
    const model = await startModel(fake, download);
    await model.clips.export(3);
    expect(download).toHaveBeenCalledWith({ fileName: 'HMM · sample 1.mid', bytes: Uint8Array.from([77, 84, 104, 100]) });
    expect(model.state.notices.at(-1)?.message).toBe('Downloaded HMM · sample 1.mid');
    expect(model.state.exportingClipIds).toEqual([]);

    const desktop = createFakeStudio();
    desktop.mode = 'electron';
    desktop.clips.push(makeClip({ id: 3 }));
    desktop.savePath = '/home/me/clip.mid';
    const desktopModel = await startModel(desktop);
    await desktopModel.clips.export(3);
    expect(desktop.calls.map((call) => call.method)).toContain('clips.exportMidi');
    expect(desktopModel.state.notices.at(-1)?.message).toBe('Saved to /home/me/clip.mid');
  });

  it('follows clips.changed: deleted clips leave, a changed clip’s music is fetched again', async () => {
    const fake = createFakeStudio();
    fake.clips.push(makeClip({ id: 2 }), makeClip({ id: 1 }));
    const model = await startModel(fake);
    model.clips.select(2);
    await vi.waitFor(() => expect(model.state.clipMusic[2]?.status).toBe('ready'));
    // Edited elsewhere: the cached music is dropped.
    fake.clips[0] = makeClip({ id: 2 }, 3);
    fake.emit('clips.changed', { clipId: 2 });
    expect(model.state.clipMusic[2]).toBeUndefined();
    await model.clips.loadMusic(2);
    expect(model.state.clipMusic[2]?.clip?.tracks[0]?.notes).toHaveLength(3);

    expect(await model.clips.delete(2)).toBe(true);
    expect(model.state.clips.map((clip) => clip.id)).toEqual([1]);
    expect(model.state.selectedClipId).toBeNull();
    fake.failNext('clips.delete', 'The clip is open in the editor.');
    expect(await model.clips.delete(1)).toBe(false);
    expect(model.state.notices.at(-1)?.message).toBe('Could not delete “Clip 1”: The clip is open in the editor.');
  });

  it('a failed clip fetch is shown, and retried only when asked', async () => {
    const fake = createFakeStudio();
    fake.clips.push(makeClip({ id: 1 }));
    const model = await startModel(fake);
    fake.failNext('clips.get', 'database is locked');
    await model.clips.loadMusic(1);
    expect(model.state.clipMusic[1]).toEqual({ status: 'error', clip: null, error: 'database is locked' });
    await model.clips.loadMusic(1);
    expect(model.state.clipMusic[1]?.status).toBe('error');
    await model.clips.loadMusic(1, { force: true });
    expect(model.state.clipMusic[1]?.status).toBe('ready');
  });
});
