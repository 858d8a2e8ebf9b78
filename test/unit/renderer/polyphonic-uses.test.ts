/** The editor's Harmonize…, Infill… and Continue…: targets, why a tool is unavailable, the requests, the save-first start and the results. */
import { describe, expect, it } from 'vitest';
import { HarmonizeInputSchema, InfillInputSchema, type Job } from '../../../core/ipc/schemas';
import { musicFromDocument } from '../../../renderer/src/editor/document';
import {
  describeStartOutcome,
  PolyphonicRuns,
  runsFor,
  startPolyphonicUse,
  viewRun,
  type PolyphonicApi,
  type PolyphonicRun,
} from '../../../renderer/src/views/polyphonic/polyphonic-runs';
import {
  continueTarget,
  defaultUseForm,
  describeTarget,
  harmonizeTarget,
  infillTarget,
  noModelAdvice,
  usablePolyphonicModels,
  validateUseForm,
  type PolyphonicRequest,
  type UseContext,
} from '../../../renderer/src/views/polyphonic/polyphonic-uses';
import { ids, makeDocument } from './editor-fixtures';
import { makeModel } from './fake-studio';

// Track 0: a melody whose second and third notes start together (the order is by start, then pitch).
const document = makeDocument([
  [
    [0, 480, 72],
    [960, 480, 67],
    [480, 480, 76],
    [960, 240, 71],
    [1440, 480, 74],
  ],
  [
    [0, 1920, 48],
    [0, 1920, 55],
  ],
]);

describe('harmonize: the selected notes of one track are the melody', () => {
  it('says why it cannot run without a selection, or with notes on several tracks', () => {
    expect(harmonizeTarget(document, new Set())).toEqual({
      ok: false,
      reason: 'Select the melody first: its notes on one track (Ctrl/Cmd+A selects the whole track).',
    });
    const both = new Set([...ids(document, 0, (_, index) => index === 0), ...ids(document, 1)]);
    expect(harmonizeTarget(document, both)).toEqual({ ok: false, reason: 'The selection spans 2 tracks: select the melody on one track.' });
  });

  it('names the melody by its indices in the track as the saved clip orders it', () => {
    // The notes at 960 ticks: 67 before 71 (by pitch); select the 71 and the last note.
    const selection = ids(document, 0, (note) => note.pitch === 71 || note.pitch === 74);
    const result = harmonizeTarget(document, selection);
    if (!result.ok) throw new Error(result.reason);
    expect(result.target).toEqual({ track: 0, trackName: 'T0', notes: [3, 4], startTick: 960, endTick: 1920, lowPitch: 71, highPitch: 74 });
    // The same indices in the music the save sends (normalized as main stores it).
    const saved = musicFromDocument(document).tracks[0]!.notes;
    expect(result.target.notes.map((index) => saved[index]!.pitch)).toEqual([71, 74]);
  });
});

describe('infill: the selection’s span, else the loop', () => {
  it('takes the selection’s time span and offers its pitch band', () => {
    const selection = ids(document, 0, (note) => note.ticks >= 480 && note.ticks < 1440);
    expect(infillTarget(document, selection, { startTicks: 0, endTicks: 100 })).toEqual({
      ok: true,
      target: { startTick: 480, endTick: 1440, source: 'selection', band: { lowPitch: 67, highPitch: 76 } },
    });
  });

  it('takes the loop without a selection, and says what to do without either', () => {
    expect(infillTarget(document, new Set(), { startTicks: 960, endTicks: 1920 })).toEqual({
      ok: true,
      target: { startTick: 960, endTick: 1920, source: 'loop', band: null },
    });
    expect(infillTarget(document, new Set(), null)).toEqual({
      ok: false,
      reason: 'Mark the region to infill: select notes in it, or set a loop (Shift+drag on the ruler).',
    });
  });
});

describe('continue', () => {
  it('needs music to continue', () => {
    expect(continueTarget(document)).toEqual({ ok: true, target: { noteCount: 7 } });
    expect(continueTarget(makeDocument([[]]))).toEqual({
      ok: false,
      reason: 'The clip is empty: there is nothing to continue (Continue in Models starts without a primer).',
    });
  });
});

