/**
 * Viterbi decoding in log space: the most probable hidden-state path under a piece (shown under the
 * piano roll). Ties go to the lowest state index, so the path is deterministic.
 */
import { categoricalEmissionModel } from './categorical';
import type { EmissionModel, SequenceLayout } from './emission-model';
import { HmmSettingsError } from './errors';
import type { CategoricalHmmParams, MarkovChain } from './types';
import { validateCategoricalParams, validateSequenceSet } from './validation';

export interface ViterbiPath {
  readonly states: Int32Array;
  /** log P(path, observations); -Infinity if the observations are impossible. */
  readonly logProbability: number;
}

/** Viterbi over a log-emission matrix (length×N). */
export function viterbi(chain: MarkovChain, logEmission: Float64Array, length: number): ViterbiPath {
  const n = chain.nStates;
  if (length === 0) return { states: new Int32Array(0), logProbability: 0 };
  const logTransition = chain.transition.map(Math.log);
  let score = new Float64Array(n);
  let nextScore = new Float64Array(n);
  const backPointer = new Int32Array(length * n);
  for (let i = 0; i < n; i++) score[i] = Math.log(chain.initial[i]!) + logEmission[i]!;
  for (let t = 1; t < length; t++) {
    for (let j = 0; j < n; j++) {
      let best = Number.NEGATIVE_INFINITY;
      let argBest = 0;
      for (let i = 0; i < n; i++) {
        const candidate = score[i]! + logTransition[i * n + j]!;
        if (candidate > best) {
          best = candidate;
          argBest = i;
        }
      }
      nextScore[j] = best + logEmission[t * n + j]!;
      backPointer[t * n + j] = argBest;
    }
    const swap = score;
    score = nextScore;
    nextScore = swap;
  }
  let last = 0;
  for (let i = 1; i < n; i++) if (score[i]! > score[last]!) last = i;
  const states = new Int32Array(length);
  states[length - 1] = last;
  for (let t = length - 1; t > 0; t--) states[t - 1] = backPointer[t * n + states[t]!]!;
  return { states, logProbability: score[last]! };
}

/** Viterbi of sequence `sequence` of a data set under any emission model. */
export function viterbiSequence<D extends SequenceLayout, P>(
  chain: MarkovChain,
  model: Pick<EmissionModel<D, P, unknown>, 'fillLogProbabilities'>,
  params: P,
  data: D,
  sequence: number,
): ViterbiPath {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence >= data.offsets.length - 1) {
    throw new HmmSettingsError(`There is no sequence ${sequence}: the data has ${data.offsets.length - 1}.`);
  }
  const length = data.offsets[sequence + 1]! - data.offsets[sequence]!;
  const logEmission = new Float64Array(length * chain.nStates);
  model.fillLogProbabilities(params, data, sequence, logEmission);
  return viterbi(chain, logEmission, length);
}

/** The most probable state path under a symbol sequence. */
export function viterbiCategorical(params: CategoricalHmmParams, symbols: ArrayLike<number>): ViterbiPath {
  validateCategoricalParams(params);
  const data = { symbols: Int32Array.from(symbols), offsets: Int32Array.of(0, symbols.length) };
  if (symbols.length === 0) return { states: new Int32Array(0), logProbability: 0 };
  validateSequenceSet(data, params.nSymbols, 'The sequence');
  return viterbiSequence(params, categoricalEmissionModel, params, data, 0);
}
