/**
 * Training a VAE in a form a worker can drive: epochs over the train segments (shuffled, optionally
 * transposed), Adam with gradient clipping and MusicVAE's exponential learning-rate decay, the KL
 * weight annealed and free nats, scheduled sampling (two-pass, model.ts), held-out scores after every
 * epoch, early stopping on the held-out bound, best weights kept.
 *
 * Held-out numbers: −ELBO = E_q[−log p(x|z)] + KL(q‖p) (one z drawn per segment, a fixed seed per
 * epoch) is an upper bound on −log p(x), the segment's negative log-likelihood: reported as
 * `validNllBound` (nats per segment) and per token, never as the likelihood itself.
 *
 * Exact resume: every random draw comes from a stream that is a pure function of (seed, purpose,
 * epoch, batch) (random-streams.ts), and the checkpoint holds the weights, Adam's state, the epoch and
 * batch reached with the epoch's running sums, the best weights and the history. A run stopped between
 * two batches and resumed computes exactly what the uninterrupted run computes. `shouldStop` is polled
 * between batches.
 */
import { decodeArrays, encodeArrays, type EncodedArrays } from '../neural/weights-codec';
import { mixSeed, permutation, STREAM, stream } from '../neural/random-streams';
import { checkResumable, type EpochBatchProgress, type EpochTrainCallbacks, type TrainStopReason } from '../neural/training-run';
import { makeBatch } from './batches';
import { segmentSteps, type VaeConfig } from './config';
import { VaeError } from './errors';
import type { VaeModel, VaeScores, VaeWeights } from './model';
import { VaeNet } from './net';
import { klWeight, samplingProbability, validateSamplingSchedule, type SamplingSchedule } from './schedules';
import { allowedShifts, transposeTokens, validateSegmentTokens } from './tokens';
import type { RawKernels } from '../neural/raw-kernels';

export interface VaeTrainSettings {
  /** Segments per batch. */
  readonly batchSize: number;
  readonly maxEpochs: number;
  /** Early stopping: stop after this many epochs without a better held-out bound. */
  readonly patience: number;
  /** Each segment, each epoch, moved by a uniform shift in ±maxTranspose semitones that keeps it in range (0: none). */
  readonly maxTranspose: number;
  /** Gradients scaled to at most this global norm (0: no clipping). MusicVAE: 1. */
  readonly clipNorm: number;
  /** lr(t) = (lr₀ − min)·decayRate^t + min per optimiser step t (MusicVAE: 0.9999, 1e-5); 1: constant. */
  readonly decayRate: number;
  readonly minLearningRate: number;
  /** β(t) = maxBeta·(1 − betaRate^t). */
  readonly maxBeta: number;
  readonly betaRate: number;
  /** KL nats per segment that cost nothing (MusicVAE's free_bits × ln 2). */
  readonly freeNats: number;
  readonly sampling: SamplingSchedule;
  /** The first pass's predictions fed back: drawn from the softmax, or the argmax. */
  readonly samplingMode: 'sample' | 'argmax';
  /** Also decode the valid split greedily from μ after each epoch (step by step: slower than the rest). */
  readonly greedyValidation: boolean;
  readonly seed: number;
  /** Stop (as "time-limit") after the epoch during which this much training time has passed (0: no limit). */
  readonly maxSeconds: number;
}

/** MusicVAE's 2-bar melody settings (cat-mel_2bar), with a smaller batch for a CPU. */
export const DEFAULT_VAE_TRAIN_SETTINGS: VaeTrainSettings = {
  batchSize: 64,
  maxEpochs: 100,
  patience: 10,
  maxTranspose: 0,
  clipNorm: 1,
  decayRate: 0.9999,
  minLearningRate: 1e-5,
  maxBeta: 0.5,
  betaRate: 0.99999,
  freeNats: 0,
  sampling: { kind: 'inverse-sigmoid', rate: 1000, max: 1 },
  samplingMode: 'sample',
  greedyValidation: true,
  seed: 1,
  maxSeconds: 0,
};

