/**
 * The shapes shared by every HMM in the studio. Matrices are Float64Array in row-major order, so
 * they cross to the native addon and to workers without conversion.
 */

/** The hidden Markov chain: initial distribution π (N) and transition matrix A (N×N, rows sum to 1). */
export interface MarkovChain {
  readonly nStates: number;
  readonly initial: Float64Array;
  readonly transition: Float64Array;
}

/** A categorical-emission HMM: the chain plus emission matrix B (N×M, rows sum to 1). */
export interface CategoricalHmmParams extends MarkovChain {
  readonly nSymbols: number;
  readonly emission: Float64Array;
}

/**
 * Many symbol sequences in one buffer: sequence s is symbols[offsets[s] .. offsets[s+1]).
 * offsets has sequenceCount + 1 entries, starts at 0 and ends at symbols.length. Empty sequences
 * are allowed and contribute nothing.
 */
export interface SequenceSet {
  readonly symbols: Int32Array;
  readonly offsets: Int32Array;
}

/** Expected counts of the chain, filled by an E-step. */
export interface ChainCounts {
  /** N: expected number of sequences starting in each state. */
  readonly initialCounts: Float64Array;
  /** N×N: expected number of i→j transitions. */
  readonly transitionCounts: Float64Array;
}

/** Expected counts of a categorical HMM: the chain's plus N×M expected emissions. */
export interface CategoricalCounts extends ChainCounts {
  readonly emissionCounts: Float64Array;
}

/**
 * The E-step of a categorical HMM, implemented in TypeScript (always available) or by the native
 * addon. It OVERWRITES the three count arrays of `out` (the caller allocates them with the sizes
 * N, N×N, N×M) and returns the total log-likelihood of `data` under `params` (natural log;
 * -Infinity when some sequence has probability 0, whose counts are then left out).
 */
export interface CategoricalEStepKernel {
  readonly name: string;
  eStep(params: CategoricalHmmParams, data: SequenceSet, out: CategoricalCounts): number;
}

/** One Baum-Welch iteration as recorded in the training history (and streamed as a live curve). */
export interface IterationRecord {
  /** 1-based iteration number. */
  readonly iteration: number;
  /** Log-likelihood of the training data under the parameters this iteration started from. */
  readonly logLikelihood: number;
  /** logLikelihood / number of training tokens. */
  readonly perToken: number;
  /** |ΔlogL| / |logL| against the previous iteration; null on the first. */
  readonly relativeChange: number | null;
  /** Wall-clock seconds the iteration took (E-step + M-step). */
  readonly seconds: number;
}

export type StopReason = 'converged' | 'max-iterations' | 'stopped';

/** Enough to continue training later exactly where it stopped. */
export interface TrainingCheckpoint<P> {
  readonly params: P;
  /** Iterations already applied to reach `params` (counted towards maxIterations). */
  readonly iterationsCompleted: number;
  readonly history: readonly IterationRecord[];
}

export interface TrainingResult<P> extends TrainingCheckpoint<P> {
  readonly stopReason: StopReason;
}

export interface TrainingHooks {
  /** Called after every iteration with its record, e.g. to stream the live curve or save a checkpoint. */
  readonly onIteration?: (record: IterationRecord) => void;
  /** Checked between iterations; returning true ends training with stopReason 'stopped' (a cancel). */
  readonly shouldStop?: () => boolean;
}

/** Build a SequenceSet from separate arrays of symbols. */
export function sequenceSet(sequences: readonly ArrayLike<number>[]): SequenceSet {
  let total = 0;
  for (const sequence of sequences) total += sequence.length;
  const symbols = new Int32Array(total);
  const offsets = new Int32Array(sequences.length + 1);
  let at = 0;
  sequences.forEach((sequence, index) => {
    for (let t = 0; t < sequence.length; t++) symbols[at + t] = sequence[t]!;
    at += sequence.length;
    offsets[index + 1] = at;
  });
  return { symbols, offsets };
}

export function sequenceCount(data: { readonly offsets: Int32Array }): number {
  return data.offsets.length - 1;
}

export function sequenceLength(data: { readonly offsets: Int32Array }, index: number): number {
  return data.offsets[index + 1]! - data.offsets[index]!;
}

export function maxSequenceLength(data: { readonly offsets: Int32Array }): number {
  let longest = 0;
  for (let s = 0; s < data.offsets.length - 1; s++) longest = Math.max(longest, data.offsets[s + 1]! - data.offsets[s]!);
  return longest;
}
