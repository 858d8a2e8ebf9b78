/**
 * The transformer's element-wise layers as single ops with their own gradients (tf.customGrad),
 * computed in plain loops over the tensors' arrays: layer normalisation, the causal softmax of
 * attention scores, and a cross-entropy that skips padded targets. Same maths as the tfjs-op
 * compositions (the unit tests compare them); why fused: composed from tfjs ops, a layer norm is
 * ~6 kernels forward and ~15 backward, each a pass over the activations plus ~10 µs of bookkeeping
 * on the cpu backend, so a 2-layer transformer spent most of its step in them. Any backend works
 * (dataSync copies out of wasm memory there); inputs are never written in place.
 */
import type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tf } from './ops';

function floats(tensor: Tensor, what: string): Float32Array {
  if (tensor.dtype !== 'float32') throw new TypeError(`${what} must be float32, got ${tensor.dtype}.`);
  return tensor.dataSync() as Float32Array;
}

export const LAYER_NORM_EPSILON = 1e-5;

/** y = (x − mean)/√(var + ε)·γ + β over the last axis of x [M, D]; γ, β [D]. */
export function layerNorm(tf: Tf, x: Tensor2D, gamma: Tensor1D, beta: Tensor1D): Tensor2D {
  const [M, D] = x.shape;
  if (gamma.shape[0] !== D || beta.shape[0] !== D) throw new RangeError(`layerNorm: γ and β must be [${D}], got [${gamma.shape}] and [${beta.shape}].`);
  const op = tf.customGrad((...args) => {
    const [xs, gs, bs] = args as Tensor[];
    const xv = floats(xs!, 'layerNorm x');
    const g = floats(gs!, 'layerNorm γ');
    const b = floats(bs!, 'layerNorm β');
    const normalised = new Float32Array(M * D);
    const inverse = new Float32Array(M);
    const y = new Float32Array(M * D);
    for (let r = 0; r < M; r++) {
      const row = r * D;
      let mean = 0;
      for (let j = 0; j < D; j++) mean += xv[row + j]!;
      mean /= D;
      let variance = 0;
      for (let j = 0; j < D; j++) variance += (xv[row + j]! - mean) ** 2;
      const inv = 1 / Math.sqrt(variance / D + LAYER_NORM_EPSILON);
      inverse[r] = inv;
      for (let j = 0; j < D; j++) {
        const n = (xv[row + j]! - mean) * inv;
        normalised[row + j] = n;
        y[row + j] = n * g[j]! + b[j]!;
      }
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const dyv = floats(dy, 'layerNorm output gradient');
      const dx = new Float32Array(M * D);
      const dg = new Float64Array(D);
      const db = new Float64Array(D);
      for (let r = 0; r < M; r++) {
        const row = r * D;
        // dn = dy·γ; dx = inv·(dn − mean(dn) − n·mean(dn·n)).
        let sum = 0;
        let dot = 0;
        for (let j = 0; j < D; j++) {
          const dn = dyv[row + j]! * g[j]!;
          sum += dn;
          dot += dn * normalised[row + j]!;
          dg[j] = dg[j]! + dyv[row + j]! * normalised[row + j]!;
          db[j] = db[j]! + dyv[row + j]!;
        }
        const meanDn = sum / D;
        const meanDot = dot / D;
        const inv = inverse[r]!;
        for (let j = 0; j < D; j++) dx[row + j] = inv * (dyv[row + j]! * g[j]! - meanDn - normalised[row + j]! * meanDot);
      }
      return [tf.tensor2d(dx, [M, D]), tf.tensor1d(Float32Array.from(dg)), tf.tensor1d(Float32Array.from(db))];
    };
    return { value: tf.tensor2d(y, [M, D]), gradFunc };
  });
  return op(x, gamma, beta) as Tensor2D;
}

/**
 * Attention probabilities: softmax over the last axis of scores [N, L, L]·scale where position i
 * sees only positions ≤ i (the others get probability 0).
 */
export function causalSoftmax(tf: Tf, scores: Tensor3D, scale: number): Tensor3D {
  const [N, L, L2] = scores.shape;
  if (L !== L2) throw new RangeError(`causalSoftmax: scores must be [N, L, L], got [${scores.shape.join(', ')}].`);
  const op = tf.customGrad((...args) => {
    const s = floats(args[0] as Tensor, 'causalSoftmax scores');
    const p = new Float32Array(N * L * L);
    for (let e = 0; e < N; e++) {
      for (let i = 0; i < L; i++) {
        const row = (e * L + i) * L;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) max = Math.max(max, s[row + j]! * scale);
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const v = Math.exp(s[row + j]! * scale - max);
          p[row + j] = v;
          sum += v;
        }
        for (let j = 0; j <= i; j++) p[row + j] = p[row + j]! / sum;
      }
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const dp = floats(dy, 'causalSoftmax output gradient');
      const ds = new Float32Array(N * L * L);
      for (let e = 0; e < N; e++) {
        for (let i = 0; i < L; i++) {
          const row = (e * L + i) * L;
          let dot = 0;
          for (let j = 0; j <= i; j++) dot += dp[row + j]! * p[row + j]!;
          for (let j = 0; j <= i; j++) ds[row + j] = p[row + j]! * (dp[row + j]! - dot) * scale;
        }
      }
      return [tf.tensor3d(ds, [N, L, L])];
    };
    return { value: tf.tensor3d(p, [N, L, L]), gradFunc };
  });
  return op(scores) as Tensor3D;
}

