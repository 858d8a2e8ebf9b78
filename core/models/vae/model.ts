/**
 * The VAE on TensorFlow.js (variables, autodiff, Adam) and the NeuralOps it is given (the worker's
 * native fused LSTM/dense kernels, or plain tfjs ops: same maths). See config.ts for the layers and
 * batches.ts for the layouts.
 *
 * Loss per sequence (MusicVAE's): reconstruction −log p(x | z) summed over the segment's steps, z =
 * μ + σ·ε (reparameterised, one ε per segment), plus β·max(KL − free nats, 0), averaged over the batch.
 *
 * Scheduled sampling runs in two passes (Mihaylova & Martins 2019, "Scheduled Sampling for
 * Transformers"): the decoder LSTM runs fused over a whole bar in one kernel call (forward and
 * backward), so step t's prediction cannot be fed to step t + 1 inside it; classic scheduled sampling
 * would need one LSTM call per step (T tiny calls and a per-step tape instead of one fused backward).
 * Instead a first teacher-forced pass, without gradient, gives every step's prediction; the second
 * pass, the one trained, feeds at each step the previous true token, or with probability p the first
 * pass's prediction of it (sampled from its softmax, or its argmax). The same z (same ε) serves both.
 */
import type { Random } from '../hmm/random';
import { normal } from '../hmm/random';
import { readAdamState, restoreAdam, type AdamState } from '../neural/adam-state';
import { applyClippedGradients } from '../neural/clipped-step';
import type { WeightArray } from '../neural/init';
import { setLearningRate, type LstmWeights, type NeuralOps, type Optimizer, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tf, type Variable } from '../neural/ops';
import { sampleLogits } from '../neural/sampling';
import { decoderInputs, decoderLabels, decoderRow, decoderShape, encoderInputs, teacherForcedPrevious, type VaeBatch } from './batches';
import { conditioningSize, initialVaeWeights, segmentSteps, validateVaeConfig, vocabularySize, type VaeConfig } from './config';
import { VaeError } from './errors';
import { gaussianKl } from './schedules';

/** A trained model as plain data: what generation, checkpoints and storage need. */
export interface VaeWeights {
  readonly config: VaeConfig;
  readonly weights: readonly WeightArray[];
}

/** Adam's state as plain data (see neural/adam-state.ts). */
export type VaeOptimizerState = AdamState;

export interface VaeStepOptions {
  /** The KL weight β of this step. */
  readonly beta: number;
  /** Free nats per sequence (MusicVAE's free_bits × ln 2). */
  readonly freeNats: number;
  /** Probability of feeding the model's own prediction (two-pass scheduled sampling; 0: teacher forcing). */
  readonly samplingProbability: number;
  /** How the first pass's prediction is chosen: drawn from its softmax, or the argmax. */
  readonly samplingMode: 'sample' | 'argmax';
  /** Draws ε, the first pass's samples and the per-step mix. */
  readonly random: Random;
  /** Gradients are scaled to at most this global norm (Infinity: none). */
  readonly clipNorm: number;
}

export interface VaeScores {
  /** Σ over the batch's segments of −log p(x | z), nats. */
  readonly reconstruction: number;
  /** Σ over the batch's segments of KL(q(z|x) ‖ p(z)), nats. */
  readonly kl: number;
  /** Tokens whose argmax prediction (given the fed previous tokens) is right, and tokens in all. */
  readonly correct: number;
  readonly tokens: number;
}

export interface VaeStepResult extends VaeScores {
  /** The batch's loss before the step (per sequence: reconstruction + β·KL cost, mean over the batch). */
  readonly loss: number;
  readonly gradientNorm: number;
}

let instances = 0;

function float32(tensor: Tensor): Float32Array {
  return tensor.dataSync() as Float32Array;
}

