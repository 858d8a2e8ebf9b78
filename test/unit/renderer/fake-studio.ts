/**
 * A StudioApi for renderer tests built from the real contract: calls go through createDispatch, so
 * every input the renderer sends is checked against the contract's schemas exactly as main does.
 */
import { createStudioClient, type StudioApi, type Transport } from '../../../core/ipc/client';
import { METHOD_NAMES, type EventName, type EventPayload, type Handlers, type MethodName } from '../../../core/ipc/contract';
import { createDispatch } from '../../../core/ipc/dispatch';
import { StudioError } from '../../../core/ipc/envelope';
import { isHmmSettings, isNeuralSettings } from '../../../core/ipc/schemas';
import { defaultModelName } from '../../../core/models/hmm-studio/naming';
import { defaultNeuralModelName } from '../../../core/models/neural-studio/settings';
import type { AppInfo, Clip, ClipSummary, CorpusSummary, Job, ModelSummary, PieceSummary, SplitCounts } from '../../../core/ipc/schemas';
import type { ParsedInput } from '../../../core/ipc/contract';
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
  /** clips.midi replies by clip id (default: a 4-byte file named after the clip). */
  readonly clipMidiFiles: Map<number, { fileName: string; base64: string }>;
  /** Models as main would list them (the fake keeps them newest first). */
  readonly models: ModelSummary[];
  /** Clips with their music. */
  readonly clips: Clip[];
  /** Generate requests by job id, for completeGenerate. */
  readonly generateRequests: Map<number, ParsedInput<'models.generate'>>;
  /** One more training iteration of a training model: stored and announced, as main does per checkpoint. */
  trainStep(modelId: number, logLikelihoodPerToken: number): ModelSummary;
  /** The training job completes: the model is trained with this held-out score. */
  finishTraining(modelId: number, validLogLikelihoodPerToken: number | null): ModelSummary;
  /** The generate job makes its clips (announced one by one) and completes. */
  completeGenerate(jobId: number): Clip[];
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

