/**
 * Training and evaluating a categorical HMM. The E-step runs on a kernel (the native addon when a
 * worker has one, otherwise TypeScript: same algorithm, same numbers); the M-step is here (cheap).
 */
import { allocateCategoricalCounts, categoricalEmissionModel, createTypescriptEStepKernel } from './categorical';
import { CATEGORICAL_INITS, initialiseCategorical, type CategoricalInit } from './categorical-init';
import { maximiseChain, normaliseRows, totalLogLikelihood } from './emission-model';
import { runEm } from './em-loop';
import { HmmSettingsError } from './errors';
import type {
  CategoricalEStepKernel,
  CategoricalHmmParams,
  SequenceSet,
  TrainingCheckpoint,
  TrainingHooks,
  TrainingResult,
} from './types';
import {
  MAX_ITERATIONS,
  MAX_STATES,
  MAX_SYMBOLS,
  assertStatesDistinguishable,
  describe,
  requireInteger,
  requireNumber,
  validateCategoricalParams,
  validateSequenceSet,
} from './validation';

export interface CategoricalHmmSettings {
  readonly nStates: number;
  /** Vocabulary size M: symbols are 0..M-1. */
  readonly nSymbols: number;
  /** Total iterations, counting those before a resume. Default 100. */
  readonly maxIterations?: number;
  /** Stop when |ΔlogL| / |logL| falls below this. Default 1e-4. */
  readonly tolerance?: number;
  /** Seed of the initialisation (an unsigned 32-bit integer). Default 1. */
  readonly seed?: number;
  /** Default 'kmeans'. */
  readonly init?: CategoricalInit;
  /**
   * Added to every expected count in the M-step (a symmetric Dirichlet prior of 1 + ε). Default
   * 1e-3: no probability is ever exactly 0, so unseen symbols keep a small probability on held-out
   * data. 0 gives plain maximum likelihood (probabilities become 0 where the data has no counts).
   */
  readonly pseudoCount?: number;
}

export type ResolvedCategoricalSettings = Required<CategoricalHmmSettings>;

export const CATEGORICAL_DEFAULTS = {
  maxIterations: 100,
  tolerance: 1e-4,
  seed: 1,
  init: 'kmeans',
  pseudoCount: 1e-3,
} as const satisfies Omit<ResolvedCategoricalSettings, 'nStates' | 'nSymbols'>;

/** Checks the settings and fills in the defaults; throws HmmSettingsError on anything wrong. */
export function resolveCategoricalSettings(settings: CategoricalHmmSettings): ResolvedCategoricalSettings {
  if (typeof settings !== 'object' || settings === null) throw new HmmSettingsError('HMM settings are missing.');
  const init = settings.init ?? CATEGORICAL_DEFAULTS.init;
  if (!CATEGORICAL_INITS.includes(init)) {
    throw new HmmSettingsError(`init must be one of ${CATEGORICAL_INITS.join(', ')}, got ${describe(init)}.`);
  }
  return {
    nStates: requireInteger('nStates (the number of hidden states)', settings.nStates, 1, MAX_STATES),
    nSymbols: requireInteger('nSymbols (the vocabulary size)', settings.nSymbols, 1, MAX_SYMBOLS),
    maxIterations: requireInteger('maxIterations', settings.maxIterations ?? CATEGORICAL_DEFAULTS.maxIterations, 1, MAX_ITERATIONS),
    tolerance: requireNumber('tolerance', settings.tolerance ?? CATEGORICAL_DEFAULTS.tolerance, 0),
    seed: requireInteger('seed', settings.seed ?? CATEGORICAL_DEFAULTS.seed, 0, 0xffffffff),
    init,
    pseudoCount: requireNumber('pseudoCount', settings.pseudoCount ?? CATEGORICAL_DEFAULTS.pseudoCount, 0),
  };
}

