// The comparison library: list and selection kept current by comparison.updated, kept records that
// reopen at once, replies that cross on the wire, create/delete, preferences, exports and music.
// The API is the real contract's client over createDispatch, so every input is checked as main does.
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createStudioClient, type StudioApi, type Transport } from '../../../core/ipc/client';
import type { EventName, EventPayload, Handlers, ParsedInput } from '../../../core/ipc/contract';
import { createDispatch } from '../../../core/ipc/dispatch';
import { StudioError } from '../../../core/ipc/envelope';
import type { Comparison } from '../../../core/ipc/schemas';
import { comparisonCsv } from '../../../core/comparisons/csv';
import { createComparisonLibrary, musicKey, type ComparisonLibrary, type NoticeTone } from '../../../renderer/src/state/comparison-library';
import type { FileDownload } from '../../../renderer/src/views/compare/compare-export';
import { makeComparison, melody } from './compare-fixtures';
import { makeClip } from './fake-studio';

interface Deferred {
  readonly comparisonId: number;
  release(): void;
}

interface FakeComparisons {
  readonly api: StudioApi;
  readonly comparisons: Map<number, Comparison>;
  readonly calls: string[];
  /** While true, comparisons.get waits until released (in any order). */
  holdGets: boolean;
  readonly held: Deferred[];
  mode: 'electron' | 'browser';
  savedTo: string | null;
  /** comparisons.get fails with this message (not a StudioError of a missing comparison). */
  failGets: string | null;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

function summaryOf(comparison: Comparison) {
  const { results: _results, preferences: _preferences, ...summary } = comparison;
  return summary;
}

function createFake(): FakeComparisons {
  let listener: ((event: string, payload: unknown) => void) | null = null;
  let nextId = 100;
  const require = (comparisonId: number): Comparison => {
    const comparison = fake.comparisons.get(comparisonId);
    if (!comparison) throw new StudioError(`There is no comparison ${comparisonId}.`, 'invalid-input');
    return comparison;
  };
  const fake: FakeComparisons = {
    api: undefined as unknown as StudioApi,
    comparisons: new Map(),
    calls: [],
    holdGets: false,
    held: [],
    mode: 'browser',
    savedTo: '/chosen/folder',
    failGets: null,
    emit(event, payload) {
      listener?.(event, payload);
    },
  };
  const handlers: Partial<Handlers> = {
    'comparisons.list': () => [...fake.comparisons.values()].map(summaryOf),
    'comparisons.get': async ({ comparisonId }) => {
      if (fake.failGets !== null) throw new StudioError(fake.failGets, 'failed');
      // What main had when the request arrived, replied whenever the test releases it.
      const snapshot = require(comparisonId);
      if (fake.holdGets) await new Promise<void>((release) => fake.held.push({ comparisonId, release }));
      return snapshot;
    },
    'comparisons.create': (input: ParsedInput<'comparisons.create'>) => {
      if (input.modelIds.includes(999)) throw new StudioError('There is no model 999.', 'invalid-input');
      const id = nextId++;
      fake.comparisons.set(id, makeComparison({ id, status: 'running', modelIds: input.modelIds, models: null }));
      return { comparisonId: id, jobId: 50 + id };
    },
    'comparisons.delete': ({ comparisonId }) => {
      require(comparisonId);
      fake.comparisons.delete(comparisonId);
      return { ok: true };
    },
    'comparisons.recordPreference': ({ comparisonId, preferred }) => {
      const comparison = require(comparisonId);
      const [a, b] = comparison.preferences;
      const updated: Comparison = {
        ...comparison,
        preferences: [
          { ...a!, wins: a!.wins + (preferred === 'a' ? 1 : 0), losses: a!.losses + (preferred === 'b' ? 1 : 0), ties: a!.ties + (preferred === 'same' ? 1 : 0) },
          { ...b!, wins: b!.wins + (preferred === 'b' ? 1 : 0), losses: b!.losses + (preferred === 'a' ? 1 : 0), ties: b!.ties + (preferred === 'same' ? 1 : 0) },
        ],
      };
      fake.comparisons.set(comparisonId, updated);
      return updated;
    },
    'comparisons.csv': ({ comparisonId }) => comparisonCsv(require(comparisonId)),
    'comparisons.midiFiles': ({ comparisonId }) => {
      require(comparisonId);
      return [
        { relativePath: 'Small/sample-01.mid', base64: Buffer.from('MThd1').toString('base64') },
        { relativePath: 'Large/sample-01.mid', base64: Buffer.from('MThd2').toString('base64') },
      ];
    },
    'comparisons.exportMidiFolder': ({ comparisonId }) => {
      require(comparisonId);
      if (fake.mode !== 'electron') throw new StudioError('Saving into a folder exists only in the desktop app.', 'invalid-input');
      return { savedTo: fake.savedTo };
    },
    'clips.get': ({ clipId }) => {
      if (clipId === 404) throw new StudioError(`There is no clip ${clipId}.`, 'invalid-input');
      return makeClip({ id: clipId }, 4);
    },
    'pieces.get': ({ pieceId }) => ({ ...melody([60, 62, 64]), id: pieceId, corpusId: 1, split: 'test' as const }),
  };
  const dispatch = createDispatch(handlers as Handlers, (error) => {
    throw error;
  });
  const transport: Transport = {
    async invoke(method, input) {
      fake.calls.push(method);
      return dispatch(method, input);
    },
    listen(next) {
      listener = next;
      return () => {
        listener = null;
      };
    },
  };
  (fake as { api: StudioApi }).api = createStudioClient(transport);
  return fake;
}

const libraries: ComparisonLibrary[] = [];
afterEach(() => {
  for (const library of libraries.splice(0)) library.dispose();
});

function setup(options: { musicCacheSize?: number } = {}) {
  const fake = createFake();
  const notices: { message: string; tone: NoticeTone }[] = [];
  const downloads: FileDownload[] = [];
  const library = createComparisonLibrary(fake.api, {
    notify: (message, tone = 'error') => notices.push({ message, tone }),
    download: (file) => downloads.push(file),
    mode: () => fake.mode,
    refreshDelayMs: 5,
    ...options,
  });
  libraries.push(library);
  return { fake, library, notices, downloads };
}

const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the comparison list and the opened comparisons', () => {
  it('lists newest first, selects the newest, and keeps its record', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    fake.comparisons.set(7, makeComparison({ id: 7 }));
    await library.start();
    await settle();
    expect(library.state.list.map((summary) => summary.id)).toEqual([7, 3]);
    expect(library.state.listLoaded).toBe(true);
    expect(library.state.selectedId).toBe(7);
    expect(library.state.entries[7]).toMatchObject({ status: 'ready', error: null });
    expect(library.state.entries[7]!.comparison!.results!.models).toHaveLength(2);
  });

  it('reopens a kept comparison at once, without asking main again', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    fake.comparisons.set(7, makeComparison({ id: 7 }));
    await library.start();
    library.select(3);
    await settle();
    const gets = fake.calls.filter((call) => call === 'comparisons.get').length;
    library.select(7);
    library.select(3);
    expect(library.state.entries[3]!.status).toBe('ready');
    expect(fake.calls.filter((call) => call === 'comparisons.get').length).toBe(gets);
  });

  it('follows a running comparison as main announces each stage, and updates its status in the list', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(4, makeComparison({ id: 4, status: 'running', models: null }));
    await library.start();
    await settle();
    expect(library.state.entries[4]!.comparison!.results).toBeNull();

    const partial = makeComparison({ id: 4, status: 'running', modelIds: [1, 2], models: [{ modelId: 1, name: 'Small' }] });
    fake.comparisons.set(4, partial);
    fake.emit('comparison.updated', { comparisonId: 4 });
    await settle();
    expect(library.state.entries[4]!.comparison!.results!.models.map((model) => model.modelId)).toEqual([1]);

    fake.comparisons.set(4, makeComparison({ id: 4, status: 'done' }));
    fake.emit('comparison.updated', { comparisonId: 4 });
    await settle();
    expect(library.state.entries[4]!.comparison!.status).toBe('done');
    expect(library.state.entries[4]!.comparison!.results!.models).toHaveLength(2);
    expect(library.state.list[0]!.status).toBe('done');
  });

  it('applies only the latest reply when two fetches of one comparison cross', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(4, makeComparison({ id: 4, status: 'running', models: null }));
    await library.start();
    await settle();
    fake.holdGets = true;
    const first = library.load(4);
    await settle(5);
    fake.comparisons.set(4, makeComparison({ id: 4, status: 'done' }));
    const second = library.load(4);
    await settle(5);
    expect(fake.held).toHaveLength(2);
    // The newer reply arrives first, then the older one: the older is dropped.
    fake.held[1]!.release();
    await second;
    expect(library.state.entries[4]!.comparison!.status).toBe('done');
    fake.held[0]!.release();
    await first;
    expect(library.state.entries[4]!.comparison!.status).toBe('done');
  });

  it('forgets a comparison deleted elsewhere, and moves the selection on', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    fake.comparisons.set(7, makeComparison({ id: 7 }));
    await library.start();
    await settle();
    fake.comparisons.delete(7);
    fake.emit('comparison.updated', { comparisonId: 7 });
    await settle();
    expect(library.state.list.map((summary) => summary.id)).toEqual([3]);
    expect(library.state.entries[7]).toBeUndefined();
    expect(library.state.selectedId).toBe(3);
    expect(library.state.entries[3]!.status).toBe('ready');
  });

  it('forgets a comparison found gone, and shows any other failure as an error that can be retried', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    await library.start();
    await settle();
    const kept = library.state.entries[3]!.comparison;
    await library.load(999);
    expect(library.state.entries[999]).toBeUndefined();
    expect(library.state.entries[3]!.comparison).toBe(kept);

    fake.failGets = 'The connection to the studio closed.';
    await library.load(3);
    // The record already shown stays, with the error beside it.
    expect(library.state.entries[3]).toEqual({ status: 'error', comparison: kept, error: 'The connection to the studio closed.' });
    fake.failGets = null;
    library.select(3);
    await settle();
    expect(library.state.entries[3]).toMatchObject({ status: 'ready', error: null });
  });
});

