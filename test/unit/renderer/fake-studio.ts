/**
 * A StudioApi for renderer tests built from the real contract: calls go through createDispatch, so
 * every input the renderer sends is checked against the contract's schemas exactly as main does.
 */
import { createStudioClient, type StudioApi, type Transport } from '../../../core/ipc/client';
import type { EventName, EventPayload, Handlers, MethodName } from '../../../core/ipc/contract';
import { createDispatch } from '../../../core/ipc/dispatch';
import { StudioError } from '../../../core/ipc/envelope';
import type { AppInfo, CorpusSummary, Job, PieceSummary } from '../../../core/ipc/schemas';

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

  const handlers: Handlers = {
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
