/**
 * The neural models' jobs, as main and the worker both see them. They run under the HMM's job kinds
 * (train-model, generate: same payloads, results and model life cycle); the worker tells them apart
 * by the input main prepares, which for a neural model names its family.
 */
import type { NeuralSettings, TrainingPoint } from '../../ipc/schemas';
import type { NoteStepRow } from '../../music/representations';
import type { Note, Piece } from '../../music/types';
import type { NeuralStopReason, SavedNeuralModel } from './checkpoint';
import type { NeuralSequences } from './sequences';

export type NeuralFamily = 'lstm' | 'transformer';
/** Which path of the worker's engine trained or ran a model. */
export type NeuralEnginePath = 'native' | 'wasm' | 'cpu';

export function isNeuralFamily(family: unknown): family is NeuralFamily {
  return family === 'lstm' || family === 'transformer';
}

/** What main reads from the database for one training run of a neural model. */
export interface NeuralTrainInput {
  readonly family: NeuralFamily;
  readonly settings: NeuralSettings;
  readonly train: NeuralSequences;
  /** The validation split's sequences (for the validation loss and held-out likelihood); null when empty. */
  readonly valid: NeuralSequences | null;
  /** The stored state to continue from (a resume), or null to start afresh. */
  readonly resume: unknown;
}

export function isNeuralTrainInput(input: unknown): input is NeuralTrainInput {
  return typeof input === 'object' && input !== null && isNeuralFamily((input as { family?: unknown }).family);
}

/** Sent after an epoch (at most about once a second, always after the first and the last): main stores it at once. */
export interface NeuralCheckpointData {
  readonly type: 'checkpoint';
  /** The last completed epoch, whose weights `state` holds. */
  readonly iteration: number;
  /** Every epoch completed since the previous checkpoint, in order. */
  readonly points: readonly TrainingPoint[];
  /** Wall-clock seconds since the previous checkpoint (or the start). */
  readonly seconds: number;
  readonly state: SavedNeuralModel;
  readonly engine: NeuralEnginePath;
  readonly engineReason: string;
  readonly trainTokens: number;
  /** The last epoch's held-out log-likelihood per token, or null without a validation split. */
  readonly validLogLikelihoodPerToken: number | null;
}

export interface NeuralTrainWorkerResult {
  readonly iterations: number;
  readonly stopReason: NeuralStopReason;
  readonly earlyStopped: boolean;
  readonly trainLogLikelihoodPerToken: number | null;
  readonly validLogLikelihoodPerToken: number | null;
  readonly engine: NeuralEnginePath;
}

/**
 * A primer clip encoded for the model (notes for the LSTM, event tokens for the transformer), or
 * none: the transformer then starts from its begin-of-piece token, the LSTM from one of the train
 * pieces' openings it keeps (checkpoint.ts).
 */
export type NeuralPrimerInput =
  | { readonly kind: 'clip-notes'; readonly rows: readonly NoteStepRow[] }
  | { readonly kind: 'clip-tokens'; readonly tokens: readonly number[] }
  | { readonly kind: 'none' };

export interface NeuralGenerateInput {
  readonly family: NeuralFamily;
  readonly settings: NeuralSettings;
  readonly state: unknown;
  /** The tempo (bpm) and ticks per quarter the clips are written at (the primer clip's, or the corpus's usual tempo). */
  readonly tempoBpm: number;
  readonly ppq: number;
  readonly primer: NeuralPrimerInput;
}

export function isNeuralGenerateInput(input: unknown): input is NeuralGenerateInput {
  return typeof input === 'object' && input !== null && isNeuralFamily((input as { family?: unknown }).family);
}

/**
 * Part of a neural variation while it is sampled: generation streams, so main creates the clip at a
 * variation's first part (it can be opened and played at once) and grows it as parts arrive. Main
 * holds the variation's notes in order: it keeps the first `keep` and appends `notes`. Only new
 * notes travel (with the few sent ones a new note sorts before, or that the end cut shortened), so
 * every message stays small however long the piece.
 */
export interface GeneratedPartData {
  readonly type: 'part';
  /** 0-based index within the request. */
  readonly index: number;
  readonly seed: number;
  /** On a variation's first part only: the piece without notes (name, tempo, track) to create the clip from. */
  readonly head?: Piece;
  readonly keep: number;
  readonly notes: readonly Note[];
  /** The variation is complete: main stores it as it stands now. */
  readonly final: boolean;
}
