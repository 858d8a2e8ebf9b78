/** Hidden Markov models: categorical and multi-feature note HMMs, trained by Baum-Welch. */
export * from './types';
export * from './errors';
export { mulberry32, type Random } from './random';
export { ForwardBackwardWorkspace, forwardBackward, forwardPass, transpose } from './forward-backward';
export { expectationStep, totalLogLikelihood, maximiseChain, normaliseRows, type EmissionModel, type SequenceLayout } from './emission-model';
export { runEm, type EmProblem } from './em-loop';
export { categoricalEmissionModel, createTypescriptEStepKernel, allocateCategoricalCounts, type CategoricalEmission } from './categorical';
export { initialiseCategorical, CATEGORICAL_INITS, type CategoricalInit } from './categorical-init';
export {
  trainCategoricalHmm,
  evaluateCategorical,
  maximiseCategorical,
  resolveCategoricalSettings,
  CATEGORICAL_DEFAULTS,
  type CategoricalHmmSettings,
  type ResolvedCategoricalSettings,
  type CategoricalTrainingOptions,
  type CategoricalTrainingResult,
} from './categorical-train';
export { viterbi, viterbiSequence, viterbiCategorical, type ViterbiPath } from './viterbi';
export { sampleCategoricalHmm, temper, resolveSampleSettings, type SampleSettings, type TemperatureSetting, type Temperatures, type CategoricalSample } from './sample';
export * from './note-hmm';
export * from './note-features';
export * from './serialize';
export { validateSequenceSet, validateCategoricalParams, assertStatesDistinguishable } from './validation';
