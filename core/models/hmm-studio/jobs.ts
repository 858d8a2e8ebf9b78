/**
 * The two HMM jobs, as main and the worker both see them: the stored payload (small: ids and
 * choices), the per-run input main prepares from the database (sequences, saved state), the data
 * messages the worker sends back, and the worker's result.
 */
import { z } from 'zod';
import { GenerateInputSchema, Id, type HmmSettings } from '../../ipc/schemas';
import type { Piece } from '../../music/types';
import type { StopReason } from '../hmm/types';
import type { HmmSequences } from './sequences';
import type { SerializedHmm } from './train';

export const TRAIN_MODEL_JOB = 'train-model';
export const GENERATE_JOB = 'generate';

export const TrainModelPayloadSchema = z.object({ modelId: Id }).strict();
export type TrainModelPayload = z.infer<typeof TrainModelPayloadSchema>;

/** What main reads from the database for one training run. */
export interface TrainModelInput {
  readonly settings: HmmSettings;
  readonly train: HmmSequences;
  /** The validation split's sequences, for held-out likelihood; null when the split is empty. */
  readonly valid: HmmSequences | null;
  /** The stored state to continue from (a resume), or null to start afresh. */
  readonly resume: unknown;
}

export type TrainEngine = 'native' | 'typescript';

/** Sent after every completed iteration: main stores it at once (the checkpoint and the live curve). */
export interface TrainCheckpointData {
  readonly type: 'checkpoint';
  /** The last completed iteration, whose parameters `state` holds. */
  readonly iteration: number;
  /** Every iteration completed since the previous checkpoint, in order (the live curve's points). */
  readonly points: readonly { readonly iteration: number; readonly logLikelihoodPerToken: number }[];
  /** Wall-clock seconds since the previous checkpoint (or the start): these iterations and their saving. */
  readonly seconds: number;
  readonly state: SerializedHmm;
  readonly engine: TrainEngine;
  readonly trainTokens: number;
}

export interface TrainWorkerResult {
  readonly iterations: number;
  readonly stopReason: StopReason;
  readonly trainLogLikelihoodPerToken: number | null;
  readonly validLogLikelihoodPerToken: number | null;
  readonly engine: TrainEngine;
}

/** The generate request with its seed chosen (by main, when the composer gave none), so it can be repeated. */
export const GeneratePayloadSchema = GenerateInputSchema.extend({ seed: z.number().int().min(0).max(2 ** 31 - 1) });
export type GeneratePayload = z.infer<typeof GeneratePayloadSchema>;

export interface GenerateInput {
  readonly settings: HmmSettings;
  readonly state: unknown;
  /** The tempo the clips are written at (the training corpus's usual tempo). */
  readonly tempoBpm: number;
}

/** One generated piece, sent as soon as it is made; main stores it as a clip. */
export interface GeneratedPieceData {
  readonly type: 'piece';
  /** 0-based index within the request. */
  readonly index: number;
  readonly seed: number;
  readonly piece: Piece;
}

export interface GenerateWorkerResult {
  readonly generated: number;
}
