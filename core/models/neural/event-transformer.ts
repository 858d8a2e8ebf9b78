/**
 * A small decoder-only transformer over the event representation (GPT-2's layout, pre-layer-norm):
 * token embedding (the 388 event tokens and a begin-of-piece token) plus a learned position
 * embedding, then per layer x += Dropout(Attention(LN(x))) and x += Dropout(FF(LN(x))) with causal
 * multi-head self-attention and a ReLU feed-forward layer, a final LN and a dense layer to the 388
 * event logits. Trained with Adam on the masked cross-entropy of the next token.
 *
 * Built on NeuralOps (dense and the per-head batched products are single GEMM calls on the native
 * path) and the fused element-wise ops (layer norm, causal softmax, masked cross-entropy).
 */
import { mulberry32, type Random } from '../hmm/random';
import { addPositions, causalSoftmax, layerNorm, maskedSparseCrossEntropy, mergeHeads, relu, residual, splitHeads } from './fused-ops';
import { glorotUniform, normalArray, type WeightArray } from './init';
import type { NeuralOps, Optimizer, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tf, Variable } from './ops';
import { dropoutMask } from './random-streams';
import type { TokenBatch } from './token-windows';

export interface EventTransformerConfig {
  /** Output tokens (388 for the default event vocabulary); the inputs add the begin-of-piece token. */
  readonly vocabulary: number;
  readonly contextLength: number;
  readonly layers: number;
  readonly heads: number;
  readonly modelSize: number;
  readonly feedForwardSize: number;
  readonly dropout: number;
  readonly learningRate: number;
  readonly seed: number;
}

export class EventTransformerError extends Error {
  override readonly name = 'EventTransformerError';
}

export function validateEventTransformerConfig(config: EventTransformerConfig): void {
  const fail = (message: string): never => {
    throw new EventTransformerError(message);
  };
  const whole = (value: number, what: string, min: number): void => {
    if (!Number.isInteger(value) || value < min) fail(`${what} must be a whole number ≥ ${min}, got ${value}.`);
  };
  whole(config.vocabulary, 'The vocabulary', 1);
  whole(config.contextLength, 'The context length', 1);
  whole(config.layers, 'The number of layers', 1);
  whole(config.heads, 'The number of heads', 1);
  whole(config.modelSize, 'The model size', 1);
  whole(config.feedForwardSize, 'The feed-forward size', 1);
  if (config.modelSize % config.heads !== 0) fail(`The model size (${config.modelSize}) must be a multiple of the number of heads (${config.heads}).`);
  if (!(config.dropout >= 0 && config.dropout < 1)) fail(`Dropout must be in [0, 1), got ${config.dropout}.`);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) fail(`The learning rate must be a positive number, got ${config.learningRate}.`);
  if (!Number.isInteger(config.seed)) fail(`The seed must be an integer, got ${config.seed}.`);
}

/** The input token that starts every piece. */
export function beginToken(config: Pick<EventTransformerConfig, 'vocabulary'>): number {
  return config.vocabulary;
}

export function initialEventTransformerWeights(config: EventTransformerConfig): WeightArray[] {
  validateEventTransformerConfig(config);
  const random = mulberry32(config.seed);
  const d = config.modelSize;
  const f = config.feedForwardSize;
  const weights: WeightArray[] = [];
  const dense = (name: string, rows: number, cols: number): void => {
    weights.push({ name: `${name}/kernel`, shape: [rows, cols], values: glorotUniform(random, rows, cols) }, { name: `${name}/bias`, shape: [cols], values: new Float32Array(cols) });
  };
  const norm = (name: string): void => {
    weights.push({ name: `${name}/gamma`, shape: [d], values: new Float32Array(d).fill(1) }, { name: `${name}/beta`, shape: [d], values: new Float32Array(d) });
  };
  weights.push(
    { name: 'token_embedding', shape: [config.vocabulary + 1, d], values: normalArray(random, (config.vocabulary + 1) * d, 0.02) },
    { name: 'position_embedding', shape: [config.contextLength, d], values: normalArray(random, config.contextLength * d, 0.02) },
  );
  for (let layer = 0; layer < config.layers; layer++) {
    norm(`layer_${layer}/ln1`);
    dense(`layer_${layer}/attention/q`, d, d);
    dense(`layer_${layer}/attention/k`, d, d);
    dense(`layer_${layer}/attention/v`, d, d);
    dense(`layer_${layer}/attention/out`, d, d);
    norm(`layer_${layer}/ln2`);
    dense(`layer_${layer}/ff1`, d, f);
    dense(`layer_${layer}/ff2`, f, d);
  }
  norm('final_ln');
  dense('output', d, config.vocabulary);
  return weights;
}

let instances = 0;

export class EventTransformer {
  readonly config: EventTransformerConfig;
  readonly variables: readonly Variable[];
  readonly names: readonly string[];
  readonly optimizer: Optimizer;
  private readonly weight: (name: string) => Variable;

  constructor(
    private readonly tf: Tf,
    private readonly ops: NeuralOps,
    config: EventTransformerConfig,
  ) {
    validateEventTransformerConfig(config);
    this.config = config;
    const scope = `event_transformer_${++instances}`;
    const initial = initialEventTransformerWeights(config);
    this.names = initial.map((weight) => weight.name);
    this.variables = initial.map((weight) => tf.variable(tf.tensor(weight.values, [...weight.shape]), true, `${scope}/${weight.name}`));
    const byName = new Map(this.names.map((name, k) => [name, this.variables[k]!] as const));
    this.weight = (name) => {
      const variable = byName.get(name);
      if (!variable) throw new EventTransformerError(`No weight named "${name}".`);
      return variable;
    };
    this.optimizer = ops.adam(config.learningRate);
  }

