/**
 * The few layer-level operations the neural models are written against. Two implementations give
 * the same maths: `createTfjsOps` here (plain TensorFlow.js ops, any backend: the fallback), and the
 * worker's native ops (electron/workers/neural/native-ops.ts: one fused Node-API kernel call per
 * layer and direction, with their own gradients via tf.customGrad). Models take the ops as a
 * parameter, so model code never knows which one runs.
 *
 * Layouts: sequences are time-major [T, B, features]; LSTM weights are Keras's (kernel I×4H,
 * recurrentKernel H×4H, bias 4H, gate order i, f, g(c), o).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { mseWithPositivePressure, sparseCrossEntropyFromLogits } from './losses';
import { createJavascriptRawKernels, type RawKernels } from './raw-kernels';

/** The TensorFlow.js namespace (passed in, never imported here: core stays free of any backend). */
export type Tf = typeof tfjs;
export type Tensor = tfjs.Tensor;
export type Scalar = tfjs.Scalar;
export type Tensor1D = tfjs.Tensor1D;
export type Tensor2D = tfjs.Tensor2D;
export type Tensor3D = tfjs.Tensor3D;
export type Variable = tfjs.Variable;
export type Optimizer = tfjs.Optimizer;

export interface LstmWeights {
  /** I×4H */
  readonly kernel: Tensor2D;
  /** H×4H */
  readonly recurrentKernel: Tensor2D;
  /** 4H */
  readonly bias: Tensor1D;
}

export interface LstmOptions {
  /** true: `output` is every step's h [T, B, H]; false: only the last step's [B, H] (Keras's flag). */
  readonly returnSequences: boolean;
  /** Initial state, [B, H] each; zeros when absent. */
  readonly initialState?: { readonly h: Tensor2D; readonly c: Tensor2D };
  /** false when x is data, so no gradient needs computing for it (it is returned as zeros). */
  readonly inputGradient?: boolean;
}

export interface LstmResult {
  /** Differentiable w.r.t. x, the weights and the initial state. */
  readonly output: Tensor;
  /** The final state [B, H], for continuing a sequence (generation). Not guaranteed differentiable. */
  readonly hT: Tensor2D;
  readonly cT: Tensor2D;
}

export interface NeuralOps {
  /** 'native' (the addon's fused kernels) or 'tfjs' (plain TensorFlow.js ops). */
  readonly name: 'native' | 'tfjs';
  /** One LSTM layer over a whole time-major sequence x [T, B, I]. */
  lstm(x: Tensor3D, weights: LstmWeights, options: LstmOptions): LstmResult;
  /** x [M, K] · kernel [K, N] + bias [N]. */
  dense(x: Tensor2D, kernel: Tensor2D, bias: Tensor1D | null): Tensor2D;
  /** mean over the batch of −log softmax(logits)[label]; logits [B, C], labels int32 [B] (a scalar). */
  sparseCrossEntropy(logits: Tensor2D, labels: Tensor1D): Tensor;
  /** mean((target − prediction)² + 10·max(−prediction, 0)); prediction and target [B] (a scalar). */
  mseWithPositivePressure(prediction: Tensor1D, target: Tensor1D): Tensor;
  /** Adam with TensorFlow.js's semantics and state layout (tf.train.adam's getWeights/setWeights). */
  adam(learningRate: number): Optimizer;
  /** op(a) · op(b) per batch entry: a [N, M, K] (or [N, K, M] transposed), b [N, K, P] (or [N, P, K]). */
  batchMatMul(a: Tensor3D, b: Tensor3D, transposeA: boolean, transposeB: boolean): Tensor3D;
  /** Tensor-free kernels for generation (one note or token at a time). */
  readonly raw: RawKernels;
}

/**
 * Sets the learning rate an Adam from `NeuralOps.adam` uses from its next step on (a schedule).
 * Both tf.train.adam's AdamOptimizer and the native Adam read their `learningRate` field per step.
 */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new NeuralOpsError(`The learning rate must be a positive number, got ${learningRate}.`);
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/** Checks the shapes of a batched product; returns [N, M, K, P] for op(a) [N, M, K] · op(b) [N, K, P]. */
export function batchMatMulDims(a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean): [number, number, number, number] {
  if (a.rank !== 3 || b.rank !== 3 || a.shape[0] !== b.shape[0]) {
    throw new NeuralOpsError(`batchMatMul: a [${a.shape.join(', ')}] and b [${b.shape.join(', ')}] must be rank 3 with the same batch.`);
  }
  const [N, a1, a2] = a.shape as [number, number, number];
  const [, b1, b2] = b.shape as [number, number, number];
  const [M, K] = transposeA ? [a2, a1] : [a1, a2];
  const [K2, P] = transposeB ? [b2, b1] : [b1, b2];
  if (K !== K2) throw new NeuralOpsError(`batchMatMul: inner dimensions ${K} and ${K2} differ (a [${a.shape.join(', ')}], b [${b.shape.join(', ')}]).`);
  return [N, M, K, P];
}

export class NeuralOpsError extends Error {
  override readonly name = 'NeuralOpsError';
}

