/**
 * The multi-feature note HMM: each hidden state emits a note as a product of independent parts,
 * a categorical pitch and one Gaussian per continuous feature (log-duration, log-step, velocity in
 * the studio's note representation: see note-features.ts). It reuses the shared forward-backward
 * through its emission model; Gaussian densities are rescaled per step (their log maximum is taken
 * out and added back to the log-likelihood), so large or tiny densities cannot overflow.
 */
import { expectationStep, maximiseChain, normaliseRows, totalLogLikelihood, type EmissionModel } from './emission-model';
import { runEm } from './em-loop';
import { HmmSettingsError } from './errors';
import { ForwardBackwardWorkspace } from './forward-backward';
import { kmeans, strideSample } from './kmeans';
import { fillDirichletRow, mulberry32, normal, drawIndex, type Random } from './random';
import { resolveSampleSettings, temper, type SampleSettings } from './sample';
import type { MarkovChain, TrainingCheckpoint, TrainingHooks, TrainingResult } from './types';
import { viterbiSequence, type ViterbiPath } from './viterbi';
import {
  MAX_ITERATIONS,
  MAX_STATES,
  MAX_SYMBOLS,
  assertStatesDistinguishable,
  describe,
  requireInteger,
  requireNumber,
  validateChain,
  validateLayout,
  validateStochastic,
} from './validation';

/** Notes of many sequences: note t has pitch category pitches[t] and features[t*D .. t*D+D). */
export interface NoteSequenceSet {
  readonly pitches: Int32Array;
  readonly features: Float64Array;
  readonly nFeatures: number;
  readonly offsets: Int32Array;
}

export interface NoteHmmParams extends MarkovChain {
  readonly nPitches: number;
  readonly nFeatures: number;
  /** N×P pitch probabilities. */
  readonly pitch: Float64Array;
  /** N×D Gaussian means. */
  readonly means: Float64Array;
  /** N×D Gaussian variances, never below varianceFloor. */
  readonly variances: Float64Array;
  /** D: the smallest variance the M-step allows per feature (a state on one exact value would have infinite density). */
  readonly varianceFloor: Float64Array;
}

export type NoteInit = 'random' | 'kmeans';
export const NOTE_INITS: readonly NoteInit[] = ['random', 'kmeans'];

export interface NoteHmmSettings {
  readonly nStates: number;
  /** Pitch vocabulary size P (128 for MIDI pitches). */
  readonly nPitches: number;
  readonly maxIterations?: number;
  readonly tolerance?: number;
  readonly seed?: number;
  /** Default 'kmeans'. */
  readonly init?: NoteInit;
  /** Pitch pseudo-count, as in the categorical HMM. Default 1e-3. */
  readonly pseudoCount?: number;
  /** Variance floor as a fraction of each feature's variance over the training data. Default 1e-3. */
  readonly relativeVarianceFloor?: number;
}

export type ResolvedNoteSettings = Required<NoteHmmSettings>;

export const NOTE_DEFAULTS = {
  maxIterations: 100,
  tolerance: 1e-4,
  seed: 1,
  init: 'kmeans',
  pseudoCount: 1e-3,
  relativeVarianceFloor: 1e-3,
} as const satisfies Omit<ResolvedNoteSettings, 'nStates' | 'nPitches'>;

/** Below this variance a feature counts as constant; its floor is then this. */
const MIN_VARIANCE = 1e-6;
const LOG_TWO_PI = Math.log(2 * Math.PI);

