/**
 * The VAE family as the studio stores and runs it: the composer's VaeSettings (core/ipc/schemas.ts)
 * mapped to the model's config and training settings, the pitch range chosen from the train split,
 * the training curve in the studio's TrainingPoint form, the requests of models.reconstruct and
 * models.interpolate as generate-job payloads, and the model kept for its uses read back from a
 * stored checkpoint.
 *
 * What the studio stores as a VAE's state is its latest VaeCheckpoint (train.ts): it resumes a
 * stopped run exactly and holds the best epoch's weights, which the uses and the comparison take
 * (`vaeModelOfCheckpoint`), so one document serves both.
 *
 * Per token: a segment holds bars × stepsPerBar tokens. The curve's logLikelihoodPerToken is
 * −(train reconstruction + KL) per token, i.e. minus the epoch's training −ELBO per token (β = 1,
 * free bits ignored: the bound, not the annealed loss); validLogLikelihoodPerToken is minus the
 * held-out −ELBO per token, a LOWER bound on the log-likelihood (likelihoodMeaning says so).
 */
import { z } from 'zod';
import { InterpolateInputSchema, ReconstructInputSchema, type TrainingPoint, type VaeSettings } from '../../ipc/schemas';
import type { Piece } from '../../music/types';
import { trainingRangeOf } from '../polyphonic/corpus';
import { segmentSteps, type PitchRange, type VaeConfig } from './config';
import { VaeError } from './errors';
import type { SerializedVaeModel } from './serialize';
import { DEFAULT_VAE_TRAIN_SETTINGS, type VaeCheckpoint, type VaeEpochRecord, type VaeStopReason, type VaeTrainSettings } from './train';

const LN2 = Math.log(2);

/** The train split's span widened by `transpose` within the piano's keys (or MIDI's range when the music leaves the piano). */
export function chooseVaeRange(trainPieces: readonly Piece[], transpose: number, what = 'The train split'): PitchRange {
  const range = trainingRangeOf(trainPieces, transpose);
  if (!range) throw new VaeError(`${what} has no notes: a VAE needs melodies to learn from.`);
  return range;
}

export function vaeConfigOf(settings: VaeSettings, range: PitchRange): VaeConfig {
  return {
    range,
    stepsPerQuarter: settings.resolution,
    stepsPerBar: settings.beatsPerBar * settings.resolution,
    bars: settings.bars,
    hierarchical: settings.hierarchical,
    encoderUnits: settings.encoderUnits,
    latentSize: settings.latentSize,
    conductorUnits: settings.conductorUnits,
    decoderUnits: settings.decoderUnits,
    learningRate: settings.learningRate,
    seed: settings.seed,
  };
}

/**
 * The training settings: the composer's epochs, batch, patience (0: never stop early), transposition,
 * KL annealing, free bits (bits → nats) and scheduled-sampling rate (0: teacher forcing only); the
 * rest MusicVAE's (clipping, learning-rate decay) as DEFAULT_VAE_TRAIN_SETTINGS has them.
 */
export function vaeTrainSettingsOf(settings: VaeSettings): VaeTrainSettings {
  return {
    ...DEFAULT_VAE_TRAIN_SETTINGS,
    batchSize: settings.batchSize,
    maxEpochs: settings.maxIterations,
    patience: settings.patience === 0 ? Number.MAX_SAFE_INTEGER : settings.patience,
    maxTranspose: settings.transpose,
    maxBeta: settings.maxBeta,
    betaRate: settings.betaRate,
    freeNats: settings.freeBits * LN2,
    sampling: settings.samplingRate === 0 ? { kind: 'constant', probability: 0 } : { kind: 'inverse-sigmoid', rate: settings.samplingRate, max: 1 },
    seed: settings.seed,
  };
}

/** e.g. "MusicVAE 2 bars · z 256" (flat models say so). */
export function defaultVaeModelName(settings: VaeSettings): string {
  return `MusicVAE${settings.hierarchical ? '' : ' (flat)'} ${settings.bars} bar${settings.bars === 1 ? '' : 's'} · z ${settings.latentSize}`;
}

