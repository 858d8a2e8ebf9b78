/**
 * NeuralOps backed by studio_native's fused kernels: one Node-API call per LSTM layer forward, one
 * backward (all its gradients), one per dense product; exposed to TensorFlow.js through
 * tf.customGrad so autodiff and the optimisers see ordinary ops. Meant for the `cpu` backend, where
 * a tensor's data is a plain Float32Array: dataSync() returns it without copying and tf.tensor()
 * adopts the arrays the kernels wrote, so nothing is copied on the way in or out. (Any backend
 * works; others copy.) The kernels never write into an input's array.
 */
import { batchMatMulDims, denseDims, lstmDims, type LstmOptions, type LstmResult, type LstmWeights, type NeuralOps, type Optimizer, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tf } from '../../../core/models/neural/ops';
import type { RawKernels } from '../../../core/models/neural/raw-kernels';
import { fusedMseWithPositivePressure, fusedSparseCrossEntropy } from './fused-losses';
import { createNativeAdam } from './native-adam';
import type { NeuralAddon, NeuralKernelName } from './native-addon';

export interface NativeOpsOptions {
  /** Threads for the large sequence-wide products (default 1: single-threaded). */
  readonly threads?: number;
  /** 'auto' (default) or a kernel variant from neuralKernels(). */
  readonly variant?: NeuralKernelName;
}

function float32(tensor: Tensor, what: string): Float32Array {
  if (tensor.dtype !== 'float32') throw new TypeError(`${what} must be float32, got ${tensor.dtype}.`);
  return tensor.dataSync() as Float32Array;
}

/**
 * Forward-pass scratch (cell states, tanh of them, gate activations) reused across training steps:
 * taken by a forward pass, given back once its backward pass has consumed it. Allocating ~20 MB of
 * zeroed memory per layer and step would otherwise cost a few milliseconds each time.
 */
class ScratchPool {
  private readonly free = new Map<number, Float32Array[]>();

  take(length: number): Float32Array {
    return this.free.get(length)?.pop() ?? new Float32Array(length);
  }

  give(...arrays: Float32Array[]): void {
    for (const array of arrays) {
      const list = this.free.get(array.length) ?? [];
      // A few per size is enough (a stack of layers of the same shape); beyond, let the GC have them.
      if (list.length < 4) list.push(array);
      this.free.set(array.length, list);
    }
  }
}