describe('creating and deleting', () => {
  it('creates a comparison, selects it and loads it; a refusal comes back as the error', async () => {
    const { library } = setup();
    await library.start();
    const outcome = await library.create({ corpusId: 1, modelIds: [1, 2], samplesPerModel: 2, length: { unit: 'bars', value: 4 }, seed: 3, referenceSplit: 'test' });
    expect(outcome).toEqual({ ok: true, comparisonId: 100, jobId: 150 });
    expect(library.state.selectedId).toBe(100);
    expect(library.state.list.map((summary) => [summary.id, summary.status])).toEqual([[100, 'running']]);
    expect(library.state.entries[100]!.comparison!.status).toBe('running');
    expect(await library.create({ corpusId: 1, modelIds: [999] })).toEqual({ ok: false, error: 'There is no model 999.' });
    // The contract's own checks apply before main sees the request.
    const invalid = await library.create({ corpusId: 1, modelIds: [] });
    expect(invalid.ok).toBe(false);
    expect(!invalid.ok && invalid.error).toMatch(/Choose at least one model/);
  });

  it('deletes a comparison, says its samples stay, and does not bring it back from an older list', async () => {
    const { fake, library, notices } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    fake.comparisons.set(7, makeComparison({ id: 7 }));
    await library.start();
    await settle();
    expect(await library.delete(7)).toBe(true);
    expect(library.state.list.map((summary) => summary.id)).toEqual([3]);
    expect(library.state.selectedId).toBe(3);
    expect(notices.at(-1)).toEqual({ message: 'Deleted “Small vs Large on Chorales”. Its samples stay in the clip list.', tone: 'info' });
    // A list reply that still has it (sent before the delete) does not resurrect it.
    fake.comparisons.set(7, makeComparison({ id: 7 }));
    await library.refresh();
    expect(library.state.list.map((summary) => summary.id)).toEqual([3]);
    fake.comparisons.delete(7);
    expect(await library.delete(7)).toBe(false);
    expect(notices.at(-1)!.message).toBe('Could not delete “comparison 7”: There is no comparison 7.');
  });
});