export interface VaeData {
  /** Token segments of the model's length (segments.ts). */
  readonly train: readonly (readonly number[])[];
  /** Held-out segments for the bound and early stopping; none: no early stopping, the last weights kept. */
  readonly valid: readonly (readonly number[])[];
}

export interface VaeEpochRecord {
  readonly epoch: number;
  /** Optimiser steps done. */
  readonly steps: number;
  /** β and the scheduled-sampling probability at the epoch's last step. */
  readonly beta: number;
  readonly samplingProbability: number;
  readonly learningRate: number;
  /** Means per segment over the epoch's batches (as trained: z sampled, scheduled sampling on). */
  readonly trainLoss: number;
  readonly trainReconstruction: number;
  readonly trainKl: number;
  /** Token accuracy of the argmax given the fed previous tokens. */
  readonly trainAccuracy: number;
  /** −ELBO on the valid split, nats per segment (≥ its NLL); null without a valid split. */
  readonly validNllBound: number | null;
  readonly validNllBoundPerToken: number | null;
  readonly validReconstruction: number | null;
  readonly validKl: number | null;
  /** Teacher-forced token accuracy with z = μ. */
  readonly validAccuracy: number | null;
  /** Token accuracy of the greedy step-by-step decoding of μ (the reconstruction the composer gets). */
  readonly validGreedyAccuracy: number | null;
  readonly seconds: number;
}

interface EpochSums {
  readonly loss: number;
  readonly reconstruction: number;
  readonly kl: number;
  readonly correct: number;
  readonly tokens: number;
  readonly segments: number;
}

export interface VaeCheckpoint {
  readonly format: 'vae-checkpoint';
  readonly version: 1;
  readonly config: VaeConfig;
  readonly settings: VaeTrainSettings;
  /** How many train segments the run plans over (a resume must get the same data). */
  readonly trainSegments: number;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimiser steps done. */
  readonly steps: number;
  /** How far the current epoch went (null between epochs). */
  readonly position: { readonly nextBatch: number; readonly sums: EpochSums } | null;
  readonly weights: EncodedArrays;
  readonly optimizer: { readonly iterations: number; readonly learningRate: number; readonly moments: EncodedArrays };
  readonly best: { readonly epoch: number; readonly validNllBound: number; readonly weights: EncodedArrays } | null;
  readonly sinceImprovement: number;
  readonly history: readonly VaeEpochRecord[];
  readonly seconds: number;
}

export type VaeStopReason = TrainStopReason;

export interface VaeTrainResult {
  readonly stopReason: VaeStopReason;
  readonly epochs: number;
  readonly history: readonly VaeEpochRecord[];
  /** The best epoch by held-out bound (the last one without a valid split). */
  readonly best: { readonly epoch: number; readonly validNllBound: number | null };
  /** The weights to keep: the best epoch's (also set in the model), except when stopped. */
  readonly weights: VaeWeights;
  /** Where the run is now: resume from it (after a stop) or keep it. */
  readonly checkpoint: VaeCheckpoint;
  readonly seconds: number;
}

export type VaeBatchProgress = EpochBatchProgress;

export type VaeTrainCallbacks = EpochTrainCallbacks<VaeEpochRecord, VaeCheckpoint>;

/** Stream purposes of the VAE beyond random-streams' (held-out ε). */
const VALID_STREAM = 101;