/** An epoch's record as a point of the studio's curve (see the notes at the top), with the VAE's own numbers in `metrics`. */
export function vaeTrainingPointOf(record: VaeEpochRecord, config: Pick<VaeConfig, 'bars' | 'stepsPerBar'>): TrainingPoint {
  const tokens = segmentSteps(config);
  const metrics: Record<string, number> = {
    reconstructionAccuracy: record.trainAccuracy,
    reconstruction: record.trainReconstruction / tokens,
    kl: record.trainKl,
    beta: record.beta,
    samplingProbability: record.samplingProbability,
  };
  if (record.validNllBoundPerToken !== null) metrics.validNllBoundPerToken = record.validNllBoundPerToken;
  if (record.validNllBound !== null) metrics.validNllBound = record.validNllBound;
  if (record.validKl !== null) metrics.validKl = record.validKl;
  if (record.validAccuracy !== null) metrics.validAccuracy = record.validAccuracy;
  if (record.validGreedyAccuracy !== null) metrics.validGreedyAccuracy = record.validGreedyAccuracy;
  return {
    iteration: record.epoch,
    logLikelihoodPerToken: -(record.trainReconstruction + record.trainKl) / tokens,
    trainLoss: record.trainLoss / tokens,
    ...(record.validNllBoundPerToken === null ? {} : { validLoss: record.validNllBoundPerToken, validLogLikelihoodPerToken: -record.validNllBoundPerToken }),
    learningRate: record.learningRate,
    metrics,
  };
}

/** The job result's reason in the studio's words (a time limit is an iteration limit to the composer). */
export function vaeStudioStopReason(reason: VaeStopReason): 'converged' | 'max-iterations' | 'stopped' {
  return reason === 'converged' ? 'converged' : reason === 'stopped' ? 'stopped' : 'max-iterations';
}

/** A stored state, checked to be a VAE checkpoint (JSON text or parsed). */
export function readVaeCheckpoint(state: unknown): VaeCheckpoint {
  const parsed: unknown = typeof state === 'string' ? JSON.parse(state) : state;
  const candidate = parsed as Partial<VaeCheckpoint> | null;
  if (!candidate || candidate.format !== 'vae-checkpoint' || candidate.version !== 1 || !candidate.config || !candidate.weights) {
    throw new VaeError('The stored model is not a VAE training checkpoint: train it again.');
  }
  return candidate as VaeCheckpoint;
}

/** The model a checkpoint keeps: the best epoch's weights (by held-out bound), else the current ones. */
export function vaeModelOfCheckpoint(checkpoint: VaeCheckpoint): SerializedVaeModel {
  return { format: 'vae-model', version: 1, config: checkpoint.config, weights: checkpoint.best?.weights ?? checkpoint.weights };
}

/** The checkpoint to resume, allowed `maxEpochs` epochs in all (models.resume may raise the limit). */
export function vaeCheckpointWithMaxEpochs(checkpoint: VaeCheckpoint, maxEpochs: number): VaeCheckpoint {
  return { ...checkpoint, settings: { ...checkpoint.settings, maxEpochs } };
}

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** models.reconstruct as a generate job's payload (its seed chosen). */
export const ReconstructPayloadSchema = ReconstructInputSchema.extend({ use: z.literal('reconstruct'), seed });
export type ReconstructPayload = z.infer<typeof ReconstructPayloadSchema>;

/** models.interpolate as a generate job's payload (its seed chosen). */
export const InterpolatePayloadSchema = InterpolateInputSchema.extend({ use: z.literal('interpolate'), seed });
export type InterpolatePayload = z.infer<typeof InterpolatePayloadSchema>;

export type VaeUsePayload = ReconstructPayload | InterpolatePayload;

export function isVaeUsePayload(payload: object): payload is VaeUsePayload {
  return 'use' in payload && (payload.use === 'reconstruct' || payload.use === 'interpolate');
}

/** The name of an interpolation's clip, e.g. "A → B (slerp, 5 steps)". */
export function interpolationClipName(from: string, to: string, method: string, steps: number): string {
  return `${from} → ${to} (${method}, ${steps} steps)`;
}
