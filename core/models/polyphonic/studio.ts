/**
 * The polyphonic family as the studio stores and runs it: the composer's PolyphonicSettings mapped to
 * the model's config and training settings, the pitch range chosen from the corpus, the frames of a
 * split, the training curve in the studio's TrainingPoint form, and the model kept for generation
 * read back from a stored checkpoint.
 *
 * What the studio stores as a polyphonic model's state is its latest PolyphonicCheckpoint (train.ts):
 * it resumes a stopped run exactly, and it holds the best epoch's weights, which generation and the
 * comparison use (`modelOfCheckpoint`), so one document serves both.
 *
 * The pitch range is the train split's lowest to highest note, widened by `transpose` semitones on
 * each side (so transposition augmentation has room to move every piece) but never beyond the
 * piano's 88 keys (21..108) when the music fits on them, else MIDI's 0..127. Pieces of the validation
 * split with a note outside that range cannot be scored and are left out of the held-out NLL.
 */
import type { PolyphonicSettings, TrainingPoint } from '../../ipc/schemas';
import type { Piece } from '../../music/types';
import type { PolyphonicConfig } from './config';
import { framesFromPiece, trainingRangeOf } from './corpus';
import { PolyphonicError } from './errors';
import type { Frames, PitchRange } from './frames';
import type { PolyphonicWeights } from './model';
import { decodeWeights, deserializeModel, type SerializedPolyphonicModel } from './serialize';
import { DEFAULT_TRAIN_SETTINGS, type EpochRecord, type PolyphonicCheckpoint, type PolyphonicTrainSettings, type StopReason } from './train';

/** The train split's span widened by `transpose` within the piano's keys (or MIDI's range when the music leaves the piano). */
export function chooseTrainingRange(trainPieces: readonly Piece[], transpose: number, what = 'The train split'): PitchRange {
  const range = trainingRangeOf(trainPieces, transpose);
  if (!range) throw new PolyphonicError(`${what} has no notes: a polyphonic model needs music to learn from.`);
  return range;
}

export function polyphonicConfigOf(settings: PolyphonicSettings, range: PitchRange): PolyphonicConfig {
  return {
    kind: settings.kind,
    range,
    resolution: settings.resolution,
    units: [...settings.units],
    nadeHidden: settings.nadeHidden,
    dropout: settings.dropout,
    inputDropout: settings.inputDropout,
    skipInput: true,
    learningRate: settings.learningRate,
    seed: settings.seed,
  };
}

/**
 * The training settings: the composer's epochs, batch, patience, transposition and seed; the rest
 * as the JSB benchmark trains (clipping, learning-rate decay on plateaus, weight averaging). A
 * patience of 0 means no early stopping.
 */
export function polyphonicTrainSettingsOf(settings: PolyphonicSettings): PolyphonicTrainSettings {
  return {
    ...DEFAULT_TRAIN_SETTINGS,
    batchSize: settings.batchSize,
    maxEpochs: settings.maxIterations,
    patience: settings.patience === 0 ? Number.MAX_SAFE_INTEGER : settings.patience,
    maxTranspose: settings.transpose,
    seed: settings.seed,
  };
}

/** The pieces as frames over `range`; a piece with a note outside it is left out and named in `skipped`. */
export function framesOfPieces(pieces: readonly Piece[], range: PitchRange, resolution: number): { frames: Frames[]; skipped: string[] } {
  const frames: Frames[] = [];
  const skipped: string[] = [];
  for (const piece of pieces) {
    try {
      frames.push(framesFromPiece(piece, range, resolution));
    } catch (error) {
      if (!(error instanceof PolyphonicError)) throw error;
      skipped.push(piece.name);
    }
  }
  return { frames, skipped };
}

const RESOLUTION_NAMES: Readonly<Record<number, string>> = { 1: 'quarters', 2: '8ths', 3: '8th triplets', 4: '16ths', 6: '16th triplets', 8: '32nds' };

export function resolutionName(resolution: number): string {
  return RESOLUTION_NAMES[resolution] ?? `${resolution} steps a quarter`;
}

/** What a model's kind is called in names and track names. */
export function polyphonicKindLabel(kind: PolyphonicSettings['kind']): string {
  return kind === 'rnn-nade' ? 'RNN-NADE' : 'RNN-Bernoulli (baseline)';
}

/** e.g. "RNN-NADE 256×2 · 16ths". */
export function defaultPolyphonicModelName(settings: PolyphonicSettings): string {
  const { units } = settings;
  const layers = units.length > 1 && units.every((value) => value === units[0]) ? `${units[0]}×${units.length}` : units.join('+');
  return `${polyphonicKindLabel(settings.kind)} ${layers} · ${resolutionName(settings.resolution)}`;
}

/** An epoch's record as a point of the studio's curve: log-likelihoods are minus the frame NLLs (nats per frame). */
export function trainingPointOf(record: EpochRecord): TrainingPoint {
  return {
    iteration: record.epoch,
    logLikelihoodPerToken: -record.trainNll,
    trainLoss: record.trainNll,
    ...(record.validNll === null ? {} : { validLoss: record.validNll, validLogLikelihoodPerToken: -record.validNll }),
    learningRate: record.learningRate,
  };
}

/** The job result's reason in the studio's words (a time limit is an iteration limit to the composer). */
export function studioStopReason(reason: StopReason): 'converged' | 'max-iterations' | 'stopped' {
  return reason === 'converged' ? 'converged' : reason === 'stopped' ? 'stopped' : 'max-iterations';
}

/** A stored state, checked to be a polyphonic checkpoint (JSON text or parsed). */
export function readPolyphonicCheckpoint(state: unknown): PolyphonicCheckpoint {
  const parsed: unknown = typeof state === 'string' ? JSON.parse(state) : state;
  const candidate = parsed as Partial<PolyphonicCheckpoint> | null;
  if (!candidate || candidate.format !== 'polyphonic-checkpoint' || candidate.version !== 1 || !candidate.config || !Array.isArray(candidate.weights)) {
    throw new PolyphonicError('The stored model is not a polyphonic training checkpoint: train it again.');
  }
  return candidate as PolyphonicCheckpoint;
}

/**
 * The model a checkpoint keeps: the best epoch's weights; without a validation score, the running
 * weight average (when training averages) or the current weights, as trainPolyphonic keeps them.
 */
export function serializedModelOfCheckpoint(checkpoint: PolyphonicCheckpoint): SerializedPolyphonicModel {
  let weights = checkpoint.best?.weights;
  if (!weights && checkpoint.average) {
    const values = checkpoint.average.values;
    weights = checkpoint.weights.map((weight, k) => ({ ...weight, data: values[k]! }));
  }
  return { format: 'polyphonic-model', version: 1, config: checkpoint.config, weights: weights ?? checkpoint.weights };
}

export function modelOfCheckpoint(checkpoint: PolyphonicCheckpoint): PolyphonicWeights {
  return deserializeModel(serializedModelOfCheckpoint(checkpoint));
}

/** The checkpoint to resume, allowed `maxEpochs` epochs in all (models.resume may raise the limit). */
export function checkpointWithMaxEpochs(checkpoint: PolyphonicCheckpoint, maxEpochs: number): PolyphonicCheckpoint {
  return { ...checkpoint, settings: { ...checkpoint.settings, maxEpochs } };
}

/** The decoded weights of a checkpoint's kept model (for the comparison's engine model). */
export function keptWeightsOfCheckpoint(checkpoint: PolyphonicCheckpoint) {
  return decodeWeights(serializedModelOfCheckpoint(checkpoint).weights);
}
