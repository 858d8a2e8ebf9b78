/**
 * The NADE over one frame's pitches (Larochelle & Murray 2011), as RNN-NADE uses it (Boulanger-
 * Lewandowski et al. 2012): given the recurrent state's output biases bv (D) and bh (H),
 *   a_1 = bh,  a_{i+1} = a_i + v_i·W_i,  h_i = σ(a_i),  p(v_i = 1 | v_<i) = σ(bv_i + V_i·h_i),
 * pitches in ascending order (low to high), and log p(v) = Σ_i log p(v_i | v_<i) exactly.
 *
 * Computed here in plain loops over Float32Arrays, batched over rows (time × batch), forward and
 * backward in one pass. Why loops and not tfjs ops: a_i only changes after a sounding pitch, and a
 * chorale frame has ~4 of ~54, so h takes ~5 distinct values per row: σ is evaluated ~5·H times
 * instead of D·H, and the rest is one D·H dot product forward and two D·H updates backward. That is
 * the O(H·D) recursion with its cumulative sums kept implicit; as tfjs ops it would be a [rows, D, H]
 * cumsum and sigmoid (×D the work, ~20 ops with their overhead). Measured on JSB: see bench notes.
 *
 * Layout: row n's biases are `outputs[n·(D+H) .. +D)` (bv) then `.. +H)` (bh), the output of one
 * dense layer over the recurrent state. W and V are D×H row-major (row i = pitch i).
 */
export interface NadeShape {
  /** Rows: time steps × sequences. */
  readonly rows: number;
  /** Pitches per frame. */
  readonly pitches: number;
  /** NADE hidden units. */
  readonly hidden: number;
}

export interface NadeGradients {
  /** rows × (D+H): d loss / d outputs, overwritten. */
  readonly dOutputs: Float32Array;
  /** D×H, accumulated into (zero them first). */
  readonly dW: Float32Array;
  readonly dV: Float32Array;
}

/** nadeLoss's signature: the worker may pass a native implementation (electron/workers/polyphonic/native-nade.ts). */
export type NadeLossFunction = (
  shape: NadeShape,
  outputs: Float32Array,
  W: Float32Array,
  V: Float32Array,
  targets: Uint8Array,
  rowWeights: Float32Array,
  gradients?: NadeGradients,
) => number;

/** log(1 + e^x) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Reusable scratch for nadeLoss (sized for one row). */
class NadeScratch {
  readonly a: Float64Array;
  /** One σ(a) vector per segment (a run of positions between sounding pitches). */
  readonly h: Float64Array;
  readonly segmentStart: Int32Array;
  readonly segmentOf: Int32Array;
  readonly dLogit: Float64Array;
  readonly run: Float64Array;
  readonly acc: Float64Array;

  constructor(
    readonly pitches: number,
    readonly hidden: number,
  ) {
    this.a = new Float64Array(hidden);
    this.h = new Float64Array((pitches + 1) * hidden);
    this.segmentStart = new Int32Array(pitches + 1);
    this.segmentOf = new Int32Array(pitches);
    this.dLogit = new Float64Array(pitches);
    this.run = new Float64Array(hidden);
    this.acc = new Float64Array(hidden);
  }
}

let scratch: NadeScratch | null = null;
function scratchFor(pitches: number, hidden: number): NadeScratch {
  if (!scratch || scratch.pitches !== pitches || scratch.hidden !== hidden) scratch = new NadeScratch(pitches, hidden);
  return scratch;
}

function fillSigmoid(a: Float64Array, out: Float64Array, offset: number, length: number): void {
  for (let k = 0; k < length; k++) out[offset + k] = 1 / (1 + Math.exp(-a[k]!));
}

/**
 * Σ_n rowWeights[n] · (−log p(targets_n)) over the rows; with `gradients`, its gradient w.r.t. the
 * outputs (overwritten), W and V (accumulated). Rows of weight 0 (padding) cost nothing.
 */