describe('the models a use can take', () => {
  const trained = makeModel({ id: 4, name: 'NADE', family: 'polyphonic', representation: 'pianoroll', iterations: 5 });
  const fresh = makeModel({ id: 6, name: 'Fresh', family: 'polyphonic', representation: 'pianoroll', iterations: 0, status: 'training' });
  const hmm = makeModel({ id: 2, iterations: 50 });

  it('lists only polyphonic models with a finished epoch, and says how to get one', () => {
    expect(usablePolyphonicModels([fresh, trained, hmm]).map((model) => model.id)).toEqual([4]);
    expect(noModelAdvice([fresh, hmm])).toBe('“Fresh” is still on its first epoch: it can be used once an epoch is done.');
    expect(noModelAdvice([hmm])).toMatch(/^No trained polyphonic model yet\. In Models, use Train… and choose Polyphonic \(RNN-NADE\)/);
    expect(defaultUseForm([fresh, trained]).modelId).toBe(4);
    expect(defaultUseForm([hmm]).modelId).toBeNull();
    // The last choice is kept while its model is still there.
    expect(defaultUseForm([trained], { modelId: 99, count: '5' })).toMatchObject({ modelId: 4, count: '5' });
  });
});

describe('the dialog’s form → the contract’s request', () => {
  const melody = harmonizeTarget(document, ids(document, 0));
  if (!melody.ok) throw new Error(melody.reason);
  const harmonize: UseContext = { use: 'harmonize', clipId: 21, target: melody.target };
  const form = { ...defaultUseForm([]), modelId: 4 };

  it('harmonize: the melody’s track and notes, variations, temperature, seed, rests', () => {
    const result = validateUseForm({ ...form, count: '3', temperature: 0.75, seed: '123', restSteps: 'silent' }, harmonize);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request).toEqual({
      use: 'harmonize',
      input: { modelId: 4, count: 3, temperature: 0.75, seed: 123, clipId: 21, track: 0, notes: [0, 1, 2, 3, 4], restSteps: 'silent' },
    });
    expect(HarmonizeInputSchema.safeParse(result.request.input).success).toBe(true);
  });

  it('infill: the region, the band only when asked, the lookahead', () => {
    const region = infillTarget(document, ids(document, 0, (note) => note.ticks >= 480 && note.ticks < 1440), null);
    if (!region.ok) throw new Error(region.reason);
    const infill: UseContext = { use: 'infill', clipId: 21, target: region.target };
    const all = validateUseForm({ ...form, lookahead: '0' }, infill);
    expect(all.ok && all.request.input).toEqual({ modelId: 4, count: 2, temperature: 1, clipId: 21, region: { startTick: 480, endTick: 1440 }, lookahead: 0 });
    const band = validateUseForm({ ...form, limitToBand: true }, infill);
    if (!band.ok) throw new Error(JSON.stringify(band.errors));
    expect(band.request.input).toMatchObject({ region: { startTick: 480, endTick: 1440, lowPitch: 67, highPitch: 76 }, lookahead: 16 });
    expect(InfillInputSchema.safeParse(band.request.input).success).toBe(true);
    expect(describeTarget(infill, { limitToBand: true }, (ticks) => `${ticks / 480 + 1}`)).toBe('2–4 (the selection’s span), only G4–E5');
  });

  it('continue: the open clip is the primer, a length in bars or steps', () => {
    const result = validateUseForm({ ...form, lengthValue: '32', lengthUnit: 'steps', seed: '5' }, { use: 'continue', clipId: 21 });
    expect(result.ok && result.request).toEqual({
      use: 'continue',
      input: { modelId: 4, count: 2, temperature: 1, seed: 5, primerClipId: 21, length: { unit: 'steps', value: 32 } },
    });
  });

  it('names every wrong field, with the schema’s words where it has them', () => {
    const result = validateUseForm({ ...form, modelId: null, count: '17', seed: 'x', lookahead: '300' }, harmonize);
    expect(result).toEqual({
      ok: false,
      errors: {
        modelId: 'Choose a trained polyphonic model.',
        count: 'The number of variations is a whole number from 1 to 16.',
        seed: 'A seed is a whole number from 0 to 2,147,483,647.',
      },
    });
    const infill = validateUseForm({ ...form, lookahead: '300' }, { use: 'infill', clipId: 21, target: { startTick: 0, endTick: 480, source: 'loop', band: null } });
    expect(infill.ok ? null : infill.errors.lookahead).toBe('The lookahead is a whole number from 0 to 256.');
    const backwards = validateUseForm(form, { use: 'infill', clipId: 21, target: { startTick: 480, endTick: 480, source: 'loop', band: null } });
    expect(backwards.ok ? null : backwards.errors.region).toBe('The region must end after it starts.');
    const empty = validateUseForm(form, { use: 'harmonize', clipId: 21, target: { ...melody.target, notes: [] } });
    expect(empty.ok ? null : empty.errors.notes).toBe('Select the melody notes to harmonize.');
    const cold = validateUseForm({ ...form, temperature: 0 }, harmonize);
    expect(cold.ok ? null : cold.errors.temperature).toBe('The temperature is above 0.');
  });
});