/** Which targets a masked cross-entropy counts: label −1 is padding. */
export const IGNORED_LABEL = -1;

/**
 * Mean over the labelled rows of −log softmax(logits)[label]; logits [M, C], labels int32 [M] with
 * −1 for rows to skip (padding). Returns the scalar mean; the number of labelled rows is the
 * caller's (it knows its labels). No labelled row gives 0.
 */
export function maskedSparseCrossEntropy(tf: Tf, logits: Tensor2D, labels: Int32Array): Tensor {
  const [M, C] = logits.shape;
  if (labels.length !== M) throw new RangeError(`maskedSparseCrossEntropy: ${labels.length} labels for ${M} rows of logits.`);
  let count = 0;
  for (let r = 0; r < M; r++) {
    const label = labels[r]!;
    if (label === IGNORED_LABEL) continue;
    if (!(label >= 0 && label < C)) throw new RangeError(`maskedSparseCrossEntropy: label ${label} (row ${r}) is outside 0..${C - 1}.`);
    count++;
  }
  const op = tf.customGrad((...args) => {
    const x = floats(args[0] as Tensor, 'maskedSparseCrossEntropy logits');
    const probabilities = new Float32Array(M * C);
    let total = 0;
    for (let r = 0; r < M; r++) {
      const label = labels[r]!;
      if (label === IGNORED_LABEL) continue;
      const row = r * C;
      let max = -Infinity;
      for (let j = 0; j < C; j++) max = Math.max(max, x[row + j]!);
      let sum = 0;
      for (let j = 0; j < C; j++) {
        const e = Math.exp(x[row + j]! - max);
        probabilities[row + j] = e;
        sum += e;
      }
      for (let j = 0; j < C; j++) probabilities[row + j] = probabilities[row + j]! / sum;
      total += Math.log(sum) + max - x[row + label]!;
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const scale = count === 0 ? 0 : dy.dataSync()[0]! / count;
      const grad = new Float32Array(M * C);
      for (let r = 0; r < M; r++) {
        const label = labels[r]!;
        if (label === IGNORED_LABEL) continue;
        const row = r * C;
        for (let j = 0; j < C; j++) grad[row + j] = probabilities[row + j]! * scale;
        grad[row + label] = grad[row + label]! - scale;
      }
      return [tf.tensor2d(grad, [M, C])];
    };
    return { value: tf.scalar(count === 0 ? 0 : total / count), gradFunc };
  });
  return op(logits);
}

/**
 * Attention's head layout in one copy each way: rows [B·L, H·dh] (a projection q, k or v) laid out
 * per head, [B·H, L, dh]. Composed from tfjs ops this is reshapes and a transpose, and (with the
 * split of a fused qkv projection) the cpu backend's Transpose and SplitV took most of a training
 * step: hundreds of milliseconds for a batch of 16 × 128 tokens.
 */
export function splitHeads(tf: Tf, x: Tensor2D, B: number, L: number, H: number): Tensor3D {
  const [rows, d] = x.shape;
  if (rows !== B * L || d % H !== 0) throw new RangeError(`splitHeads: [${x.shape.join(', ')}] is not ${B}×${L} rows of ${H} heads.`);
  const dh = d / H;
  const op = tf.customGrad((...args) => {
    const source = floats(args[0] as Tensor, 'splitHeads x');
    const out = new Float32Array(rows * d);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < L; t++) {
        const from = (b * L + t) * d;
        for (let h = 0; h < H; h++) out.set(source.subarray(from + h * dh, from + (h + 1) * dh), ((b * H + h) * L + t) * dh);
      }
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const gradient = floats(dy, 'splitHeads output gradient');
      const dx = new Float32Array(rows * d);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < L; t++) {
          const to = (b * L + t) * d;
          for (let h = 0; h < H; h++) {
            const at = ((b * H + h) * L + t) * dh;
            dx.set(gradient.subarray(at, at + dh), to + h * dh);
          }
        }
      }
      return [tf.tensor2d(dx, [rows, d])];
    };
    return { value: tf.tensor3d(out, [B * H, L, dh]), gradFunc };
  });
  return op(x) as Tensor3D;
}

