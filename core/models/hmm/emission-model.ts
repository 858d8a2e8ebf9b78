/**
 * What an emission model provides to the shared Baum-Welch machinery: per-sequence emission
 * probabilities (for forward-backward), log-probabilities (for Viterbi), and the accumulation of
 * posterior-weighted statistics for its own M-step. The categorical HMM and the note HMM differ
 * only here.
 */
import { ForwardBackwardWorkspace, forwardBackward, forwardPass, transpose } from './forward-backward';
import type { ChainCounts, MarkovChain } from './types';

/** Any observation set laid out as sequences over one buffer (see SequenceSet.offsets). */
export interface SequenceLayout {
  readonly offsets: Int32Array;
}

export interface EmissionModel<D extends SequenceLayout, P, S> {
  /**
   * Fills out[t*N + i] with b_i(o_t) for sequence `sequence` (t from 0). Each row may be divided by
   * a positive factor to keep it in range (densities can be huge or tiny); returns the sum of the
   * logs of those factors, 0 when the rows are exact probabilities.
   */
  fillProbabilities(params: P, data: D, sequence: number, out: Float64Array): number;
  /** Fills out[t*N + i] with log b_i(o_t). */
  fillLogProbabilities(params: P, data: D, sequence: number, out: Float64Array): void;
  /** Zeroed statistics for one E-step. */
  createStats(params: P): S;
  /** Adds the posteriors γ (T×N) of sequence `sequence` to the statistics. */
  accumulate(stats: S, data: D, sequence: number, posteriors: Float64Array): void;
}

/**
 * The E-step over every sequence: overwrites `counts`, adds to `stats`, returns the total
 * log-likelihood (-Infinity if some sequence is impossible; its statistics are left out).
 */
export function expectationStep<D extends SequenceLayout, P, S>(
  chain: MarkovChain,
  model: EmissionModel<D, P, S>,
  params: P,
  data: D,
  stats: S,
  counts: ChainCounts,
  workspace = new ForwardBackwardWorkspace(),
): number {
  const n = chain.nStates;
  const { initialCounts, transitionCounts } = counts;
  initialCounts.fill(0);
  transitionCounts.fill(0);
  const transitionT = transpose(chain.transition, n, n);
  const outer = new Float64Array(n * n);
  let total = 0;
  const sequences = data.offsets.length - 1;
  for (let s = 0; s < sequences; s++) {
    const length = data.offsets[s + 1]! - data.offsets[s]!;
    if (length === 0) continue;
    workspace.ensure(length, n);
    const logOffset = model.fillProbabilities(params, data, s, workspace.probabilities);
    const logLikelihood = forwardBackward(chain, transitionT, length, workspace, initialCounts, outer);
    if (logLikelihood === Number.NEGATIVE_INFINITY) {
      total = Number.NEGATIVE_INFINITY;
      continue;
    }
    total += logLikelihood + logOffset;
    model.accumulate(stats, data, s, workspace.posteriors);
  }
  for (let k = 0; k < n * n; k++) transitionCounts[k] = outer[k]! * chain.transition[k]!;
  return total;
}

/** Log-likelihood of every sequence (forward pass only), summed; with the token count. */
export function totalLogLikelihood<D extends SequenceLayout, P>(
  chain: MarkovChain,
  model: Pick<EmissionModel<D, P, unknown>, 'fillProbabilities'>,
  params: P,
  data: D,
): { logLikelihood: number; tokens: number; perToken: number } {
  const workspace = new ForwardBackwardWorkspace();
  let logLikelihood = 0;
  let tokens = 0;
  for (let s = 0; s < data.offsets.length - 1; s++) {
    const length = data.offsets[s + 1]! - data.offsets[s]!;
    if (length === 0) continue;
    tokens += length;
    workspace.ensure(length, chain.nStates);
    const logOffset = model.fillProbabilities(params, data, s, workspace.probabilities);
    logLikelihood += forwardPass(chain, length, workspace) + logOffset;
  }
  return { logLikelihood, tokens, perToken: tokens > 0 ? logLikelihood / tokens : Number.NaN };
}

/**
 * Normalises rows of expected counts into probabilities with a pseudo-count: row_k ∝ count_k + ε.
 * With ε > 0 no probability is ever exactly 0 (unseen held-out symbols stay possible, and an
 * emptied state does not produce 0/0). With ε = 0 this is plain maximum likelihood: a probability
 * is 0 exactly when its expected count is 0, and a row with no counts at all keeps its previous
 * value (there is no evidence to move it).
 */
export function normaliseRows(
  counts: Float64Array,
  rows: number,
  cols: number,
  pseudoCount: number,
  previous: Float64Array,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += counts[base + c]! + pseudoCount;
    if (!(sum > 0)) {
      for (let c = 0; c < cols; c++) out[base + c] = previous[base + c]!;
      continue;
    }
    for (let c = 0; c < cols; c++) out[base + c] = (counts[base + c]! + pseudoCount) / sum;
  }
  return out;
}

/** The M-step of the chain: π and A from the expected counts. */
export function maximiseChain(chain: MarkovChain, counts: ChainCounts, pseudoCount: number): MarkovChain {
  const n = chain.nStates;
  return {
    nStates: n,
    initial: normaliseRows(counts.initialCounts, 1, n, pseudoCount, chain.initial),
    transition: normaliseRows(counts.transitionCounts, n, n, pseudoCount, chain.transition),
  };
}
