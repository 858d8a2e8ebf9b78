/**
 * Training a polyphonic model by maximum likelihood, in a form a worker can drive: epochs over the
 * train split (whole pieces, batches of similar length, each piece transposed by a random shift that
 * keeps it inside the range), Adam with gradient clipping, the valid frame NLL after every epoch,
 * learning-rate decay when it plateaus, early stopping, and the best weights kept.
 *
 * Everything the run depends on is in its checkpoint (weights, Adam's state, the random state, the
 * current epoch's plan and position, history, best weights), as JSON-able data, so a run stopped
 * between two batches and resumed from its checkpoint computes exactly what the uninterrupted run
 * computes. `shouldStop` is polled between batches.
 */
import { checkResumable, type EpochBatchProgress, type EpochTrainCallbacks, type TrainStopReason } from '../neural/training-run';
import { batchIndices, makeFrameBatch, type FrameBatch } from './batches';
import type { PolyphonicConfig, WeightArray } from './config';
import { PolyphonicError } from './errors';
import { allowedShifts, type Frames } from './frames';
import type { PolyphonicModel, PolyphonicWeights } from './model';
import { SeededRandom } from './random';
import { decodeFloat32, decodeWeights, encodeFloat32, encodeWeights, type EncodedWeight } from './serialize';

export interface PolyphonicTrainSettings {
  /** Pieces per batch. */
  readonly batchSize: number;
  readonly maxEpochs: number;
  /** Early stopping: stop after this many epochs without a better valid NLL. */
  readonly patience: number;
  /** Transposition augmentation: each piece, each epoch, moved by a uniform shift in ±maxTranspose semitones that keeps it in range (0: none). */
  readonly maxTranspose: number;
  /** Gradients are scaled to at most this global norm (0: no clipping). */
  readonly clipNorm: number;
  /** After `decayPatience` epochs without a better valid NLL the learning rate is multiplied by this (1: never). */
  readonly decayFactor: number;
  readonly decayPatience: number;
  readonly minLearningRate: number;
  /** Seeds shuffling, transposition and dropout. */
  readonly seed: number;
  /** Stop (as "time-limit") after the epoch during which this much training time has passed (0: no limit). */
  readonly maxSeconds: number;
  /** Start the output biases of the pitches at their log-odds in the train split (a fresh run only). */
  readonly initBiasFromData: boolean;
  /**
   * Weight averaging (Polyak): an exponential moving average of the weights after every step, with
   * this decay (0: off), is what gets scored on the valid split and kept. The average of the last
   * few hundred steps generalises better than the last step's noisy weights.
   */
  readonly averageDecay: number;
}

/** What the JSB benchmark uses (bench/jsb-frame-nll.bench.ts), with fewer epochs at most. */
export const DEFAULT_TRAIN_SETTINGS: PolyphonicTrainSettings = {
  batchSize: 8,
  maxEpochs: 300,
  patience: 20,
  maxTranspose: 6,
  clipNorm: 5,
  decayFactor: 0.5,
  decayPatience: 6,
  minLearningRate: 1e-5,
  seed: 1,
  maxSeconds: 0,
  initBiasFromData: true,
  averageDecay: 0.998,
};

export interface PolyphonicData {
  readonly train: readonly Frames[];
  /** Held-out pieces for early stopping; none: no early stopping, the last weights are kept. */
  readonly valid: readonly Frames[];
}

export interface EpochRecord {
  readonly epoch: number;
  /** Mean −log p(frame) in nats over the epoch's training frames (with dropout, as trained). */
  readonly trainNll: number;
  /** On the valid split, no dropout; null without one. */
  readonly validNll: number | null;
  readonly learningRate: number;
  /** Training time at the end of this epoch, since the run began (resumes included). */
  readonly seconds: number;
}

interface EpochPlan {
  readonly batches: number[][];
  readonly shifts: number[][];
}

