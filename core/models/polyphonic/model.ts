/**
 * The polyphonic models on TensorFlow.js (variables, autodiff, optimiser) and the NeuralOps they are
 * given (the worker's native fused LSTM/dense kernels, or plain tfjs ops: same maths):
 *   frames (previous step) → LSTM layers (dropout between, training only) → dense → per-frame loss,
 * the loss being the NADE's exact −log p(frame) (rnn-nade) or independent sigmoids (rnn-bernoulli,
 * the baseline). Both losses are single ops with their own gradients (nade.ts's loops), and every
 * loss here is in nats per frame: the sum over a frame's pitches, averaged over frames.
 */
import { readAdamState, restoreAdam, type AdamState } from '../neural/adam-state';
import { applyClippedGradients } from '../neural/clipped-step';
import type { LstmWeights, NeuralOps, Optimizer, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tf, Variable } from '../neural/ops';
import type { FrameBatch } from './batches';
import { initialPolyphonicWeights, outputWidth, validatePolyphonicConfig, type PolyphonicConfig, type WeightArray } from './config';
import { PolyphonicError } from './errors';
import { pitchCount } from './frames';
import { bernoulliLoss, nadeLoss, type NadeLossFunction } from './nade';
import type { SeededRandom } from './random';

/** A trained model as plain data: what sampling, checkpoints and storage need. */
export interface PolyphonicWeights {
  readonly config: PolyphonicConfig;
  readonly weights: readonly WeightArray[];
}

/** Adam's state as plain data (see neural/adam-state.ts). */
export type OptimizerState = AdamState;

/** Faster implementations the worker may supply (same maths as the TypeScript defaults). */
export interface PolyphonicKernels {
  readonly nadeLoss?: NadeLossFunction;
}

export interface TrainStepResult {
  /** The batch's loss before the step, nats per frame. */
  readonly loss: number;
  /** The gradients' global norm before clipping. */
  readonly gradientNorm: number;
}

let instances = 0;

function float32(tensor: Tensor): Float32Array {
  return tensor.dataSync() as Float32Array;
}

