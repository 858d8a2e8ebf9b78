/**
 * The handlers for the contract's models.* and clips.* methods, and what the rest of the studio must
 * tell them (a corpus about to be deleted). studio.ts spreads `handlers` into its own; the jobs'
 * own ends are settled by train-job.ts and generate-job.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { EventName, EventPayload, Handlers, MethodName } from '../../../../core/ipc/contract';
import { StudioError } from '../../../../core/ipc/envelope';
import { isHmmSettings, isNeuralSettings, isPolyphonicSettings, isRlSettings, isVaeSettings, type ModelSettings, type ModelSummary } from '../../../../core/ipc/schemas';
import { writeMidi } from '../../../../core/midi/write-midi';
import { GENERATE_JOB, TRAIN_MODEL_JOB, defaultModelName, emptySplitError, type GeneratePayload, type TrainModelPayload } from '../../../../core/models/hmm-studio';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import type { JobManager } from '../jobs/job-manager';
import { defaultNeuralModelName } from '../../../../core/models/neural-studio/settings';
import type { HarmonizePayload, InfillPayload } from '../../../../core/models/polyphonic/jobs';
import { defaultPolyphonicModelName } from '../../../../core/models/polyphonic/studio';
import { defaultRlModelName } from '../../../../core/models/rl/studio';
import { defaultVaeModelName, type InterpolatePayload, type ReconstructPayload } from '../../../../core/models/vae/studio';
import type { ModelStore } from './model-store';
import { checkNeuralRequest } from './neural-input';
import { preparePolyphonicGeneration, type PolyphonicGeneratePayload } from './polyphonic-input';
import { checkRlRequest } from './rl-input';
import { prepareVaeGeneration, type VaeGeneratePayload } from './vae-input';
import { viterbiOfPiece } from './viterbi';

type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
type ModelMethod = Extract<MethodName, `models.${string}` | `clips.${string}`>;

export interface ModelServiceDependencies {
  readonly models: ModelStore;
  readonly clips: ClipStore;
  readonly corpora: CorpusStore;
  readonly jobs: JobManager;
  readonly emit: Emit;
  /** Electron's native save dialog; absent in browser mode. */
  readonly chooseMidiSavePath?: (suggestedName: string) => Promise<string | null>;
}

export interface ModelService {
  readonly handlers: Pick<Handlers, ModelMethod>;
  /** Call before deleting a corpus (its models go with it); returns what to call once it is deleted. */
  beforeCorpusDeleted(corpusId: number): () => void;
}

function defaultName(settings: ModelSettings, startModel: ModelSummary | null): string {
  if (isHmmSettings(settings)) return defaultModelName(settings);
  if (isPolyphonicSettings(settings)) return defaultPolyphonicModelName(settings);
  if (isVaeSettings(settings)) return defaultVaeModelName(settings);
  if (isRlSettings(settings)) return defaultRlModelName(startModel?.name ?? `model ${settings.startModelId}`);
  return defaultNeuralModelName(settings);
}