export function createNativeOps(tf: Tf, addon: NeuralAddon, options: NativeOpsOptions = {}): NeuralOps {
  const kernel = { threads: options.threads ?? 1, variant: options.variant ?? 'auto' };
  const pool = new ScratchPool();

  function lstm(x: Tensor3D, weights: LstmWeights, lstmOptions: LstmOptions): LstmResult {
    const [T, B, I, H] = lstmDims(x, weights, lstmOptions);
    const state = B * H;
    let hT: Float32Array | undefined;
    let cT: Float32Array | undefined;
    const op = tf.customGrad((...args) => {
      const [xs, h0s, c0s, ws, us, bs] = args as Tensor[];
      const inputs = {
        steps: T,
        batch: B,
        input: I,
        hidden: H,
        x: float32(xs!, 'lstm x'),
        h0: float32(h0s!, 'lstm initial h'),
        c0: float32(c0s!, 'lstm initial c'),
        w: float32(ws!, 'lstm kernel'),
        u: float32(us!, 'lstm recurrent kernel'),
        ...kernel,
      };
      const saved = {
        // With returnSequences the output tensor adopts h; otherwise h is scratch too.
        h: lstmOptions.returnSequences ? new Float32Array(T * state) : pool.take(T * state),
        c: pool.take(T * state),
        tanhC: pool.take(T * state),
        gates: pool.take(T * 4 * state),
      };
      addon.lstmForward({ ...inputs, bias: float32(bs!, 'lstm bias'), ...saved });
      hT = saved.h.slice((T - 1) * state);
      cT = saved.c.slice((T - 1) * state);
      const value = lstmOptions.returnSequences ? tf.tensor3d(saved.h, [T, B, H]) : tf.tensor2d(hT, [B, H]);
      let consumed = false;
      const gradFunc = (dy: Tensor): Tensor[] => {
        // The backward kernel overwrites `gates`: a second backward pass over the same forward
        // pass would be wrong, so refuse it (tfjs records a new forward pass per gradient).
        if (consumed) throw new Error('lstm: this forward pass was already differentiated once.');
        consumed = true;
        const grads = {
          dx: lstmOptions.inputGradient === false ? null : new Float32Array(T * B * I),
          dh0: new Float32Array(state),
          dc0: new Float32Array(state),
          dw: new Float32Array(I * 4 * H),
          du: new Float32Array(H * 4 * H),
          dbias: new Float32Array(4 * H),
        };
        const incoming = float32(dy, 'lstm output gradient');
        addon.lstmBackward({ ...inputs, ...saved, ...(lstmOptions.returnSequences ? { dh: incoming } : { dhLast: incoming }), ...grads });
        pool.give(saved.c, saved.tanhC, saved.gates);
        if (!lstmOptions.returnSequences) pool.give(saved.h);
        return [
          grads.dx ? tf.tensor3d(grads.dx, [T, B, I]) : tf.zeros([T, B, I]),
          tf.tensor2d(grads.dh0, [B, H]),
          tf.tensor2d(grads.dc0, [B, H]),
          tf.tensor2d(grads.dw, [I, 4 * H]),
          tf.tensor2d(grads.du, [H, 4 * H]),
          tf.tensor1d(grads.dbias),
        ];
      };
      return { value, gradFunc };
    });
    return tf.tidy(() => {
      const h0 = lstmOptions.initialState?.h ?? tf.zeros([B, H]);
      const c0 = lstmOptions.initialState?.c ?? tf.zeros([B, H]);
      const output = op(x, h0, c0, weights.kernel, weights.recurrentKernel, weights.bias);
      return { output, hT: tf.tensor2d(hT!, [B, H]), cT: tf.tensor2d(cT!, [B, H]) };
    });
  }

  function dense(x: Tensor2D, kernelTensor: Tensor2D, bias: Tensor1D | null): Tensor2D {
    const [M, N, K] = denseDims(x, kernelTensor, bias);
    const op = tf.customGrad((...args) => {
      const [xs, ws, bs] = args as Tensor[];
      const xv = float32(xs!, 'dense x');
      const wv = float32(ws!, 'dense kernel');
      const y = new Float32Array(M * N);
      addon.dense({ m: M, n: N, k: K, x: xv, w: wv, bias: bias ? float32(bs!, 'dense bias') : null, y, ...kernel });
      const gradFunc = (dy: Tensor): Tensor[] => {
        const dx = new Float32Array(M * K);
        const dw = new Float32Array(K * N);
        const dbias = bias ? new Float32Array(N) : null;
        addon.denseBackward({ m: M, n: N, k: K, x: xv, w: wv, dy: float32(dy, 'dense output gradient'), dx, dw, dbias, ...kernel });
        const grads: Tensor[] = [tf.tensor2d(dx, [M, K]), tf.tensor2d(dw, [K, N])];
        if (dbias) grads.push(tf.tensor1d(dbias));
        return grads;
      };
      return { value: tf.tensor2d(y, [M, N]), gradFunc };
    });
    return bias ? (op(x, kernelTensor, bias) as Tensor2D) : (op(x, kernelTensor) as Tensor2D);
  }

  /**
   * op(a)·op(b) for each of the N entries: one gemm call per entry on views of the arrays (attention's
   * per-head products are small, [L, dh]·[dh, L]; the kernels' packing handles the transposes).
   */
  function batchMatMul(a: Tensor3D, b: Tensor3D, transposeA: boolean, transposeB: boolean): Tensor3D {
    const [N, M, K, P] = batchMatMulDims(a, b, transposeA, transposeB);
    const product = (x: Float32Array, tx: boolean, y: Float32Array, ty: boolean, rows: number, inner: number, cols: number): Float32Array => {
      const out = new Float32Array(N * rows * cols);
      const xSize = rows * inner;
      const ySize = inner * cols;
      const outSize = rows * cols;
      for (let e = 0; e < N; e++) {
        addon.gemm({
          transA: tx,
          transB: ty,
          m: rows,
          n: cols,
          k: inner,
          a: x.subarray(e * xSize, (e + 1) * xSize),
          b: y.subarray(e * ySize, (e + 1) * ySize),
          c: out.subarray(e * outSize, (e + 1) * outSize),
          ...kernel,
        });
      }
      return out;
    };
    const op = tf.customGrad((...args) => {
      const [as, bs] = args as Tensor[];
      const av = float32(as!, 'batchMatMul a');
      const bv = float32(bs!, 'batchMatMul b');
      const value = tf.tensor3d(product(av, transposeA, bv, transposeB, M, K, P), [N, M, P]);
      const gradFunc = (dy: Tensor): Tensor[] => {
        const dc = float32(dy, 'batchMatMul output gradient');
        // C = op(A)·op(B): dA and dB in the layout of A and B themselves.
        const da = transposeA
          ? product(bv, transposeB, dc, true, K, P, M) // dAᵀ = op(B)·dCᵀ
          : product(dc, false, bv, !transposeB, M, P, K); // dA = dC·op(B)ᵀ
        const db = transposeB
          ? product(dc, true, av, transposeA, P, M, K) // dBᵀ = dCᵀ·op(A)
          : product(av, !transposeA, dc, false, K, M, P); // dB = op(A)ᵀ·dC
        return [tf.tensor3d(da, a.shape as [number, number, number]), tf.tensor3d(db, b.shape as [number, number, number])];
      };
      return { value, gradFunc };
    });
    return op(a, b) as Tensor3D;
  }

  // Generation's tensor-free kernels: scratch for the gates and tanh c, kept between steps.
  let stepScratch = { gates: new Float32Array(0), tanhC: new Float32Array(0) };
  const raw: RawKernels = {
    name: 'native',
    lstmStep({ batch, input, hidden, x, h, c, w, u, bias, hOut, cOut }) {
      const state = batch * hidden;
      if (stepScratch.tanhC.length !== state) stepScratch = { gates: new Float32Array(4 * state), tanhC: new Float32Array(state) };
      addon.lstmForward({ steps: 1, batch, input, hidden, x, h0: h, c0: c, w, u, bias, h: hOut, c: cOut, tanhC: stepScratch.tanhC, gates: stepScratch.gates, ...kernel });
    },
    dense({ m, n, k, x, w, bias, y }) {
      addon.dense({ m, n, k, x, w, bias, y, ...kernel });
    },
  };

  return {
    name: 'native',
    lstm,
    dense,
    batchMatMul,
    raw,
    sparseCrossEntropy: (logits, labels) => fusedSparseCrossEntropy(tf, logits, labels),
    mseWithPositivePressure: (prediction, target) => fusedMseWithPositivePressure(tf, prediction, target),
    adam(learningRate: number): Optimizer {
      return createNativeAdam(tf, addon, learningRate, kernel.variant);
    },
  };
}
