/**
 * Sampling from an HMM with temperature. A temperature T reshapes each distribution as p^(1/T),
 * renormalised: T = 1 is the model itself, T > 1 flattens it (more surprising), T < 1 sharpens it,
 * and T = 0 is the limit, always the most probable choice (ties to the lowest index). Initial,
 * transition and emission choices each have their own temperature.
 */
import { HmmSettingsError } from './errors';
import { drawIndex, mulberry32 } from './random';
import type { CategoricalHmmParams } from './types';
import { requireInteger, requireNumber, validateCategoricalParams } from './validation';

export interface Temperatures {
  readonly initial: number;
  readonly transition: number;
  readonly emission: number;
}

/** One temperature for every choice, or some of them (the others stay 1). */
export type TemperatureSetting = number | Partial<Temperatures>;

export const MAX_TEMPERATURE = 100;
export const MAX_SAMPLE_LENGTH = 10_000_000;

export interface SampleSettings {
  /** Number of steps (symbols) to generate. */
  readonly length: number;
  /** Unsigned 32-bit seed; a random one is chosen (and returned) when absent. */
  readonly seed?: number;
  readonly temperature?: TemperatureSetting;
}

export interface ResolvedSampleSettings {
  readonly length: number;
  readonly seed: number;
  readonly temperature: Temperatures;
}

export function resolveSampleSettings(settings: SampleSettings): ResolvedSampleSettings {
  if (typeof settings !== 'object' || settings === null) throw new HmmSettingsError('Sampling settings are missing.');
  const length = requireInteger('length', settings.length, 1, MAX_SAMPLE_LENGTH);
  const seed = settings.seed === undefined ? Math.floor(Math.random() * 0x100000000) : requireInteger('seed', settings.seed, 0, 0xffffffff);
  const given = settings.temperature ?? 1;
  const pick = (name: keyof Temperatures): number =>
    requireNumber(`temperature (${name})`, typeof given === 'number' ? given : (given[name] ?? 1), 0, MAX_TEMPERATURE);
  return { length, seed, temperature: { initial: pick('initial'), transition: pick('transition'), emission: pick('emission') } };
}

/** Each row p of a row-stochastic matrix replaced by p^(1/T) / Σ p^(1/T), computed in log space. */
export function temper(matrix: Float64Array, rows: number, cols: number, temperature: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let argMax = 0;
    for (let c = 1; c < cols; c++) if (matrix[base + c]! > matrix[base + argMax]!) argMax = c;
    if (temperature === 0) {
      out[base + argMax] = 1;
      continue;
    }
    const logMax = Math.log(matrix[base + argMax]!);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const p = matrix[base + c]!;
      const value = p > 0 ? Math.exp((Math.log(p) - logMax) / temperature) : 0;
      out[base + c] = value;
      sum += value;
    }
    for (let c = 0; c < cols; c++) out[base + c] = out[base + c]! / sum;
  }
  return out;
}

export interface CategoricalSample {
  readonly states: Int32Array;
  readonly symbols: Int32Array;
  /** The seed used (given or chosen), to reproduce the sample. */
  readonly seed: number;
}

export function sampleCategoricalHmm(params: CategoricalHmmParams, settings: SampleSettings): CategoricalSample {
  validateCategoricalParams(params);
  const { length, seed, temperature } = resolveSampleSettings(settings);
  const n = params.nStates;
  const m = params.nSymbols;
  const initial = temper(params.initial, 1, n, temperature.initial);
  const transition = temper(params.transition, n, n, temperature.transition);
  const emission = temper(params.emission, n, m, temperature.emission);
  const random = mulberry32(seed);
  const states = new Int32Array(length);
  const symbols = new Int32Array(length);
  let state = drawIndex(random, initial, 0, n, 1);
  for (let t = 0; t < length; t++) {
    if (t > 0) state = drawIndex(random, transition, state * n, n, 1);
    states[t] = state;
    symbols[t] = drawIndex(random, emission, state * m, m, 1);
  }
  return { states, symbols, seed };
}