/** Σ over rows of −log softmax(logits)[label], and how many rows' argmax is the label. */
export function scoreLogits(logits: Float32Array, labels: Int32Array, classes: number): { nll: number; correct: number; argmax: Int32Array } {
  let nll = 0;
  let correct = 0;
  const argmax = new Int32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const offset = r * classes;
    let best = 0;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      const value = logits[offset + k]!;
      if (value > max) {
        max = value;
        best = k;
      }
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(logits[offset + k]! - max);
    nll += max + Math.log(sum) - logits[offset + labels[r]!]!;
    argmax[r] = best;
    if (best === labels[r]) correct++;
  }
  return { nll, correct, argmax };
}

export class VaeModel {
  readonly config: VaeConfig;
  readonly variables: readonly Variable[];
  private readonly names: readonly string[];
  private optimizer: Optimizer;
  private learningRateValue: number;
  private readonly lstm: { readonly encoderFw: LstmWeights; readonly encoderBw: LstmWeights; readonly conductor: LstmWeights | null; readonly decoder: LstmWeights };
  private readonly dense: Readonly<Record<'mu' | 'logvar' | 'conductorInit' | 'decoderInit' | 'output', readonly [Tensor2D, Tensor1D] | null>>;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    config: VaeConfig,
  ) {
    validateVaeConfig(config);
    this.config = config;
    const scope = `vae_${++instances}`;
    const initial = initialVaeWeights(config);
    this.names = initial.map((weight) => weight.name);
    this.variables = initial.map((weight) => tf.variable(tf.tensor(weight.values, [...weight.shape]), true, `${scope}/${weight.name}`));
    const byName = new Map(this.names.map((name, k) => [name, this.variables[k]!] as const));
    const lstm = (name: string): LstmWeights => ({
      kernel: byName.get(`${name}/kernel`) as Tensor2D,
      recurrentKernel: byName.get(`${name}/recurrent_kernel`) as Tensor2D,
      bias: byName.get(`${name}/bias`) as Tensor1D,
    });
    const dense = (name: string): readonly [Tensor2D, Tensor1D] | null =>
      byName.has(`${name}/kernel`) ? [byName.get(`${name}/kernel`) as Tensor2D, byName.get(`${name}/bias`) as Tensor1D] : null;
    this.lstm = { encoderFw: lstm('encoder_fw'), encoderBw: lstm('encoder_bw'), conductor: config.hierarchical ? lstm('conductor') : null, decoder: lstm('decoder') };
    this.dense = { mu: dense('mu'), logvar: dense('logvar'), conductorInit: dense('conductor_init'), decoderInit: dense('decoder_init'), output: dense('output') };
    this.learningRateValue = config.learningRate;
    this.optimizer = ops.adam(config.learningRate);
  }

  get learningRate(): number {
    return this.learningRateValue;
  }

  /** The learning rate of the next steps (a schedule), Adam's moments kept. */
  setLearningRate(learningRate: number): void {
    setLearningRate(this.optimizer, learningRate);
    this.learningRateValue = learningRate;
  }

  private checkBatch(batch: VaeBatch): void {
    if (batch.steps !== segmentSteps(this.config)) throw new VaeError(`The batch's segments have ${batch.steps} steps; this model takes ${segmentSteps(this.config)}.`);
  }

  private applyDense(x: Tensor2D, layer: readonly [Tensor2D, Tensor1D] | null): Tensor2D {
    return this.ops.dense(x, layer![0], layer![1]);
  }

  /** μ and log σ² [B, Z] of q(z | x). */
  private encode(batch: VaeBatch): { mu: Tensor2D; logVariance: Tensor2D } {
    const { tf, ops } = this;
    const V = vocabularySize(this.config);
    const { forward, backward } = encoderInputs(batch, this.config);
    const shape: [number, number, number] = [batch.steps, batch.size, V];
    const hForward = ops.lstm(tf.tensor3d(forward, shape), this.lstm.encoderFw, { returnSequences: false, inputGradient: false }).output as Tensor2D;
    const hBackward = ops.lstm(tf.tensor3d(backward, shape), this.lstm.encoderBw, { returnSequences: false, inputGradient: false }).output as Tensor2D;
    const both = tf.concat([hForward, hBackward], 1);
    return { mu: this.applyDense(both, this.dense.mu), logVariance: this.applyDense(both, this.dense.logvar) };
  }

  /** Token logits in decoder row order (batches.ts) given z [B, Z] and the previous tokens fed. */
  private decode(z: Tensor2D, previous: Int32Array, B: number): Tensor2D {
    const { tf, ops, config } = this;
    const { segments: S, length: L } = decoderShape(config);
    const V = vocabularySize(config);
    const C = conditioningSize(config);
    const H = config.decoderUnits;
    let conditioning: Tensor2D = z;
    if (this.lstm.conductor) {
      const init = tf.tanh(this.applyDense(z, this.dense.conductorInit));
      const [h, c] = tf.split(init, 2, 1) as [Tensor2D, Tensor2D];
      const embeddings = ops.lstm(tf.zeros([S, B, 1]), this.lstm.conductor, { returnSequences: true, initialState: { h, c }, inputGradient: false }).output;
      conditioning = tf.reshape(embeddings, [S * B, C]);
    }
    const N = S * B;
    const init = tf.tanh(this.applyDense(conditioning, this.dense.decoderInit));
    const [h, c] = tf.split(init, 2, 1) as [Tensor2D, Tensor2D];
    const tokens = tf.tensor3d(decoderInputs(previous, B, config), [L, N, V]);
    const repeated = tf.tile(tf.reshape(conditioning, [1, N, C]), [L, 1, 1]);
    const x = tf.concat([tokens, repeated], 2) as Tensor3D;
    const outputs = ops.lstm(x, this.lstm.decoder, { returnSequences: true, initialState: { h, c } }).output;
    return this.applyDense(tf.reshape(outputs, [L * N, H]), this.dense.output);
  }

  /** B·Z standard normal draws. */
  private epsilon(B: number, random: Random): Float32Array {
    return Float32Array.from({ length: B * this.config.latentSize }, () => normal(random));
  }

  private sampleZ(mu: Tensor2D, logVariance: Tensor2D, epsilon: Float32Array): Tensor2D {
    const { tf } = this;
    return tf.add(mu, tf.mul(tf.exp(tf.mul(logVariance, 0.5)), tf.tensor2d(epsilon, mu.shape))) as Tensor2D;
  }

  /**
   * The previous tokens the trained pass feeds: the truth, or with probability p per step the first
   * (teacher-forced, gradient-free) pass's prediction of that previous step.
   */
  private scheduledPrevious(batch: VaeBatch, epsilon: Float32Array, options: VaeStepOptions): Int32Array {
    const previous = teacherForcedPrevious(batch);
    if (options.samplingProbability <= 0) return previous;
    const { tf, config } = this;
    const { size: B, steps: T } = batch;
    const V = vocabularySize(config);
    const shape = decoderShape(config);
    const logits = tf.tidy(() => {
      const { mu, logVariance } = this.encode(batch);
      return Float32Array.from(float32(this.decode(this.sampleZ(mu, logVariance, epsilon), previous, B)));
    });
    const predicted = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = decoderRow(t, b, B, shape);
        const rowLogits = logits.subarray(row * V, (row + 1) * V);
        predicted[b * T + t] = sampleLogits(rowLogits, { temperature: options.samplingMode === 'argmax' ? 0 : 1 }, options.random);
      }
    }
    for (let b = 0; b < B; b++) {
      for (let t = 1; t < T; t++) if (options.random() < options.samplingProbability) previous[b * T + t] = predicted[b * T + t - 1]!;
    }
    return previous;
  }

  /** One Adam step on the batch (see the module's notes). */
  trainStep(batch: VaeBatch, options: VaeStepOptions): VaeStepResult {
    const { tf, config } = this;
    this.checkBatch(batch);
    if (!(options.beta >= 0) || !(options.freeNats >= 0)) throw new VaeError(`β and the free nats must be ≥ 0, got ${options.beta} and ${options.freeNats}.`);
    const B = batch.size;
    const T = batch.steps;
    const V = vocabularySize(config);
    const epsilon = this.epsilon(B, options.random);
    const previous = this.scheduledPrevious(batch, epsilon, options);
    const labels = decoderLabels(batch, config);
    let scores: VaeScores | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const { mu, logVariance } = this.encode(batch);
      const logits = this.decode(this.sampleZ(mu, logVariance, epsilon), previous, B);
      const reconstruction = tf.mul(this.ops.sparseCrossEntropy(logits, tf.tensor1d(labels, 'int32')), T);
      const kl = tf.mul(tf.sum(tf.sub(tf.add(tf.exp(logVariance), tf.square(mu)), tf.add(logVariance, 1)), 1), 0.5);
      const klCost = tf.mean(tf.relu(tf.sub(kl, options.freeNats)));
      const scored = scoreLogits(float32(logits), labels, V);
      scores = { reconstruction: scored.nll, kl: float32(tf.sum(kl))[0]!, correct: scored.correct, tokens: labels.length };
      return tf.add(reconstruction, tf.mul(klCost, options.beta)) as Scalar;
    }, [...this.variables]);
    return { ...scores!, ...applyClippedGradients(tf, this.optimizer, value, grads, options.clipNorm, () => new VaeError('Training diverged: the gradient is not finite. Lower the learning rate or the clip norm.')) };
  }

  /**
   * Teacher-forced scores without a step: with `random`, z is drawn from q(z|x) (the ELBO's one-sample
   * estimate); without, z = μ (reconstruction accuracy).
   */
  evaluate(batch: VaeBatch, random: Random | null): VaeScores {
    const { tf, config } = this;
    this.checkBatch(batch);
    const V = vocabularySize(config);
    const Z = config.latentSize;
    const labels = decoderLabels(batch, config);
    return tf.tidy(() => {
      const { mu, logVariance } = this.encode(batch);
      const z = random ? this.sampleZ(mu, logVariance, this.epsilon(batch.size, random)) : mu;
      const logits = float32(this.decode(z, teacherForcedPrevious(batch), batch.size));
      const scored = scoreLogits(logits, labels, V);
      const muValues = float32(mu);
      const lvValues = float32(logVariance);
      let kl = 0;
      for (let b = 0; b < batch.size; b++) kl += gaussianKl(muValues.subarray(b * Z, (b + 1) * Z), lvValues.subarray(b * Z, (b + 1) * Z));
      return { reconstruction: scored.nll, kl, correct: scored.correct, tokens: labels.length };
    });
  }

  /** Copies of the weights under stable names (those of initialVaeWeights). */
  getWeights(): VaeWeights {
    return {
      config: this.config,
      weights: this.variables.map((variable, k) => ({ name: this.names[k]!, shape: [...variable.shape], values: Float32Array.from(float32(variable)) })),
    };
  }

  setWeights(weights: readonly WeightArray[]): void {
    const byName = new Map(weights.map((weight) => [weight.name, weight]));
    this.names.forEach((name, k) => {
      const variable = this.variables[k]!;
      const weight = byName.get(name);
      if (!weight) throw new VaeError(`The saved weights lack "${name}" (they were made for other model settings).`);
      if (weight.shape.join() !== variable.shape.join() || weight.values.length !== variable.size) {
        throw new VaeError(`The saved weight "${name}" has shape [${weight.shape.join(', ')}]; this model needs [${variable.shape.join(', ')}].`);
      }
      variable.assign(this.tf.tensor(weight.values, variable.shape));
    });
  }

  async getOptimizerState(): Promise<VaeOptimizerState> {
    return readAdamState(this.optimizer, this.learningRateValue);
  }

  /** Restores Adam's state (its learning rate included: a new optimiser is made for it). */
  async setOptimizerState(state: VaeOptimizerState): Promise<void> {
    const { tf, ops, variables } = this;
    this.optimizer = await restoreAdam(state, { tf, ops, variables, previous: this.optimizer, error: (message) => new VaeError(message) });
    this.learningRateValue = state.learningRate;
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const variable of this.variables) variable.dispose();
  }
}
