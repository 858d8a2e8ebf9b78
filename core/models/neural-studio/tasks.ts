/**
 * A neural family as the trainer sees it: a model, the number of training examples (windows), one
 * optimiser step on a list of them, and the score on the validation split. Randomness (augmentation,
 * dropout) comes from streams keyed by (seed, epoch, batch), so a resumed run repeats exactly what
 * an uninterrupted one would have done.
 *
 * What each family reports as its likelihood (`nll`, nats, negated into log-likelihoods):
 * - lstm: the pitch head's cross-entropy per predicted note (each note after the first `window`
 *   notes of a piece), the LSTM's only categorical output;
 * - transformer: the cross-entropy per event token, every token of every piece scored once
 *   (token-windows.ts), the quantity the event HMM's log-likelihood per token is the negative of.
 */
import type { LstmSettings, TransformerSettings } from '../../ipc/schemas';
import type { NoteStepRow } from '../../music/representations';
import { beginToken, EventTransformer } from '../neural/event-transformer';
import { allocateNoteStepBatch, fillNoteStepBatch, noteStepRows, windowStarts, type NoteStepBatch, type NoteStepSet } from '../neural/note-step-data';
import { NoteStepLstm, noteStepLayout } from '../neural/note-step-lstm';
import type { NeuralOps, Tf } from '../neural/ops';
import { STREAM, stream } from '../neural/random-streams';
import { allocateTokenBatch, fillTokenBatch, tokenWindows, type TokenBatch, type TokenSequenceSet, type TokenWindow } from '../neural/token-windows';
import type { NeuralModelConfig, TrainableModel } from './checkpoint';
import { lstmConfig, NeuralSettingsError, transformerConfig } from './settings';

export interface BatchOutcome {
  /** The batch's training loss (what the optimiser minimised) before the step. */
  readonly loss: number;
  /** Mean negative log-likelihood per counted token (nats) and how many tokens it counted. */
  readonly nll: number;
  readonly count: number;
}

export interface Evaluation {
  /** The validation loss: the same weighted loss as training's (lstm), the cross-entropy (transformer). */
  readonly loss: number;
  readonly nllPerToken: number;
}

export interface NeuralTask {
  readonly description: NeuralModelConfig;
  readonly model: TrainableModel;
  readonly trainExamples: number;
  readonly batchSize: number;
  /** Notes (lstm) or event tokens (transformer) of the train split. */
  readonly trainTokens: number;
  trainBatch(indices: ArrayLike<number>, epoch: number, batch: number): BatchOutcome;
  /** The score on the validation split, or null without one. */
  evaluate(): Evaluation | null;
  dispose(): void;
}

/** How many examples a step takes: the settings' batch size, or all of them when there are fewer. */
function effectiveBatch(batchSize: number, examples: number): number {
  return Math.max(1, Math.min(batchSize, examples));
}

/** Openings kept with an LSTM for generation without a primer. */
export const KEPT_OPENINGS = 16;

/** The first `windowLength` notes of up to KEPT_OPENINGS pieces, spread over the split. */
export function pieceOpenings(set: NoteStepSet, windowLength: number): NoteStepRow[][] {
  const pieces = set.offsets.length - 1;
  const openings: NoteStepRow[][] = [];
  const chosen = new Set<number>();
  for (let k = 0; k < Math.min(KEPT_OPENINGS, pieces); k++) chosen.add(Math.floor((k * pieces) / Math.min(KEPT_OPENINGS, pieces)));
  for (const piece of chosen) {
    const rows = noteStepRows(set, piece).slice(0, windowLength);
    if (rows.length > 0) openings.push(rows);
  }
  return openings;
}

export function createLstmTask(tf: Tf, ops: NeuralOps, settings: LstmSettings, train: NoteStepSet, valid: NoteStepSet | null): NeuralTask {
  const config = lstmConfig(settings);
  const layout = noteStepLayout(config);
  const starts = windowStarts(train, config.windowLength);
  let validStarts: Int32Array | null = null;
  if (valid) {
    try {
      validStarts = windowStarts(valid, config.windowLength);
    } catch {
      // No validation piece is longer than the window: no held-out score (not an error).
      validStarts = null;
    }
  }
  const B = effectiveBatch(settings.batchSize, starts.length);
  const batch = allocateNoteStepBatch(B, config.windowLength, layout);
  const model = new NoteStepLstm(tf, ops, config);
  return {
    description: { family: 'lstm', config, openings: pieceOpenings(train, config.windowLength) },
    model,
    trainExamples: starts.length,
    batchSize: B,
    trainTokens: train.pitch.length,
    trainBatch(indices, epoch, index) {
      const augmentation =
        settings.transpose > 0 || settings.timeStretch > 0
          ? { transpose: settings.transpose, timeStretch: settings.timeStretch, random: stream(settings.seed, STREAM.augment, epoch, index) }
          : undefined;
      fillNoteStepBatch(train, starts, indices, batch, augmentation);
      const dropout = settings.dropout > 0 ? stream(settings.seed, STREAM.dropout, epoch, index) : undefined;
      const { loss, pitch } = model.trainStep(batch, dropout);
      return { loss, nll: pitch, count: B };
    },
    evaluate() {
      if (!valid || !validStarts) return null;
      return evaluateNoteStepWindows(model, valid, validStarts, batch);
    },
    dispose: () => model.dispose(),
  };
}

