/**
 * What main prepares for the polyphonic models' jobs from the database: the train and validation
 * frames (transferred to the worker, not stored with the job), the checkpoint to resume, each stored
 * checkpoint in the models table's terms, and for generation the piano roll of the composer's clip
 * (harmonize, infill, continue) with the function that turns a result back into a clip. Every check
 * of a request runs here, so the handlers refuse a bad one before a job is queued and the job
 * prepares the same request when it starts.
 */
import { StudioError } from '../../../../core/ipc/envelope';
import type { ModelSummary, PolyphonicSettings } from '../../../../core/ipc/schemas';
import type { GeneratePayload } from '../../../../core/models/hmm-studio/jobs';
import { clipName } from '../../../../core/models/hmm-studio/naming';
import { lengthInSteps, prepareContinue, prepareHarmonize, prepareInfill, type ModelFrame, type PreparedUse } from '../../../../core/models/polyphonic/clips';
import type { PolyphonicConfig } from '../../../../core/models/polyphonic/config';
import { PolyphonicError } from '../../../../core/models/polyphonic/errors';
import type { PitchRange } from '../../../../core/models/polyphonic/frames';
import {
  POLYPHONIC_FAMILY,
  type HarmonizePayload,
  type InfillPayload,
  type PolyphonicCheckpointData,
  type PolyphonicGenerateJobInput,
  type PolyphonicGenerateRequest,
  type PolyphonicTrainInput,
  type PolyphonicTrainWorkerResult,
} from '../../../../core/models/polyphonic/jobs';
import {
  checkpointWithMaxEpochs,
  chooseTrainingRange,
  framesOfPieces,
  polyphonicConfigOf,
  polyphonicKindLabel,
  polyphonicTrainSettingsOf,
  readPolyphonicCheckpoint,
  studioStopReason,
  trainingPointOf,
} from '../../../../core/models/polyphonic/studio';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import type { Checkpoint, ModelStore } from './model-store';
import { secondsCounter, type CheckpointedTrainingRun } from './training-run';

/** A PolyphonicError (the composer's mistake) as the studio's invalid-input error; anything else as it is. */
export function asStudioError(error: unknown): unknown {
  return error instanceof PolyphonicError ? new StudioError(error.message, 'invalid-input') : error;
}

function polyphonic<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw asStudioError(error);
  }
}

export interface PolyphonicTrainRequest {
  readonly corpora: CorpusStore;
  readonly model: ModelSummary;
  readonly settings: PolyphonicSettings;
  /** The stored checkpoint (models.resume), or null for a fresh run. */
  readonly resume: unknown;
}

/**
 * The run's frames and settings. A fresh run chooses its pitch range from the train split; a resumed
 * one keeps its checkpoint's config (range included) and reads the same pieces, allowed the
 * settings' (possibly raised) epoch limit.
 */
export function polyphonicTrainInput({ corpora, model, settings, resume }: PolyphonicTrainRequest): { input: PolyphonicTrainInput; transfer: ArrayBuffer[] } {
  return polyphonic(() => {
    const trainPieces = corpora.loadPieces(model.corpusId, 'train');
    const checkpoint = resume === null || resume === undefined ? null : checkpointWithMaxEpochs(readPolyphonicCheckpoint(resume), settings.maxIterations);
    const config: PolyphonicConfig = checkpoint?.config ?? polyphonicConfigOf(settings, chooseTrainingRange(trainPieces, settings.transpose, `The train split of “${model.corpusName}”`));
    const train = framesOfPieces(trainPieces, config.range, config.resolution);
    if (train.skipped.length > 0) {
      // Only a resumed run can meet this: its range was chosen from the pieces the split had then.
      throw new PolyphonicError(`The train split of “${model.corpusName}” has changed since this model started: “${train.skipped[0]}” has notes outside its range ${config.range.low}..${config.range.high}. Train a new model.`);
    }
    // Validation pieces with notes outside the range cannot be scored: they are left out.
    const valid = framesOfPieces(corpora.loadPieces(model.corpusId, 'valid'), config.range, config.resolution).frames;
    const input: PolyphonicTrainInput = { family: POLYPHONIC_FAMILY, config, settings: polyphonicTrainSettingsOf(settings), train: train.frames, valid, resume: checkpoint };
    return { input, transfer: [...train.frames, ...valid].map((frames) => frames.data.buffer as ArrayBuffer) };
  });
}

/** A polyphonic run as the train job drives it: its held-out score is the best epoch's frame NLL (negated). */
export function polyphonicTrainingRun(request: PolyphonicTrainRequest): CheckpointedTrainingRun {
  const { input, transfer } = polyphonicTrainInput(request);
  const added = secondsCounter(input.resume?.seconds ?? 0);
  return {
    input,
    transfer,
    checkpointOf: (data) => (isPolyphonicCheckpointData(data) ? polyphonicCheckpoint(data, added(data.checkpoint.seconds)) : null),
    outcome(raw) {
      const result = raw as PolyphonicTrainWorkerResult | undefined;
      if (!result) return { validLogLikelihoodPerToken: null, iterations: 0, stopReason: 'stopped' };
      const validNll = result.best.validNll;
      return { validLogLikelihoodPerToken: validNll === null ? null : -validNll, iterations: result.epochs, stopReason: studioStopReason(result.stopReason) };
    },
  };
}

/**
 * A checkpoint the worker sent, as the models table stores it: the checkpoint is the state, the
 * epochs since the last one are the curve's new points, the held-out score is the best epoch's.
 * `seconds` is the training time since the previous checkpoint (the table adds it up).
 */
