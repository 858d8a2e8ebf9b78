/**
 * Scaled forward-backward (Rabiner 1989, §V.A) on a precomputed emission-probability matrix, shared
 * by every emission model (categorical symbols, multi-feature notes) and mirrored by the native
 * addon (native/src/hmm_estep.cc) with the same summation order, so both agree to rounding (FMA).
 *
 * Scaling: α̂_t = α̃_t / c_t with c_t = Σ_j α̃_t(j), so log P(O) = Σ_t log c_t and nothing under- or
 * overflows however long the sequence. β̂ is scaled by the same c_{t+1}, which makes the posterior
 * γ_t(i) = α̂_t(i) β̂_t(i) directly, and ξ_t(i,j) = α̂_t(i) A_ij b_j(o_{t+1}) β̂_{t+1}(j) / c_{t+1}.
 *
 * Transition counts are gathered as Σ_t α̂_t(i) w_{t+1}(j), w = b·β̂/c, and multiplied by A_ij once
 * at the end of the E-step (A_ij does not depend on t): N² multiply-adds per step instead of 2N².
 */
import type { MarkovChain } from './types';

/** Scratch memory for one sequence at a time; grows to the longest sequence and is reused. */
export class ForwardBackwardWorkspace {
  /** T×N: α̂ after the forward pass, the posteriors γ after the backward pass. */
  posteriors = new Float64Array(0);
  /** T×N emission probabilities of the current sequence, filled by the emission model. */
  probabilities = new Float64Array(0);
  /** T: the scale factors c_t. */
  scale = new Float64Array(0);
  beta = new Float64Array(0);
  nextBeta = new Float64Array(0);
  weighted = new Float64Array(0);

  ensure(length: number, nStates: number): void {
    const cells = length * nStates;
    if (this.posteriors.length < cells) {
      this.posteriors = new Float64Array(cells);
      this.probabilities = new Float64Array(cells);
    }
    if (this.scale.length < length) this.scale = new Float64Array(length);
    if (this.beta.length !== nStates) {
      this.beta = new Float64Array(nStates);
      this.nextBeta = new Float64Array(nStates);
      this.weighted = new Float64Array(nStates);
    }
  }
}

/** A (N×N) transposed, so the backward pass reads contiguous memory. */
export function transpose(matrix: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = matrix[i * cols + j]!;
  return out;
}

/**
 * out[outAt + j] = Σ_i x[xAt + i] · M[i][j], summed over i in order (the native code's order).
 * Four columns at a time in local variables: V8 does not vectorise, but keeping the sums out of
 * memory made the whole E-step 2× faster.
 */
function vectorTimesMatrix(n: number, x: Float64Array, xAt: number, matrix: Float64Array, out: Float64Array, outAt: number): void {
  const tail = n - (n % 4);
  let j = 0;
  for (; j < tail; j += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0, m = j; i < n; i++, m += n) {
      const xi = x[xAt + i]!;
      s0 += xi * matrix[m]!;
      s1 += xi * matrix[m + 1]!;
      s2 += xi * matrix[m + 2]!;
      s3 += xi * matrix[m + 3]!;
    }
    out[outAt + j] = s0;
    out[outAt + j + 1] = s1;
    out[outAt + j + 2] = s2;
    out[outAt + j + 3] = s3;
  }
  for (; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[xAt + i]! * matrix[i * n + j]!;
    out[outAt + j] = sum;
  }
}

/** outer[i][j] += a[aAt + i] · w[j], unrolled by 4 like vectorTimesMatrix. */
function addOuterProduct(n: number, a: Float64Array, aAt: number, w: Float64Array, outer: Float64Array): void {
  const tail = n - (n % 4);
  for (let i = 0; i < n; i++) {
    const ai = a[aAt + i]!;
    const row = i * n;
    let j = 0;
    for (; j < tail; j += 4) {
      const o = row + j;
      outer[o] = outer[o]! + ai * w[j]!;
      outer[o + 1] = outer[o + 1]! + ai * w[j + 1]!;
      outer[o + 2] = outer[o + 2]! + ai * w[j + 2]!;
      outer[o + 3] = outer[o + 3]! + ai * w[j + 3]!;
    }
    for (; j < n; j++) outer[row + j] = outer[row + j]! + ai * w[j]!;
  }
}

