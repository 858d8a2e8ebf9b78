/**
 * The handlers for the contract's comparisons.* methods. A comparison is created here (checked, stored
 * as running, its job queued), run by compare-job.ts, and read back from its stored results, so it
 * reopens without computing anything. Deleting a comparison deletes its row and its preferences; its
 * samples stay, as clips: once made, they are the composer's.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  COMPARE_JOB,
  comparisonCsv,
  comparisonName,
  sampleFiles,
  tallyPreferences,
  type ComparePayload,
} from '../../../../core/comparisons';
import type { EventName, EventPayload, Handlers, MethodName } from '../../../../core/ipc/contract';
import { StudioError } from '../../../../core/ipc/envelope';
import type { Comparison, CorpusSummary, ModelSummary } from '../../../../core/ipc/schemas';
import { writeMidi } from '../../../../core/midi/write-midi';
import { emptySplitError } from '../../../../core/models/hmm-studio';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import type { JobManager } from '../jobs/job-manager';
import type { ModelStore } from '../models/model-store';
import type { ComparisonResults, ComparisonStore } from './comparison-store';

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
type ComparisonMethod = Extract<MethodName, `comparisons.${string}`>;

export interface ComparisonServiceDependencies {
  readonly comparisons: ComparisonStore;
  readonly models: ModelStore;
  readonly corpora: CorpusStore;
  readonly clips: ClipStore;
  readonly jobs: JobManager;
  readonly emit: Emit;
  /** Electron's native folder dialog; null when cancelled. Absent in browser mode. */
  readonly chooseFolder?: (options: { title: string }) => Promise<string | null>;
}

export interface ComparisonService {
  readonly handlers: Pick<Handlers, ComparisonMethod>;
  /** Call before deleting a corpus (its comparisons go with it); returns what to call once it is deleted. */
  beforeCorpusDeleted(corpusId: number): () => void;
}

export interface ComparisonMidiFile {
  readonly relativePath: string;
  readonly bytes: Uint8Array;
}