export function validateVaeTrainSettings(settings: VaeTrainSettings): void {
  const fail = (message: string): never => {
    throw new VaeError(`VAE training settings: ${message}`);
  };
  const whole = (name: 'batchSize' | 'maxEpochs' | 'patience' | 'maxTranspose' | 'seed', min: number): void => {
    const value = settings[name];
    if (!Number.isInteger(value) || value < min) fail(`${name} must be a whole number ≥ ${min}, got ${String(value)}.`);
  };
  whole('batchSize', 1);
  whole('maxEpochs', 1);
  whole('patience', 1);
  whole('maxTranspose', 0);
  whole('seed', 0);
  if (!(settings.clipNorm >= 0 && Number.isFinite(settings.clipNorm))) fail(`clipNorm must be a number ≥ 0 (0: no clipping), got ${settings.clipNorm}.`);
  if (!(settings.decayRate > 0 && settings.decayRate <= 1)) fail(`decayRate must be in (0, 1], got ${settings.decayRate}.`);
  if (!(settings.minLearningRate > 0)) fail(`minLearningRate must be positive, got ${settings.minLearningRate}.`);
  if (!(settings.maxBeta >= 0 && Number.isFinite(settings.maxBeta))) fail(`maxBeta must be a number ≥ 0, got ${settings.maxBeta}.`);
  if (!(settings.betaRate >= 0 && settings.betaRate <= 1)) fail(`betaRate must be in [0, 1], got ${settings.betaRate}.`);
  if (!(settings.freeNats >= 0 && Number.isFinite(settings.freeNats))) fail(`freeNats must be a number ≥ 0, got ${settings.freeNats}.`);
  validateSamplingSchedule(settings.sampling);
  if (settings.samplingMode !== 'sample' && settings.samplingMode !== 'argmax') fail(`samplingMode must be 'sample' or 'argmax', got ${String(settings.samplingMode)}.`);
  if (typeof settings.greedyValidation !== 'boolean') fail('greedyValidation must be true or false.');
  if (!(settings.maxSeconds >= 0 && Number.isFinite(settings.maxSeconds))) fail(`maxSeconds must be a number ≥ 0 (0: no limit), got ${settings.maxSeconds}.`);
}

function validateData(data: VaeData, config: VaeConfig): void {
  if (data.train.length === 0) {
    throw new VaeError(`Training needs at least one segment of ${config.bars} bar(s) in the train split; none was long enough (or all were empty).`);
  }
  data.train.forEach((segment, k) => validateSegmentTokens(segment, config, `Train segment ${k + 1}`));
  data.valid.forEach((segment, k) => validateSegmentTokens(segment, config, `Valid segment ${k + 1}`));
}

/** The learning rate at optimiser step t. */
export function learningRateAt(config: VaeConfig, settings: VaeTrainSettings, step: number): number {
  return (config.learningRate - settings.minLearningRate) * Math.pow(settings.decayRate, step) + settings.minLearningRate;
}

/** Epoch e's order of the train segments and each one's transposition. */
function planEpoch(data: VaeData, config: VaeConfig, settings: VaeTrainSettings, epoch: number): { order: Int32Array; shifts: Int32Array } {
  const order = permutation(stream(settings.seed, STREAM.shuffle, epoch), data.train.length);
  const augment = stream(settings.seed, STREAM.augment, epoch);
  const shifts = Int32Array.from(data.train, (segment) => {
    if (settings.maxTranspose === 0) return 0;
    const [lowest, highest] = allowedShifts(segment as number[], settings.maxTranspose, config.range);
    return lowest + Math.floor(augment() * (highest - lowest + 1));
  });
  return { order, shifts };
}