describe('starting a use: the edits are saved first', () => {
  const request: PolyphonicRequest = {
    use: 'harmonize',
    input: { modelId: 4, count: 2, temperature: 1, clipId: 21, track: 0, notes: [0, 1], restSteps: 'free' },
  };

  function fakes(options: { clipId: number | null; saves: boolean; refuse?: string }) {
    const log: string[] = [];
    const workbench = {
      state: { clipId: options.clipId },
      async save() {
        log.push('save');
        return options.saves;
      },
    };
    const api: PolyphonicApi = {
      models: {
        harmonize: async (input) => {
          log.push(`harmonize ${input.clipId} [${input.notes.join(',')}]`);
          if (options.refuse) throw new Error(options.refuse);
          return { jobId: 77 };
        },
        infill: async () => {
          log.push('infill');
          return { jobId: 78 };
        },
        generate: async (input) => {
          log.push(`generate primer ${input.primerClipId}`);
          return { jobId: 79 };
        },
      },
    };
    return { workbench, api, log };
  }

  it('saves, then asks main, and hands back the job', async () => {
    const { workbench, api, log } = fakes({ clipId: 21, saves: true });
    expect(await startPolyphonicUse(workbench, api, request)).toEqual({ kind: 'started', jobId: 77 });
    expect(log).toEqual(['save', 'harmonize 21 [0,1]']);
    const continued = await startPolyphonicUse(workbench, api, {
      use: 'continue',
      input: { modelId: 4, primerClipId: 21, length: { unit: 'bars', value: 4 } },
    });
    expect(continued).toEqual({ kind: 'started', jobId: 79 });
    expect(log.at(-1)).toBe('generate primer 21');
  });

  it('starts nothing when the save fails, when another clip is open, and says main’s refusal', async () => {
    const unsaved = fakes({ clipId: 21, saves: false });
    const outcome = await startPolyphonicUse(unsaved.workbench, unsaved.api, request);
    expect(outcome).toEqual({ kind: 'not-saved' });
    expect(unsaved.log).toEqual(['save']);
    expect(describeStartOutcome(outcome, 'harmonize')).toBe('Harmonize did not start: the edits could not be saved first (the model reads the saved clip).');

    const other = fakes({ clipId: 22, saves: true });
    expect(await startPolyphonicUse(other.workbench, other.api, request)).toEqual({ kind: 'other-clip' });
    expect(other.log).toEqual(['save']);

    const refused = fakes({ clipId: 21, saves: true, refuse: 'The melody is wider than the model’s range (C2–C6).' });
    const result = await startPolyphonicUse(refused.workbench, refused.api, request);
    expect(describeStartOutcome(result, 'harmonize')).toBe('The melody is wider than the model’s range (C2–C6).');
    expect(describeStartOutcome({ kind: 'nothing-open' }, 'infill')).toBe('Infill: nothing is open in the editor.');
  });
});

describe('following a run', () => {
  const run: PolyphonicRun = { jobId: 77, use: 'harmonize', sourceName: 'Chorale 3', modelName: 'NADE', count: 2 };
  const job = (overrides: Partial<Job>): Job => ({
    id: 77,
    kind: 'generate',
    title: 'Harmonize',
    status: 'running',
    progress: 0.5,
    message: '',
    error: null,
    result: null,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  });

  it('shows progress, then the clips to open, or what went wrong', () => {
    expect(viewRun(run, undefined)).toEqual({ state: 'waiting', progress: null, message: 'Starting…', clipIds: [] });
    expect(viewRun(run, job({}))).toEqual({ state: 'running', progress: 0.5, message: 'Harmonizing…', clipIds: [] });
    expect(viewRun(run, job({ status: 'done', progress: 1, result: { kind: 'generate', modelId: 4, clipIds: [31, 32] } }))).toEqual({
      state: 'done',
      progress: 1,
      message: 'Harmonized “Chorale 3”: 2 new clips.',
      clipIds: [31, 32],
    });
    expect(viewRun(run, job({ status: 'failed', error: 'No melody notes.' })).message).toBe('No melody notes.');
    expect(viewRun(run, job({ status: 'cancelled', result: { kind: 'generate', modelId: 4, clipIds: [31] } })).message).toBe('Cancelled after 1 clip.');
  });

  it('keeps the runs per editor session, newest first', () => {
    const workbench = {};
    const runs = runsFor(workbench);
    expect(runsFor(workbench)).toBe(runs);
    expect(runsFor({})).not.toBe(runs);
    runs.add(run);
    runs.add({ ...run, jobId: 78, use: 'infill' });
    expect(runs.store.getState().runs.map((entry) => entry.jobId)).toEqual([78, 77]);
    runs.dismiss(77);
    expect(runs.store.getState().runs.map((entry) => entry.jobId)).toEqual([78]);
    expect(new PolyphonicRuns().store.getState().runs).toEqual([]);
  });
});
