/**
 * The seeds' LSTM next-note model (TensorFlow's music_generation tutorial): a window of notes, each
 * (pitch/128, step, duration), through stacked LSTM layers; the last step's output feeds three heads:
 * pitch (128 logits, sparse cross-entropy from logits), step and duration (one value each, MSE with
 * positive pressure). Loss = Σ weight·loss (tutorial: pitch 0.05, step 1, duration 1); Adam.
 *
 * Written against TensorFlow.js's API (variables, autodiff, optimizer, weight serialisation) and the
 * NeuralOps it is given: the worker's native fused kernels or plain tfjs ops, same maths.
 */
import { mulberry32 } from '../hmm/random';
import { denseLayerWeights, lstmLayerWeights, type WeightArray } from './init';
import { NOTE_FEATURES, PITCH_CLASSES, type NoteBatch } from './note-windows';
import type { LstmWeights, NeuralOps, Optimizer, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tf, Variable } from './ops';

export type { WeightArray } from './init';

export interface NoteLstmConfig {
  /** Notes per input window (the tutorial's seq_length). */
  readonly windowLength: number;
  /** Units of each stacked LSTM layer, first to last. */
  readonly units: readonly number[];
  readonly lossWeights: { readonly pitch: number; readonly step: number; readonly duration: number };
  readonly learningRate: number;
  /** Seeds the initial weights. */
  readonly seed: number;
}

/** The tutorial's model: 25 notes → LSTM(128) → heads; Adam(0.005). */
export const SEEDS_NOTE_LSTM: NoteLstmConfig = {
  windowLength: 25,
  units: [128],
  lossWeights: { pitch: 0.05, step: 1, duration: 1 },
  learningRate: 0.005,
  seed: 1,
};

/** The large benchmark configuration: 64 notes → LSTM(256) → LSTM(256) → heads. */
export const BIG_NOTE_LSTM: NoteLstmConfig = { ...SEEDS_NOTE_LSTM, windowLength: 64, units: [256, 256] };

/** The heads, in weight order: name and outputs. */
const HEADS = [
  ['pitch', PITCH_CLASSES],
  ['step', 1],
  ['duration', 1],
] as const;

export class NoteLstmConfigError extends Error {
  override readonly name = 'NoteLstmConfigError';
}

export function validateNoteLstmConfig(config: NoteLstmConfig): void {
  const fail = (message: string): never => {
    throw new NoteLstmConfigError(message);
  };
  if (!Number.isInteger(config.windowLength) || config.windowLength < 1) fail(`windowLength must be a whole number ≥ 1, got ${config.windowLength}.`);
  if (config.units.length === 0) fail('units must list at least one LSTM layer.');
  config.units.forEach((units, layer) => {
    if (!Number.isInteger(units) || units < 1) fail(`units[${layer}] must be a whole number ≥ 1, got ${units}.`);
  });
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) fail(`learningRate must be a positive number, got ${config.learningRate}.`);
  for (const [name, weight] of Object.entries(config.lossWeights)) {
    if (!Number.isFinite(weight) || weight < 0) fail(`lossWeights.${name} must be a number ≥ 0, got ${weight}.`);
  }
  if (!Number.isInteger(config.seed)) fail(`seed must be an integer, got ${config.seed}.`);
}

/**
 * The initial weights for `config`, as Keras initialises these layers: LSTM kernel glorot-uniform,
 * recurrent kernel orthogonal, bias 0 except the forget gate's 1 (unit_forget_bias); dense kernel
 * glorot-uniform, bias 0. Seeded: the same config gives the same arrays everywhere.
 */
export function initialNoteLstmWeights(config: NoteLstmConfig): WeightArray[] {
  validateNoteLstmConfig(config);
  const random = mulberry32(config.seed);
  const weights: WeightArray[] = [];
  let inputs = NOTE_FEATURES;
  config.units.forEach((H, layer) => {
    weights.push(...lstmLayerWeights(random, `lstm_${layer}`, inputs, H));
    inputs = H;
  });
  for (const [head, outputs] of HEADS) {
    weights.push(...denseLayerWeights(random, head, inputs, outputs));
  }
  return weights;
}

export interface NoteLstmLosses {
  readonly total: number;
  readonly pitch: number;
  readonly step: number;
  readonly duration: number;
}

export interface NoteLstmPrediction {
  /** B×128 pitch logits, row-major. */
  readonly pitchLogits: Float32Array;
  readonly step: Float32Array;
  readonly duration: Float32Array;
}

let instances = 0;

