/**
 * HMMs as plain JSON-able objects (for SQLite), with their settings and training history, and
 * back. A deserialised model is a TrainingCheckpoint, so it can be passed as `resume` to continue
 * training from its last completed iteration. Numbers survive JSON exactly (shortest round-trip).
 */
import { resolveCategoricalSettings, type CategoricalHmmSettings, type ResolvedCategoricalSettings } from './categorical-train';
import { HmmSettingsError } from './errors';
import { resolveNoteSettings, validateNoteParams, type NoteHmmParams, type NoteHmmSettings, type ResolvedNoteSettings } from './note-hmm';
import type { CategoricalHmmParams, IterationRecord, StopReason, TrainingCheckpoint } from './types';
import { validateCategoricalParams } from './validation';

export const CATEGORICAL_FORMAT = 'studio.hmm.categorical';
export const NOTE_FORMAT = 'studio.hmm.note';
export const FORMAT_VERSION = 1;

interface SavedTraining<S> {
  readonly version: typeof FORMAT_VERSION;
  readonly settings: S | null;
  readonly iterationsCompleted: number;
  readonly history: IterationRecord[];
  readonly stopReason: StopReason | null;
}

export interface SerializedCategoricalHmm extends SavedTraining<ResolvedCategoricalSettings> {
  readonly format: typeof CATEGORICAL_FORMAT;
  readonly nStates: number;
  readonly nSymbols: number;
  readonly initial: number[];
  /** N×N row-major. */
  readonly transition: number[];
  /** N×M row-major. */
  readonly emission: number[];
}

export interface SerializedNoteHmm extends SavedTraining<ResolvedNoteSettings> {
  readonly format: typeof NOTE_FORMAT;
  readonly nStates: number;
  readonly nPitches: number;
  readonly nFeatures: number;
  readonly initial: number[];
  readonly transition: number[];
  readonly pitch: number[];
  readonly means: number[];
  readonly variances: number[];
  readonly varianceFloor: number[];
}

export interface SavedModel<P, S> extends TrainingCheckpoint<P> {
  readonly settings: S | null;
  readonly stopReason: StopReason | null;
}

interface Trained<P, S> {
  readonly params: P;
  readonly iterationsCompleted?: number;
  readonly history?: readonly IterationRecord[];
  readonly settings?: S;
  readonly stopReason?: StopReason;
}

function training<S>(model: Trained<unknown, S>): SavedTraining<S> {
  return {
    version: FORMAT_VERSION,
    settings: model.settings ?? null,
    iterationsCompleted: model.iterationsCompleted ?? 0,
    history: (model.history ?? []).map((record) => ({ ...record })),
    stopReason: model.stopReason ?? null,
  };
}

export function serializeCategoricalHmm(model: Trained<CategoricalHmmParams, ResolvedCategoricalSettings>): SerializedCategoricalHmm {
  const { params } = model;
  return {
    format: CATEGORICAL_FORMAT,
    ...training(model),
    nStates: params.nStates,
    nSymbols: params.nSymbols,
    initial: Array.from(params.initial),
    transition: Array.from(params.transition),
    emission: Array.from(params.emission),
  };
}

export function serializeNoteHmm(model: Trained<NoteHmmParams, ResolvedNoteSettings>): SerializedNoteHmm {
  const { params } = model;
  return {
    format: NOTE_FORMAT,
    ...training(model),
    nStates: params.nStates,
    nPitches: params.nPitches,
    nFeatures: params.nFeatures,
    initial: Array.from(params.initial),
    transition: Array.from(params.transition),
    pitch: Array.from(params.pitch),
    means: Array.from(params.means),
    variances: Array.from(params.variances),
    varianceFloor: Array.from(params.varianceFloor),
  };
}

type Json = Record<string, unknown>;

function record(value: unknown, format: string): Json {
  if (typeof value !== 'object' || value === null) throw new HmmSettingsError(`The saved model is not an object.`);
  const object = value as Json;
  if (object.format !== format) throw new HmmSettingsError(`The saved model has format ${String(object.format)}, expected ${format}.`);
  if (object.version !== FORMAT_VERSION) throw new HmmSettingsError(`The saved model has version ${String(object.version)}; this studio reads version ${FORMAT_VERSION}.`);
  return object;
}

function numbers(object: Json, key: string): Float64Array {
  const value = object[key];
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'number')) throw new HmmSettingsError(`The saved model's ${key} must be an array of numbers.`);
  return Float64Array.from(value as number[]);
}

function integer(object: Json, key: string): number {
  const value = object[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new HmmSettingsError(`The saved model's ${key} must be a non-negative integer.`);
  return value;
}

function savedTraining<S>(object: Json, resolve: (settings: never) => S): { settings: S | null; iterationsCompleted: number; history: IterationRecord[]; stopReason: StopReason | null } {
  const history = object.history;
  if (!Array.isArray(history)) throw new HmmSettingsError("The saved model's history must be an array.");
  const records = history.map((entry: unknown, index): IterationRecord => {
    const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Json;
    const { iteration, logLikelihood, perToken, relativeChange, seconds } = item;
    if (
      typeof iteration !== 'number' ||
      typeof logLikelihood !== 'number' ||
      typeof perToken !== 'number' ||
      !(relativeChange === null || typeof relativeChange === 'number') ||
      typeof seconds !== 'number'
    ) {
      throw new HmmSettingsError(`The saved model's history entry ${index} is malformed.`);
    }
    return { iteration, logLikelihood, perToken, relativeChange, seconds };
  });
  const stopReason = object.stopReason;
  if (!(stopReason === null || stopReason === 'converged' || stopReason === 'max-iterations' || stopReason === 'stopped')) {
    throw new HmmSettingsError("The saved model's stopReason is not recognised.");
  }
  const settings = object.settings;
  if (!(settings === null || (typeof settings === 'object' && !Array.isArray(settings)))) throw new HmmSettingsError("The saved model's settings must be an object.");
  return { settings: settings === null ? null : resolve(settings as never), iterationsCompleted: integer(object, 'iterationsCompleted'), history: records, stopReason };
}

export function deserializeCategoricalHmm(value: unknown): SavedModel<CategoricalHmmParams, ResolvedCategoricalSettings> {
  const object = record(value, CATEGORICAL_FORMAT);
  const params: CategoricalHmmParams = {
    nStates: integer(object, 'nStates'),
    nSymbols: integer(object, 'nSymbols'),
    initial: numbers(object, 'initial'),
    transition: numbers(object, 'transition'),
    emission: numbers(object, 'emission'),
  };
  validateCategoricalParams(params);
  return { params, ...savedTraining(object, (settings: CategoricalHmmSettings) => resolveCategoricalSettings(settings)) };
}

export function deserializeNoteHmm(value: unknown): SavedModel<NoteHmmParams, ResolvedNoteSettings> {
  const object = record(value, NOTE_FORMAT);
  const params: NoteHmmParams = {
    nStates: integer(object, 'nStates'),
    nPitches: integer(object, 'nPitches'),
    nFeatures: integer(object, 'nFeatures'),
    initial: numbers(object, 'initial'),
    transition: numbers(object, 'transition'),
    pitch: numbers(object, 'pitch'),
    means: numbers(object, 'means'),
    variances: numbers(object, 'variances'),
    varianceFloor: numbers(object, 'varianceFloor'),
  };
  validateNoteParams(params);
  return { params, ...savedTraining(object, (settings: NoteHmmSettings) => resolveNoteSettings(settings)) };
}