function batchesIn(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/** Teacher-forced scores over segments in batches (z = μ, or drawn from a stream seeded with `seed`). */
export function scoreSegments(model: VaeModel, segments: readonly (readonly number[])[], seed: number | null, batchSize = 64): VaeScores & { readonly segments: number } {
  let reconstruction = 0;
  let kl = 0;
  let correct = 0;
  let tokens = 0;
  for (let from = 0, k = 0; from < segments.length; from += batchSize, k++) {
    const batch = makeBatch(segments.slice(from, from + batchSize), model.config);
    const scores = model.evaluate(batch, seed === null ? null : stream(seed, VALID_STREAM, k));
    reconstruction += scores.reconstruction;
    kl += scores.kl;
    correct += scores.correct;
    tokens += scores.tokens;
  }
  return { reconstruction, kl, correct, tokens, segments: segments.length };
}

/** Token accuracy of greedy reconstructions (encode → μ → decode at temperature 0). */
export function greedyAccuracy(weights: VaeWeights, segments: readonly (readonly number[])[], raw?: RawKernels): number {
  if (segments.length === 0) throw new VaeError('No segments to reconstruct.');
  const net = new VaeNet(weights, raw);
  const decoded = net.decode(net.encode(segments).mu, { temperature: 0 });
  let correct = 0;
  let total = 0;
  decoded.forEach((tokens, k) => {
    tokens.forEach((token, t) => {
      if (token === segments[k]![t]) correct++;
      total++;
    });
  });
  return correct / total;
}

async function buildCheckpoint(model: VaeModel, state: Omit<VaeCheckpoint, 'format' | 'version' | 'config' | 'weights' | 'optimizer'>): Promise<VaeCheckpoint> {
  const optimizer = await model.getOptimizerState();
  return {
    format: 'vae-checkpoint',
    version: 1,
    config: model.config,
    ...state,
    weights: encodeArrays(model.getWeights().weights),
    optimizer: {
      iterations: optimizer.iterations,
      learningRate: optimizer.learningRate,
      moments: encodeArrays(optimizer.moments.map((values, k) => ({ name: `moment_${k}`, shape: [values.length], values }))),
    },
  };
}

function float32Arrays(encoded: EncodedArrays): { name: string; shape: number[]; values: Float32Array }[] {
  return decodeArrays(encoded).map((array) => {
    if (!(array.values instanceof Float32Array)) throw new VaeError(`The checkpoint's "${array.name}" is not float32.`);
    return { name: array.name, shape: [...array.shape], values: array.values };
  });
}

/**
 * Trains `model` on `data` (a fresh run, or the run `resume` saved; its config must be the model's and
 * the data the same). Settings come from `settings`, or from the checkpoint when resuming. `raw`
 * (the engine's ops.raw) runs the greedy held-out decoding.
 */
export async function trainVae(model: VaeModel, data: VaeData, settings: VaeTrainSettings, callbacks: VaeTrainCallbacks = {}, resume?: VaeCheckpoint, raw?: RawKernels): Promise<VaeTrainResult> {
  const now = callbacks.now ?? (() => Date.now());
  const config = model.config;
  validateData(data, config);
  let epoch = 0;
  let steps = 0;
  let position: VaeCheckpoint['position'] = null;
  let best: VaeCheckpoint['best'] = null;
  let sinceImprovement = 0;
  const history: VaeEpochRecord[] = [];
  let secondsBefore = 0;
  if (resume) {
    checkResumable(resume, { format: 'vae-checkpoint', family: 'VAE', config }, (message) => new VaeError(message));
    if (resume.trainSegments !== data.train.length) {
      throw new VaeError(`The checkpoint was trained on ${resume.trainSegments} segments, this run has ${data.train.length}: resume with the same corpus and segment settings.`);
    }
    settings = resume.settings;
    validateVaeTrainSettings(settings);
    model.setWeights(float32Arrays(resume.weights));
    await model.setOptimizerState({
      iterations: resume.optimizer.iterations,
      learningRate: resume.optimizer.learningRate,
      moments: float32Arrays(resume.optimizer.moments).map((array) => array.values),
    });
    ({ epoch, steps, position, best, sinceImprovement } = resume);
    history.push(...resume.history);
    secondsBefore = resume.seconds;
  } else {
    validateVaeTrainSettings(settings);
  }
  const startedAt = now();
  const elapsed = (): number => secondsBefore + (now() - startedAt) / 1000;
  const snapshot = (): Promise<VaeCheckpoint> =>
    buildCheckpoint(model, { settings, trainSegments: data.train.length, epoch, steps, position, best, sinceImprovement, history: [...history], seconds: elapsed() });
  const T = segmentSteps(config);
  const batches = batchesIn(data.train.length, settings.batchSize);
  const clipNorm = settings.clipNorm > 0 ? settings.clipNorm : Infinity;

  let stopReason: VaeStopReason | null = null;
  while (stopReason === null) {
    if (epoch >= settings.maxEpochs) {
      stopReason = 'max-epochs';
      break;
    }
    const plan = planEpoch(data, config, settings, epoch);
    let nextBatch = position?.nextBatch ?? 0;
    let sums: EpochSums = position?.sums ?? { loss: 0, reconstruction: 0, kl: 0, correct: 0, tokens: 0, segments: 0 };
    while (nextBatch < batches) {
      if (callbacks.shouldStop?.()) {
        position = { nextBatch, sums };
        stopReason = 'stopped';
        break;
      }
      const indices = Array.from(plan.order.subarray(nextBatch * settings.batchSize, (nextBatch + 1) * settings.batchSize));
      const segments = indices.map((k) => transposeTokens(data.train[k] as number[], plan.shifts[k]!, config.range)!);
      model.setLearningRate(learningRateAt(config, settings, steps));
      const step = model.trainStep(makeBatch(segments, config), {
        beta: klWeight(steps, settings.maxBeta, settings.betaRate),
        freeNats: settings.freeNats,
        samplingProbability: samplingProbability(settings.sampling, steps),
        samplingMode: settings.samplingMode,
        random: stream(settings.seed, STREAM.sample, epoch, nextBatch),
        clipNorm,
      });
      steps++;
      sums = {
        loss: sums.loss + step.loss * segments.length,
        reconstruction: sums.reconstruction + step.reconstruction,
        kl: sums.kl + step.kl,
        correct: sums.correct + step.correct,
        tokens: sums.tokens + step.tokens,
        segments: sums.segments + segments.length,
      };
      nextBatch++;
      callbacks.onBatch?.({ epoch, batch: nextBatch, batches, loss: step.loss });
    }
    if (stopReason === 'stopped') break;
    position = null;
    epoch++;
    let valid: Pick<VaeEpochRecord, 'validNllBound' | 'validNllBoundPerToken' | 'validReconstruction' | 'validKl' | 'validAccuracy' | 'validGreedyAccuracy'> = {
      validNllBound: null,
      validNllBoundPerToken: null,
      validReconstruction: null,
      validKl: null,
      validAccuracy: null,
      validGreedyAccuracy: null,
    };
    if (data.valid.length > 0) {
      const sampled = scoreSegments(model, data.valid, mixSeed(settings.seed, VALID_STREAM, epoch));
      const atMean = scoreSegments(model, data.valid, null);
      const bound = (sampled.reconstruction + sampled.kl) / data.valid.length;
      valid = {
        validNllBound: bound,
        validNllBoundPerToken: bound / T,
        validReconstruction: sampled.reconstruction / data.valid.length,
        validKl: sampled.kl / data.valid.length,
        validAccuracy: atMean.correct / atMean.tokens,
        validGreedyAccuracy: settings.greedyValidation ? greedyAccuracy(model.getWeights(), data.valid, raw) : null,
      };
    }
    const lastStep = Math.max(0, steps - 1);
    const record: VaeEpochRecord = {
      epoch,
      steps,
      beta: klWeight(lastStep, settings.maxBeta, settings.betaRate),
      samplingProbability: samplingProbability(settings.sampling, lastStep),
      learningRate: model.learningRate,
      trainLoss: sums.loss / Math.max(1, sums.segments),
      trainReconstruction: sums.reconstruction / Math.max(1, sums.segments),
      trainKl: sums.kl / Math.max(1, sums.segments),
      trainAccuracy: sums.correct / Math.max(1, sums.tokens),
      ...valid,
      seconds: elapsed(),
    };
    if (record.validNllBound !== null && (!best || record.validNllBound < best.validNllBound)) {
      best = { epoch, validNllBound: record.validNllBound, weights: encodeArrays(model.getWeights().weights) };
      sinceImprovement = 0;
    } else if (record.validNllBound !== null) {
      sinceImprovement++;
    }
    history.push(record);
    await callbacks.onEpoch?.(record, snapshot);
    if (record.validNllBound !== null && sinceImprovement >= settings.patience) stopReason = 'converged';
    else if (settings.maxSeconds > 0 && elapsed() >= settings.maxSeconds) stopReason = 'time-limit';
  }

  const checkpoint = await snapshot();
  if (stopReason !== 'stopped' && best) model.setWeights(float32Arrays(best.weights));
  return {
    stopReason,
    epochs: epoch,
    history,
    best: best ? { epoch: best.epoch, validNllBound: best.validNllBound } : { epoch, validNllBound: null },
    weights: model.getWeights(),
    checkpoint,
    seconds: elapsed(),
  };
}