export function resolveNoteSettings(settings: NoteHmmSettings): ResolvedNoteSettings {
  if (typeof settings !== 'object' || settings === null) throw new HmmSettingsError('HMM settings are missing.');
  const init = settings.init ?? NOTE_DEFAULTS.init;
  if (!NOTE_INITS.includes(init)) throw new HmmSettingsError(`init must be one of ${NOTE_INITS.join(', ')}, got ${describe(init)}.`);
  return {
    nStates: requireInteger('nStates (the number of hidden states)', settings.nStates, 1, MAX_STATES),
    nPitches: requireInteger('nPitches (the pitch vocabulary size)', settings.nPitches, 1, MAX_SYMBOLS),
    maxIterations: requireInteger('maxIterations', settings.maxIterations ?? NOTE_DEFAULTS.maxIterations, 1, MAX_ITERATIONS),
    tolerance: requireNumber('tolerance', settings.tolerance ?? NOTE_DEFAULTS.tolerance, 0),
    seed: requireInteger('seed', settings.seed ?? NOTE_DEFAULTS.seed, 0, 0xffffffff),
    init,
    pseudoCount: requireNumber('pseudoCount', settings.pseudoCount ?? NOTE_DEFAULTS.pseudoCount, 0),
    relativeVarianceFloor: requireNumber('relativeVarianceFloor', settings.relativeVarianceFloor ?? NOTE_DEFAULTS.relativeVarianceFloor, 0, 1),
  };
}

/** Layout, pitch range and finite features; returns the note count. */
export function validateNoteSequenceSet(data: NoteSequenceSet, nPitches: number, what = 'The training data'): number {
  if (!(data.pitches instanceof Int32Array)) throw new HmmSettingsError(`${what}: pitches must be an Int32Array.`);
  if (!(data.features instanceof Float64Array)) throw new HmmSettingsError(`${what}: features must be a Float64Array.`);
  const d = requireInteger('nFeatures', data.nFeatures, 0, 64);
  const notes = validateLayout(data, data.pitches.length, what);
  if (data.features.length !== notes * d) {
    throw new HmmSettingsError(`${what}: ${notes} notes × ${d} features needs ${notes * d} feature values, got ${data.features.length}.`);
  }
  for (let t = 0; t < notes; t++) {
    const pitch = data.pitches[t]!;
    if (pitch < 0 || pitch >= nPitches) throw new HmmSettingsError(`${what}: pitch ${pitch} of note ${t} is outside 0..${nPitches - 1}.`);
  }
  for (let k = 0; k < data.features.length; k++) {
    if (!Number.isFinite(data.features[k]!)) {
      throw new HmmSettingsError(`${what}: feature ${k % d} of note ${Math.floor(k / d)} is ${describe(data.features[k])}, not a finite number.`);
    }
  }
  return notes;
}

export function validateNoteParams(params: NoteHmmParams): void {
  validateChain(params);
  const n = params.nStates;
  const p = requireInteger('nPitches', params.nPitches, 1, MAX_SYMBOLS);
  const d = requireInteger('nFeatures', params.nFeatures, 0, 64);
  validateStochastic('pitch', params.pitch, n, p);
  const checkArray = (name: string, array: unknown, size: number, positive: boolean): void => {
    if (!(array instanceof Float64Array) || array.length !== size) throw new HmmSettingsError(`${name} must be a Float64Array of ${size} numbers.`);
    for (const value of array) {
      if (!Number.isFinite(value) || (positive && !(value > 0))) throw new HmmSettingsError(`${name} holds ${describe(value)}, which is not allowed.`);
    }
  };
  checkArray('means', params.means, n * d, false);
  checkArray('variances', params.variances, n * d, true);
  checkArray('varianceFloor', params.varianceFloor, d, true);
}

interface NoteStats {
  readonly weights: Float64Array;
  readonly pitchCounts: Float64Array;
  readonly sums: Float64Array;
  readonly squares: Float64Array;
}

