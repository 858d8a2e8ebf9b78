/**
 * What main prepares for a VAE's jobs from the database: the train and validation segments (cut on
 * the bar grid with the model's config; the pitch range chosen from the train split for a fresh run,
 * the checkpoint's for a resume), each checkpoint in the models table's terms, and for its uses
 * (sample, reconstruct, interpolate) the request on the kept model with the function that turns the
 * results into clips. Every check of a request runs here, so the handlers refuse a bad one before a
 * job is queued (VaeError: the composer's mistake, as invalid input).
 */
import { StudioError } from '../../../../core/ipc/envelope';
import type { ModelSummary, VaeSettings } from '../../../../core/ipc/schemas';
import type { GeneratePayload } from '../../../../core/models/hmm-studio/jobs';
import { clipName } from '../../../../core/models/hmm-studio/naming';
import { segmentSteps, type VaeConfig } from '../../../../core/models/vae/config';
import { VaeError } from '../../../../core/models/vae/errors';
import { VAE_FAMILY, type VaeCheckpointData, type VaeGenerateInput, type VaeGenerateRequest, type VaeGenerateResult, type VaeTrainInput, type VaeTrainWorkerResult } from '../../../../core/models/vae/jobs';
import { clipSegment, segmentCorpus } from '../../../../core/models/vae/segments';
import { tokensToPiece } from '../../../../core/models/vae/tokens';
import {
  chooseVaeRange,
  interpolationClipName,
  readVaeCheckpoint,
  vaeCheckpointWithMaxEpochs,
  vaeConfigOf,
  vaeModelOfCheckpoint,
  vaeStudioStopReason,
  vaeTrainingPointOf,
  vaeTrainSettingsOf,
  type VaeUsePayload,
} from '../../../../core/models/vae/studio';
import type { Piece } from '../../../../core/music/types';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import type { ModelStore } from './model-store';
import { secondsCounter, type CheckpointedTrainingRun } from './training-run';

function vae<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw error instanceof VaeError ? new StudioError(error.message, 'invalid-input') : error;
  }
}

export interface VaeTrainRequest {
  readonly corpora: CorpusStore;
  readonly model: ModelSummary;
  readonly settings: VaeSettings;
  /** The stored checkpoint (models.resume), or null for a fresh run. */
  readonly resume: unknown;
}

export function vaeTrainingRun({ corpora, model, settings, resume }: VaeTrainRequest): CheckpointedTrainingRun {
  const input = vae((): VaeTrainInput => {
    const trainPieces = corpora.loadPieces(model.corpusId, 'train');
    const checkpoint = resume === null || resume === undefined ? null : vaeCheckpointWithMaxEpochs(readVaeCheckpoint(resume), settings.maxIterations);
    const config = checkpoint?.config ?? vaeConfigOf(settings, chooseVaeRange(trainPieces, settings.transpose, `The train split of “${model.corpusName}”`));
    const train = segmentCorpus(trainPieces, config).segments.map((segment) => segment.tokens);
    let valid: (readonly number[])[] = [];
    try {
      valid = segmentCorpus(corpora.loadPieces(model.corpusId, 'valid'), config).segments.map((segment) => segment.tokens);
    } catch (error) {
      // A validation split without a usable segment gives no held-out bound rather than a failure.
      if (!(error instanceof VaeError)) throw error;
    }
    return { family: VAE_FAMILY, config, settings: checkpoint?.settings ?? vaeTrainSettingsOf(settings), train, valid, resume: checkpoint };
  });
  const tokens = segmentSteps(input.config);
  const added = secondsCounter(input.resume?.seconds ?? 0);
  return {
    input,
    transfer: [],
    checkpointOf(raw) {
      const data = raw as Partial<VaeCheckpointData> | null;
      if (data?.type !== 'checkpoint' || data.checkpoint?.format !== 'vae-checkpoint') return null;
      const { checkpoint } = data as VaeCheckpointData;
      return {
        iteration: checkpoint.epoch,
        points: data.points!.map((record) => vaeTrainingPointOf(record, checkpoint.config)),
        seconds: added(checkpoint.seconds),
        state: checkpoint,
        engine: data.engine!,
        trainTokens: data.trainSegments! * tokens,
        engineReason: data.engineReason,
        validLogLikelihoodPerToken: checkpoint.best ? -checkpoint.best.validNllBound / tokens : null,
      };
    },
    outcome(raw) {
      const result = raw as VaeTrainWorkerResult | undefined;
      if (!result) return { validLogLikelihoodPerToken: null, iterations: 0, stopReason: 'stopped' };
      const bound = result.best.validNllBound;
      return { validLogLikelihoodPerToken: bound === null ? null : -bound / tokens, iterations: result.epochs, stopReason: vaeStudioStopReason(result.stopReason) };
    },
  };
}

/** A VAE's generation request: models.generate (samples from the prior), models.reconstruct or models.interpolate. */
export type VaeGeneratePayload = GeneratePayload | VaeUsePayload;