/** Checks the shapes of an LSTM call; returns [T, B, I, H]. */
export function lstmDims(x: Tensor, weights: LstmWeights, options: LstmOptions): [number, number, number, number] {
  if (x.rank !== 3) throw new NeuralOpsError(`lstm: x must be [steps, batch, features], got shape [${x.shape.join(', ')}].`);
  const [T, B, I] = x.shape as [number, number, number];
  const { kernel, recurrentKernel, bias } = weights;
  const H = recurrentKernel.shape[0];
  if (T < 1 || B < 1 || I < 1 || H < 1) throw new NeuralOpsError(`lstm: every dimension must be ≥ 1 (x [${x.shape.join(', ')}], units ${H}).`);
  if (kernel.rank !== 2 || kernel.shape[0] !== I || kernel.shape[1] !== 4 * H) {
    throw new NeuralOpsError(`lstm: kernel must be [${I}, ${4 * H}], got [${kernel.shape.join(', ')}].`);
  }
  if (recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== 4 * H) {
    throw new NeuralOpsError(`lstm: recurrentKernel must be [${H}, ${4 * H}], got [${recurrentKernel.shape.join(', ')}].`);
  }
  if (bias.rank !== 1 || bias.shape[0] !== 4 * H) throw new NeuralOpsError(`lstm: bias must be [${4 * H}], got [${bias.shape.join(', ')}].`);
  const state = options.initialState;
  if (state) {
    for (const [name, tensor] of [['h', state.h], ['c', state.c]] as const) {
      if (tensor.rank !== 2 || tensor.shape[0] !== B || tensor.shape[1] !== H) {
        throw new NeuralOpsError(`lstm: initialState.${name} must be [${B}, ${H}], got [${tensor.shape.join(', ')}].`);
      }
    }
  }
  return [T, B, I, H];
}

export function denseDims(x: Tensor, kernel: Tensor, bias: Tensor | null): [number, number, number] {
  if (x.rank !== 2 || kernel.rank !== 2 || x.shape[1] !== kernel.shape[0]) {
    throw new NeuralOpsError(`dense: x [${x.shape.join(', ')}] and kernel [${kernel.shape.join(', ')}] do not multiply.`);
  }
  const [M, K] = x.shape as [number, number];
  const N = kernel.shape[1]!;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== N)) throw new NeuralOpsError(`dense: bias must be [${N}], got [${bias.shape.join(', ')}].`);
  return [M, N, K];
}

/**
 * The LSTM layer in plain tfjs ops, differentiated by tfjs's autodiff (tape through every step):
 * the reference the other implementations are tested against.
 */
export function lstmAutodiff(tf: Tf, x: Tensor3D, weights: LstmWeights, options: LstmOptions): LstmResult {
  const [T, B, I, H] = lstmDims(x, weights, options);
  return tf.tidy(() => {
    const projected = tf.add(tf.matMul(tf.reshape(x, [T * B, I]), weights.kernel), weights.bias);
    // (tfjs's gradient of a one-element unstack fails, hence the reshape for T = 1.)
    const steps = T === 1 ? [tf.reshape(projected, [B, 4 * H]) as Tensor2D] : (tf.unstack(tf.reshape(projected, [T, B, 4 * H]), 0) as Tensor2D[]);
    let h: Tensor2D = options.initialState?.h ?? tf.zeros([B, H]);
    let c: Tensor2D = options.initialState?.c ?? tf.zeros([B, H]);
    const outputs: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const gates = tf.add(steps[t]!, tf.matMul(h, weights.recurrentKernel));
      const [ai, af, ag, ao] = tf.split(gates, 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
      c = tf.add(tf.mul(tf.sigmoid(af), c), tf.mul(tf.sigmoid(ai), tf.tanh(ag)));
      h = tf.mul(tf.sigmoid(ao), tf.tanh(c));
      if (options.returnSequences) outputs.push(h);
    }
    return { output: options.returnSequences ? tf.stack(outputs) : h, hT: h, cT: c };
  });
}

/**
 * The LSTM layer in plain tfjs ops with a hand-written sequence-level backward pass (tf.customGrad),
 * the same algorithm as the native kernels: the gate activations are saved, the backward pass walks
 * the steps once (one dA·Uᵀ product per step, Uᵀ formed once), and the weight gradients are three
 * products over all T·B rows at the end, instead of autodiff's two small products per step. On the
 * wasm backend this halves the step time (and a reused Uᵀ lets XNNPACK keep its packed weights).
 */
