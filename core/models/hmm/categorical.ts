/**
 * The categorical-emission HMM: one symbol per step, B (N×M) its emission matrix. Its emission
 * model plugs into the shared forward-backward; `typescriptEStepKernel` is the pure-TypeScript E-step
 * that the native addon must agree with.
 */
import { expectationStep, type EmissionModel } from './emission-model';
import { ForwardBackwardWorkspace } from './forward-backward';
import type { CategoricalCounts, CategoricalEStepKernel, CategoricalHmmParams, SequenceSet } from './types';

export interface CategoricalEmission {
  readonly nStates: number;
  readonly nSymbols: number;
  /** N×M. */
  readonly emission: Float64Array;
}

/** Expected emission counts, N×M. */
export interface CategoricalEmissionStats {
  readonly nStates: number;
  readonly nSymbols: number;
  readonly counts: Float64Array;
}

export const categoricalEmissionModel: EmissionModel<SequenceSet, CategoricalEmission, CategoricalEmissionStats> = {
  fillProbabilities(params, data, sequence, out) {
    const n = params.nStates;
    const m = params.nSymbols;
    const { emission } = params;
    const start = data.offsets[sequence]!;
    const length = data.offsets[sequence + 1]! - start;
    for (let t = 0; t < length; t++) {
      const symbol = data.symbols[start + t]!;
      const row = t * n;
      for (let i = 0; i < n; i++) out[row + i] = emission[i * m + symbol]!;
    }
    return 0;
  },
  fillLogProbabilities(params, data, sequence, out) {
    const n = params.nStates;
    const m = params.nSymbols;
    const start = data.offsets[sequence]!;
    const length = data.offsets[sequence + 1]! - start;
    for (let t = 0; t < length; t++) {
      const symbol = data.symbols[start + t]!;
      for (let i = 0; i < n; i++) out[t * n + i] = Math.log(params.emission[i * m + symbol]!);
    }
  },
  createStats(params) {
    return { nStates: params.nStates, nSymbols: params.nSymbols, counts: new Float64Array(params.nStates * params.nSymbols) };
  },
  accumulate(stats, data, sequence, posteriors) {
    const n = stats.nStates;
    const m = stats.nSymbols;
    const { counts } = stats;
    const start = data.offsets[sequence]!;
    const length = data.offsets[sequence + 1]! - start;
    for (let t = 0; t < length; t++) {
      const symbol = data.symbols[start + t]!;
      const row = t * n;
      for (let i = 0; i < n; i++) counts[i * m + symbol] = counts[i * m + symbol]! + posteriors[row + i]!;
    }
  },
};

/** The pure-TypeScript E-step (always available; the fallback when the native addon is not). */
export function createTypescriptEStepKernel(): CategoricalEStepKernel {
  const workspace = new ForwardBackwardWorkspace();
  return {
    name: 'typescript',
    eStep(params: CategoricalHmmParams, data: SequenceSet, out: CategoricalCounts): number {
      out.emissionCounts.fill(0);
      const stats: CategoricalEmissionStats = { nStates: params.nStates, nSymbols: params.nSymbols, counts: out.emissionCounts };
      return expectationStep(params, categoricalEmissionModel, params, data, stats, out, workspace);
    },
  };
}

export function allocateCategoricalCounts(nStates: number, nSymbols: number): CategoricalCounts {
  return {
    initialCounts: new Float64Array(nStates),
    transitionCounts: new Float64Array(nStates * nStates),
    emissionCounts: new Float64Array(nStates * nSymbols),
  };
}