  private dense(x: Tensor2D, name: string): Tensor2D {
    return this.ops.dense(x, this.weight(`${name}/kernel`) as Tensor2D, this.weight(`${name}/bias`) as Tensor1D);
  }

  private norm(x: Tensor2D, name: string): Tensor2D {
    return layerNorm(this.tf, x, this.weight(`${name}/gamma`) as Tensor1D, this.weight(`${name}/beta`) as Tensor1D);
  }

  /** A dropout mask for `size` values, or null when not training (or no dropout). */
  private mask(size: number, random: Random | undefined): Float32Array | null {
    return random && this.config.dropout > 0 ? dropoutMask(random, size, this.config.dropout) : null;
  }

  /** Next-token logits [B·L, vocabulary] for input tokens [B·L] (row-major: b·L + t). */
  logits(inputs: Int32Array, B: number, L: number, random?: Random): Tensor2D {
    const { tf, config } = this;
    if (L < 1 || L > config.contextLength) throw new EventTransformerError(`A sequence of ${L} tokens does not fit a context of ${config.contextLength}.`);
    if (inputs.length !== B * L) throw new EventTransformerError(`${inputs.length} input tokens for ${B} sequences of ${L}.`);
    const V = config.vocabulary + 1;
    const d = config.modelSize;
    const oneHot = new Float32Array(B * L * V);
    for (let r = 0; r < B * L; r++) {
      const token = inputs[r]!;
      if (!(token >= 0 && token < V)) throw new EventTransformerError(`Input token ${token} is outside 0..${V - 1}.`);
      oneHot[r * V + token] = 1;
    }
    const embedded = this.ops.dense(tf.tensor2d(oneHot, [B * L, V]), this.weight('token_embedding') as Tensor2D, null);
    let x = addPositions(tf, embedded, this.weight('position_embedding') as Tensor2D, B, L, this.mask(B * L * d, random));
    const scale = 1 / Math.sqrt(d / config.heads);
    const H = config.heads;
    for (let layer = 0; layer < config.layers; layer++) {
      const name = `layer_${layer}`;
      const normed = this.norm(x, `${name}/ln1`);
      const [q, k, v] = (['q', 'k', 'v'] as const).map((part) => splitHeads(tf, this.dense(normed, `${name}/attention/${part}`), B, L, H)) as [Tensor3D, Tensor3D, Tensor3D];
      const attended = this.ops.batchMatMul(causalSoftmax(tf, this.ops.batchMatMul(q, k, false, true), scale), v, false, false);
      x = residual(tf, x, this.dense(mergeHeads(tf, attended, B, L, H), `${name}/attention/out`), this.mask(B * L * d, random));
      const hidden = relu(tf, this.dense(this.norm(x, `${name}/ln2`), `${name}/ff1`));
      x = residual(tf, x, this.dense(hidden, `${name}/ff2`), this.mask(B * L * d, random));
    }
    return this.dense(this.norm(x, 'final_ln'), 'output');
  }

  /** The mean cross-entropy of the batch's labelled targets (a scalar, differentiable). */
  loss(batch: TokenBatch, random?: Random): Tensor {
    return maskedSparseCrossEntropy(this.tf, this.logits(batch.inputs, batch.batchSize, batch.length, random), batch.labels);
  }

  /** One optimiser step; returns the mean cross-entropy before it and how many targets it counted. */
  trainStep(batch: TokenBatch, random?: Random): { loss: number; count: number } {
    const { tf } = this;
    const cost = tf.tidy(() => {
      const value = this.optimizer.minimize(() => this.loss(batch, random) as Scalar, true, [...this.variables]);
      if (!value) throw new Error('The optimiser returned no cost.');
      return value;
    });
    const loss = cost.dataSync()[0]!;
    cost.dispose();
    return { loss, count: countLabelled(batch.labels) };
  }

  /** Σ −log p(target) over the labelled targets (nats) and their count. */
  evaluate(batch: TokenBatch): { nll: number; count: number } {
    const { tf } = this;
    const mean = tf.tidy(() => this.loss(batch));
    const value = mean.dataSync()[0]!;
    mean.dispose();
    const count = countLabelled(batch.labels);
    return { nll: value * count, count };
  }

  /** Logits of the token after `context` (its last contextLength tokens are used). */
  nextLogits(context: Int32Array): Float32Array {
    const { tf } = this;
    const tokens = context.length > this.config.contextLength ? context.subarray(context.length - this.config.contextLength) : context;
    const L = tokens.length;
    const last = tf.tidy(() => tf.slice(this.logits(tokens, 1, L), [L - 1, 0], [1, this.config.vocabulary]));
    const values = Float32Array.from(last.dataSync() as Float32Array);
    last.dispose();
    return values;
  }

  getWeights(): Record<string, Tensor> {
    return Object.fromEntries(this.names.map((name, k) => [name, this.variables[k]!]));
  }

  setWeights(weights: Readonly<Record<string, Tensor>>): void {
    this.names.forEach((name, k) => {
      const variable = this.variables[k]!;
      const value = weights[name];
      if (!value) throw new EventTransformerError(`The saved weights have no "${name}".`);
      if (value.shape.join() !== variable.shape.join()) {
        throw new EventTransformerError(`The saved "${name}" has shape [${value.shape.join(', ')}], the model [${variable.shape.join(', ')}].`);
      }
      variable.assign(value);
    });
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const variable of this.variables) variable.dispose();
  }
}

function countLabelled(labels: Int32Array): number {
  let count = 0;
  for (const label of labels) if (label >= 0) count++;
  return count;
}
