/**
 * Checks run before any training work: every problem becomes an HmmSettingsError whose message
 * says what is wrong and with which value, so the composer can fix the setting.
 */
import { HmmSettingsError } from './errors';
import type { SequenceLayout } from './emission-model';
import type { CategoricalHmmParams, MarkovChain, SequenceSet } from './types';

export const MAX_STATES = 4096;
export const MAX_SYMBOLS = 1 << 20;
export const MAX_ITERATIONS = 100_000;
/** Rows must sum to 1 within this (they are renormalised by every M-step anyway). */
const ROW_SUM_TOLERANCE = 1e-6;

export function requireInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HmmSettingsError(`${name} must be an integer from ${min} to ${max}, got ${describe(value)}.`);
  }
  return value;
}

export function requireNumber(name: string, value: unknown, min: number, max = Number.POSITIVE_INFINITY): number {
  if (typeof value !== 'number' || Number.isNaN(value) || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `a finite number ≥ ${min}` : `a number from ${min} to ${max}`;
    throw new HmmSettingsError(`${name} must be ${range}, got ${describe(value)}.`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}

/** Offsets well formed and at least one observation in all. Returns the token count. */
export function validateLayout(data: SequenceLayout, observations: number, what: string): number {
  const { offsets } = data;
  if (!(offsets instanceof Int32Array)) throw new HmmSettingsError(`${what}: offsets must be an Int32Array.`);
  if (offsets.length < 2) throw new HmmSettingsError(`${what} is empty: there are no sequences to train on.`);
  if (offsets[0] !== 0) throw new HmmSettingsError(`${what}: offsets must start at 0, got ${offsets[0]}.`);
  for (let s = 0; s + 1 < offsets.length; s++) {
    if (offsets[s + 1]! < offsets[s]!) {
      throw new HmmSettingsError(`${what}: offsets must not decrease (sequence ${s} ends before it starts).`);
    }
  }
  const end = offsets[offsets.length - 1]!;
  if (end !== observations) {
    throw new HmmSettingsError(`${what}: the last offset (${end}) must equal the number of observations (${observations}).`);
  }
  if (observations === 0) throw new HmmSettingsError(`${what} is empty: every sequence has length 0.`);
  return observations;
}

/** A symbol set whose symbols all lie in 0..nSymbols-1. Returns the token count. */
export function validateSequenceSet(data: SequenceSet, nSymbols: number, what = 'The training data'): number {
  if (!(data.symbols instanceof Int32Array)) throw new HmmSettingsError(`${what}: symbols must be an Int32Array.`);
  const tokens = validateLayout(data, data.symbols.length, what);
  const { symbols } = data;
  for (let t = 0; t < symbols.length; t++) {
    const symbol = symbols[t]!;
    if (symbol < 0 || symbol >= nSymbols) {
      throw new HmmSettingsError(`${what}: symbol ${symbol} at position ${t} is outside 0..${nSymbols - 1} (nSymbols = ${nSymbols}).`);
    }
  }
  return tokens;
}

/** Non-negative finite rows summing to 1. */
export function validateStochastic(name: string, matrix: unknown, rows: number, cols: number): void {
  if (!(matrix instanceof Float64Array) || matrix.length !== rows * cols) {
    throw new HmmSettingsError(`${name} must be a Float64Array of ${rows}×${cols} = ${rows * cols} numbers.`);
  }
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const value = matrix[r * cols + c]!;
      if (!Number.isFinite(value) || value < 0) {
        throw new HmmSettingsError(`${name}[${r}][${c}] must be a finite probability, got ${describe(value)}.`);
      }
      sum += value;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new HmmSettingsError(`${name} row ${r} sums to ${sum}, not 1.`);
    }
  }
}

export function validateChain(chain: MarkovChain): void {
  const n = requireInteger('nStates', chain.nStates, 1, MAX_STATES);
  validateStochastic('initial', chain.initial, 1, n);
  validateStochastic('transition', chain.transition, n, n);
}

export function validateCategoricalParams(params: CategoricalHmmParams): void {
  validateChain(params);
  const m = requireInteger('nSymbols', params.nSymbols, 1, MAX_SYMBOLS);
  validateStochastic('emission', params.emission, params.nStates, m);
}

/**
 * Refuses a start in which every state emits the same distribution. Then the observations say
 * nothing about which state produced them, every state receives the same evidence, and Baum-Welch
 * stays where it is (a perfectly uniform start is a fixed point: all states remain identical
 * forever). The random and data-driven initialisations always break this symmetry.
 */
export function assertStatesDistinguishable(emission: Float64Array, nStates: number, rowLength: number): void {
  if (nStates < 2) return;
  for (let i = 1; i < nStates; i++) {
    for (let k = 0; k < rowLength; k++) {
      if (Math.abs(emission[i * rowLength + k]! - emission[k]!) > 1e-12) return;
    }
  }
  throw new HmmSettingsError(
    'Every state starts with the same emission distribution: Baum-Welch cannot tell the states apart from such a start ' +
      '(a uniform start is a fixed point, the states stay identical). Use the random or data-driven initialisation.',
  );
}
