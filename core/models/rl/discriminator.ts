/**
 * The discriminator: a small 1-D convolutional network over piano-roll windows [window × 128],
 * time as the convolution's axis and the 128 pitches as its input channels:
 *   conv (filters, kernel width k, 'same' padding) → ReLU → max-pool over time (pool size, stride
 *   the same; rows that do not fill a pool are dropped) → dense (hidden) → ReLU → dense → one logit,
 * D(real | window) = sigmoid(logit), trained by Adam on binary cross-entropy with corpus windows
 * labelled 1 and policy windows 0 (half the loss each).
 *
 * The convolution is computed as tf.conv1d computes it with 'same' padding, as one product: the
 * window's rows gathered per output row (k rows × 128 pitches, im2col) times the kernel
 * [k·128, filters], through NeuralOps.dense, so it is differentiable and runs on every engine path
 * (the native GEMM too; tfjs's wasm backend lacks conv gradients). The input is data, so its
 * gradient is never needed.
 */
import { mulberry32 } from '../hmm/random';
import { glorotUniform } from '../neural/init';
import type { NeuralOps, Scalar, Tensor, Tensor1D, Tensor2D, Tf, Variable } from '../neural/ops';
import type { NamedArray } from '../neural/weights-codec';
import { RlAdam } from './adam';
import { RlError } from './errors';
import { validateDiscriminatorConfig, type DiscriminatorConfig } from './settings';
import { ROLL_PITCHES } from './windows';

const WEIGHT_NAMES = ['conv/kernel', 'conv/bias', 'hidden/kernel', 'hidden/bias', 'output/kernel', 'output/bias'] as const;

/** Time rows after pooling. */
export function pooledRows(config: Pick<DiscriminatorConfig, 'windowLength' | 'poolSize'>): number {
  return Math.floor(config.windowLength / config.poolSize);
}

function uniform(random: () => number, length: number, limit: number): Float32Array {
  return Float32Array.from({ length }, () => (2 * random() - 1) * limit);
}

/** The initial weights: glorot-uniform kernels, zero biases (Keras's defaults), from the config's seed. */
export function initialDiscriminatorWeights(config: DiscriminatorConfig): NamedArray[] {
  validateDiscriminatorConfig(config);
  const random = mulberry32(config.seed);
  const K = config.kernelSize * ROLL_PITCHES;
  const F = config.filters;
  const flat = pooledRows(config) * F;
  const H = config.hidden;
  return [
    // Keras's glorot for a conv kernel counts fan-in k·channels and fan-out k·filters.
    { name: 'conv/kernel', shape: [K, F], values: uniform(random, K * F, Math.sqrt(6 / (K + config.kernelSize * F))) },
    { name: 'conv/bias', shape: [F], values: new Float32Array(F) },
    { name: 'hidden/kernel', shape: [flat, H], values: glorotUniform(random, flat, H) },
    { name: 'hidden/bias', shape: [H], values: new Float32Array(H) },
    { name: 'output/kernel', shape: [H, 1], values: glorotUniform(random, H, 1) },
    { name: 'output/bias', shape: [1], values: new Float32Array(1) },
  ];
}

/** Windows [count × window × 128] as the convolution's gathered rows [count·window, k·128] (tf.conv1d's 'same' padding). */
export function im2col(windows: Uint8Array, count: number, config: Pick<DiscriminatorConfig, 'windowLength' | 'kernelSize'>): Float32Array {
  const W = config.windowLength;
  const K = config.kernelSize;
  if (windows.length !== count * W * ROLL_PITCHES) throw new RlError(`The discriminator got ${windows.length} cells for ${count} windows of ${W} rows × 128.`);
  const before = Math.floor((K - 1) / 2);
  const columns = new Float32Array(count * W * K * ROLL_PITCHES);
  for (let b = 0; b < count; b++) {
    for (let w = 0; w < W; w++) {
      const out = (b * W + w) * K * ROLL_PITCHES;
      for (let j = 0; j < K; j++) {
        const row = w + j - before;
        if (row < 0 || row >= W) continue;
        const from = (b * W + row) * ROLL_PITCHES;
        for (let p = 0; p < ROLL_PITCHES; p++) columns[out + j * ROLL_PITCHES + p] = windows[from + p]!;
      }
    }
  }
  return columns;
}

export interface DiscriminatorAccuracy {
  /** Share of real windows with D > 0.5. */
  readonly real: number;
  /** Share of fake windows with D < 0.5. */
  readonly fake: number;
}

let instances = 0;

