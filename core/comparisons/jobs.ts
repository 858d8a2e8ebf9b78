/**
 * The compare job, as main and the worker both see it: the stored payload (the comparison's id; its
 * request lives in the comparisons table), the per-run input main reads from the database (reference
 * pieces, each model's saved state and the reference split's sequences in its representation: an
 * HMM's, or an LSTM's note steps, or a transformer's event tokens; a polyphonic model reads the
 * pieces themselves, as frames, and a VAE its segments), the
 * data messages the worker sends back as it goes, and its result.
 */
import { z } from 'zod';
import { CreateComparisonInputSchema, Id, isNeuralSettings, isPolyphonicSettings, isVaeSettings, type HmmSettings, type NeuralSettings, type PolyphonicSettings, type VaeSettings } from '../ipc/schemas';
import type { MusPySetMetrics } from '../metrics/muspy';
import type { ComparisonReport } from '../metrics/compare';
import type { HmmSequences } from '../models/hmm-studio/sequences';
import type { NeuralSequences } from '../models/neural-studio/sequences';
import type { SerializedVaeModel } from '../models/vae/serialize';
import type { CorpusStatistics } from '../music/stats/describe';
import type { Piece } from '../music/types';

export const COMPARE_JOB = 'compare';

export const ComparePayloadSchema = z.object({ comparisonId: Id }).strict();
export type ComparePayload = z.infer<typeof ComparePayloadSchema>;

/** What the composer asked for (comparisons.create with its defaults applied), stored with the comparison. */
export const CompareRequestSchema = CreateComparisonInputSchema;
export type CompareRequest = z.output<typeof CompareRequestSchema>;

/** One HMM of the run: what it needs to be scored and sampled. */
export interface CompareHmmInput {
  readonly modelId: number;
  readonly name: string;
  readonly settings: HmmSettings;
  /** The saved parameters (the models table's state JSON). */
  readonly state: unknown;
  /** The reference split in the model's representation, for the held-out likelihood. */
  readonly sequences: HmmSequences;
}

/** One LSTM or transformer of the run: the same, in its own representation (note steps, event tokens). */
export interface CompareNeuralInput {
  readonly modelId: number;
  readonly name: string;
  readonly settings: NeuralSettings;
  readonly state: unknown;
  readonly sequences: NeuralSequences;
}

/**
 * One polyphonic model of the run: its stored checkpoint as JSON text (the worker parses it), scored
 * on the reference pieces' frames and sampled by continuing from nothing (core/comparisons/polyphonic.ts).
 */
export interface ComparePolyphonicInput {
  readonly modelId: number;
  readonly name: string;
  readonly settings: PolyphonicSettings;
  readonly state: string;
}

/**
 * One VAE of the run: its kept model (the best epoch's weights), scored by the ELBO bound on the
 * reference pieces' segments and sampled from the prior (core/comparisons/vae.ts). An RL-tuned model
 * needs no kind of its own: main sends its policy as the LSTM it is (CompareNeuralInput).
 */
export interface CompareVaeInput {
  readonly modelId: number;
  readonly name: string;
  readonly settings: VaeSettings;
  readonly state: SerializedVaeModel;
}

export type CompareModelInput = CompareHmmInput | CompareNeuralInput | ComparePolyphonicInput | CompareVaeInput;

export function isNeuralCompareInput(model: CompareModelInput): model is CompareNeuralInput {
  return isNeuralSettings(model.settings);
}

export function isPolyphonicCompareInput(model: CompareModelInput): model is ComparePolyphonicInput {
  return isPolyphonicSettings(model.settings);
}

export function isVaeCompareInput(model: CompareModelInput): model is CompareVaeInput {
  return isVaeSettings(model.settings);
}

export function isHmmCompareInput(model: CompareModelInput): model is CompareHmmInput {
  return !isNeuralCompareInput(model) && !isPolyphonicCompareInput(model) && !isVaeCompareInput(model);
}

export interface CompareInput {
  readonly samplesPerModel: number;
  readonly length: CompareRequest['length'];
  readonly seed: number;
  /** The reference split's pieces, whole. */
  readonly reference: readonly Piece[];
  readonly models: readonly CompareModelInput[];
  /** The tempo samples are written at (the corpus's usual one, as models.generate uses). */
  readonly tempoBpm: number;
}

/** The reference split's own metrics, computed once, before any model. */
export interface CompareReferenceData {
  readonly type: 'reference';
  readonly musPy: MusPySetMetrics;
  readonly statistics: CorpusStatistics;
}

/** One generated sample, sent as soon as it is made: main stores it as a clip at once. */
export interface CompareSampleData {
  readonly type: 'sample';
  readonly modelId: number;
  /** 0-based index within the model's samples; its seed is the request's seed + index. */
  readonly index: number;
  readonly seed: number;
  readonly piece: Piece;
}

/** A model's figures, once its samples are made and measured. */
export interface CompareModelData {
  readonly type: 'model';
  readonly modelId: number;
  /** Held-out log-likelihood per token (nats) of the reference split (per frame for a polyphonic model); null where none is defined. */
  readonly logLikelihoodPerToken: number | null;
  readonly musPy: MusPySetMetrics;
  readonly relative: ComparisonReport;
  readonly statistics: CorpusStatistics;
}

export type CompareData = CompareReferenceData | CompareSampleData | CompareModelData;

export interface CompareWorkerResult {
  readonly models: number;
  readonly samples: number;
}