export interface PolyphonicCheckpoint {
  readonly format: 'polyphonic-checkpoint';
  readonly version: 1;
  readonly config: PolyphonicConfig;
  readonly settings: PolyphonicTrainSettings;
  /** Epochs completed. */
  readonly epoch: number;
  /** The current epoch's plan and how far it went (null between epochs). */
  readonly position: { readonly plan: EpochPlan; readonly nextBatch: number; readonly nll: number; readonly frames: number } | null;
  readonly randomState: number;
  readonly weights: readonly EncodedWeight[];
  readonly optimizer: { readonly iterations: number; readonly learningRate: number; readonly moments: readonly string[] };
  readonly best: { readonly epoch: number; readonly validNll: number; readonly weights: readonly EncodedWeight[] } | null;
  /** The running weight average (averageDecay > 0): steps averaged and values in variable order. */
  readonly average: { readonly steps: number; readonly values: readonly string[] } | null;
  readonly sinceImprovement: number;
  readonly sinceDecay: number;
  readonly history: readonly EpochRecord[];
  readonly seconds: number;
}

export type StopReason = TrainStopReason;

export interface PolyphonicTrainResult {
  readonly stopReason: StopReason;
  readonly epochs: number;
  readonly history: readonly EpochRecord[];
  /** The best epoch by valid NLL (the last one without a valid split). */
  readonly best: { readonly epoch: number; readonly validNll: number | null };
  /** The weights to keep: the best epoch's (also set in the model), except when stopped. */
  readonly weights: PolyphonicWeights;
  /** Where the run is now: resume from it (after a stop) or keep it. */
  readonly checkpoint: PolyphonicCheckpoint;
  readonly seconds: number;
}

export type BatchProgress = EpochBatchProgress;

export type PolyphonicTrainCallbacks = EpochTrainCallbacks<EpochRecord, PolyphonicCheckpoint>;

export function validateTrainSettings(settings: PolyphonicTrainSettings): void {
  const fail = (message: string): never => {
    throw new PolyphonicError(`Training settings: ${message}`);
  };
  const whole = (name: keyof PolyphonicTrainSettings, min: number): void => {
    const value = settings[name] as number;
    if (!Number.isInteger(value) || value < min) fail(`${name} must be a whole number ≥ ${min}, got ${value}.`);
  };
  whole('batchSize', 1);
  whole('maxEpochs', 1);
  whole('patience', 1);
  whole('maxTranspose', 0);
  whole('decayPatience', 1);
  whole('seed', 0);
  if (!(settings.clipNorm >= 0 && Number.isFinite(settings.clipNorm))) fail(`clipNorm must be a number ≥ 0 (0: no clipping), got ${settings.clipNorm}.`);
  if (!(settings.decayFactor > 0 && settings.decayFactor <= 1)) fail(`decayFactor must be in (0, 1], got ${settings.decayFactor}.`);
  if (!(settings.minLearningRate > 0)) fail(`minLearningRate must be positive, got ${settings.minLearningRate}.`);
  if (!(settings.maxSeconds >= 0 && Number.isFinite(settings.maxSeconds))) fail(`maxSeconds must be a number ≥ 0 (0: no limit), got ${settings.maxSeconds}.`);
  if (typeof settings.initBiasFromData !== 'boolean') fail(`initBiasFromData must be true or false.`);
  if (!(settings.averageDecay >= 0 && settings.averageDecay < 1)) fail(`averageDecay must be in [0, 1), got ${settings.averageDecay}.`);
}

function validateData(data: PolyphonicData, pitches: number): void {
  if (data.train.length === 0) throw new PolyphonicError('Training needs at least one piece in the train split.');
  for (const [split, pieces] of [['train', data.train], ['valid', data.valid]] as const) {
    pieces.forEach((piece, k) => {
      if (piece.pitches !== pitches) throw new PolyphonicError(`The ${split} split's piece ${k} has ${piece.pitches} pitches per frame; the model covers ${pitches}.`);
    });
  }
  if (!data.train.some((piece) => piece.steps > 0)) throw new PolyphonicError('Every piece of the train split is empty.');
}

/** Mean −log p(frame), nats, over pieces (no dropout): the held-out frame NLL. */
export function frameNll(model: PolyphonicModel, pieces: readonly Frames[], batchSize = 32): number {
  let nll = 0;
  let frames = 0;
  const nonEmpty = pieces.filter((piece) => piece.steps > 0);
  const order = nonEmpty.map((_, k) => k);
  for (const indices of batchIndices(order, nonEmpty.map((piece) => piece.steps), batchSize)) {
    const result = model.evaluate(makeFrameBatch(indices.map((k) => nonEmpty[k]!)));
    nll += result.nll;
    frames += result.frames;
  }
  if (frames === 0) throw new PolyphonicError('No frames to score.');
  return nll / frames;
}