export class NoteLstm {
  readonly config: NoteLstmConfig;
  /** Trainable variables in the order of initialNoteLstmWeights. */
  readonly variables: readonly Variable[];
  readonly optimizer: Optimizer;
  private readonly names: readonly string[];
  private readonly layers: readonly LstmWeights[];
  /** [kernel, bias] of the pitch, step and duration heads. */
  private readonly heads: readonly (readonly [Tensor2D, Tensor1D])[];

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    config: NoteLstmConfig,
  ) {
    validateNoteLstmConfig(config);
    this.config = config;
    // tfjs variable names are global to the engine: make them unique per instance.
    const scope = `note_lstm_${++instances}`;
    const initial = initialNoteLstmWeights(config);
    this.names = initial.map((weight) => weight.name);
    this.variables = initial.map((weight) => tf.variable(tf.tensor(weight.values, [...weight.shape]), true, `${scope}/${weight.name}`));
    const layers: LstmWeights[] = [];
    for (let layer = 0; layer < config.units.length; layer++) {
      const [kernel, recurrentKernel, bias] = this.variables.slice(3 * layer, 3 * layer + 3) as [Variable, Variable, Variable];
      layers.push({ kernel: kernel as Tensor2D, recurrentKernel: recurrentKernel as Tensor2D, bias: bias as Tensor1D });
    }
    this.layers = layers;
    const first = 3 * config.units.length;
    this.heads = HEADS.map((_, k) => [this.variables[first + 2 * k] as Tensor2D, this.variables[first + 2 * k + 1] as Tensor1D] as const);
    this.optimizer = ops.adam(config.learningRate);
  }

  /** The heads' outputs (pitch logits [B, 128], step [B, 1], duration [B, 1]) for time-major inputs [T, B, 3]. */
  private forward(inputs: Tensor3D): [Tensor2D, Tensor2D, Tensor2D] {
    let sequence: Tensor = inputs;
    const last = this.layers.length - 1;
    this.layers.forEach((weights, layer) => {
      sequence = this.ops.lstm(sequence as Tensor3D, weights, { returnSequences: layer < last, inputGradient: layer > 0 }).output;
    });
    const [pitch, step, duration] = this.heads.map(([kernel, bias]) => this.ops.dense(sequence as Tensor2D, kernel, bias));
    return [pitch!, step!, duration!];
  }

  private batchTensors(batch: NoteBatch): { inputs: Tensor3D; pitch: Tensor1D; step: Tensor1D; duration: Tensor1D } {
    const { tf } = this;
    if (batch.windowLength !== this.config.windowLength) {
      throw new NoteLstmConfigError(`The batch's windows have ${batch.windowLength} notes; this model takes ${this.config.windowLength}.`);
    }
    return {
      inputs: tf.tensor3d(batch.inputs, [batch.windowLength, batch.batchSize, NOTE_FEATURES]),
      pitch: tf.tensor1d(batch.pitch, 'int32'),
      step: tf.tensor1d(batch.step),
      duration: tf.tensor1d(batch.duration),
    };
  }

  /** The weighted loss and its parts, as scalar tensors (differentiable). */
  lossTensors(batch: NoteBatch): { total: Tensor; pitch: Tensor; step: Tensor; duration: Tensor } {
    const { tf } = this;
    const data = this.batchTensors(batch);
    const [pitchLogits, step, duration] = this.forward(data.inputs);
    const pitch = this.ops.sparseCrossEntropy(pitchLogits, data.pitch);
    const stepLoss = this.ops.mseWithPositivePressure(tf.reshape(step, [-1]) as Tensor1D, data.step);
    const durationLoss = this.ops.mseWithPositivePressure(tf.reshape(duration, [-1]) as Tensor1D, data.duration);
    const weights = this.config.lossWeights;
    const total = tf.addN([tf.mul(pitch, weights.pitch), tf.mul(stepLoss, weights.step), tf.mul(durationLoss, weights.duration)]);
    return { total, pitch, step: stepLoss, duration: durationLoss };
  }

  /** One optimiser step on `batch`; returns the batch's loss before the step. */
  trainStep(batch: NoteBatch): number {
    const { tf } = this;
    const cost = tf.tidy(() => {
      const value = this.optimizer.minimize(() => this.lossTensors(batch).total as Scalar, true, [...this.variables]);
      if (!value) throw new Error('The optimiser returned no cost.');
      return value;
    });
    const value = cost.dataSync()[0]!;
    cost.dispose();
    return value;
  }

  evaluate(batch: NoteBatch): NoteLstmLosses {
    const { tf } = this;
    const parts = tf.tidy(() => {
      const losses = this.lossTensors(batch);
      return tf.stack([losses.total, losses.pitch, losses.step, losses.duration]);
    });
    const values = parts.dataSync();
    parts.dispose();
    return { total: values[0]!, pitch: values[1]!, step: values[2]!, duration: values[3]! };
  }

  /** Next-note predictions for time-major inputs [windowLength, batchSize, 3]. */
  predict(inputs: Float32Array, batchSize: number): NoteLstmPrediction {
    const { tf } = this;
    const T = this.config.windowLength;
    if (inputs.length !== T * batchSize * NOTE_FEATURES) {
      throw new NoteLstmConfigError(`predict: inputs must hold ${T}×${batchSize}×${NOTE_FEATURES} values, got ${inputs.length}.`);
    }
    const outputs = tf.tidy(() => this.forward(tf.tensor3d(inputs, [T, batchSize, NOTE_FEATURES])));
    const [pitchLogits, step, duration] = outputs.map((output) => Float32Array.from(output.dataSync()));
    tf.dispose(outputs);
    return { pitchLogits: pitchLogits!, step: step!, duration: duration! };
  }

  /** The weights under stable names (those of initialNoteLstmWeights), for tf.io.encodeWeights. */
  getWeights(): Record<string, Tensor> {
    return Object.fromEntries(this.names.map((name, k) => [name, this.variables[k]!]));
  }

  setWeights(weights: Readonly<Record<string, Tensor>>): void {
    this.names.forEach((name, k) => {
      const variable = this.variables[k]!;
      const value = weights[name];
      if (!value) throw new NoteLstmConfigError(`setWeights: "${name}" is missing.`);
      if (value.shape.join() !== variable.shape.join()) {
        throw new NoteLstmConfigError(`setWeights: "${name}" has shape [${value.shape.join(', ')}], expected [${variable.shape.join(', ')}].`);
      }
      variable.assign(value);
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const variable of this.variables) variable.dispose();
  }
}