export function lstmSequence(tf: Tf, x: Tensor3D, weights: LstmWeights, options: LstmOptions): LstmResult {
  const [T, B, I, H] = lstmDims(x, weights, options);
  let finalState: [Tensor2D, Tensor2D] | undefined;
  const op = tf.customGrad((...args) => {
    const [xs, h0, c0, w, u, bias] = args as [Tensor3D, Tensor2D, Tensor2D, Tensor2D, Tensor2D, Tensor1D];
    const save = args[6] as (tensors: Tensor[]) => void;
    const projected = tf.add(tf.matMul(tf.reshape(xs, [T * B, I]), w), bias);
    const steps = tf.unstack(tf.reshape(projected, [T, B, 4 * H]), 0) as Tensor2D[];
    let h = h0;
    let c = c0;
    // Per step: i, f, g, o, c, tanh c, h.
    const kept: Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const [ai, af, ag, ao] = tf.split(tf.add(steps[t]!, tf.matMul(h, u)), 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
      const i = tf.sigmoid(ai);
      const f = tf.sigmoid(af);
      const g = tf.tanh(ag);
      const o = tf.sigmoid(ao);
      c = tf.add(tf.mul(f, c), tf.mul(i, g));
      const tc = tf.tanh(c);
      h = tf.mul(o, tc);
      kept.push(i, f, g, o, c, tc, h);
    }
    finalState = [tf.keep(h.clone()), tf.keep(c.clone())];
    save([xs, h0, c0, w, u, ...kept]);
    const value = options.returnSequences ? tf.stack(kept.filter((_, k) => k % 7 === 6)) : h;
    const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
      const [sx, sh0, sc0, sw, su] = saved as Tensor2D[];
      const at = (t: number, k: number): Tensor2D => saved[5 + 7 * t + k] as Tensor2D;
      const uT = tf.transpose(su!);
      const incoming = options.returnSequences ? (tf.unstack(dy, 0) as Tensor2D[]) : null;
      let dhNext: Tensor2D = options.returnSequences ? tf.zerosLike(sh0!) : (dy as Tensor2D);
      let dc: Tensor2D = tf.zerosLike(sc0!);
      const dA: Tensor2D[] = new Array<Tensor2D>(T);
      for (let t = T - 1; t >= 0; t--) {
        const [i, f, g, o, , tc] = [at(t, 0), at(t, 1), at(t, 2), at(t, 3), at(t, 4), at(t, 5)];
        const cPrev = t === 0 ? sc0! : at(t - 1, 4);
        const dh = incoming ? tf.add(incoming[t]!, dhNext) : dhNext;
        const dcell = tf.add(dc, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc))));
        const dai = tf.mul(tf.mul(dcell, g), tf.mul(i, tf.sub(1, i)));
        const daf = tf.mul(tf.mul(dcell, cPrev), tf.mul(f, tf.sub(1, f)));
        const dag = tf.mul(tf.mul(dcell, i), tf.sub(1, tf.square(g)));
        const dao = tf.mul(tf.mul(dh, tc), tf.mul(o, tf.sub(1, o)));
        dA[t] = tf.concat([dai, daf, dag, dao], 1) as Tensor2D;
        dhNext = tf.matMul(dA[t]!, uT);
        dc = tf.mul(dcell, f);
      }
      const dGates = tf.reshape(tf.stack(dA), [T * B, 4 * H]) as Tensor2D;
      const hPrev = tf.concat([sh0!, ...Array.from({ length: T - 1 }, (_, t) => at(t, 6))], 0);
      const x2d = tf.reshape(sx!, [T * B, I]) as Tensor2D;
      const dx = options.inputGradient === false ? tf.zeros([T, B, I]) : tf.reshape(tf.matMul(dGates, sw!, false, true), [T, B, I]);
      return [dx, dhNext, dc, tf.matMul(x2d, dGates, true, false), tf.matMul(hPrev, dGates, true, false), tf.sum(dGates, 0)];
    };
    return { value, gradFunc };
  });
  return tf.tidy(() => {
    const h0 = options.initialState?.h ?? tf.zeros([B, H]);
    const c0 = options.initialState?.c ?? tf.zeros([B, H]);
    const output = op(x, h0, c0, weights.kernel, weights.recurrentKernel, weights.bias);
    // The final state was kept out of the op's own scope; hand over tracked copies.
    const [hT, cT] = finalState!.map((kept) => {
      const copy = kept.clone();
      kept.dispose();
      return copy;
    });
    return { output, hT: hT!, cT: cT! };
  });
}

/** The same operations in plain TensorFlow.js ops (any backend): the fallback path. */
export function createTfjsOps(tf: Tf): NeuralOps {
  return {
    name: 'tfjs',
    lstm: (x, weights, options) => lstmSequence(tf, x, weights, options),
    dense(x, kernel, bias) {
      denseDims(x, kernel, bias);
      return tf.tidy(() => {
        const product: Tensor2D = tf.matMul(x, kernel);
        return bias ? tf.add(product, bias) : product;
      });
    },
    sparseCrossEntropy(logits, labels) {
      return sparseCrossEntropyFromLogits(tf, logits, labels);
    },
    mseWithPositivePressure(prediction, target) {
      return mseWithPositivePressure(tf, prediction, target);
    },
    adam(learningRate) {
      return tf.train.adam(learningRate);
    },
    batchMatMul(a, b, transposeA, transposeB) {
      batchMatMulDims(a, b, transposeA, transposeB);
      return tf.matMul(a, b, transposeA, transposeB);
    },
    raw: createJavascriptRawKernels(),
  };
}
