/**
 * A neural model as the studio stores it (the JSON of the models table's state column): its
 * configuration, its weights and its optimiser's state in tfjs's formats (named arrays; Adam's
 * iteration count and moments in AdamOptimizer.getWeights' order), the trainer's own state (epochs
 * done, early stopping's best validation loss and patience count) and the training history.
 * Loading it back gives a model and an optimiser that continue exactly where they stopped.
 *
 * Snapshots are the same as copied arrays, taken after every epoch (cheap); encoding them (base64)
 * is left to when a checkpoint is actually sent, at most about once a second.
 */
import type { TrainingPoint } from '../../ipc/schemas';
import type { NoteStepRow } from '../../music/representations';
import type { EventTransformerConfig } from '../neural/event-transformer';
import type { NoteStepLstmConfig } from '../neural/note-step-lstm';
import type { Optimizer, Tensor, Tf, Variable } from '../neural/ops';
import { decodeArrays, encodeArrays, type EncodedArrays, type NamedArray } from '../neural/weights-codec';

export const NEURAL_STATE_FORMAT = 'studio-neural-model';
export const NEURAL_STATE_VERSION = 1;

export type NeuralStopReason = 'converged' | 'max-iterations' | 'stopped';

export interface TrainerState {
  readonly epochsCompleted: number;
  /** The lowest validation loss so far (early stopping), null without a validation split. */
  readonly bestValidLoss: number | null;
  /** Epochs since that loss was reached. */
  readonly epochsSinceBest: number;
  /** Why the run that wrote this stopped: 'converged' means early stopping; null while it runs. */
  readonly stopReason: NeuralStopReason | null;
}

/**
 * A model's family and configuration. An LSTM also keeps a few openings of its train pieces (their
 * first `windowLength` notes): generation without a primer clip starts from one, as the seeds do.
 */
export type NeuralModelConfig =
  | { readonly family: 'lstm'; readonly config: NoteStepLstmConfig; readonly openings: readonly (readonly NoteStepRow[])[] }
  | { readonly family: 'transformer'; readonly config: EventTransformerConfig };

/** Copied arrays of a model after an epoch. */
export type NeuralSnapshot = NeuralModelConfig & {
  readonly weights: readonly NamedArray[];
  readonly optimizer: readonly NamedArray[];
  readonly trainer: TrainerState;
  readonly history: readonly TrainingPoint[];
};

export type SavedNeuralModel = NeuralModelConfig & {
  readonly format: typeof NEURAL_STATE_FORMAT;
  readonly version: typeof NEURAL_STATE_VERSION;
  readonly weights: EncodedArrays;
  readonly optimizer: EncodedArrays;
  readonly trainer: TrainerState;
  readonly history: readonly TrainingPoint[];
};

export class NeuralStateError extends Error {
  override readonly name = 'NeuralStateError';
}

/** What snapshots need of a model: its variables under stable names, and its optimiser. */
export interface TrainableModel {
  readonly names: readonly string[];
  readonly variables: readonly Variable[];
  readonly optimizer: Optimizer;
  setWeights(weights: Readonly<Record<string, Tensor>>): void;
  dispose(): void;
}

/** The optimiser's state with names that do not depend on this instance's variable scope. */
async function optimizerArrays(model: TrainableModel): Promise<NamedArray[]> {
  const entries = await model.optimizer.getWeights();
  const count = model.variables.length;
  const arrays: NamedArray[] = [];
  entries.forEach((entry, k) => {
    const values = entry.tensor.dataSync();
    const copy = entry.tensor.dtype === 'int32' ? Int32Array.from(values as Int32Array) : Float32Array.from(values as Float32Array);
    if (k === 0) {
      arrays.push({ name: 'iter', shape: [], values: Int32Array.from(copy) });
      // The iteration count is a new tensor; the moments are the optimiser's own variables.
      entry.tensor.dispose();
      return;
    }
    const moment = k - 1;
    const name = `${model.names[moment % count]!}/${moment < count ? 'm' : 'v'}`;
    arrays.push({ name, shape: [...entry.tensor.shape], values: copy });
  });
  return arrays;
}