export interface PreparedVaeGeneration {
  readonly input: VaeGenerateInput;
  /** The clips to store from the worker's result, named. */
  clipsOf(result: VaeGenerateResult): { name: string; music: Piece }[];
}

/** The stored VAE's config (read by SQLite from its checkpoint). */
function vaeConfigOfModel(models: ModelStore, model: ModelSummary): VaeConfig {
  const config = models.stateField(model.id, '$.config') as VaeConfig | undefined;
  if (!config) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one epoch first.`, 'invalid-input');
  return config;
}

const USE_VERBS: Record<VaeUsePayload['use'], string> = { reconstruct: 'reconstruct a clip', interpolate: 'interpolate between clips' };

/** Results as a clip at a tempo (the worker's pieces are at 120 bpm): one segment each, or all back to back. */
function piecesOf(result: VaeGenerateResult, config: VaeConfig, bpm: number, name: (index: number) => string): Piece[] {
  return result.items.map((item, index) => tokensToPiece([item.tokens], config, { name: name(index), tempos: [{ ticks: 0, bpm }] }));
}

/** Checks the request against its model and clips and prepares the worker's input; `withModel` false leaves the weights out (a check only). */
export function prepareVaeGeneration(
  { models, clips }: { readonly models: ModelStore; readonly clips: ClipStore },
  model: ModelSummary,
  payload: VaeGeneratePayload,
  withModel = true,
): PreparedVaeGeneration {
  if (model.family !== 'vae') {
    const use = 'use' in payload && (payload.use === 'reconstruct' || payload.use === 'interpolate') ? payload.use : null;
    const what = model.family === 'hmm' ? 'an HMM' : model.family === 'lstm' ? 'an LSTM' : model.family === 'rl' ? 'an RL-tuned model' : `a ${model.family} model`;
    throw new StudioError(`“${model.name}” is ${what}: only a VAE can ${use ? USE_VERBS[use] : 'sample from a latent prior'}.`, 'invalid-input');
  }
  if (!models.hasState(model.id)) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one epoch first.`, 'invalid-input');
  const config = vaeConfigOfModel(models, model);
  return vae(() => {
    let request: VaeGenerateRequest;
    let clipsOf: PreparedVaeGeneration['clipsOf'];
    if ('use' in payload && payload.use === 'reconstruct') {
      const clip = clips.get(payload.clipId);
      const tokens = clipSegment(clip, config, { startBar: payload.startBar });
      const tempo = clip.tempos[0]?.bpm ?? 120;
      request = { use: 'reconstruct', sources: Array.from({ length: payload.count }, () => ({ tokens })), options: { temperature: payload.temperature, seed: payload.seed } };
      clipsOf = (result) => piecesOf(result, config, tempo, (index) => `${clip.name} – reconstructed ${index + 1} (${model.name})`).map((music) => ({ name: music.name, music }));
    } else if ('use' in payload && payload.use === 'interpolate') {
      const from = clips.get(payload.from.clipId);
      const to = clips.get(payload.to.clipId);
      const start = clipSegment(from, config, { startBar: payload.from.startBar });
      const end = clipSegment(to, config, { startBar: payload.to.startBar });
      const tempo = from.tempos[0]?.bpm ?? 120;
      const name = interpolationClipName(from.name, to.name, payload.method, payload.steps);
      request = { use: 'interpolate', from: { tokens: start }, to: { tokens: end }, steps: payload.steps, options: { temperature: payload.temperature, seed: payload.seed, method: payload.method } };
      clipsOf = (result) => [{ name, music: tokensToPiece(result.items.map((item) => item.tokens), config, { name, tempos: [{ ticks: 0, bpm: tempo }] }) }];
    } else {
      const generate = payload as GeneratePayload;
      if (generate.primerClipId !== undefined) {
        throw new VaeError('A VAE samples whole segments from its latent prior: it cannot continue a primer clip. Use “reconstruct” or “interpolate” to start from a clip.');
      }
      if (generate.topP !== undefined) throw new VaeError('A VAE samples with a temperature (and top-k): top-p does not apply to it.');
      if (typeof generate.temperature !== 'number') throw new VaeError('A VAE takes one temperature, not an HMM’s pair.');
      request = { use: 'sample', count: generate.count, options: { temperature: generate.temperature, topK: generate.topK, seed: generate.seed } };
      const first = clips.countOfModel(model.id) + 1;
      const tempo = models.typicalTempo(model.corpusId);
      clipsOf = (result) => piecesOf(result, config, tempo, (index) => clipName(model.name, first + index)).map((music) => ({ name: music.name, music }));
    }
    const state = withModel ? models.state(model.id) : null;
    const serialized = state === null ? null : vaeModelOfCheckpoint(readVaeCheckpoint(state));
    return { input: { family: VAE_FAMILY, model: serialized!, request }, clipsOf };
  });
}