/** The pitches' log-odds over the train split's frames, clamped to ±8 (a pitch never heard). */
function pitchLogOdds(pieces: readonly Frames[], pitches: number): Float32Array {
  const counts = new Float64Array(pitches);
  let frames = 0;
  for (const piece of pieces) {
    frames += piece.steps;
    for (let k = 0; k < piece.data.length; k++) if (piece.data[k]) counts[k % pitches] = counts[k % pitches]! + 1;
  }
  return Float32Array.from(counts, (count) => {
    const p = (count + 0.5) / (frames + 1);
    return Math.max(-8, Math.min(8, Math.log(p / (1 - p))));
  });
}

function planEpoch(data: PolyphonicData, settings: PolyphonicTrainSettings, random: SeededRandom): EpochPlan {
  const indices = data.train.map((_, k) => k).filter((k) => data.train[k]!.steps > 0);
  const order = random.shuffle(indices);
  const batches = random.shuffle(batchIndices(order, data.train.map((piece) => piece.steps), settings.batchSize));
  const shifts = batches.map((batch) =>
    batch.map((k) => {
      if (settings.maxTranspose === 0) return 0;
      const [lowest, highest] = allowedShifts(data.train[k]!, settings.maxTranspose);
      return lowest + random.below(highest - lowest + 1);
    }),
  );
  return { batches, shifts };
}

async function buildCheckpoint(
  model: PolyphonicModel,
  settings: PolyphonicTrainSettings,
  state: Omit<PolyphonicCheckpoint, 'format' | 'version' | 'config' | 'settings' | 'weights' | 'optimizer'>,
): Promise<PolyphonicCheckpoint> {
  const optimizer = await model.getOptimizerState();
  return {
    format: 'polyphonic-checkpoint',
    version: 1,
    config: model.config,
    settings,
    ...state,
    weights: encodeWeights(model.getWeights().weights),
    optimizer: { iterations: optimizer.iterations, learningRate: optimizer.learningRate, moments: optimizer.moments.map(encodeFloat32) },
  };
}

/**
 * Trains `model` on `data` (a fresh run, or the run `resume` saved; its config must be the model's).
 * Settings come from `settings`, or from the checkpoint when resuming.
 */