/** Characters that a file name on some system cannot hold. */
const UNSAFE_FILE_CHARACTERS = /[\\/:*?"<>|]/g;

export function createModelService(dependencies: ModelServiceDependencies): ModelService {
  const { models, clips, corpora, jobs, emit } = dependencies;
  const announce = (modelId: number): void => emit('model.updated', { modelId, model: models.find(modelId) ?? null });

  const requireTrainSplit = (corpusId: number): { name: string } => {
    const corpus = corpora.list().find((candidate) => candidate.id === corpusId);
    if (!corpus) throw new StudioError(`There is no corpus ${corpusId}.`, 'invalid-input');
    if (corpora.splitCounts(corpusId).train === 0) {
      throw new StudioError(emptySplitError({ corpusName: corpus.name, split: 'train' }).message, 'invalid-input');
    }
    return corpus;
  };

  const enqueueTraining = (modelId: number, statusIfNotQueued: ModelSummary['status']): number => {
    try {
      const payload: TrainModelPayload = { modelId };
      const job = jobs.enqueue(TRAIN_MODEL_JOB, payload);
      models.setJob(modelId, job.id);
      return job.id;
    } catch (error) {
      models.setStatus(modelId, statusIfNotQueued);
      throw error;
    } finally {
      announce(modelId);
    }
  };

  const cancelTraining = (modelId: number): void => {
    const model = models.find(modelId);
    if (model?.status === 'training' && model.jobId !== null) jobs.cancel(model.jobId);
  };

  /** Checks a polyphonic request (model, clip, selection) now, then queues it as a generate job. */
  const enqueuePolyphonic = (payload: PolyphonicGeneratePayload): { jobId: number } => {
    preparePolyphonicGeneration({ models, clips }, models.get(payload.modelId), payload, false);
    return { jobId: jobs.enqueue(GENERATE_JOB, payload).id };
  };
  const chooseSeed = (seed: number | undefined): number => seed ?? crypto.randomInt(0, 2 ** 31 - 1);
  /** Checks a VAE request (model, clips, segments) now, then queues it as a generate job. */
  const enqueueVae = (payload: VaeGeneratePayload): { jobId: number } => {
    prepareVaeGeneration({ models, clips }, models.get(payload.modelId), payload, false);
    return { jobId: jobs.enqueue(GENERATE_JOB, payload).id };
  };

  const clipMidi = (clipId: number): { fileName: string; bytes: Uint8Array } => {
    const clip = clips.get(clipId);
    return { fileName: `${clip.name.replace(UNSAFE_FILE_CHARACTERS, '-')}.mid`, bytes: writeMidi(clip) };
  };

  const handlers: Pick<Handlers, ModelMethod> = {
    'models.list': () => models.list(),
    'models.get': ({ modelId }) => models.get(modelId),
    'models.train': ({ corpusId, name, settings }) => {
      const corpus = requireTrainSplit(corpusId);
      if (isNeuralSettings(settings)) checkNeuralRequest(corpora, corpusId, corpus.name, settings);
      const startModel = isRlSettings(settings) ? checkRlRequest(models, settings) : null;
      const modelId = models.create({ name: name ?? defaultName(settings, startModel), corpusId, settings });
      return { modelId, jobId: enqueueTraining(modelId, 'failed') };
    },
    'models.resume': ({ modelId, maxIterations }) => {
      const model = models.get(modelId);
      if (model.status === 'training') throw new StudioError(`“${model.name}” is training already.`, 'invalid-input');
      const settings = { ...model.settings, maxIterations: maxIterations ?? model.settings.maxIterations };
      const unit = isHmmSettings(model.settings) || isRlSettings(model.settings) ? 'iterations' : 'epochs';
      if (model.iterations >= settings.maxIterations) {
        throw new StudioError(`“${model.name}” has run ${model.iterations} of its ${settings.maxIterations} ${unit}: give a larger maximum to train it further.`, 'invalid-input');
      }
      requireTrainSplit(model.corpusId);
      // The start LSTM must still be there: the run resumes from it.
      if (isRlSettings(model.settings)) checkRlRequest(models, model.settings);
      const previous = model.status;
      models.prepareTraining(modelId, settings);
      return { jobId: enqueueTraining(modelId, previous) };
    },
    'models.delete': ({ modelId }) => {
      models.get(modelId);
      cancelTraining(modelId);
      models.delete(modelId);
      emit('model.updated', { modelId, model: null });
      // Its clips stay, without their model's name.
      emit('clips.changed', { clipId: null });
      return { ok: true };
    },
    'models.generate': (input) => {
      const model = models.get(input.modelId);
      if (!models.hasState(input.modelId)) {
        throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one iteration first.`, 'invalid-input');
      }
      if (isPolyphonicSettings(model.settings)) {
        return enqueuePolyphonic({ ...input, seed: chooseSeed(input.seed) });
      }
      if (isVaeSettings(model.settings)) return enqueueVae({ ...input, seed: chooseSeed(input.seed) });
      if (isHmmSettings(model.settings)) {
        const neuralOnly = [input.topK !== undefined && 'top-k', input.topP !== undefined && 'top-p', input.primerClipId !== undefined && 'a primer clip'].filter(Boolean);
        if (neuralOnly.length > 0) throw new StudioError(`An HMM samples from its own distributions: ${neuralOnly.join(', ')} apply to the LSTM and the transformer only.`, 'invalid-input');
      }
      // The primer must exist now, not fail the job later.
      if (input.primerClipId !== undefined) clips.get(input.primerClipId);
      const payload: GeneratePayload = { ...input, seed: chooseSeed(input.seed) };
      return { jobId: jobs.enqueue(GENERATE_JOB, payload).id };
    },
    'models.harmonize': (input) => {
      const payload: HarmonizePayload = { ...input, use: 'harmonize', seed: chooseSeed(input.seed) };
      return enqueuePolyphonic(payload);
    },
    'models.infill': (input) => {
      const payload: InfillPayload = { ...input, use: 'infill', seed: chooseSeed(input.seed) };
      return enqueuePolyphonic(payload);
    },
    'models.reconstruct': (input) => {
      const payload: ReconstructPayload = { ...input, use: 'reconstruct', seed: chooseSeed(input.seed) };
      return enqueueVae(payload);
    },
    'models.interpolate': (input) => {
      const payload: InterpolatePayload = { ...input, use: 'interpolate', seed: chooseSeed(input.seed) };
      return enqueueVae(payload);
    },
    'models.viterbi': (input) => {
      const { modelId } = input;
      const model = models.get(modelId);
      const { settings } = model;
      if (!isHmmSettings(settings)) throw new StudioError(`“${model.name}” is not an HMM: only HMMs have hidden states to decode.`, 'invalid-input');
      const state = models.state(modelId);
      if (state === null) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one iteration first.`, 'invalid-input');
      // A piece of the library, or a clip (what the editor shows).
      return viterbiOfPiece(state, settings, 'pieceId' in input ? corpora.loadPiece(input.pieceId) : clips.get(input.clipId));
    },

    'clips.list': () => clips.list(),
    'clips.get': ({ clipId }) => clips.get(clipId),
    'clips.create': ({ from, name }) => {
      const source = 'pieceId' in from ? corpora.loadPiece(from.pieceId) : clips.get(from.clipId);
      const modelId = 'clipId' in from ? clips.get(from.clipId).modelId : null;
      const clipId = clips.insert({ name: name ?? `${source.name} (edit)`, modelId, music: source });
      emit('clips.changed', { clipId });
      return clips.summary(clipId);
    },
    'clips.update': ({ clipId, name, music }) => {
      const summary = clips.update(clipId, { name, music });
      emit('clips.changed', { clipId });
      return summary;
    },
    'clips.delete': ({ clipId }) => {
      clips.delete(clipId);
      emit('clips.changed', { clipId });
      return { ok: true };
    },
    'clips.midi': ({ clipId }) => {
      const { fileName, bytes } = clipMidi(clipId);
      return { fileName, base64: Buffer.from(bytes).toString('base64') };
    },
    'clips.exportMidi': async ({ clipId }) => {
      if (!dependencies.chooseMidiSavePath) {
        throw new StudioError('Saving through a file dialog exists only in the desktop app; in the browser, the file is downloaded.', 'invalid-input');
      }
      const { fileName, bytes } = clipMidi(clipId);
      const target = await dependencies.chooseMidiSavePath(fileName);
      if (target === null) return { savedTo: null };
      fs.writeFileSync(target, bytes);
      return { savedTo: target };
    },
  };

  return {
    handlers,
    beforeCorpusDeleted(corpusId) {
      const modelIds = models.idsOfCorpus(corpusId);
      for (const modelId of modelIds) cancelTraining(modelId);
      return () => {
        for (const modelId of modelIds) emit('model.updated', { modelId, model: null });
        if (modelIds.length > 0) emit('clips.changed', { clipId: null });
      };
    },
  };
}