describe('preferences and exports', () => {
  it('records a preference and shows the new tallies from main’s reply', async () => {
    const { fake, library } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    await library.start();
    await settle();
    expect(await library.recordPreference({ comparisonId: 3, clipA: 101, clipB: 201, preferred: 'b', blind: true })).toBe(true);
    expect(library.state.entries[3]!.comparison!.preferences).toEqual([
      { modelId: 1, wins: 0, losses: 1, ties: 0 },
      { modelId: 2, wins: 1, losses: 0, ties: 0 },
    ]);
  });

  it('downloads the CSV under its name, and tells where it went', async () => {
    const { fake, library, downloads, notices } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    await library.start();
    await library.exportCsv(3);
    expect(downloads.map((file) => [file.fileName, file.mimeType])).toEqual([['Small vs Large on Chorales.csv', 'text/csv']]);
    expect(new TextDecoder().decode(downloads[0]!.bytes.slice(3))).toBe(comparisonCsv(fake.comparisons.get(3)!).text);
    expect(notices.at(-1)).toEqual({ message: 'Downloaded Small vs Large on Chorales.csv', tone: 'info' });
    expect(library.state.exporting).toEqual({});
  });

  it('zips the samples in the browser, and saves them into a folder on the desktop', async () => {
    const { fake, library, downloads, notices } = setup();
    fake.comparisons.set(3, makeComparison({ id: 3 }));
    await library.start();
    await settle();
    await library.exportSamples(3);
    expect(downloads[0]!.fileName).toBe('Small vs Large on Chorales samples.zip');
    expect(Object.keys(unzipSync(downloads[0]!.bytes)).sort()).toEqual(['Small vs Large on Chorales samples/Large/sample-01.mid', 'Small vs Large on Chorales samples/Small/sample-01.mid']);
    expect(notices.at(-1)!.message).toBe('Downloaded Small vs Large on Chorales samples.zip (2 .mid files)');

    fake.mode = 'electron';
    await library.exportSamples(3);
    expect(notices.at(-1)).toEqual({ message: 'Saved the samples to /chosen/folder', tone: 'info' });
    expect(downloads).toHaveLength(1);
    const before = notices.length;
    fake.savedTo = null;
    await library.exportSamples(3);
    expect(notices).toHaveLength(before);
  });

  it('says why an export failed', async () => {
    const { library, notices } = setup();
    await library.start();
    await library.exportCsv(42);
    expect(notices.at(-1)).toEqual({ message: 'Could not export “comparison 42”: There is no comparison 42.', tone: 'error' });
  });
});