export async function takeSnapshot(model: TrainableModel, description: NeuralModelConfig, trainer: TrainerState, history: readonly TrainingPoint[]): Promise<NeuralSnapshot> {
  const weights = model.names.map((name, k) => {
    const variable = model.variables[k]!;
    return { name, shape: [...variable.shape], values: Float32Array.from(variable.dataSync() as Float32Array) };
  });
  return { ...description, weights, optimizer: await optimizerArrays(model), trainer, history: [...history] } as NeuralSnapshot;
}

export function encodeSnapshot(snapshot: NeuralSnapshot): SavedNeuralModel {
  const { weights, optimizer, ...rest } = snapshot;
  return { ...rest, format: NEURAL_STATE_FORMAT, version: NEURAL_STATE_VERSION, weights: encodeArrays(weights), optimizer: encodeArrays(optimizer) } as SavedNeuralModel;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A stored state read back; throws a NeuralStateError that says what is wrong with it. */
export function readSavedNeuralModel(state: unknown, family: 'lstm' | 'transformer'): SavedNeuralModel {
  if (!isRecord(state) || state.format !== NEURAL_STATE_FORMAT) {
    throw new NeuralStateError(`The saved model is not a neural model's state (format ${isRecord(state) ? String(state.format) : typeof state}).`);
  }
  if (state.version !== NEURAL_STATE_VERSION) throw new NeuralStateError(`The saved model has version ${String(state.version)}; this studio reads version ${NEURAL_STATE_VERSION}.`);
  if (state.family !== family) throw new NeuralStateError(`The saved model is a ${String(state.family)}, not a ${family}.`);
  if (!isRecord(state.weights) || !isRecord(state.optimizer) || !isRecord(state.trainer) || !isRecord(state.config) || !Array.isArray(state.history)) {
    throw new NeuralStateError('The saved model is incomplete (weights, optimiser, trainer, configuration or history missing).');
  }
  return state as unknown as SavedNeuralModel;
}

export function decodeSnapshot(saved: SavedNeuralModel): NeuralSnapshot {
  const { weights, optimizer, format: _format, version: _version, ...rest } = saved;
  return { ...rest, weights: decodeArrays(weights), optimizer: decodeArrays(optimizer) } as NeuralSnapshot;
}

/** Puts a snapshot's weights (not its optimiser state) into a model built from the same configuration: enough to score or sample. */
export function restoreWeights(tf: Tf, model: Pick<TrainableModel, 'setWeights'>, snapshot: Pick<NeuralSnapshot, 'weights'>): void {
  const tensors = Object.fromEntries(snapshot.weights.map((array) => [array.name, tf.tensor(array.values, [...array.shape])] as const));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Puts a snapshot's weights and optimiser state into a model built from the same configuration. */
export async function restoreSnapshot(tf: Tf, model: TrainableModel, snapshot: NeuralSnapshot): Promise<void> {
  restoreWeights(tf, model, snapshot);
  const [iterations, ...moments] = snapshot.optimizer;
  if (!iterations || iterations.name !== 'iter') throw new NeuralStateError('The saved optimiser state has no iteration count.');
  if (moments.length !== 2 * model.variables.length) {
    throw new NeuralStateError(`The saved optimiser state has ${moments.length} moments for ${model.variables.length} weights (expected ${2 * model.variables.length}).`);
  }
  moments.forEach((moment, k) => {
    const variable = model.variables[k % model.variables.length]!;
    if (moment.shape.join() !== variable.shape.join()) {
      throw new NeuralStateError(`The saved optimiser moment "${moment.name}" has shape [${moment.shape.join(', ')}], its weight [${variable.shape.join(', ')}].`);
    }
  });
  const entries = [
    { name: 'iter', tensor: tf.scalar(iterations.values[0]!, 'int32') },
    ...moments.map((moment) => ({ name: moment.name, tensor: tf.tensor(moment.values, [...moment.shape]) })),
  ];
  try {
    // The optimiser makes variables of these tensors (sharing their data), so ours can go after.
    await model.optimizer.setWeights(entries);
  } finally {
    tf.dispose(entries.map((entry) => entry.tensor));
  }
}