/** The inverse layout: per-head [B·H, L, dh] back to rows [B·L, H·dh]. */
export function mergeHeads(tf: Tf, x: Tensor3D, B: number, L: number, H: number): Tensor2D {
  const [N, length, dh] = x.shape;
  if (N !== B * H || length !== L) throw new RangeError(`mergeHeads: [${x.shape.join(', ')}] is not ${B}×${H} heads of ${L} positions.`);
  const d = H * dh;
  const op = tf.customGrad((...args) => {
    const source = floats(args[0] as Tensor, 'mergeHeads x');
    const out = new Float32Array(B * L * d);
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        for (let t = 0; t < L; t++) {
          const at = ((b * H + h) * L + t) * dh;
          out.set(source.subarray(at, at + dh), (b * L + t) * d + h * dh);
        }
      }
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const gradient = floats(dy, 'mergeHeads output gradient');
      const dx = new Float32Array(N * L * dh);
      for (let b = 0; b < B; b++) {
        for (let h = 0; h < H; h++) {
          for (let t = 0; t < L; t++) {
            const from = (b * L + t) * d + h * dh;
            dx.set(gradient.subarray(from, from + dh), ((b * H + h) * L + t) * dh);
          }
        }
      }
      return [tf.tensor3d(dx, [N, L, dh])];
    };
    return { value: tf.tensor2d(out, [B * L, d]), gradFunc };
  });
  return op(x) as Tensor2D;
}

/** max(x, 0), its gradient dy·[x > 0] (as tfjs's relu). */
export function relu(tf: Tf, x: Tensor2D): Tensor2D {
  const op = tf.customGrad((...args) => {
    const xs = floats(args[0] as Tensor, 'relu x');
    const y = new Float32Array(xs.length);
    for (let k = 0; k < xs.length; k++) y[k] = xs[k]! > 0 ? xs[k]! : 0;
    const gradFunc = (dy: Tensor): Tensor[] => {
      const g = floats(dy, 'relu output gradient');
      const dx = new Float32Array(xs.length);
      for (let k = 0; k < xs.length; k++) dx[k] = xs[k]! > 0 ? g[k]! : 0;
      return [tf.tensor(dx, x.shape)];
    };
    return { value: tf.tensor(y, x.shape), gradFunc };
  });
  return op(x) as Tensor2D;
}

/** x + branch·mask (a residual connection with dropout on its branch; mask null: no dropout). */
export function residual(tf: Tf, x: Tensor2D, branch: Tensor2D, mask: Float32Array | null): Tensor2D {
  if (x.shape.join() !== branch.shape.join()) throw new RangeError(`residual: [${x.shape.join(', ')}] and [${branch.shape.join(', ')}] differ.`);
  if (mask && mask.length !== x.size) throw new RangeError(`residual: a mask of ${mask.length} for ${x.size} values.`);
  const op = tf.customGrad((...args) => {
    const a = floats(args[0] as Tensor, 'residual x');
    const b = floats(args[1] as Tensor, 'residual branch');
    const y = new Float32Array(a.length);
    for (let k = 0; k < a.length; k++) y[k] = a[k]! + (mask ? b[k]! * mask[k]! : b[k]!);
    const gradFunc = (dy: Tensor): Tensor[] => {
      const g = floats(dy, 'residual output gradient');
      const db = mask ? Float32Array.from(g, (value, k) => value * mask[k]!) : Float32Array.from(g);
      return [tf.tensor2d(Float32Array.from(g), x.shape), tf.tensor2d(db, x.shape)];
    };
    return { value: tf.tensor2d(y, x.shape), gradFunc };
  });
  return op(x, branch) as Tensor2D;
}

/**
 * (tokens [B·L, d] + positions[t] for each row's place t)·mask: the transformer's input. positions
 * is the whole learned table [C, d] (C ≥ L); its gradient is the sum over the batch, 0 past L.
 */
export function addPositions(tf: Tf, tokens: Tensor2D, positions: Tensor2D, B: number, L: number, mask: Float32Array | null): Tensor2D {
  const [rows, d] = tokens.shape;
  const C = positions.shape[0];
  if (rows !== B * L || positions.shape[1] !== d || L > C) throw new RangeError(`addPositions: tokens [${tokens.shape.join(', ')}] and positions [${positions.shape.join(', ')}] do not fit ${B}×${L}.`);
  const op = tf.customGrad((...args) => {
    const e = floats(args[0] as Tensor, 'addPositions tokens');
    const p = floats(args[1] as Tensor, 'addPositions positions');
    const y = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++) {
      const t = r % L;
      for (let j = 0; j < d; j++) {
        const value = e[r * d + j]! + p[t * d + j]!;
        y[r * d + j] = mask ? value * mask[r * d + j]! : value;
      }
    }
    const gradFunc = (dy: Tensor): Tensor[] => {
      const g = floats(dy, 'addPositions output gradient');
      const de = mask ? Float32Array.from(g, (value, k) => value * mask[k]!) : Float32Array.from(g);
      const dp = new Float32Array(C * d);
      for (let r = 0; r < rows; r++) {
        const t = r % L;
        for (let j = 0; j < d; j++) dp[t * d + j] = dp[t * d + j]! + de[r * d + j]!;
      }
      return [tf.tensor2d(de, [rows, d]), tf.tensor2d(dp, [C, d])];
    };
    return { value: tf.tensor2d(y, [rows, d]), gradFunc };
  });
  return op(tokens, positions) as Tensor2D;
}