/** A model summary with `overrides`: trained, 16-state pitch HMM on corpus 1, unless told otherwise. */
export function makeModel(overrides: Partial<ModelSummary> & Pick<ModelSummary, 'id'>): ModelSummary {
  return {
    name: `HMM 16 states · pitch`,
    family: 'hmm',
    corpusId: 1,
    corpusName: 'Corpus',
    representation: 'pitch',
    status: 'trained',
    settings: { representation: 'pitch', states: 16, maxIterations: 100, tolerance: 1e-4, init: 'kmeans', seed: 1, resolution: 4 },
    iterations: 0,
    history: [],
    validLogLikelihoodPerToken: null,
    trainTokens: 0,
    engine: null,
    trainingSeconds: 0,
    sizeBytes: 0,
    jobId: null,
    error: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A clip of `notes` quarter notes rising from C4 in 4/4 at 480 ppq. */
export function makeClip(overrides: Partial<Clip> & Pick<Clip, 'id'>, notes = 8): Clip {
  return {
    name: `Clip ${overrides.id}`,
    modelId: null,
    createdAt: '2025-01-01T10:00:00.000Z',
    ppq: 480,
    durationTicks: notes * 480,
    duration: notes * 0.5,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: [
      {
        name: 'Sample',
        program: 0,
        channel: 0,
        isDrum: false,
        notes: Array.from({ length: notes }, (_, index) => ({
          ticks: index * 480,
          durationTicks: 480,
          time: index * 0.5,
          duration: 0.5,
          pitch: 60 + (index % 12),
          velocity: 80,
        })),
        controlChanges: [],
      },
    ],
    ...overrides,
  };
}

function clipSummary(clip: Clip, models: readonly ModelSummary[]): ClipSummary {
  return {
    id: clip.id,
    name: clip.name,
    modelId: clip.modelId,
    modelName: models.find((model) => model.id === clip.modelId)?.name ?? null,
    createdAt: clip.createdAt,
    trackCount: clip.tracks.length,
    noteCount: clip.tracks.reduce((sum, track) => sum + track.notes.length, 0),
    durationSeconds: clip.duration,
  };
}

export function createFakeStudio(): FakeStudio {
  let listener: ((event: string, payload: unknown) => void) | null = null;
  const failures = new Map<MethodName, string>();
  let nextJobId = 1;
  let nextCorpusId = 100;
  let nextModelId = 1;
  let nextClipId = 1;
  // A clock that moves one second per change, so updatedAt orders every change.
  let clock = Date.UTC(2025, 0, 1, 10);
  const now = (): string => new Date((clock += 1000)).toISOString();

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
    clipMidiFiles: new Map(),
    models: [],
    clips: [],
    generateRequests: new Map(),
    emit(event, payload) {
      listener?.(event, payload);
    },
    failNext(method, message) {
      failures.set(method, message);
    },
    trainStep(modelId, logLikelihoodPerToken) {
      const model = requireModel(modelId);
      if (model.status !== 'training') throw new Error(`Model ${modelId} is not training.`);
      const iteration = model.iterations + 1;
      const updated = changeModel(modelId, {
        iterations: iteration,
        history: [...model.history, { iteration, logLikelihoodPerToken }],
        engine: 'native',
        trainTokens: 1000,
        trainingSeconds: model.trainingSeconds + 0.25,
        sizeBytes: 4096,
      });
      changeJob(model.jobId!, { status: 'running', progress: iteration / model.settings.maxIterations, message: `Iteration ${iteration}` });
      return updated;
    },
    finishTraining(modelId, validLogLikelihoodPerToken) {
      const model = requireModel(modelId);
      const updated = changeModel(modelId, { status: 'trained', validLogLikelihoodPerToken });
      changeJob(model.jobId!, {
        status: 'done',
        progress: 1,
        result: {
          kind: 'train-model',
          modelId,
          iterations: model.iterations,
          stopReason: 'converged',
          logLikelihoodPerToken: model.history.at(-1)?.logLikelihoodPerToken ?? null,
        },
      });
      return updated;
    },
    completeGenerate(jobId) {
      const request = fake.generateRequests.get(jobId);
      if (!request) throw new Error(`Job ${jobId} is not a generate job.`);
      const model = requireModel(request.modelId);
      const made: Clip[] = [];
      for (let index = 0; index < request.count; index++) {
        const clip = makeClip({ id: nextClipId++, name: `${model.name} · sample ${index + 1}`, modelId: model.id, createdAt: now() }, 4 + index);
        fake.clips.unshift(clip);
        made.push(clip);
        fake.emit('clips.changed', { clipId: clip.id });
      }
      changeJob(jobId, { status: 'done', progress: 1, result: { kind: 'generate', modelId: model.id, clipIds: made.map((clip) => clip.id) } });
      return made;
    },
  };

  const requireModel = (modelId: number): ModelSummary => {
    const model = fake.models.find((candidate) => candidate.id === modelId);
    if (!model) throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    return model;
  };
  const requireClip = (clipId: number): Clip => {
    const clip = fake.clips.find((candidate) => candidate.id === clipId);
    if (!clip) throw new StudioError(`There is no clip ${clipId}.`, 'invalid-input');
    return clip;
  };
  /** Changes a model as main stores it, and announces it. */
  const changeModel = (modelId: number, changes: Partial<ModelSummary>): ModelSummary => {
    const index = fake.models.findIndex((candidate) => candidate.id === modelId);
    const updated = { ...fake.models[index]!, ...changes, updatedAt: now() };
    fake.models[index] = updated;
    fake.emit('model.updated', { modelId, model: updated });
    return updated;
  };
  const changeJob = (jobId: number, changes: Partial<Job>): void => {
    const index = fake.jobs.findIndex((candidate) => candidate.id === jobId);
    if (index === -1) return;
    fake.jobs[index] = { ...fake.jobs[index]!, ...changes };
    fake.emit('job.updated', fake.jobs[index]!);
  };
  const startJob = (kind: string, title: string): Job => {
    const job = makeJob({ id: nextJobId++, kind, title });
    fake.jobs.push(job);
    return job;
  };
  const requireTrainSplit = (corpusId: number): void => {
    requireCorpus(corpusId);
    if (splitCounts(corpusId).train === 0) {
      const name = fake.corpora.find((corpus) => corpus.id === corpusId)!.name;
      throw new StudioError(`“${name}” has no pieces in its train split.`, 'invalid-input');
    }
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
    'settings.get': () => ({ midiSysex: false, soundFontPath: null }),
    'settings.update': (changes) => ({ midiSysex: changes.midiSysex ?? false, soundFontPath: changes.soundFontPath ?? null }),
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
    'jobs.cancel': ({ jobId }) => {
      const job = fake.jobs.find((candidate) => candidate.id === jobId);
      if (!job) throw new StudioError(`There is no job ${jobId}.`, 'invalid-input');
      if (job.status === 'queued' || job.status === 'running') {
        const model = fake.models.find((candidate) => candidate.jobId === jobId && candidate.status === 'training');
        changeJob(jobId, { status: 'cancelled' });
        if (model) changeModel(model.id, { status: 'stopped' });
      }
      return { ok: true };
    },
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
    'models.list': () => fake.models.map((model) => ({ ...model })),
    'models.get': ({ modelId }) => ({ ...requireModel(modelId) }),
    'models.train': ({ corpusId, name, settings }) => {
      requireTrainSplit(corpusId);
      const corpus = fake.corpora.find((candidate) => candidate.id === corpusId)!;
      const modelName = name ?? (isHmmSettings(settings) ? defaultModelName(settings) : isNeuralSettings(settings) ? defaultNeuralModelName(settings) : `${settings.family} model`);
      const job = startJob('train-model', `Train “${modelName}”`);
      const stamp = now();
      const model = makeModel({
        id: nextModelId++,
        name: modelName,
        corpusId,
        corpusName: corpus.name,
        representation: settings.representation,
        status: 'training',
        settings,
        jobId: job.id,
        createdAt: stamp,
        updatedAt: stamp,
      });
      fake.models.unshift(model);
      fake.emit('model.updated', { modelId: model.id, model });
      return { modelId: model.id, jobId: job.id };
    },
    'models.resume': ({ modelId, maxIterations }) => {
      const model = requireModel(modelId);
      if (model.status === 'training') throw new StudioError(`“${model.name}” is training already.`, 'invalid-input');
      const settings = { ...model.settings, maxIterations: maxIterations ?? model.settings.maxIterations };
      if (model.iterations >= settings.maxIterations) {
        throw new StudioError(`“${model.name}” has run ${model.iterations} of its ${settings.maxIterations} iterations.`, 'invalid-input');
      }
      requireTrainSplit(model.corpusId);
      const job = startJob('train-model', `Train “${model.name}”`);
      changeModel(modelId, { status: 'training', settings, jobId: job.id, error: null });
      return { jobId: job.id };
    },
    'models.delete': ({ modelId }) => {
      requireModel(modelId);
      fake.models.splice(
        fake.models.findIndex((model) => model.id === modelId),
        1,
      );
      for (const [index, clip] of fake.clips.entries()) if (clip.modelId === modelId) fake.clips[index] = { ...clip, modelId: null };
      fake.emit('model.updated', { modelId, model: null });
      fake.emit('clips.changed', { clipId: null });
      return { ok: true };
    },
    'models.generate': (input) => {
      const model = requireModel(input.modelId);
      if (model.iterations === 0) throw new StudioError(`“${model.name}” has no trained parameters yet.`, 'invalid-input');
      const job = startJob('generate', `Generate ${input.count} clips with “${model.name}”`);
      fake.generateRequests.set(job.id, input);
      return { jobId: job.id };
    },
    'clips.list': () => fake.clips.map((clip) => clipSummary(clip, fake.models)),
    'clips.get': ({ clipId }) => requireClip(clipId),
    'clips.delete': ({ clipId }) => {
      requireClip(clipId);
      fake.clips.splice(
        fake.clips.findIndex((clip) => clip.id === clipId),
        1,
      );
      fake.emit('clips.changed', { clipId });
      return { ok: true };
    },
    'clips.midi': ({ clipId }) => {
      const clip = requireClip(clipId);
      return fake.clipMidiFiles.get(clipId) ?? { fileName: `${clip.name}.mid`, base64: 'TVRoZA==' };
    },
    'clips.exportMidi': ({ clipId }) => {
      if (fake.mode !== 'electron') throw new StudioError('Saving through a file dialog exists only in the desktop app.', 'invalid-input');
      requireClip(clipId);
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
