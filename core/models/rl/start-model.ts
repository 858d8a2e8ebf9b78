/**
 * The model the RL tuner starts from: a trained studio LSTM (NoteStepLstm), read from its stored
 * state (the models table's JSON, core/models/neural-studio/checkpoint.ts). Its weights initialise
 * the policy and stay, frozen, as the KL reference p₀; its openings and training history travel on
 * to the tuned model, which is again a studio LSTM state.
 */
import type { LstmSettings, TrainingPoint } from '../../ipc/schemas';
import type { NoteStepRow } from '../../music/representations';
import { decodeSnapshot, readSavedNeuralModel, type TrainerState } from '../neural-studio/checkpoint';
import { noteStepLstmWeightsFrom, validateNoteStepLstmConfig, type NoteStepLstmConfig, type NoteStepLstmWeights } from '../neural/note-step-lstm';
import type { NamedArray } from '../neural/weights-codec';
import { RlError } from './errors';

export interface RlStartModel {
  readonly config: NoteStepLstmConfig;
  /** The start weights under NoteStepLstm's names (float32). */
  readonly weights: readonly NamedArray[];
  readonly openings: readonly (readonly NoteStepRow[])[];
  readonly trainer: TrainerState;
  readonly history: readonly TrainingPoint[];
  /** The studio settings it was trained with (generation from the tuned model needs them); null when not given. */
  readonly settings: LstmSettings | null;
  /** A hash of the configuration and weights: a checkpoint resumes only with the start model it began with. */
  readonly fingerprint: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** FNV-1a over the configuration's JSON and the weights' bits. */
export function fingerprintOf(config: NoteStepLstmConfig, weights: readonly NamedArray[]): string {
  let hash = 0x811c9dc5;
  const mix = (value: number): void => {
    hash ^= value & 0xff;
    hash = Math.imul(hash, 0x01000193);
    hash ^= (value >>> 8) & 0xff;
    hash = Math.imul(hash, 0x01000193);
    hash ^= (value >>> 16) & 0xff;
    hash = Math.imul(hash, 0x01000193);
    hash ^= value >>> 24;
    hash = Math.imul(hash, 0x01000193);
  };
  const text = JSON.stringify(config);
  for (let k = 0; k < text.length; k++) mix(text.charCodeAt(k));
  for (const array of weights) {
    for (let k = 0; k < array.name.length; k++) mix(array.name.charCodeAt(k));
    const bits = new Int32Array(array.values.buffer, array.values.byteOffset, array.values.length);
    for (let k = 0; k < bits.length; k++) mix(bits[k]!);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * A stored studio model's state as the RL tuner's start model; throws an RlError that says why not
 * (not a model state, not an LSTM, damaged weights).
 */
export function startModelFromSaved(state: unknown, settings: LstmSettings | null = null): RlStartModel {
  if (!isRecord(state)) throw new RlError('The RL tuner starts from a trained LSTM, but no model state was given.');
  if (state.format === 'studio-rl-model') throw new RlError('The RL tuner starts from a trained LSTM; this is an RL-tuned model already (tune its start LSTM, or generate from it).');
  if (state.family !== 'lstm') {
    const family = typeof state.family === 'string' ? `a ${state.family} model` : `a model of format ${String(state.format)}`;
    throw new RlError(`The RL tuner starts from a trained LSTM (a note-step LSTM of the studio); the chosen model is ${family}.`);
  }
  let snapshot;
  try {
    snapshot = decodeSnapshot(readSavedNeuralModel(state, 'lstm'));
  } catch (error) {
    throw new RlError(`The start LSTM cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (snapshot.family !== 'lstm') throw new RlError('The RL tuner starts from a trained LSTM.');
  const config = snapshot.config;
  try {
    validateNoteStepLstmConfig(config);
    const arrays = new Map(snapshot.weights.map((array) => [array.name, array.values as Float32Array] as const));
    noteStepLstmWeightsFrom(config, (name) => arrays.get(name));
  } catch (error) {
    throw new RlError(`The start LSTM is damaged: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (settings && settings.windowLength !== config.windowLength) throw new RlError('The start LSTM does not match its settings (window length).');
  if (snapshot.trainer.epochsCompleted === 0) throw new RlError('The start LSTM has not been trained yet: train it on the corpus first (the RL tuner refines a trained model).');
  return {
    config,
    weights: snapshot.weights,
    openings: snapshot.openings,
    trainer: snapshot.trainer,
    history: snapshot.history,
    settings,
    fingerprint: fingerprintOf(config, snapshot.weights),
  };
}

/** The start weights as arrays by layer and head (for the frozen reference stepper). */
export function startInferenceWeights(start: RlStartModel): NoteStepLstmWeights {
  const arrays = new Map(start.weights.map((array) => [array.name, array.values as Float32Array] as const));
  return noteStepLstmWeightsFrom(start.config, (name) => arrays.get(name));
}
