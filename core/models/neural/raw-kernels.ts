/**
 * Inference without tensors: an LSTM step and a dense product on plain Float32Arrays, for
 * generation, where a model runs one note at a time and TensorFlow.js's bookkeeping (tensors, tape,
 * tidy: tens of microseconds per op) would cost more than the arithmetic. The worker's native ops
 * run these as single addon calls; these loops are the fallback and the reference the tests use.
 * Layouts as in ops.ts: Keras's LSTM weights (kernel I×4H, recurrent H×4H, bias 4H; gates i, f, g, o).
 */

export interface RawLstmStep {
  readonly batch: number;
  readonly input: number;
  readonly hidden: number;
  /** B×I */
  readonly x: Float32Array;
  /** The state before the step, B×H each (read only). */
  readonly h: Float32Array;
  readonly c: Float32Array;
  readonly w: Float32Array;
  readonly u: Float32Array;
  readonly bias: Float32Array;
  /** The state after the step, B×H each (may not alias h or c). */
  readonly hOut: Float32Array;
  readonly cOut: Float32Array;
}

export interface RawDense {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** M×K */
  readonly x: Float32Array;
  /** K×N */
  readonly w: Float32Array;
  readonly bias: Float32Array | null;
  /** M×N, overwritten */
  readonly y: Float32Array;
}

export interface RawKernels {
  readonly name: 'native' | 'javascript';
  lstmStep(call: RawLstmStep): void;
  dense(call: RawDense): void;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * acc[0..n) += Σ_r x[r]·w[r·n .. r·n+n) for rows r in [0, rows): eight rows at a time (then four,
 * then one), so each pass over the accumulator does eight multiply-adds: 2.4× faster than one row at
 * a time in V8 (512 steps of the seeds' LSTM and its pitch head: 34 ms instead of 82).
 */
function accumulateRows(acc: Float64Array, x: Float32Array, xOffset: number, w: Float32Array, rows: number, n: number): void {
  let r = 0;
  for (; r + 8 <= rows; r += 8) {
    const x0 = x[xOffset + r]!;
    const x1 = x[xOffset + r + 1]!;
    const x2 = x[xOffset + r + 2]!;
    const x3 = x[xOffset + r + 3]!;
    const x4 = x[xOffset + r + 4]!;
    const x5 = x[xOffset + r + 5]!;
    const x6 = x[xOffset + r + 6]!;
    const x7 = x[xOffset + r + 7]!;
    const o0 = r * n;
    for (let j = 0; j < n; j++) {
      const a = x0 * w[o0 + j]! + x1 * w[o0 + n + j]! + x2 * w[o0 + 2 * n + j]! + x3 * w[o0 + 3 * n + j]!;
      const b = x4 * w[o0 + 4 * n + j]! + x5 * w[o0 + 5 * n + j]! + x6 * w[o0 + 6 * n + j]! + x7 * w[o0 + 7 * n + j]!;
      acc[j] = acc[j]! + a + b;
    }
  }
  for (; r + 4 <= rows; r += 4) {
    const x0 = x[xOffset + r]!;
    const x1 = x[xOffset + r + 1]!;
    const x2 = x[xOffset + r + 2]!;
    const x3 = x[xOffset + r + 3]!;
    const o0 = r * n;
    const o1 = o0 + n;
    const o2 = o1 + n;
    const o3 = o2 + n;
    for (let j = 0; j < n; j++) acc[j] = acc[j]! + x0 * w[o0 + j]! + x1 * w[o1 + j]! + x2 * w[o2 + j]! + x3 * w[o3 + j]!;
  }
  for (; r < rows; r++) {
    const xr = x[xOffset + r]!;
    const o = r * n;
    for (let j = 0; j < n; j++) acc[j] = acc[j]! + xr * w[o + j]!;
  }
}

export function createJavascriptRawKernels(): RawKernels {
  let scratch = new Float64Array(0);
  const accumulator = (length: number): Float64Array => {
    if (scratch.length < length) scratch = new Float64Array(length);
    return scratch;
  };
  return {
    name: 'javascript',
    lstmStep({ batch: B, input: I, hidden: H, x, h, c, w, u, bias, hOut, cOut }) {
      const G = 4 * H;
      const gates = accumulator(G);
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < G; j++) gates[j] = bias[j]!;
        accumulateRows(gates, x, b * I, w, I, G);
        accumulateRows(gates, h, b * H, u, H, G);
        for (let j = 0; j < H; j++) {
          const ig = sigmoid(gates[j]!);
          const fg = sigmoid(gates[H + j]!);
          const gg = Math.tanh(gates[2 * H + j]!);
          const og = sigmoid(gates[3 * H + j]!);
          const cell = fg * c[b * H + j]! + ig * gg;
          cOut[b * H + j] = cell;
          hOut[b * H + j] = og * Math.tanh(cell);
        }
      }
    },
    dense({ m: M, n: N, k: K, x, w, bias, y }) {
      const acc = accumulator(N);
      for (let r = 0; r < M; r++) {
        for (let j = 0; j < N; j++) acc[j] = bias ? bias[j]! : 0;
        accumulateRows(acc, x, r * K, w, K, N);
        for (let j = 0; j < N; j++) y[r * N + j] = acc[j]!;
      }
    },
  };
}