describe('music for the rolls and the A/B panel', () => {
  it('fetches a sample’s or a reference piece’s music once, and keeps it', async () => {
    const { fake, library } = setup();
    await library.loadMusic({ clipId: 5 });
    await library.loadMusic({ pieceId: 1000 });
    await library.loadMusic({ clipId: 5 });
    expect(fake.calls.filter((call) => call === 'clips.get' || call === 'pieces.get')).toEqual(['clips.get', 'pieces.get']);
    expect(library.state.music[musicKey({ clipId: 5 })]).toMatchObject({ status: 'ready', error: null });
    expect(library.state.music['piece:1000']!.music!.tracks[0]!.notes).toHaveLength(3);
  });

  it('marks a deleted sample as an error, retried only when asked', async () => {
    const { fake, library } = setup();
    await library.loadMusic({ clipId: 404 });
    expect(library.state.music['clip:404']).toEqual({ status: 'error', music: null, error: 'There is no clip 404.' });
    await library.loadMusic({ clipId: 404 });
    expect(fake.calls.filter((call) => call === 'clips.get')).toHaveLength(1);
    await library.loadMusic({ clipId: 404 }, { force: true });
    expect(fake.calls.filter((call) => call === 'clips.get')).toHaveLength(2);
  });

  it('keeps at most the configured number of entries, dropping the oldest', async () => {
    const { library } = setup({ musicCacheSize: 3 });
    for (const clipId of [1, 2, 3, 4, 5]) await library.loadMusic({ clipId });
    expect(Object.keys(library.state.music)).toEqual(['clip:3', 'clip:4', 'clip:5']);
  });
});