export class Discriminator {
  readonly config: DiscriminatorConfig;
  readonly names: readonly string[] = WEIGHT_NAMES;
  readonly variables: readonly Variable[];
  readonly optimizer: RlAdam;
  private readonly byName: ReadonlyMap<string, Variable>;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    config: DiscriminatorConfig,
  ) {
    validateDiscriminatorConfig(config);
    if (pooledRows(config) < 1) throw new RlError('Discriminator: the pool is wider than the window.');
    this.config = config;
    const scope = `rl_discriminator_${++instances}`;
    this.variables = initialDiscriminatorWeights(config).map((weight) => tf.tidy(() => tf.variable(tf.tensor(weight.values, [...weight.shape]), true, `${scope}/${weight.name}`)));
    this.byName = new Map(this.names.map((name, k) => [name, this.variables[k]!] as const));
    this.optimizer = new RlAdam(tf, this.variables, this.names, config.learningRate);
  }

  private weight<T extends Tensor>(name: (typeof WEIGHT_NAMES)[number]): T {
    return this.byName.get(name) as unknown as T;
  }

  /** The logits [count] of windows [count × window × 128] (differentiable w.r.t. the weights). */
  logitsTensor(windows: Uint8Array, count: number): Tensor1D {
    const { tf, ops, config } = this;
    const W = config.windowLength;
    const F = config.filters;
    const pooled = pooledRows(config);
    const pool = config.poolSize;
    const columns = tf.tensor2d(im2col(windows, count, config), [count * W, config.kernelSize * ROLL_PITCHES]);
    const conv = tf.relu(ops.dense(columns, this.weight<Tensor2D>('conv/kernel'), this.weight<Tensor1D>('conv/bias')));
    let rows = tf.reshape(conv, [count, W, F]);
    if (pooled * pool !== W) rows = tf.slice(rows, [0, 0, 0], [count, pooled * pool, F]);
    const maxed = pool === 1 ? rows : tf.max(tf.reshape(rows, [count, pooled, pool, F]), 2);
    const flat = tf.reshape(maxed, [count, pooled * F]) as Tensor2D;
    const hidden = tf.relu(ops.dense(flat, this.weight<Tensor2D>('hidden/kernel'), this.weight<Tensor1D>('hidden/bias')));
    return tf.reshape(ops.dense(hidden, this.weight<Tensor2D>('output/kernel'), this.weight<Tensor1D>('output/bias')), [count]) as Tensor1D;
  }

  /** log D(real | window) for each window: −softplus(−logit), finite however sure D is. */
  logReal(windows: Uint8Array, count: number): Float32Array {
    const { tf } = this;
    const result = tf.tidy(() => tf.neg(tf.softplus(tf.neg(this.logitsTensor(windows, count)))));
    const values = Float32Array.from(result.dataSync() as Float32Array);
    result.dispose();
    return values;
  }

  /** Binary cross-entropy, half real (label 1) and half fake (label 0), as a scalar tensor. */
  private lossTensor(real: Uint8Array, realCount: number, fake: Uint8Array, fakeCount: number): Scalar {
    const { tf } = this;
    const realLoss = tf.mean(tf.softplus(tf.neg(this.logitsTensor(real, realCount))));
    const fakeLoss = tf.mean(tf.softplus(this.logitsTensor(fake, fakeCount)));
    return tf.mul(tf.add(realLoss, fakeLoss), 0.5) as Scalar;
  }

  /** One Adam step; returns the loss before it. */
  trainStep(real: Uint8Array, realCount: number, fake: Uint8Array, fakeCount: number): number {
    if (realCount < 1 || fakeCount < 1) throw new RlError('A discriminator step needs at least one real and one fake window.');
    return this.optimizer.minimize(() => this.lossTensor(real, realCount, fake, fakeCount), 0).loss;
  }

  accuracy(real: Uint8Array, realCount: number, fake: Uint8Array, fakeCount: number): DiscriminatorAccuracy {
    const share = (logReal: Float32Array, wantReal: boolean): number => {
      let right = 0;
      for (const value of logReal) if (value > Math.log(0.5) === wantReal) right++;
      return logReal.length === 0 ? Number.NaN : right / logReal.length;
    };
    return { real: share(this.logReal(real, realCount), true), fake: share(this.logReal(fake, fakeCount), false) };
  }

  weights(): NamedArray[] {
    return this.names.map((name, k) => ({ name, shape: [...this.variables[k]!.shape], values: Float32Array.from(this.variables[k]!.dataSync() as Float32Array) }));
  }

  setWeights(arrays: readonly NamedArray[]): void {
    const byName = new Map(arrays.map((array) => [array.name, array] as const));
    this.names.forEach((name, k) => {
      const array = byName.get(name);
      const variable = this.variables[k]!;
      if (!array) throw new RlError(`The saved discriminator has no "${name}".`);
      if (array.shape.join() !== variable.shape.join()) throw new RlError(`The saved discriminator's "${name}" has shape [${array.shape.join(', ')}], the model [${variable.shape.join(', ')}].`);
      this.tf.tidy(() => variable.assign(this.tf.tensor(array.values, [...array.shape])));
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const variable of this.variables) variable.dispose();
  }
}