export interface CategoricalTrainingOptions extends TrainingHooks {
  /** The E-step implementation; TypeScript when absent. */
  readonly kernel?: CategoricalEStepKernel;
  /** Continue from a checkpoint (a saved model) instead of initialising. */
  readonly resume?: TrainingCheckpoint<CategoricalHmmParams>;
  /** Start from these parameters instead of the settings' initialisation. */
  readonly initialParams?: CategoricalHmmParams;
}

export interface CategoricalTrainingResult extends TrainingResult<CategoricalHmmParams> {
  readonly settings: ResolvedCategoricalSettings;
  readonly kernel: string;
}

/** The M-step: π, A and B from the expected counts, with the pseudo-count. */
export function maximiseCategorical(
  params: CategoricalHmmParams,
  counts: { initialCounts: Float64Array; transitionCounts: Float64Array; emissionCounts: Float64Array },
  pseudoCount: number,
): CategoricalHmmParams {
  const chain = maximiseChain(params, counts, pseudoCount);
  return {
    ...chain,
    nSymbols: params.nSymbols,
    emission: normaliseRows(counts.emissionCounts, params.nStates, params.nSymbols, pseudoCount, params.emission),
  };
}

/** Checks that given parameters fit the settings and can learn. */
function checkStart(params: CategoricalHmmParams, settings: ResolvedCategoricalSettings, what: string): void {
  validateCategoricalParams(params);
  if (params.nStates !== settings.nStates || params.nSymbols !== settings.nSymbols) {
    throw new HmmSettingsError(
      `${what} has ${params.nStates} states and ${params.nSymbols} symbols, the settings ${settings.nStates} and ${settings.nSymbols}.`,
    );
  }
  assertStatesDistinguishable(params.emission, params.nStates, params.nSymbols);
}

/**
 * Baum-Welch on many sequences. Everything is validated (HmmSettingsError) before any work; then
 * the loop runs synchronously (it is meant for a worker thread) and reports each iteration.
 */
export function trainCategoricalHmm(
  data: SequenceSet,
  settings: CategoricalHmmSettings,
  options: CategoricalTrainingOptions = {},
): CategoricalTrainingResult {
  const resolved = resolveCategoricalSettings(settings);
  const tokens = validateSequenceSet(data, resolved.nSymbols);
  let start: TrainingCheckpoint<CategoricalHmmParams>;
  if (options.resume) {
    checkStart(options.resume.params, resolved, 'The saved model');
    requireInteger('iterationsCompleted', options.resume.iterationsCompleted, 0, MAX_ITERATIONS);
    start = options.resume;
  } else if (options.initialParams) {
    checkStart(options.initialParams, resolved, 'The initial parameters');
    start = { params: options.initialParams, iterationsCompleted: 0, history: [] };
  } else {
    start = {
      params: initialiseCategorical(data, resolved.nStates, resolved.nSymbols, resolved.init, resolved.seed),
      iterationsCompleted: 0,
      history: [],
    };
  }

  const kernel = options.kernel ?? createTypescriptEStepKernel();
  const counts = allocateCategoricalCounts(resolved.nStates, resolved.nSymbols);
  const result = runEm<CategoricalHmmParams>(
    {
      start,
      maxIterations: resolved.maxIterations,
      tolerance: resolved.tolerance,
      tokens,
      iterate(params) {
        const logLikelihood = kernel.eStep(params, data, counts);
        return { logLikelihood, next: maximiseCategorical(params, counts, resolved.pseudoCount) };
      },
    },
    options,
  );
  return { ...result, settings: resolved, kernel: kernel.name };
}

/**
 * Log-likelihood of held-out data (e.g. the validation split), total and per token (natural log).
 * Symbols must lie in the model's vocabulary.
 */
export function evaluateCategorical(
  params: CategoricalHmmParams,
  data: SequenceSet,
): { logLikelihood: number; tokens: number; perToken: number } {
  validateCategoricalParams(params);
  validateSequenceSet(data, params.nSymbols, 'The held-out data');
  return totalLogLikelihood(params, categoricalEmissionModel, params, data);
}