/**
 * The scaled forward pass over workspace.probabilities (length×N). Leaves α̂ in
 * workspace.posteriors and c_t in workspace.scale; returns Σ log c_t, or -Infinity as soon as some
 * c_t is 0 (the sequence is impossible under the model).
 */
export function forwardPass(chain: MarkovChain, length: number, workspace: ForwardBackwardWorkspace): number {
  const n = chain.nStates;
  const { initial, transition } = chain;
  const { posteriors: alpha, probabilities: probs, scale } = workspace;
  let logLikelihood = 0;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const value = initial[j]! * probs[j]!;
    alpha[j] = value;
    c += value;
  }
  if (!(c > 0) || !Number.isFinite(c)) return Number.NEGATIVE_INFINITY;
  for (let j = 0; j < n; j++) alpha[j] = alpha[j]! / c;
  scale[0] = c;
  logLikelihood += Math.log(c);

  for (let t = 1; t < length; t++) {
    const previous = (t - 1) * n;
    const current = t * n;
    // α̃_t(j) = b_j(o_t) Σ_i α̂_{t-1}(i) A_ij.
    vectorTimesMatrix(n, alpha, previous, transition, alpha, current);
    c = 0;
    for (let j = 0; j < n; j++) {
      const value = alpha[current + j]! * probs[current + j]!;
      alpha[current + j] = value;
      c += value;
    }
    if (!(c > 0) || !Number.isFinite(c)) return Number.NEGATIVE_INFINITY;
    for (let j = 0; j < n; j++) alpha[current + j] = alpha[current + j]! / c;
    scale[t] = c;
    logLikelihood += Math.log(c);
  }
  return logLikelihood;
}

/**
 * Forward then backward over one sequence whose emission probabilities are in
 * workspace.probabilities. Adds γ_0 to initialCounts and Σ_t α̂_t ⊗ w_{t+1} to transitionOuter
 * (multiply by A_ij afterwards: see the file comment), leaves γ (length×N) in
 * workspace.posteriors and returns Σ log c_t. On -Infinity nothing has been accumulated.
 */
export function forwardBackward(
  chain: MarkovChain,
  transitionT: Float64Array,
  length: number,
  workspace: ForwardBackwardWorkspace,
  initialCounts: Float64Array,
  transitionOuter: Float64Array,
): number {
  const logLikelihood = forwardPass(chain, length, workspace);
  if (logLikelihood === Number.NEGATIVE_INFINITY) return logLikelihood;
  const n = chain.nStates;
  const { posteriors: alpha, probabilities: probs, scale, weighted } = workspace;
  let beta = workspace.beta;
  let nextBeta = workspace.nextBeta;
  beta.fill(1);
  // At t = T-1, β̂ = 1 so γ = α̂ already: the posteriors row needs no change.
  for (let t = length - 2; t >= 0; t--) {
    const current = t * n;
    const next = current + n;
    const inverseScale = 1 / scale[t + 1]!;
    for (let j = 0; j < n; j++) weighted[j] = probs[next + j]! * beta[j]! * inverseScale;
    addOuterProduct(n, alpha, current, weighted, transitionOuter);
    // β̂_t(i) = Σ_j A_ij w(j) = (w · Aᵀ)(i): Aᵀ's rows are contiguous, like A's in the forward pass.
    vectorTimesMatrix(n, weighted, 0, transitionT, nextBeta, 0);
    const swap = beta;
    beta = nextBeta;
    nextBeta = swap;
    for (let i = 0; i < n; i++) alpha[current + i] = alpha[current + i]! * beta[i]!;
  }
  for (let i = 0; i < n; i++) initialCounts[i] = initialCounts[i]! + alpha[i]!;
  return logLikelihood;
}