export const noteEmissionModel: EmissionModel<NoteSequenceSet, NoteHmmParams, NoteStats> = {
  fillLogProbabilities(params, data, sequence, out) {
    const n = params.nStates;
    const d = params.nFeatures;
    const pCount = params.nPitches;
    const constant = new Float64Array(n);
    const inverse = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (let f = 0; f < d; f++) {
        c -= 0.5 * (LOG_TWO_PI + Math.log(params.variances[i * d + f]!));
        inverse[i * d + f] = 1 / params.variances[i * d + f]!;
      }
      constant[i] = c;
    }
    const start = data.offsets[sequence]!;
    const length = data.offsets[sequence + 1]! - start;
    for (let t = 0; t < length; t++) {
      const note = start + t;
      const pitch = data.pitches[note]!;
      for (let i = 0; i < n; i++) {
        let value = Math.log(params.pitch[i * pCount + pitch]!) + constant[i]!;
        for (let f = 0; f < d; f++) {
          const delta = data.features[note * d + f]! - params.means[i * d + f]!;
          value -= 0.5 * delta * delta * inverse[i * d + f]!;
        }
        out[t * n + i] = value;
      }
    }
  },
  fillProbabilities(params, data, sequence, out) {
    noteEmissionModel.fillLogProbabilities(params, data, sequence, out);
    const n = params.nStates;
    const length = data.offsets[sequence + 1]! - data.offsets[sequence]!;
    let logOffset = 0;
    for (let t = 0; t < length; t++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) max = Math.max(max, out[t * n + i]!);
      // An impossible note (every state gives -Infinity) stays all zeros: forward-backward reports it.
      if (max === Number.NEGATIVE_INFINITY) continue;
      for (let i = 0; i < n; i++) out[t * n + i] = Math.exp(out[t * n + i]! - max);
      logOffset += max;
    }
    return logOffset;
  },
  createStats(params) {
    return {
      weights: new Float64Array(params.nStates),
      pitchCounts: new Float64Array(params.nStates * params.nPitches),
      sums: new Float64Array(params.nStates * params.nFeatures),
      squares: new Float64Array(params.nStates * params.nFeatures),
    };
  },
  accumulate(stats, data, sequence, posteriors) {
    const n = stats.weights.length;
    const d = data.nFeatures;
    const pCount = stats.pitchCounts.length / n;
    const start = data.offsets[sequence]!;
    const length = data.offsets[sequence + 1]! - start;
    for (let t = 0; t < length; t++) {
      const note = start + t;
      const pitch = data.pitches[note]!;
      for (let i = 0; i < n; i++) {
        const g = posteriors[t * n + i]!;
        stats.weights[i] = stats.weights[i]! + g;
        stats.pitchCounts[i * pCount + pitch] = stats.pitchCounts[i * pCount + pitch]! + g;
        for (let f = 0; f < d; f++) {
          const x = data.features[note * d + f]!;
          stats.sums[i * d + f] = stats.sums[i * d + f]! + g * x;
          stats.squares[i * d + f] = stats.squares[i * d + f]! + g * x * x;
        }
      }
    }
  },
};

/** Gaussians from weighted sums; a state with (almost) no weight keeps its previous Gaussians. */
function maximiseGaussians(params: NoteHmmParams, stats: NoteStats): { means: Float64Array; variances: Float64Array } {
  const n = params.nStates;
  const d = params.nFeatures;
  const means = new Float64Array(params.means);
  const variances = new Float64Array(params.variances);
  for (let i = 0; i < n; i++) {
    const w = stats.weights[i]!;
    if (!(w > 1e-10)) continue;
    for (let f = 0; f < d; f++) {
      const mean = stats.sums[i * d + f]! / w;
      means[i * d + f] = mean;
      variances[i * d + f] = Math.max(stats.squares[i * d + f]! / w - mean * mean, params.varianceFloor[f]!);
    }
  }
  return { means, variances };
}

export function maximiseNotes(params: NoteHmmParams, counts: { initialCounts: Float64Array; transitionCounts: Float64Array }, stats: NoteStats, pseudoCount: number): NoteHmmParams {
  return {
    ...params,
    ...maximiseChain(params, counts, pseudoCount),
    pitch: normaliseRows(stats.pitchCounts, params.nStates, params.nPitches, pseudoCount, params.pitch),
    ...maximiseGaussians(params, stats),
  };
}

/** Per-feature mean and variance over all notes. */
function featureMoments(data: NoteSequenceSet): { mean: Float64Array; variance: Float64Array } {
  const d = data.nFeatures;
  const notes = data.pitches.length;
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (let t = 0; t < notes; t++) for (let f = 0; f < d; f++) mean[f] = mean[f]! + data.features[t * d + f]! / notes;
  for (let t = 0; t < notes; t++) {
    for (let f = 0; f < d; f++) {
      const delta = data.features[t * d + f]! - mean[f]!;
      variance[f] = variance[f]! + (delta * delta) / notes;
    }
  }
  return { mean, variance };
}

