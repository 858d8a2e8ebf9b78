/**
 * A saved neural model rebuilt for use (not training): its held-out likelihood of a split and its
 * samples, one piece at a time. models.generate's worker and the comparison share the primer and
 * sampling rules here, so a comparison's sample k is what models.generate makes with the same seed.
 *
 * - lstm: samples come from the tensor-free stepper (the engine's raw kernels); the likelihood is
 *   the pitch head's cross-entropy per predicted note over every window of the split (the
 *   training's validation score), computed on a tensor model built only when asked for.
 * - transformer: one model for both; the likelihood is the cross-entropy per event token, every
 *   token scored once.
 */
import type { LstmSettings, NeuralSettings, TransformerSettings } from '../../ipc/schemas';
import type { Piece } from '../../music/types';
import { EventTransformer } from '../neural/event-transformer';
import { allocateNoteStepBatch, windowStarts } from '../neural/note-step-data';
import { NoteStepLstm, noteStepLayout, noteStepLstmWeightsFrom, noteStepper, type NoteStepLstmConfig, type NoteStepper } from '../neural/note-step-lstm';
import type { NeuralOps, Tf } from '../neural/ops';
import { mixSeed } from '../neural/random-streams';
import { allocateTokenBatch, tokenWindows } from '../neural/token-windows';
import { decodeSnapshot, readSavedNeuralModel, restoreWeights, type NeuralSnapshot } from './checkpoint';
import { lstmPiece, sampleLstmNotes, sampleTransformerTokens, transformerPiece, type LstmPrimer, type NeuralGenerationRequest, type PieceOptions } from './generate';
import type { NeuralFamily, NeuralPrimerInput } from './jobs';
import type { NeuralSequences } from './sequences';
import { lstmConfig, transformerConfig } from './settings';
import { evaluateNoteStepWindows, evaluateTokenWindows } from './tasks';

/** Windows scored per forward pass when measuring a likelihood (the settings' batch size, at least this). */
const MIN_SCORING_BATCH = 32;

export interface NeuralSampleHooks {
  /** Called every few notes or tokens with how many are done (progress, and the place to cancel: it may throw). */
  readonly onStep?: (count: number) => void;
}

export interface LoadedNeuralModel {
  readonly family: NeuralFamily;
  /**
   * Held-out log-likelihood per token (nats, ≤ 0) of `sequences` (the model's own encoding): per
   * predicted note's pitch (lstm), per event token (transformer); null when there is nothing to
   * score (no piece longer than the LSTM's window).
   */
  heldOutPerToken(sequences: NeuralSequences): number | null;
  /** One sample, as models.generate makes it for the same request, primer and piece options. */
  samplePiece(request: NeuralGenerationRequest, primer: NeuralPrimerInput, options: PieceOptions, hooks?: NeuralSampleHooks): Piece;
  dispose(): void;
}

/**
 * The LSTM's primer for sample `seed`: the composer's clip (kept in the result), or one of the train
 * pieces' openings the model keeps, chosen by the seed (left out of the result).
 */
export function lstmPrimerFor(snapshot: NeuralSnapshot, primer: NeuralPrimerInput, seed: number): LstmPrimer {
  if (primer.kind === 'clip-notes') return { rows: primer.rows, keep: true };
  const openings = snapshot.family === 'lstm' ? snapshot.openings : [];
  const chosen: LstmPrimer = { rows: openings.length > 0 ? openings[mixSeed(seed) % openings.length]! : [], keep: false };
  if (chosen.rows.length === 0) throw new Error('An LSTM needs notes to start from: choose a primer clip, or train on pieces with notes.');
  return chosen;
}

/** The tensor-free stepper of a saved LSTM (what generation runs on). */
export function lstmStepperFor(snapshot: NeuralSnapshot, settings: LstmSettings, ops: NeuralOps): NoteStepper {
  const config = snapshot.config as NoteStepLstmConfig;
  if (config.windowLength !== lstmConfig(settings).windowLength) throw new Error('The saved model does not match its settings.');
  const arrays = new Map(snapshot.weights.map((array) => [array.name, array.values as Float32Array] as const));
  return noteStepper(noteStepLstmWeightsFrom(config, (name) => arrays.get(name)), ops.raw);
}

