/**
 * The polyphonic models' jobs as main and a worker both see them (to be wired into the studio's job
 * kinds like the neural family: the input names its family, 'polyphonic'). Training runs in a worker
 * on the neural engine (electron/workers/polyphonic/); generation needs no engine and runs anywhere.
 */
import { z } from 'zod';
import { HarmonizeInputSchema, InfillInputSchema } from '../../ipc/schemas';
import type { PianoRoll } from '../../music/representations/pianoroll';
import type { PolyphonicConfig } from './config';
import type { PolyphonicWeights } from './model';
import { PolyphonicError } from './errors';
import type { Frames } from './frames';
import type { SerializedPolyphonicModel } from './serialize';
import { deserializeModel } from './serialize';
import type { EpochRecord, PolyphonicCheckpoint, PolyphonicTrainSettings, StopReason } from './train';
import { continueRoll, harmonize, infill, type GenerateOptions, type HarmonizeOptions, type InfillOptions, type InfillRegion, type PolyphonicVariation } from './uses';

export const POLYPHONIC_FAMILY = 'polyphonic';

/** What main prepares for a training run: the pieces as frames (framesFromPiece), and a checkpoint to resume. */
export interface PolyphonicTrainInput {
  readonly family: typeof POLYPHONIC_FAMILY;
  readonly config: PolyphonicConfig;
  readonly settings: PolyphonicTrainSettings;
  readonly train: readonly Frames[];
  readonly valid: readonly Frames[];
  readonly resume: PolyphonicCheckpoint | null;
}

export function isPolyphonicInput(input: unknown): input is { readonly family: typeof POLYPHONIC_FAMILY } {
  return typeof input === 'object' && input !== null && (input as { family?: unknown }).family === POLYPHONIC_FAMILY;
}

export type PolyphonicEnginePath = 'native' | 'wasm' | 'cpu';

/** Emitted after each epoch (at most about once a second, always the first and the last) and when stopped: main stores `checkpoint`. */
export interface PolyphonicCheckpointData {
  readonly type: 'checkpoint';
  /** Epochs completed. */
  readonly epoch: number;
  /** The epochs completed since the previous checkpoint, in order (frame NLLs in nats: the training view's curve). */
  readonly points: readonly EpochRecord[];
  readonly checkpoint: PolyphonicCheckpoint;
  readonly engine: PolyphonicEnginePath;
  readonly engineReason: string;
  readonly trainFrames: number;
}

export interface PolyphonicTrainWorkerResult {
  readonly stopReason: StopReason;
  readonly epochs: number;
  /** The best epoch and its held-out frame NLL (nats per frame): the comparison view's number. */
  readonly best: { readonly epoch: number; readonly validNll: number | null };
  /** The model to keep (the best epoch's weights); null when stopped (resume from the last checkpoint). */
  readonly model: SerializedPolyphonicModel | null;
  readonly seconds: number;
  readonly engine: PolyphonicEnginePath;
}

export type PolyphonicGenerateRequest =
  | { readonly use: 'harmonize'; readonly melody: PianoRoll; readonly options?: HarmonizeOptions }
  | { readonly use: 'infill'; readonly roll: PianoRoll; readonly region: InfillRegion; readonly options?: InfillOptions }
  | { readonly use: 'continue'; readonly primer: PianoRoll; readonly steps: number; readonly options?: GenerateOptions };

export interface PolyphonicGenerateInput {
  readonly family: typeof POLYPHONIC_FAMILY;
  readonly model: SerializedPolyphonicModel;
  readonly request: PolyphonicGenerateRequest;
}

/** Runs a generation request (harmonize, infill or continue) on a stored model. */
export function generatePolyphonic(input: PolyphonicGenerateInput, onProgress?: (fraction: number) => void): PolyphonicVariation[] {
  return runPolyphonicRequest(deserializeModel(input.model), input.request, onProgress);
}

/** Runs a generation request on weights already read. */
export function runPolyphonicRequest(model: PolyphonicWeights, request: PolyphonicGenerateRequest, onProgress?: (fraction: number) => void): PolyphonicVariation[] {
  switch (request.use) {
    case 'harmonize':
      return harmonize(model, request.melody, { ...request.options, onProgress });
    case 'infill':
      return infill(model, request.roll, request.region, { ...request.options, onProgress });
    case 'continue':
      return continueRoll(model, request.primer, request.steps, { ...request.options, onProgress });
    default:
      throw new PolyphonicError(`Unknown polyphonic use "${String((request as { use?: unknown }).use)}": harmonize, infill or continue.`);
  }
}

// ---- The studio's generate job (models.generate on a polyphonic model, models.harmonize, models.infill) ----

const JobSeed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

/** models.harmonize and models.infill as stored generate-job payloads: the request with its seed chosen and its use named. */
export const HarmonizePayloadSchema = HarmonizeInputSchema.extend({ use: z.literal('harmonize'), seed: JobSeed });
export const InfillPayloadSchema = InfillInputSchema.extend({ use: z.literal('infill'), seed: JobSeed });
export type HarmonizePayload = z.infer<typeof HarmonizePayloadSchema>;
export type InfillPayload = z.infer<typeof InfillPayloadSchema>;
export type PolyphonicUsePayload = HarmonizePayload | InfillPayload;

export function isPolyphonicUsePayload(payload: object): payload is PolyphonicUsePayload {
  return 'use' in payload && (payload.use === 'harmonize' || payload.use === 'infill');
}

/** What main hands the worker for a generation: the stored checkpoint and the request, made `count` times. */
export interface PolyphonicGenerateJobInput {
  readonly family: typeof POLYPHONIC_FAMILY;
  /** The stored checkpoint as JSON text: the worker parses it (it can be tens of MB), not main. */
  readonly checkpoint: string;
  /** The request; its options' variations and seed are set per result. */
  readonly request: PolyphonicGenerateRequest;
  readonly count: number;
  /** Result k uses seed + k, so each can be made again alone. */
  readonly seed: number;
}

/** One result, sent as soon as it is made: main stores it as a clip at once. */
export interface PolyphonicVariationData {
  readonly type: 'polyphonic-variation';
  /** 0-based. */
  readonly index: number;
  readonly seed: number;
  readonly roll: PianoRoll;
  readonly logLikelihood: number;
  readonly acceptance?: number;
}

export interface PolyphonicGenerateWorkerResult {
  readonly generated: number;
}