function pitchUnigram(data: NoteSequenceSet, nPitches: number): Float64Array {
  const counts = new Float64Array(nPitches).fill(0.5);
  for (const pitch of data.pitches) counts[pitch] = counts[pitch]! + 1;
  const total = data.pitches.length + 0.5 * nPitches;
  return counts.map((c) => c / total);
}

function rowsFromCounts(counts: Float64Array, rows: number, cols: number, random: Random): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      // A little seeded noise keeps identical rows apart (a symmetric start cannot learn).
      out[r * cols + c] = counts[r * cols + c]! * (0.99 + 0.02 * random());
      sum += out[r * cols + c]!;
    }
    for (let c = 0; c < cols; c++) out[r * cols + c] = out[r * cols + c]! / sum;
  }
  return out;
}

/**
 * Seeded starts. random: Dirichlet(1) chain, pitch rows = pitch frequencies × Exp(1) factors, means drawn around the data mean (± one standard deviation), variances the data's.
 * kmeans: k-means on (pitch, features) standardised; each cluster gives a state's pitch
 * frequencies, means and variances, and the label sequence gives π and A.
 */
export function initialiseNotes(data: NoteSequenceSet, settings: ResolvedNoteSettings): NoteHmmParams {
  const random = mulberry32(settings.seed);
  const n = settings.nStates;
  const pCount = settings.nPitches;
  const d = data.nFeatures;
  const moments = featureMoments(data);
  const varianceFloor = moments.variance.map((v) => Math.max(MIN_VARIANCE, settings.relativeVarianceFloor * v));
  const globalVariance = moments.variance.map((v, f) => Math.max(v, varianceFloor[f]!));
  const unigram = pitchUnigram(data, pCount);

  if (settings.init === 'random') {
    const initial = new Float64Array(n);
    fillDirichletRow(random, initial, 0, n);
    const transition = new Float64Array(n * n);
    for (let i = 0; i < n; i++) fillDirichletRow(random, transition, i * n, n);
    const pitchCounts = new Float64Array(n * pCount);
    // Exp(1) factors: states start clearly different (see categorical-init.ts, 'unigram').
    for (let i = 0; i < n; i++) for (let k = 0; k < pCount; k++) pitchCounts[i * pCount + k] = unigram[k]! * Math.max(-Math.log(1 - random()), 1e-9);
    const means = new Float64Array(n * d);
    const variances = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < d; f++) {
        means[i * d + f] = moments.mean[f]! + Math.sqrt(globalVariance[f]!) * normal(random);
        variances[i * d + f] = globalVariance[f]!;
      }
    }
    return { nStates: n, nPitches: pCount, nFeatures: d, initial, transition, pitch: rowsFromCounts(pitchCounts, n, pCount, random), means, variances, varianceFloor };
  }
  return kmeansNotes(data, settings, random, moments, varianceFloor, globalVariance, unigram);
}

