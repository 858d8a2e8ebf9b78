/**
 * A StudioApi for renderer tests built from the real contract: calls go through createDispatch, so
 * every input the renderer sends is checked against the contract's schemas exactly as main does.
 */
import { createStudioClient, type StudioApi, type Transport } from '../../../core/ipc/client';
import { METHOD_NAMES, type EventName, type EventPayload, type Handlers, type MethodName } from '../../../core/ipc/contract';
import { createDispatch } from '../../../core/ipc/dispatch';
import { StudioError } from '../../../core/ipc/envelope';
import type { AppInfo, CorpusSummary, Job, PieceSummary, SplitCounts } from '../../../core/ipc/schemas';
import { describePieces, type CorpusStatistics } from '../../../core/music/stats/describe';

export interface FakeStudio {
  readonly api: StudioApi;
  readonly calls: { method: MethodName; input: unknown }[];
  readonly corpora: CorpusSummary[];
  readonly pieces: Map<number, PieceSummary[]>;
  readonly jobs: Job[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Makes the next call of `method` fail with this message. */
  failNext(method: MethodName, message: string): void;
  dialogPaths: string[];
  mode: AppInfo['mode'];
  /** corpora.statistics replies by `${corpusId}/${split ?? 'all'}`; statistics of no pieces when absent. */
  readonly statistics: Map<string, CorpusStatistics>;
  /** The split seed per corpus (7 unless set); counts come from the pieces' splits. */
  readonly seeds: Map<number, number>;
  /** What corpora.resplit does to the pieces (default: nothing but the seed). */
  onResplit: ((corpusId: number, seed: number) => void) | null;
  /** pieces.midi replies by piece id (default: a 4-byte file named after the piece). */
  readonly midiFiles: Map<number, { fileName: string; base64: string }>;
  /** Where the desktop's save dialog "saves" (null: the user cancelled). */
  savePath: string | null;
}

/** The statistics of no pieces with `overrides` on top: enough for the renderer's tests. */
export function makeStatistics(overrides: Partial<CorpusStatistics> = {}): CorpusStatistics {
  return { ...describePieces([]), ...overrides };
}

export function makeJob(overrides: Partial<Job> & Pick<Job, 'id'>): Job {
  return {
    kind: 'import-midi',
    title: `Job ${overrides.id}`,
    status: 'queued',
    progress: 0,
    message: '',
    error: null,
    result: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

export function makeCorpus(overrides: Partial<CorpusSummary> & Pick<CorpusSummary, 'id' | 'name'>): CorpusSummary {
  return { createdAt: '2025-01-01 10:00:00', pieceCount: 0, noteCount: 0, durationSeconds: 0, ...overrides };
}

export function makePiece(overrides: Partial<PieceSummary> & Pick<PieceSummary, 'id' | 'corpusId' | 'relativePath'>): PieceSummary {
  return {
    fileName: overrides.relativePath.split('/').pop() ?? overrides.relativePath,
    split: null,
    ppq: 480,
    trackCount: 4,
    noteCount: 100,
    durationSeconds: 60,
    initialBpm: 120,
    initialTimeSignature: '4/4',
    ...overrides,
  };
}

export function createFakeStudio(): FakeStudio {
  let listener: ((event: string, payload: unknown) => void) | null = null;
  const failures = new Map<MethodName, string>();
  let nextJobId = 1;
  let nextCorpusId = 100;

  const fake: FakeStudio = {
    api: undefined as unknown as StudioApi,
    calls: [],
    corpora: [],
    pieces: new Map(),
    jobs: [],
    dialogPaths: [],
    mode: 'browser',
    statistics: new Map(),
    seeds: new Map(),
    onResplit: null,
    midiFiles: new Map(),
    savePath: null,
    emit(event, payload) {
      listener?.(event, payload);
    },
    failNext(method, message) {
      failures.set(method, message);
    },
  };

  const enqueue = (corpusName: string): { jobId: number } => {
    if (!fake.corpora.some((corpus) => corpus.name === corpusName)) fake.corpora.push(makeCorpus({ id: nextCorpusId++, name: corpusName }));
    const job = makeJob({ id: nextJobId++, title: `Import into “${corpusName}”` });
    fake.jobs.push(job);
    return { jobId: job.id };
  };

  const requireCorpus = (corpusId: number): void => {
    if (!fake.corpora.some((corpus) => corpus.id === corpusId)) throw new StudioError(`There is no corpus ${corpusId}.`, 'invalid-input');
  };
  const requirePiece = (pieceId: number): PieceSummary => {
    for (const rows of fake.pieces.values()) {
      const piece = rows.find((row) => row.id === pieceId);
      if (piece) return piece;
    }
    throw new StudioError(`There is no piece ${pieceId}.`, 'invalid-input');
  };
  const splitCounts = (corpusId: number): SplitCounts => {
    const counts = { seed: fake.seeds.get(corpusId) ?? 7, train: 0, valid: 0, test: 0, none: 0 };
    for (const piece of fake.pieces.get(corpusId) ?? []) counts[piece.split ?? 'none']++;
    return counts;
  };

  // Methods the renderer does not use yet answer with an error, so the fake follows the contract as it grows.
  const notInTheFake = Object.fromEntries(
    METHOD_NAMES.map((name) => [
      name,
      () => {
        throw new StudioError(`${name} is not in the fake studio.`, 'invalid-input');
      },
    ]),
  ) as unknown as Handlers;

  const handlers: Handlers = {
    ...notInTheFake,
    'app.info': () => ({ version: '0.1.0', mode: fake.mode, dataDir: '/data', databasePath: '/data/studio.sqlite', workerCount: 2 }),
    'settings.get': () => ({ midiSysex: false }),
    'settings.update': (changes) => ({ midiSysex: changes.midiSysex ?? false }),
    'corpora.list': () => fake.corpora.map((corpus) => ({ ...corpus })),
    'corpora.pieces': ({ corpusId }) => {
      if (!fake.corpora.some((corpus) => corpus.id === corpusId)) throw new StudioError(`There is no corpus ${corpusId}.`, 'invalid-input');
      return fake.pieces.get(corpusId) ?? [];
    },
    'corpora.delete': ({ corpusId }) => {
      const index = fake.corpora.findIndex((corpus) => corpus.id === corpusId);
      if (index === -1) throw new StudioError(`There is no corpus ${corpusId}.`, 'invalid-input');
      fake.corpora.splice(index, 1);
      return { ok: true };
    },
    'corpora.importPaths': ({ corpusName }) => enqueue(corpusName),
    'corpora.importFiles': ({ corpusName }) => enqueue(corpusName),
    'dialog.chooseImportPaths': () => {
      if (fake.mode !== 'electron') throw new StudioError('The native file dialog exists only in the desktop app.', 'invalid-input');
      return { paths: fake.dialogPaths };
    },
    'jobs.list': () => fake.jobs.map((job) => ({ ...job })),
    'jobs.get': ({ jobId }) => {
      const job = fake.jobs.find((candidate) => candidate.id === jobId);
      if (!job) throw new StudioError(`There is no job ${jobId}.`, 'invalid-input');
      return job;
    },
    'jobs.cancel': () => ({ ok: true }),
    'corpora.statistics': ({ corpusId, split }) => {
      requireCorpus(corpusId);
      return fake.statistics.get(`${corpusId}/${split ?? 'all'}`) ?? makeStatistics();
    },
    'corpora.splits': ({ corpusId }) => {
      requireCorpus(corpusId);
      return splitCounts(corpusId);
    },
    'corpora.resplit': ({ corpusId, seed }) => {
      requireCorpus(corpusId);
      fake.seeds.set(corpusId, seed);
      fake.onResplit?.(corpusId, seed);
      return splitCounts(corpusId);
    },
    'pieces.get': ({ pieceId }) => {
      const piece = requirePiece(pieceId);
      return {
        id: piece.id,
        corpusId: piece.corpusId,
        split: piece.split,
        name: piece.fileName.replace(/\.[^.]+$/, ''),
        ppq: piece.ppq,
        durationTicks: 0,
        duration: piece.durationSeconds,
        tempos: [{ ticks: 0, bpm: piece.initialBpm }],
        timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
        keySignatures: [],
        tracks: [],
      };
    },
    'pieces.midi': ({ pieceId }) => {
      const piece = requirePiece(pieceId);
      return fake.midiFiles.get(pieceId) ?? { fileName: piece.fileName, base64: 'TVRoZA==' };
    },
    'pieces.exportMidi': ({ pieceId }) => {
      if (fake.mode !== 'electron') throw new StudioError('Saving through a file dialog exists only in the desktop app.', 'invalid-input');
      requirePiece(pieceId);
      return { savedTo: fake.savePath };
    },
  };
  const dispatch = createDispatch(handlers, (error) => {
    throw error;
  });
  const transport: Transport = {
    async invoke(method, input) {
      fake.calls.push({ method, input });
      const failure = failures.get(method);
      if (failure !== undefined) {
        failures.delete(method);
        return { ok: false, error: { code: 'failed', message: failure } };
      }
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

/** Lets pending replies and promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