export class PolyphonicModel {
  readonly config: PolyphonicConfig;
  readonly pitches: number;
  readonly variables: readonly Variable[];
  private optimizer: Optimizer;
  private learningRateValue: number;
  private readonly names: readonly string[];
  private readonly layers: readonly LstmWeights[];
  private readonly output: { readonly kernel: Tensor2D; readonly bias: Tensor1D; readonly skip: Tensor2D | null };
  private readonly nade: { readonly W: Tensor2D; readonly V: Tensor2D } | null;
  private readonly nadeLoss: NadeLossFunction;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    config: PolyphonicConfig,
    kernels: PolyphonicKernels = {},
  ) {
    this.nadeLoss = kernels.nadeLoss ?? nadeLoss;
    validatePolyphonicConfig(config);
    this.config = config;
    this.pitches = pitchCount(config.range);
    // tfjs variable names are global to the engine: unique per instance.
    const scope = `polyphonic_${++instances}`;
    const initial = initialPolyphonicWeights(config);
    this.names = initial.map((weight) => weight.name);
    this.variables = initial.map((weight) => tf.variable(tf.tensor(weight.values, [...weight.shape]), true, `${scope}/${weight.name}`));
    const named = (name: string): Tensor => this.variables[this.names.indexOf(name)]!;
    this.layers = config.units.map((_, layer) => ({
      kernel: named(`lstm_${layer}/kernel`) as Tensor2D,
      recurrentKernel: named(`lstm_${layer}/recurrent_kernel`) as Tensor2D,
      bias: named(`lstm_${layer}/bias`) as Tensor1D,
    }));
    this.output = {
      kernel: named('output/kernel') as Tensor2D,
      bias: named('output/bias') as Tensor1D,
      skip: config.skipInput ? (named('output/skip') as Tensor2D) : null,
    };
    this.nade = config.kind === 'rnn-nade' ? { W: named('nade/W') as Tensor2D, V: named('nade/V') as Tensor2D } : null;
    this.learningRateValue = config.learningRate;
    this.optimizer = ops.adam(config.learningRate);
  }

  get learningRate(): number {
    return this.learningRateValue;
  }

  private checkBatch(batch: FrameBatch): void {
    if (batch.pitches !== this.pitches) {
      throw new PolyphonicError(`The batch has ${batch.pitches} pitches per frame; this model covers ${this.pitches}.`);
    }
  }

  /** The dense layer's output [T·B, width] from the top LSTM layer; with `random`, dropout (training). */
  private forward(batch: FrameBatch, random: SeededRandom | null): Tensor2D {
    const { tf, config } = this;
    const { steps: T, size: B, pitches: D } = batch;
    let inputs = batch.inputs;
    if (random && config.inputDropout > 0) inputs = dropoutArray(inputs, config.inputDropout, random);
    let sequence: Tensor3D = tf.tensor3d(inputs, [T, B, D]);
    this.layers.forEach((weights, layer) => {
      sequence = this.ops.lstm(sequence, weights, { returnSequences: true, inputGradient: layer > 0 }).output as Tensor3D;
      if (random && config.dropout > 0) {
        const units = config.units[layer]!;
        sequence = tf.mul(sequence, tf.tensor3d(dropoutMask(T * B * units, config.dropout, random), [T, B, units]));
      }
    });
    const top = config.units[config.units.length - 1]!;
    return this.ops.dense(tf.reshape(sequence, [T * B, top]) as Tensor2D, this.output.kernel, this.output.bias);
  }

  /**
   * Σ over the batch's real frames of −log p(frame) given the dense layer's output rows, plus (with
   * skipInput) the skip kernel's rows of the pitches sounding in the previous (clean) frame: a
   * multi-hot frame has ~4 of them, so that product is a few row sums, done here rather than as a
   * dense [rows, D] × [D, width] product and a concatenation. With `gradients`, fills them (the
   * skip kernel's accumulated).
   */
  private frameLoss(
    batch: FrameBatch,
    outputs: Float32Array,
    tensors: { W: Float32Array | null; V: Float32Array | null; skip: Float32Array | null },
    gradients: { dOutputs: Float32Array; dW: Float32Array | null; dV: Float32Array | null; dSkip: Float32Array | null } | null,
  ): number {
    const rows = batch.steps * batch.size;
    const D = this.pitches;
    const width = outputWidth(this.config);
    let biases = outputs;
    if (tensors.skip) {
      biases = Float32Array.from(outputs);
      for (let n = 0; n < rows; n++) {
        if (batch.rowWeights[n] === 0) continue;
        for (let i = 0; i < D; i++) {
          if (batch.inputs[n * D + i] === 0) continue;
          for (let j = 0; j < width; j++) biases[n * width + j] = biases[n * width + j]! + tensors.skip[i * width + j]!;
        }
      }
    }
    let loss: number;
    if (this.nade) {
      const shape = { rows, pitches: D, hidden: this.config.nadeHidden };
      loss = this.nadeLoss(shape, biases, tensors.W!, tensors.V!, batch.targets, batch.rowWeights, gradients ? { dOutputs: gradients.dOutputs, dW: gradients.dW!, dV: gradients.dV! } : undefined);
    } else {
      loss = bernoulliLoss(rows, D, biases, batch.targets, batch.rowWeights, gradients?.dOutputs);
    }
    if (gradients?.dSkip) {
      const { dOutputs, dSkip } = gradients;
      for (let n = 0; n < rows; n++) {
        if (batch.rowWeights[n] === 0) continue;
        for (let i = 0; i < D; i++) {
          if (batch.inputs[n * D + i] === 0) continue;
          for (let j = 0; j < width; j++) dSkip[i * width + j] = dSkip[i * width + j]! + dOutputs[n * width + j]!;
        }
      }
    }
    return loss;
  }

  /** The mean loss per frame as a differentiable scalar (its gradient is computed with it). */
  private lossTensor(batch: FrameBatch, random: SeededRandom | null): Scalar {
    const { tf } = this;
    const outputs = this.forward(batch, random);
    const scale = 1 / Math.max(1, batch.frames);
    const rows = batch.steps * batch.size;
    const width = outputWidth(this.config);
    const extra: Tensor2D[] = [];
    if (this.output.skip) extra.push(this.output.skip);
    if (this.nade) extra.push(this.nade.W, this.nade.V);
    const op = tf.customGrad((...args) => {
      const [o, ...rest] = args as Tensor[];
      const arrays = rest.slice(0, extra.length).map(float32);
      const skip = this.output.skip ? arrays.shift()! : null;
      const [W = null, V = null] = arrays;
      const gradients = {
        dOutputs: new Float32Array(rows * width),
        dW: W ? new Float32Array(W.length) : null,
        dV: V ? new Float32Array(V.length) : null,
        dSkip: skip ? new Float32Array(skip.length) : null,
      };
      const loss = this.frameLoss(batch, float32(o!), { W, V, skip }, gradients);
      const gradFunc = (dy: Tensor): Tensor[] => {
        const factor = dy.dataSync()[0]! * scale;
        // The same order as the op's inputs: outputs, then skip, W, V when present.
        const arrays = [gradients.dOutputs, gradients.dSkip, gradients.dW, gradients.dV].filter((array): array is Float32Array<ArrayBuffer> => array !== null);
        const shapes = [[rows, width], ...extra.map((tensor) => tensor.shape)];
        return arrays.map((array, k) => {
          for (let j = 0; j < array.length; j++) array[j] = array[j]! * factor;
          return tf.tensor(array, shapes[k]);
        });
      };
      return { value: tf.scalar(loss * scale), gradFunc };
    });
    return op(outputs, ...extra) as Scalar;
  }

  /**
   * One Adam step on `batch` with dropout drawn from `random`; gradients clipped to a global norm of
   * `clipNorm` (Infinity: no clipping).
   */
  trainStep(batch: FrameBatch, random: SeededRandom, clipNorm = Infinity): TrainStepResult {
    const { tf } = this;
    this.checkBatch(batch);
    const { value, grads } = tf.variableGrads(() => this.lossTensor(batch, random), [...this.variables]);
    return applyClippedGradients(tf, this.optimizer, value, grads, clipNorm, () => new PolyphonicError('Training diverged: the gradient is not finite. Lower the learning rate.'));
  }

  /** Σ −log p(frame) over the batch's real frames (nats), without dropout, and how many frames. */
  evaluate(batch: FrameBatch): { nll: number; frames: number } {
    const { tf } = this;
    this.checkBatch(batch);
    const nll = tf.tidy(() =>
      this.frameLoss(
        batch,
        float32(this.forward(batch, null)),
        {
          W: this.nade ? float32(this.nade.W) : null,
          V: this.nade ? float32(this.nade.V) : null,
          skip: this.output.skip ? float32(this.output.skip) : null,
        },
        null,
      ),
    );
    return { nll, frames: batch.frames };
  }

  /** Copies of the weights under stable names (those of initialPolyphonicWeights). */
  getWeights(): PolyphonicWeights {
    return {
      config: this.config,
      weights: this.variables.map((variable, k) => ({ name: this.names[k]!, shape: [...variable.shape], values: Float32Array.from(float32(variable)) })),
    };
  }

  /** The variables' current values (the backend's arrays on the cpu backend: read, never write). */
  variableValues(): Float32Array[] {
    return this.variables.map(float32);
  }

  setWeights(weights: readonly WeightArray[]): void {
    const byName = new Map(weights.map((weight) => [weight.name, weight]));
    this.names.forEach((name, k) => {
      const variable = this.variables[k]!;
      const weight = byName.get(name);
      if (!weight) throw new PolyphonicError(`setWeights: "${name}" is missing.`);
      if (weight.shape.join() !== variable.shape.join() || weight.values.length !== variable.size) {
        throw new PolyphonicError(`setWeights: "${name}" has shape [${weight.shape.join(', ')}], expected [${variable.shape.join(', ')}].`);
      }
      variable.assign(this.tf.tensor(weight.values, variable.shape));
    });
  }

  /** Sets the output layer's bias (e.g. the pitches' log-odds in the training data) before training. */
  setOutputBias(values: Float32Array): void {
    const bias = this.output.bias;
    if (values.length !== outputWidth(this.config)) throw new PolyphonicError(`setOutputBias: expected ${outputWidth(this.config)} values, got ${values.length}.`);
    (bias as Variable).assign(this.tf.tensor1d(values));
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return readAdamState(this.optimizer, this.learningRateValue);
  }

  /** Restores Adam's state (its learning rate included: a new optimiser is made for it). */
  async setOptimizerState(state: OptimizerState): Promise<void> {
    const { tf, ops, variables } = this;
    this.optimizer = await restoreAdam(state, { tf, ops, variables, previous: this.optimizer, error: (message) => new PolyphonicError(message) });
    this.learningRateValue = state.learningRate;
  }

  /** Changes Adam's learning rate, keeping its moments. */
  async setLearningRate(learningRate: number): Promise<void> {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new PolyphonicError(`The learning rate must be a positive number, got ${learningRate}.`);
    const state = await this.getOptimizerState();
    await this.setOptimizerState({ ...state, learningRate });
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const variable of this.variables) variable.dispose();
  }
}

/** Inverted dropout: 0 with probability `rate`, else 1/(1 − rate). */
function dropoutMask(length: number, rate: number, random: SeededRandom): Float32Array {
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(length);
  for (let k = 0; k < length; k++) mask[k] = random.next() < rate ? 0 : keep;
  return mask;
}

function dropoutArray(values: Float32Array, rate: number, random: SeededRandom): Float32Array {
  const mask = dropoutMask(values.length, rate, random);
  for (let k = 0; k < mask.length; k++) mask[k] = mask[k]! * values[k]!;
  return mask;
}