export function nadeLoss(
  shape: NadeShape,
  outputs: Float32Array,
  W: Float32Array,
  V: Float32Array,
  targets: Uint8Array,
  rowWeights: Float32Array,
  gradients?: NadeGradients,
): number {
  const { rows, pitches: D, hidden: H } = shape;
  const width = D + H;
  const s = scratchFor(D, H);
  const { a, h, segmentStart, segmentOf, dLogit, run, acc } = s;
  let total = 0;
  if (gradients) gradients.dOutputs.fill(0);
  for (let n = 0; n < rows; n++) {
    const weight = rowWeights[n]!;
    if (weight === 0) continue;
    const base = n * width;
    const target = n * D;
    for (let k = 0; k < H; k++) a[k] = outputs[base + D + k]!;
    let segment = 0;
    segmentStart[0] = 0;
    fillSigmoid(a, h, 0, H);
    let nll = 0;
    for (let i = 0; i < D; i++) {
      segmentOf[i] = segment;
      const hOffset = segment * H;
      const vOffset = i * H;
      let dot = 0;
      for (let k = 0; k < H; k++) dot += V[vOffset + k]! * h[hOffset + k]!;
      const logit = outputs[base + i]! + dot;
      const on = targets[target + i]!;
      nll += softplus(logit) - (on ? logit : 0);
      if (gradients) dLogit[i] = sigmoid(logit) - on;
      if (on && i < D - 1) {
        for (let k = 0; k < H; k++) a[k] = a[k]! + W[vOffset + k]!;
        segment++;
        segmentStart[segment] = i + 1;
        fillSigmoid(a, h, segment * H, H);
      }
    }
    total += weight * nll;
    if (!gradients) continue;

    const { dOutputs, dW, dV } = gradients;
    run.fill(0);
    acc.fill(0);
    for (let i = D - 1; i >= 0; i--) {
      const seg = segmentOf[i]!;
      const hOffset = seg * H;
      const vOffset = i * H;
      const g = weight * dLogit[i]!;
      dOutputs[base + i] = g;
      if (g !== 0) {
        for (let k = 0; k < H; k++) {
          dV[vOffset + k] = dV[vOffset + k]! + g * h[hOffset + k]!;
          acc[k] = acc[k]! + g * V[vOffset + k]!;
        }
      }
      if (i === segmentStart[seg]) {
        // The segment's positions all saw the same h: da = acc ⊙ h(1 − h), summed into run, which
        // now holds Σ da over every position from this segment on: W of the sounding pitch just
        // before the segment reached exactly those positions.
        for (let k = 0; k < H; k++) {
          const hk = h[hOffset + k]!;
          run[k] = run[k]! + acc[k]! * hk * (1 - hk);
          acc[k] = 0;
        }
        if (seg > 0) {
          const wOffset = (i - 1) * H;
          for (let k = 0; k < H; k++) dW[wOffset + k] = dW[wOffset + k]! + run[k]!;
        }
      }
    }
    for (let k = 0; k < H; k++) dOutputs[base + D + k] = run[k]!;
  }
  return total;
}

/**
 * The independent-Bernoulli baseline (RNN + sigmoid, as Bai et al.'s LSTM): each pitch its own coin,
 * p(v_i = 1) = σ(logit_i). Σ_n rowWeights[n] · (−log p(targets_n)); gradient w.r.t. the logits
 * (rows × D, overwritten) when asked.
 */
export function bernoulliLoss(rows: number, pitches: number, logits: Float32Array, targets: Uint8Array, rowWeights: Float32Array, dLogits?: Float32Array): number {
  let total = 0;
  if (dLogits) dLogits.fill(0);
  for (let n = 0; n < rows; n++) {
    const weight = rowWeights[n]!;
    if (weight === 0) continue;
    let nll = 0;
    for (let i = n * pitches; i < (n + 1) * pitches; i++) {
      const logit = logits[i]!;
      const on = targets[i]!;
      nll += softplus(logit) - (on ? logit : 0);
      if (dLogits) dLogits[i] = weight * (sigmoid(logit) - on);
    }
    total += weight * nll;
  }
  return total;
}

/**
 * log p(v) of one frame under a NADE with biases bv (D) and bh (H), each conditional's logit divided
 * by `temperature` (1 = the model; each tempered conditional is still normalised, so the tempered
 * product is a distribution too). For tests and sampling; the batched loss above is the fast path.
 */
export function nadeFrameLogProb(bv: ArrayLike<number>, bh: ArrayLike<number>, W: Float32Array, V: Float32Array, frame: ArrayLike<number>, temperature = 1): number {
  const D = bv.length;
  const H = bh.length;
  const a = Float64Array.from(bh);
  const h = new Float64Array(H);
  fillSigmoid(a, h, 0, H);
  let logProb = 0;
  for (let i = 0; i < D; i++) {
    let dot = 0;
    for (let k = 0; k < H; k++) dot += V[i * H + k]! * h[k]!;
    const logit = (bv[i]! + dot) / temperature;
    const on = frame[i] !== 0;
    logProb -= softplus(on ? -logit : logit);
    if (on) {
      for (let k = 0; k < H; k++) a[k] = a[k]! + W[i * H + k]!;
      fillSigmoid(a, h, 0, H);
    }
  }
  return logProb;
}