function kmeansNotes(
  data: NoteSequenceSet,
  settings: ResolvedNoteSettings,
  random: Random,
  moments: { mean: Float64Array; variance: Float64Array },
  varianceFloor: Float64Array,
  globalVariance: Float64Array,
  unigram: Float64Array,
): NoteHmmParams {
  const n = settings.nStates;
  const pCount = settings.nPitches;
  const d = data.nFeatures;
  const notes = data.pitches.length;
  const width = d + 1;
  // Standardised points: the pitch index first (pitches are ordered), then the features.
  let pitchMean = 0;
  for (const pitch of data.pitches) pitchMean += pitch / notes;
  let pitchVariance = 0;
  for (const pitch of data.pitches) pitchVariance += ((pitch - pitchMean) * (pitch - pitchMean)) / notes;
  const pitchScale = 1 / Math.sqrt(Math.max(pitchVariance, MIN_VARIANCE));
  const points = new Float64Array(notes * width);
  for (let t = 0; t < notes; t++) {
    points[t * width] = (data.pitches[t]! - pitchMean) * pitchScale;
    for (let f = 0; f < d; f++) points[t * width + 1 + f] = (data.features[t * d + f]! - moments.mean[f]!) / Math.sqrt(globalVariance[f]!);
  }
  const clusters = kmeans(points, width, strideSample(notes, 20_000, random), n, random);

  // Statistics of the labelled notes, seeded with one pseudo-note per state at the global moments.
  const initialCounts = new Float64Array(n).fill(1);
  const transitionCounts = new Float64Array(n * n).fill(1);
  const pitchCounts = new Float64Array(n * pCount);
  for (let i = 0; i < n; i++) for (let k = 0; k < pCount; k++) pitchCounts[i * pCount + k] = unigram[k]!;
  const weights = new Float64Array(n).fill(1);
  const sums = new Float64Array(n * d);
  const squares = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) {
      sums[i * d + f] = moments.mean[f]!;
      squares[i * d + f] = globalVariance[f]! + moments.mean[f]! * moments.mean[f]!;
    }
  }
  for (let s = 0; s < data.offsets.length - 1; s++) {
    let previous = -1;
    for (let t = data.offsets[s]!; t < data.offsets[s + 1]!; t++) {
      const c = clusters.nearest(t);
      if (previous < 0) initialCounts[c] = initialCounts[c]! + 1;
      else transitionCounts[previous * n + c] = transitionCounts[previous * n + c]! + 1;
      previous = c;
      weights[c] = weights[c]! + 1;
      pitchCounts[c * pCount + data.pitches[t]!] = pitchCounts[c * pCount + data.pitches[t]!]! + 1;
      for (let f = 0; f < d; f++) {
        const x = data.features[t * d + f]!;
        sums[c * d + f] = sums[c * d + f]! + x;
        squares[c * d + f] = squares[c * d + f]! + x * x;
      }
    }
  }
  const means = new Float64Array(n * d);
  const variances = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) {
      const mean = sums[i * d + f]! / weights[i]!;
      means[i * d + f] = mean;
      variances[i * d + f] = Math.max(squares[i * d + f]! / weights[i]! - mean * mean, varianceFloor[f]!);
    }
  }
  return {
    nStates: n,
    nPitches: pCount,
    nFeatures: d,
    initial: rowsFromCounts(initialCounts, 1, n, random),
    transition: rowsFromCounts(transitionCounts, n, n, random),
    pitch: rowsFromCounts(pitchCounts, n, pCount, random),
    means,
    variances,
    varianceFloor,
  };
}

/** Checks that given parameters fit the settings and data, and that the states can be told apart. */
function checkNoteStart(params: NoteHmmParams, settings: ResolvedNoteSettings, nFeatures: number, what: string): void {
  validateNoteParams(params);
  if (params.nStates !== settings.nStates || params.nPitches !== settings.nPitches || params.nFeatures !== nFeatures) {
    throw new HmmSettingsError(
      `${what} has ${params.nStates} states, ${params.nPitches} pitches and ${params.nFeatures} features; ` +
        `the settings and data need ${settings.nStates}, ${settings.nPitches} and ${nFeatures}.`,
    );
  }
  const n = params.nStates;
  const width = params.nPitches + 2 * params.nFeatures;
  const rows = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    rows.set(params.pitch.subarray(i * params.nPitches, (i + 1) * params.nPitches), i * width);
    rows.set(params.means.subarray(i * nFeatures, (i + 1) * nFeatures), i * width + params.nPitches);
    rows.set(params.variances.subarray(i * nFeatures, (i + 1) * nFeatures), i * width + params.nPitches + nFeatures);
  }
  assertStatesDistinguishable(rows, n, width);
}

export interface NoteTrainingOptions extends TrainingHooks {
  readonly resume?: TrainingCheckpoint<NoteHmmParams>;
  readonly initialParams?: NoteHmmParams;
}

export interface NoteTrainingResult extends TrainingResult<NoteHmmParams> {
  readonly settings: ResolvedNoteSettings;
}