/** The primer tokens of a transformer's sample: the clip's, or none (it starts from its begin-of-piece token). */
export function transformerPrimerFor(primer: NeuralPrimerInput): readonly number[] {
  return primer.kind === 'clip-tokens' ? primer.tokens : [];
}

function scoringBatch(settings: NeuralSettings, examples: number): number {
  return Math.max(1, Math.min(Math.max(settings.batchSize, MIN_SCORING_BATCH), examples));
}

function loadLstm(tf: Tf, ops: NeuralOps, settings: LstmSettings, snapshot: NeuralSnapshot): LoadedNeuralModel {
  const config = snapshot.config as NoteStepLstmConfig;
  const stepper = lstmStepperFor(snapshot, settings, ops);
  let scorer: NoteStepLstm | null = null;
  return {
    family: 'lstm',
    heldOutPerToken(sequences) {
      if (sequences.kind !== 'note-steps') throw new Error('An LSTM is scored on note-step sequences.');
      let starts: Int32Array;
      try {
        starts = windowStarts(sequences.data, config.windowLength);
      } catch {
        // No piece is longer than the window: nothing to predict, no likelihood (as in training).
        return null;
      }
      if (!scorer) {
        scorer = new NoteStepLstm(tf, ops, config);
        restoreWeights(tf, scorer, snapshot);
      }
      const batch = allocateNoteStepBatch(scoringBatch(settings, starts.length), config.windowLength, noteStepLayout(config));
      return -evaluateNoteStepWindows(scorer, sequences.data, starts, batch).nllPerToken;
    },
    samplePiece(request, primerInput, options, hooks = {}) {
      const primer = lstmPrimerFor(snapshot, primerInput, request.seed);
      const notes = sampleLstmNotes(stepper, primer, request, options.tempo, { hasVelocity: config.velocity, onNote: hooks.onStep });
      return lstmPiece(primer, notes, request, options);
    },
    dispose() {
      scorer?.dispose();
      scorer = null;
    },
  };
}

function loadTransformer(tf: Tf, ops: NeuralOps, settings: TransformerSettings, snapshot: NeuralSnapshot): LoadedNeuralModel {
  const config = transformerConfig(settings);
  const model = new EventTransformer(tf, ops, config);
  try {
    restoreWeights(tf, model, snapshot);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return {
    family: 'transformer',
    heldOutPerToken(sequences) {
      if (sequences.kind !== 'events') throw new Error('A transformer is scored on event sequences.');
      if (sequences.data.tokens.length === 0) return null;
      const windows = tokenWindows(sequences.data, config.contextLength);
      const batch = allocateTokenBatch(scoringBatch(settings, windows.length), config.contextLength);
      const scored = evaluateTokenWindows(model, sequences.data, windows, batch);
      return scored === null ? null : -scored.nllPerToken;
    },
    samplePiece(request, primerInput, options, hooks = {}) {
      const primer = transformerPrimerFor(primerInput);
      const tokens = sampleTransformerTokens(model, primer, request, { resolution: settings.resolution, onToken: hooks.onStep });
      return transformerPiece(primer, tokens, request, settings.resolution, options);
    },
    dispose: () => model.dispose(),
  };
}

/** A stored neural state (the models table's JSON) rebuilt on an engine's tf and ops; dispose() when done. */
export function loadSavedNeural(tf: Tf, ops: NeuralOps, settings: NeuralSettings, state: unknown): LoadedNeuralModel {
  const snapshot = decodeSnapshot(readSavedNeuralModel(state, settings.family));
  return settings.family === 'lstm' ? loadLstm(tf, ops, settings, snapshot) : loadTransformer(tf, ops, settings, snapshot);
}