export async function trainPolyphonic(
  model: PolyphonicModel,
  data: PolyphonicData,
  settings: PolyphonicTrainSettings,
  callbacks: PolyphonicTrainCallbacks = {},
  resume?: PolyphonicCheckpoint,
): Promise<PolyphonicTrainResult> {
  const now = callbacks.now ?? (() => Date.now());
  validateData(data, model.pitches);
  let random: SeededRandom;
  let epoch = 0;
  let position: PolyphonicCheckpoint['position'] = null;
  let best: PolyphonicCheckpoint['best'] = null;
  let sinceImprovement = 0;
  let sinceDecay = 0;
  let average: { steps: number; values: Float32Array[] } | null = null;
  const history: EpochRecord[] = [];
  let secondsBefore = 0;
  if (resume) {
    checkResumable(resume, { format: 'polyphonic-checkpoint', family: 'polyphonic', config: model.config }, (message) => new PolyphonicError(message));
    settings = resume.settings;
    validateTrainSettings(settings);
    model.setWeights(decodeWeights(resume.weights));
    await model.setOptimizerState({
      iterations: resume.optimizer.iterations,
      learningRate: resume.optimizer.learningRate,
      moments: resume.optimizer.moments.map((moment, k) => decodeFloat32(moment, `optimizer moment ${k}`)),
    });
    random = SeededRandom.fromState(resume.randomState);
    ({ epoch, position, best, sinceImprovement, sinceDecay } = resume);
    if (resume.average) average = { steps: resume.average.steps, values: resume.average.values.map((values, k) => decodeFloat32(values, `weight average ${k}`)) };
    history.push(...resume.history);
    secondsBefore = resume.seconds;
  } else {
    validateTrainSettings(settings);
    random = new SeededRandom(settings.seed);
    if (settings.initBiasFromData) {
      const bias = model.getWeights().weights.find((weight) => weight.name === 'output/bias')!.values;
      bias.set(pitchLogOdds(data.train, model.pitches));
      model.setOutputBias(bias);
    }
  }
  const startedAt = now();
  const elapsed = (): number => secondsBefore + (now() - startedAt) / 1000;
  const snapshot = (): Promise<PolyphonicCheckpoint> =>
    buildCheckpoint(model, settings, {
      epoch,
      position,
      randomState: random.getState(),
      best,
      average: average ? { steps: average.steps, values: average.values.map(encodeFloat32) } : null,
      sinceImprovement,
      sinceDecay,
      history: [...history],
      seconds: elapsed(),
    });
  /** The weights to score and keep: the running average when there is one, else the current ones. */
  const keptWeights = (): WeightArray[] => {
    const current = [...model.getWeights().weights];
    return average ? current.map((weight, k) => ({ ...weight, values: Float32Array.from(average!.values[k]!) })) : current;
  };

  let stopReason: StopReason | null = null;
  while (stopReason === null) {
    if (epoch >= settings.maxEpochs) {
      stopReason = 'max-epochs';
      break;
    }
    if (!position) position = { plan: planEpoch(data, settings, random), nextBatch: 0, nll: 0, frames: 0 };
    const { plan } = position;
    let { nextBatch, nll, frames } = position;
    while (nextBatch < plan.batches.length) {
      if (callbacks.shouldStop?.()) {
        position = { plan, nextBatch, nll, frames };
        stopReason = 'stopped';
        break;
      }
      const batch: FrameBatch = makeFrameBatch(
        plan.batches[nextBatch]!.map((k) => data.train[k]!),
        plan.shifts[nextBatch],
      );
      const step = model.trainStep(batch, random, settings.clipNorm > 0 ? settings.clipNorm : Infinity);
      if (settings.averageDecay > 0) average = updateAverage(average, model.variableValues(), settings.averageDecay);
      nll += step.loss * batch.frames;
      frames += batch.frames;
      nextBatch++;
      callbacks.onBatch?.({ epoch, batch: nextBatch, batches: plan.batches.length, loss: step.loss });
    }
    if (stopReason === 'stopped') break;
    position = null;
    epoch++;
    let validNll: number | null = null;
    if (data.valid.length > 0) {
      if (average) {
        const current = model.getWeights().weights;
        model.setWeights(keptWeights());
        validNll = frameNll(model, data.valid);
        model.setWeights(current);
      } else {
        validNll = frameNll(model, data.valid);
      }
    }
    if (validNll !== null && (!best || validNll < best.validNll)) {
      best = { epoch, validNll, weights: encodeWeights(keptWeights()) };
      sinceImprovement = 0;
      sinceDecay = 0;
    } else if (validNll !== null) {
      sinceImprovement++;
      sinceDecay++;
      if (sinceDecay >= settings.decayPatience && settings.decayFactor < 1 && model.learningRate > settings.minLearningRate) {
        await model.setLearningRate(Math.max(settings.minLearningRate, model.learningRate * settings.decayFactor));
        sinceDecay = 0;
      }
    }
    const record: EpochRecord = { epoch, trainNll: nll / Math.max(1, frames), validNll, learningRate: model.learningRate, seconds: elapsed() };
    history.push(record);
    await callbacks.onEpoch?.(record, snapshot);
    if (validNll !== null && sinceImprovement >= settings.patience) stopReason = 'converged';
    else if (settings.maxSeconds > 0 && elapsed() >= settings.maxSeconds) stopReason = 'time-limit';
  }

  const checkpoint = await snapshot();
  if (stopReason !== 'stopped') model.setWeights(best ? decodeWeights(best.weights) : keptWeights());
  return {
    stopReason,
    epochs: epoch,
    history,
    best: best ? { epoch: best.epoch, validNll: best.validNll } : { epoch, validNll: null },
    weights: model.getWeights(),
    checkpoint,
    seconds: elapsed(),
  };
}

/** One step of the exponential moving average; the decay ramps up over the first steps ((1 + t) / (10 + t), as TensorFlow's). */
function updateAverage(average: { steps: number; values: Float32Array[] } | null, current: readonly Float32Array[], decay: number): { steps: number; values: Float32Array[] } {
  if (!average) return { steps: 1, values: current.map((values) => Float32Array.from(values)) };
  const d = Math.min(decay, (1 + average.steps) / (10 + average.steps));
  average.values.forEach((values, k) => {
    const now = current[k]!;
    for (let j = 0; j < values.length; j++) values[j] = d * values[j]! + (1 - d) * now[j]!;
  });
  return { steps: average.steps + 1, values: average.values };
}
