/**
 * The VAE's jobs as main and a worker both see them (to be wired into the studio's job kinds like the
 * other families: the input names its family, 'vae'). Training runs in a worker on the neural engine
 * (electron/workers/vae/train-vae.ts); generation needs no engine and runs anywhere
 * (electron/workers/vae/generate-vae.ts passes the engine's raw kernels when it has them).
 *
 * Main prepares training data with segmentCorpus (segments.ts) per split and passes the tokens.
 */
import type { TrackSelection } from '../../music/representations/common';
import type { Piece } from '../../music/types';
import type { RawKernels } from '../neural/raw-kernels';
import type { VaeConfig } from './config';
import { VaeError } from './errors';
import type { InterpolationMethod } from './latent';
import { clipSegment } from './segments';
import { deserializeVaeModel, type SerializedVaeModel } from './serialize';
import { tokensToPiece, validateSegmentTokens } from './tokens';
import type { VaeCheckpoint, VaeEpochRecord, VaeStopReason, VaeTrainSettings } from './train';
import { applyAttributeVae, interpolateVae, reconstructVae, sampleVae, vaeAttributeVector, type VaeAttribute, type VaeDecodeUseOptions, type VaeGenerated, type VaeSampleOptions } from './uses';

export const VAE_FAMILY = 'vae';

export interface VaeTrainInput {
  readonly family: typeof VAE_FAMILY;
  readonly config: VaeConfig;
  readonly settings: VaeTrainSettings;
  /** Token segments (segmentCorpus(pieces, config).segments.map((s) => s.tokens)). */
  readonly train: readonly (readonly number[])[];
  readonly valid: readonly (readonly number[])[];
  readonly resume: VaeCheckpoint | null;
}

export function isVaeInput(input: unknown): input is { readonly family: typeof VAE_FAMILY } {
  return typeof input === 'object' && input !== null && (input as { family?: unknown }).family === VAE_FAMILY;
}

export type VaeEnginePath = 'native' | 'wasm' | 'cpu';

/** Emitted after an epoch (throttled; always the first and the last) and when stopped: main stores `checkpoint`. */
export interface VaeCheckpointData {
  readonly type: 'checkpoint';
  /** Epochs completed. */
  readonly epoch: number;
  /** The epochs completed since the previous checkpoint, in order (the training view's curves). */
  readonly points: readonly VaeEpochRecord[];
  readonly checkpoint: VaeCheckpoint;
  readonly engine: VaeEnginePath;
  readonly engineReason: string;
  readonly trainSegments: number;
}

export interface VaeTrainWorkerResult {
  readonly stopReason: VaeStopReason;
  readonly epochs: number;
  /** The best epoch and its held-out −ELBO (nats per segment, an upper bound on the NLL): the comparison view's number. */
  readonly best: { readonly epoch: number; readonly validNllBound: number | null };
  /** The model to keep (the best epoch's weights); null when stopped (resume from the last checkpoint). */
  readonly model: SerializedVaeModel | null;
  readonly seconds: number;
  readonly engine: VaeEnginePath;
}

/** A segment given as tokens, or cut from a clip/piece (its first `bars` bars from `startBar`). */
export type VaeSegmentSource =
  | { readonly tokens: readonly number[] }
  | { readonly piece: Piece; readonly startBar?: number; readonly tracks?: TrackSelection };

export type VaeGenerateRequest =
  | { readonly use: 'sample'; readonly count: number; readonly options?: Omit<VaeSampleOptions, 'raw'> }
  | { readonly use: 'reconstruct'; readonly sources: readonly VaeSegmentSource[]; readonly options?: Omit<VaeDecodeUseOptions, 'raw'> }
  | {
      readonly use: 'interpolate';
      readonly from: VaeSegmentSource;
      readonly to: VaeSegmentSource;
      /** Segments in all, the two ends included (≥ 2). */
      readonly steps: number;
      readonly options?: Omit<VaeDecodeUseOptions, 'raw'> & { readonly method?: InterpolationMethod };
    }
  | {
      readonly use: 'attribute';
      readonly source: VaeSegmentSource;
      /** Segments whose codes define the attribute's vector (e.g. a sample of the training corpus). */
      readonly corpus: readonly (readonly number[])[];
      readonly attribute: VaeAttribute;
      /** α per result (e.g. [−2, −1, 0, 1, 2]). */
      readonly amounts: readonly number[];
      readonly options?: Omit<VaeDecodeUseOptions, 'raw'>;
    };

export interface VaeGenerateInput {
  readonly family: typeof VAE_FAMILY;
  readonly model: SerializedVaeModel;
  readonly request: VaeGenerateRequest;
}

export interface VaeGenerateResult {
  readonly use: VaeGenerateRequest['use'];
  /** Each result's tokens and code (with its interpolation position or attribute amount). */
  readonly items: readonly VaeGenerated[];
  /** One clip per result (one track, the model's meter, 480 ppq, 120 bpm). */
  readonly pieces: readonly Piece[];
  /** All results back to back in one clip (an interpolation heard as one line). */
  readonly sequence: Piece;
}

export function resolveSegment(source: VaeSegmentSource, config: VaeConfig, what: string): number[] {
  if ('tokens' in source) {
    validateSegmentTokens(source.tokens, config, what);
    return [...source.tokens];
  }
  if ('piece' in source) return clipSegment(source.piece, config, { startBar: source.startBar, tracks: source.tracks });
  throw new VaeError(`${what}: give tokens or a piece.`);
}

const USE_NAMES: Record<VaeGenerateRequest['use'], string> = { sample: 'Sample', reconstruct: 'Reconstruction', interpolate: 'Interpolation', attribute: 'Attribute' };

/** Runs a generation request on a stored model. */
export function generateVae(input: VaeGenerateInput, raw?: RawKernels): VaeGenerateResult {
  const model = deserializeVaeModel(input.model);
  const { config } = model;
  const { request } = input;
  let items: VaeGenerated[];
  switch (request.use) {
    case 'sample':
      items = sampleVae(model, request.count, { ...request.options, raw });
      break;
    case 'reconstruct':
      items = reconstructVae(
        model,
        request.sources.map((source, k) => resolveSegment(source, config, `Segment ${k + 1}`)),
        { ...request.options, raw },
      );
      break;
    case 'interpolate':
      items = interpolateVae(model, resolveSegment(request.from, config, 'The start'), resolveSegment(request.to, config, 'The end'), request.steps, { ...request.options, raw });
      break;
    case 'attribute': {
      const vector = vaeAttributeVector(model, request.corpus, request.attribute, { raw });
      items = applyAttributeVae(model, resolveSegment(request.source, config, 'The segment'), vector, request.amounts, { ...request.options, raw });
      break;
    }
    default:
      throw new VaeError(`Unknown VAE use "${String((request as { use?: unknown }).use)}": sample, reconstruct, interpolate or attribute.`);
  }
  const name = USE_NAMES[request.use];
  return {
    use: request.use,
    items,
    pieces: items.map((item, k) => tokensToPiece([item.tokens], config, { name: `${name} ${k + 1}` })),
    sequence: tokensToPiece(
      items.map((item) => item.tokens),
      config,
      { name },
    ),
  };
}