/** Baum-Welch for the note HMM (TypeScript E-step through the shared forward-backward). */
export function trainNoteHmm(data: NoteSequenceSet, settings: NoteHmmSettings, options: NoteTrainingOptions = {}): NoteTrainingResult {
  const resolved = resolveNoteSettings(settings);
  const tokens = validateNoteSequenceSet(data, resolved.nPitches);
  let start: TrainingCheckpoint<NoteHmmParams>;
  if (options.resume) {
    checkNoteStart(options.resume.params, resolved, data.nFeatures, 'The saved model');
    requireInteger('iterationsCompleted', options.resume.iterationsCompleted, 0, MAX_ITERATIONS);
    start = options.resume;
  } else if (options.initialParams) {
    checkNoteStart(options.initialParams, resolved, data.nFeatures, 'The initial parameters');
    start = { params: options.initialParams, iterationsCompleted: 0, history: [] };
  } else {
    start = { params: initialiseNotes(data, resolved), iterationsCompleted: 0, history: [] };
  }
  const n = resolved.nStates;
  const counts = { initialCounts: new Float64Array(n), transitionCounts: new Float64Array(n * n) };
  const workspace = new ForwardBackwardWorkspace();
  const result = runEm<NoteHmmParams>(
    {
      start,
      maxIterations: resolved.maxIterations,
      tolerance: resolved.tolerance,
      tokens,
      iterate(params) {
        const stats = noteEmissionModel.createStats(params);
        const logLikelihood = expectationStep(params, noteEmissionModel, params, data, stats, counts, workspace);
        return { logLikelihood, next: maximiseNotes(params, counts, stats, resolved.pseudoCount) };
      },
    },
    options,
  );
  return { ...result, settings: resolved };
}

/** Held-out log-likelihood (densities for the continuous features), total and per note. */
export function evaluateNotes(params: NoteHmmParams, data: NoteSequenceSet): { logLikelihood: number; tokens: number; perToken: number } {
  validateNoteParams(params);
  validateNoteSequenceSet(data, params.nPitches, 'The held-out data');
  if (data.nFeatures !== params.nFeatures) throw new HmmSettingsError(`The held-out data has ${data.nFeatures} features, the model ${params.nFeatures}.`);
  return totalLogLikelihood(params, noteEmissionModel, params, data);
}

export function viterbiNotes(params: NoteHmmParams, data: NoteSequenceSet, sequence: number): ViterbiPath {
  validateNoteParams(params);
  validateNoteSequenceSet(data, params.nPitches, 'The sequence');
  if (data.nFeatures !== params.nFeatures) throw new HmmSettingsError(`The data has ${data.nFeatures} features, the model ${params.nFeatures}.`);
  return viterbiSequence(params, noteEmissionModel, params, data, sequence);
}

export interface NoteSample {
  readonly states: Int32Array;
  readonly pitches: Int32Array;
  /** length×D. */
  readonly features: Float64Array;
  readonly seed: number;
}

/**
 * Samples notes. The emission temperature applies to the pitch choice (p^(1/T)) and to the
 * Gaussians, whose p^(1/T) is a Gaussian with the variance times T (T = 0: the mean).
 */
export function sampleNoteHmm(params: NoteHmmParams, settings: SampleSettings): NoteSample {
  validateNoteParams(params);
  const { length, seed, temperature } = resolveSampleSettings(settings);
  const n = params.nStates;
  const pCount = params.nPitches;
  const d = params.nFeatures;
  const initial = temper(params.initial, 1, n, temperature.initial);
  const transition = temper(params.transition, n, n, temperature.transition);
  const pitch = temper(params.pitch, n, pCount, temperature.emission);
  const random = mulberry32(seed);
  const states = new Int32Array(length);
  const pitches = new Int32Array(length);
  const features = new Float64Array(length * d);
  let state = drawIndex(random, initial, 0, n, 1);
  for (let t = 0; t < length; t++) {
    if (t > 0) state = drawIndex(random, transition, state * n, n, 1);
    states[t] = state;
    pitches[t] = drawIndex(random, pitch, state * pCount, pCount, 1);
    for (let f = 0; f < d; f++) {
      const sd = Math.sqrt(params.variances[state * d + f]! * temperature.emission);
      features[t * d + f] = params.means[state * d + f]! + (sd > 0 ? sd * normal(random) : 0);
    }
  }
  return { states, pitches, features, seed };
}
