/**
 * Saving and restoring the state of an Adam made by `NeuralOps.adam` as plain data, for checkpoints
 * that resume training exactly (the same moments, step count and learning rate).
 */
import type { NeuralOps, Optimizer, Tensor, Tf, Variable } from './ops';

/** Adam's state as plain data (tf.train.adam's layout: iterations, then first and second moments in variable order). */
export interface AdamState {
  readonly iterations: number;
  readonly learningRate: number;
  readonly moments: readonly Float32Array[];
}

/** The state of `optimizer`, whose learning rate is `learningRate` (Adam's weights do not hold it). */
export async function readAdamState(optimizer: Optimizer, learningRate: number): Promise<AdamState> {
  const entries = await optimizer.getWeights();
  const [iterations, ...moments] = entries;
  const count = iterations ? iterations.tensor.dataSync()[0]! : 0;
  // The iterations scalar is made for the call (the moments are the optimiser's own variables).
  iterations?.tensor.dispose();
  return { iterations: count, learningRate, moments: moments.map((entry) => Float32Array.from(entry.tensor.dataSync() as Float32Array)) };
}

export interface AdamRestore {
  readonly tf: Tf;
  readonly ops: NeuralOps;
  /** The model's trainable variables, in the order of the moments. */
  readonly variables: readonly Variable[];
  /** The optimiser the model has now: disposed of once the state is known to fit. */
  readonly previous: Optimizer;
  /** The model family's error for a state that does not fit. */
  readonly error: (message: string) => Error;
}

/**
 * A new Adam (`ops.adam(state.learningRate)`: its learning rate is part of the state) holding the
 * saved moments; no moments (a state saved before the first step) gives a fresh Adam.
 */
export async function restoreAdam(state: AdamState, { tf, ops, variables, previous, error }: AdamRestore): Promise<Optimizer> {
  const count = variables.length;
  if (state.moments.length !== 0 && state.moments.length !== 2 * count) {
    throw error(`The optimiser state has ${state.moments.length} moments; this model needs ${2 * count}.`);
  }
  state.moments.forEach((moment, k) => {
    const size = variables[k % count]!.size;
    if (moment.length !== size) throw error(`The optimiser state's moment ${k} has ${moment.length} values, expected ${size}.`);
  });
  previous.dispose();
  const optimizer = ops.adam(state.learningRate);
  const entries = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') as Tensor },
    ...state.moments.map((moment, k) => {
      const variable = variables[k % count]!;
      return { name: `${variable.name}/${k < count ? 'm' : 'v'}`, tensor: tf.tensor(moment, variable.shape) };
    }),
  ];
  await optimizer.setWeights(entries);
  tf.dispose(entries.map((entry) => entry.tensor));
  return optimizer;
}