export function createTransformerTask(tf: Tf, ops: NeuralOps, settings: TransformerSettings, train: TokenSequenceSet, valid: TokenSequenceSet | null): NeuralTask {
  const config = transformerConfig(settings);
  const bos = beginToken(config);
  let windows: TokenWindow[];
  try {
    windows = tokenWindows(train, config.contextLength);
  } catch (error) {
    throw new NeuralSettingsError(`The train split has no event tokens to learn from (${error instanceof Error ? error.message : String(error)}).`);
  }
  const validWindows = valid && valid.tokens.length > 0 ? tokenWindows(valid, config.contextLength) : null;
  const B = effectiveBatch(settings.batchSize, windows.length);
  const batch = allocateTokenBatch(B, config.contextLength);
  const model = new EventTransformer(tf, ops, config);
  return {
    description: { family: 'transformer', config },
    model,
    trainExamples: windows.length,
    batchSize: B,
    trainTokens: train.tokens.length,
    trainBatch(indices, epoch, index) {
      const augmentation = settings.transpose > 0 ? { transpose: settings.transpose, random: stream(settings.seed, STREAM.augment, epoch, index) } : undefined;
      fillTokenBatch(train, windows, indices, batch, { bos, scoring: false, augmentation });
      const dropout = settings.dropout > 0 ? stream(settings.seed, STREAM.dropout, epoch, index) : undefined;
      const { loss, count } = model.trainStep(batch, dropout);
      return { loss, nll: loss, count };
    },
    evaluate() {
      if (!valid || !validWindows) return null;
      return evaluateTokenWindows(model, valid, validWindows, batch);
    },
    dispose: () => model.dispose(),
  };
}

/**
 * The LSTM's losses on every window of `set` (`starts`), `batch.batchSize` windows at a time (`batch`
 * is reused; a smaller one is made for the rest): the mean weighted loss and the pitch head's
 * cross-entropy per predicted note. Training's validation score and the comparison's both use it.
 */
export function evaluateNoteStepWindows(model: NoteStepLstm, set: NoteStepSet, starts: Int32Array, batch: NoteStepBatch): Evaluation {
  const B = batch.batchSize;
  const total = starts.length;
  let loss = 0;
  let nll = 0;
  let last: NoteStepBatch | null = null;
  for (let from = 0; from < total; from += B) {
    const size = Math.min(B, total - from);
    const target = size === B ? batch : (last ??= allocateNoteStepBatch(size, batch.windowLength, batch.layout));
    fillNoteStepBatch(set, starts, Int32Array.from({ length: size }, (_, k) => from + k), target);
    const losses = model.evaluate(target);
    loss += losses.total * size;
    nll += losses.pitch * size;
  }
  return { loss: loss / total, nllPerToken: nll / total };
}

/**
 * The transformer's cross-entropy per event token of `set`, every token scored once over `windows`,
 * `batch.batchSize` windows at a time; null when no token is scored.
 */
export function evaluateTokenWindows(model: EventTransformer, set: TokenSequenceSet, windows: readonly TokenWindow[], batch: TokenBatch): Evaluation | null {
  const B = batch.batchSize;
  const bos = beginToken(model.config);
  let nll = 0;
  let count = 0;
  let last: TokenBatch | null = null;
  for (let from = 0; from < windows.length; from += B) {
    const size = Math.min(B, windows.length - from);
    const target = size === B ? batch : (last ??= allocateTokenBatch(size, batch.length));
    fillTokenBatch(set, windows, Int32Array.from({ length: size }, (_, k) => from + k), target, { bos, scoring: true });
    const scored = model.evaluate(target);
    nll += scored.nll;
    count += scored.count;
  }
  if (count === 0) return null;
  return { loss: nll / count, nllPerToken: nll / count };
}