export function polyphonicCheckpoint(data: PolyphonicCheckpointData, seconds: number): Checkpoint {
  const best = data.checkpoint.best;
  return {
    iteration: data.epoch,
    points: data.points.map(trainingPointOf),
    seconds,
    state: data.checkpoint,
    engine: data.engine,
    trainTokens: data.trainFrames,
    engineReason: data.engineReason,
    validLogLikelihoodPerToken: best ? -best.validNll : null,
  };
}

export function isPolyphonicCheckpointData(data: unknown): data is PolyphonicCheckpointData {
  const candidate = data as Partial<PolyphonicCheckpointData> | null;
  return candidate?.type === 'checkpoint' && typeof candidate.epoch === 'number' && typeof candidate.checkpoint === 'object';
}

/** The range and resolution of a stored polyphonic model (read by SQLite from its checkpoint). */
export function polyphonicModelFrame(models: ModelStore, model: ModelSummary): ModelFrame {
  const range = models.stateField(model.id, '$.config.range') as PitchRange | undefined;
  const resolution = models.stateField(model.id, '$.config.resolution') as number | undefined;
  if (!range || typeof resolution !== 'number') throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one epoch first.`, 'invalid-input');
  return { range, resolution };
}

/** A generation request on a polyphonic model: models.generate (continue), models.harmonize or models.infill. */
export type PolyphonicGeneratePayload = GeneratePayload | HarmonizePayload | InfillPayload;

export interface PreparedPolyphonicGeneration {
  readonly input: PolyphonicGenerateJobInput;
  /** The clip's name of result `index` (0-based). */
  name(index: number): string;
  compose: PreparedUse<unknown>['compose'];
}

export interface PolyphonicGenerateDependencies {
  readonly models: ModelStore;
  readonly clips: ClipStore;
}

/** Checks the request against its clip and model and prepares the worker's input; `withCheckpoint` false leaves the state out (a check only). */
export function preparePolyphonicGeneration(
  { models, clips }: PolyphonicGenerateDependencies,
  model: ModelSummary,
  payload: PolyphonicGeneratePayload,
  withCheckpoint = true,
): PreparedPolyphonicGeneration {
  if (model.family !== 'polyphonic' || !('family' in model.settings) || model.settings.family !== 'polyphonic') {
    const use = 'use' in payload ? payload.use : 'continue';
    throw new StudioError(`“${model.name}” is ${model.family === 'hmm' ? 'an HMM' : `a ${model.family} model`}: only a polyphonic model can ${use === 'harmonize' ? 'harmonize a melody' : 'infill a region'}.`, 'invalid-input');
  }
  if (!models.hasState(model.id)) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one epoch first.`, 'invalid-input');
  const frame = polyphonicModelFrame(models, model);
  const label = polyphonicKindLabel(model.settings.kind);
  return polyphonic(() => {
    let prepared: PreparedUse<unknown>;
    let request: PolyphonicGenerateRequest;
    let name: (index: number) => string;
    let temperature: number;
    if ('use' in payload && payload.use === 'harmonize') {
      temperature = payload.temperature;
      const clip = clips.get(payload.clipId);
      const use = prepareHarmonize(clip, payload.track, payload.notes, frame, `Harmony (${label})`);
      prepared = use;
      request = { use: 'harmonize', melody: use.request.melody, options: { temperature, restSteps: payload.restSteps } };
      name = (index) => `${clip.name} – harmonized ${index + 1} (${model.name})`;
    } else if ('use' in payload && payload.use === 'infill') {
      temperature = payload.temperature;
      const clip = clips.get(payload.clipId);
      const use = prepareInfill(clip, payload.region, frame, `Infill (${label})`);
      prepared = use;
      request = { use: 'infill', roll: use.request.roll, region: use.request.region, options: { temperature, lookahead: payload.lookahead } };
      name = (index) => `${clip.name} – infilled ${index + 1} (${model.name})`;
    } else {
      const generate = payload as GeneratePayload;
      const refused = [generate.topK !== undefined && 'top-k', generate.topP !== undefined && 'top-p'].filter(Boolean);
      if (refused.length > 0) throw new PolyphonicError(`A polyphonic model samples whole frames from its joint distribution: ${refused.join(' and ')} do not apply to it.`);
      temperature = typeof generate.temperature === 'number' ? generate.temperature : generate.temperature.emission;
      if (!(temperature > 0)) throw new PolyphonicError('A polyphonic model samples at a temperature above 0 (the likeliest frame of a NADE cannot be found exactly): use a small temperature such as 0.3 instead.');
      const primer = generate.primerClipId === undefined ? null : clips.get(generate.primerClipId);
      const use = prepareContinue(primer, frame, { tempoBpm: models.typicalTempo(model.corpusId), trackName: label, continuationTrackName: `Continuation (${label})` });
      prepared = use;
      request = { use: 'continue', primer: use.request.primer, steps: lengthInSteps(generate.length, frame.resolution), options: { temperature } };
      const first = clips.countOfModel(model.id) + 1;
      name = primer ? (index) => `${primer.name} – continued ${index + 1} (${model.name})` : (index) => clipName(model.name, first + index);
    }
    const checkpoint = withCheckpoint ? models.stateJson(model.id) : '';
    if (checkpoint === null) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one epoch first.`, 'invalid-input');
    return {
      input: { family: POLYPHONIC_FAMILY, checkpoint, request, count: payload.count, seed: payload.seed },
      name,
      compose: (roll) => prepared.compose(roll),
    };
  });
}