export function createComparisonService(dependencies: ComparisonServiceDependencies): ComparisonService {
  const { comparisons, models, corpora, clips, jobs, emit } = dependencies;
  const announce = (comparisonId: number): void => emit('comparison.updated', { comparisonId });

  const full = (comparisonId: number): Comparison => {
    const summary = comparisons.get(comparisonId);
    return {
      ...summary,
      results: comparisons.results(comparisonId),
      preferences: tallyPreferences(summary.modelIds, comparisons.preferences(comparisonId)),
    };
  };

  const requireResults = (comparisonId: number, what: string): { name: string; results: ComparisonResults } => {
    const comparison = comparisons.get(comparisonId);
    const results = comparisons.results(comparisonId);
    if (!results || results.models.length === 0) {
      const why = comparison.status === 'running' ? 'it is still running' : `it ${comparison.status === 'done' ? 'has none' : comparison.status === 'failed' ? 'failed' : 'was cancelled'}`;
      throw new StudioError(`“${comparison.name}” has no samples ${what} yet: ${why}.`, 'invalid-input');
    }
    return { name: comparison.name, results };
  };

  const requireComparable = (modelId: number, corpus: CorpusSummary): ModelSummary => {
    const model = models.find(modelId);
    if (!model) throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    if (model.corpusId !== corpus.id) {
      throw new StudioError(`“${model.name}” was trained on “${model.corpusName}”, not on “${corpus.name}”: compare models of one corpus.`, 'invalid-input');
    }
    if (model.status === 'training') throw new StudioError(`“${model.name}” is still training: let it finish, or stop it, first.`, 'invalid-input');
    const trained = model.status === 'trained' || (model.status === 'stopped' && model.iterations >= 1);
    if (!trained || !models.hasState(modelId)) {
      throw new StudioError(`“${model.name}” has no trained parameters: train it for at least one iteration first.`, 'invalid-input');
    }
    return model;
  };

  /** Every sample of the comparison that still exists, as a .mid file in its model's folder. */
  const midiFiles = (comparisonId: number): ComparisonMidiFile[] => {
    const { results } = requireResults(comparisonId, 'to export');
    const files: ComparisonMidiFile[] = [];
    for (const file of sampleFiles(results.models)) {
      let clip;
      try {
        clip = clips.get(file.clipId);
      } catch {
        continue; // The composer deleted this sample.
      }
      files.push({ relativePath: file.relativePath, bytes: writeMidi(clip) });
    }
    return files;
  };

  const cancelRun = (comparisonId: number): void => {
    const comparison = comparisons.find(comparisonId);
    if (comparison?.status === 'running' && comparison.jobId !== null) jobs.cancel(comparison.jobId);
  };

  const handlers: Pick<Handlers, ComparisonMethod> = {
    'comparisons.create': (request) => {
      const corpus = corpora.list().find((candidate) => candidate.id === request.corpusId);
      if (!corpus) throw new StudioError(`There is no corpus ${request.corpusId}.`, 'invalid-input');
      const repeated = request.modelIds.find((modelId, index) => request.modelIds.indexOf(modelId) !== index);
      if (repeated !== undefined) throw new StudioError(`Model ${repeated} is chosen twice: compare each model once.`, 'invalid-input');
      const compared = request.modelIds.map((modelId) => requireComparable(modelId, corpus));
      if (corpora.splitCounts(corpus.id)[request.referenceSplit] === 0) {
        throw new StudioError(emptySplitError({ corpusName: corpus.name, split: request.referenceSplit }).message, 'invalid-input');
      }
      const comparisonId = comparisons.create({ name: comparisonName(corpus.name, compared.map((model) => model.name)), request });
      try {
        const payload: ComparePayload = { comparisonId };
        const job = jobs.enqueue(COMPARE_JOB, payload);
        comparisons.setJob(comparisonId, job.id);
        return { comparisonId, jobId: job.id };
      } catch (error) {
        comparisons.end(comparisonId, 'failed', error instanceof Error ? error.message : String(error));
        throw error;
      } finally {
        announce(comparisonId);
      }
    },
    'comparisons.list': () => comparisons.list(),
    'comparisons.get': ({ comparisonId }) => full(comparisonId),
    'comparisons.delete': ({ comparisonId }) => {
      comparisons.get(comparisonId);
      cancelRun(comparisonId);
      comparisons.delete(comparisonId);
      announce(comparisonId);
      return { ok: true };
    },
    'comparisons.recordPreference': ({ comparisonId, clipA, clipB, preferred, blind }) => {
      const { results } = requireResults(comparisonId, 'to listen to');
      if (clipA === clipB) throw new StudioError('Choose two different samples to compare.', 'invalid-input');
      const modelOfClip = new Map(results.models.flatMap((model) => model.clipIds.map((clipId) => [clipId, model.modelId] as const)));
      const modelOf = (clipId: number): number => {
        const modelId = modelOfClip.get(clipId);
        if (modelId === undefined) throw new StudioError(`Clip ${clipId} is not a sample of comparison ${comparisonId}.`, 'invalid-input');
        return modelId;
      };
      comparisons.addPreference({ comparisonId, clipA, clipB, modelA: modelOf(clipA), modelB: modelOf(clipB), preferred, blind });
      announce(comparisonId);
      return full(comparisonId);
    },
    'comparisons.csv': ({ comparisonId }) => {
      requireResults(comparisonId, 'to export');
      return comparisonCsv(full(comparisonId));
    },
    'comparisons.midiFiles': ({ comparisonId }) =>
      midiFiles(comparisonId).map((file) => ({ relativePath: file.relativePath, base64: Buffer.from(file.bytes).toString('base64') })),
    'comparisons.exportMidiFolder': async ({ comparisonId }) => {
      if (!dependencies.chooseFolder) {
        throw new StudioError('Saving into a folder exists only in the desktop app; in the browser, the samples are downloaded as a .zip.', 'invalid-input');
      }
      const files = midiFiles(comparisonId);
      const folder = await dependencies.chooseFolder({ title: `Export the samples of “${comparisons.get(comparisonId).name}”` });
      if (folder === null) return { savedTo: null };
      writeFilesUnder(folder, files);
      return { savedTo: folder };
    },
  };

  return {
    handlers,
    beforeCorpusDeleted(corpusId) {
      const comparisonIds = comparisons.idsOfCorpus(corpusId);
      for (const comparisonId of comparisonIds) cancelRun(comparisonId);
      return () => {
        for (const comparisonId of comparisonIds) announce(comparisonId);
      };
    },
  };
}

/** Writes each file at its relative path under `folder` (creating the models' folders), never outside it. */
export function writeFilesUnder(folder: string, files: readonly ComparisonMidiFile[]): void {
  const root = path.resolve(folder);
  for (const file of files) {
    const target = path.resolve(root, ...file.relativePath.split('/'));
    if (!target.startsWith(root + path.sep)) throw new StudioError(`Refusing to write ${file.relativePath} outside ${root}.`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.bytes);
  }
}
