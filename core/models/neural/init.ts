/**
 * Seeded weight initialisers, as Keras and GPT-2 initialise the layers the studio's models use.
 * The same seed gives the same arrays on every machine (mulberry32, no Math.random).
 */
import { normal, type Random } from '../hmm/random';

/** Keras's glorot_uniform: U(±√(6/(fanIn+fanOut))), rows × cols row-major. */
export function glorotUniform(random: Random, rows: number, cols: number): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  return Float32Array.from({ length: rows * cols }, () => (2 * random() - 1) * limit);
}

/** Keras's orthogonal initialiser for rows ≤ cols: orthonormal rows (Gram–Schmidt of normal draws). */
export function orthogonalRows(random: Random, rows: number, cols: number): Float32Array {
  const basis: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const v = Float64Array.from({ length: cols }, () => normal(random));
    for (const q of basis) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += v[j]! * q[j]!;
      for (let j = 0; j < cols; j++) v[j] = v[j]! - dot * q[j]!;
    }
    let norm = 0;
    for (let j = 0; j < cols; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    for (let j = 0; j < cols; j++) v[j] = v[j]! / norm;
    basis.push(v);
  }
  const out = new Float32Array(rows * cols);
  basis.forEach((row, r) => out.set(row, r * cols));
  return out;
}

/** N(0, σ²) draws, as GPT-2 initialises its embeddings (σ = 0.02). */
export function normalArray(random: Random, length: number, sigma: number): Float32Array {
  return Float32Array.from({ length }, () => normal(random) * sigma);
}

/** A named initial weight array. */
export interface WeightArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * A Keras LSTM layer's initial weights named `<name>/kernel` (inputs×4H, glorot-uniform),
 * `<name>/recurrent_kernel` (H×4H, orthogonal) and `<name>/bias` (4H, 0 but the forget gate's 1:
 * Keras's unit_forget_bias). Draws the kernel, then the recurrent kernel: seeded models depend on it.
 */
export function lstmLayerWeights(random: Random, name: string, inputs: number, units: number): WeightArray[] {
  const bias = new Float32Array(4 * units);
  bias.fill(1, units, 2 * units);
  return [
    { name: `${name}/kernel`, shape: [inputs, 4 * units], values: glorotUniform(random, inputs, 4 * units) },
    { name: `${name}/recurrent_kernel`, shape: [units, 4 * units], values: orthogonalRows(random, units, 4 * units) },
    { name: `${name}/bias`, shape: [4 * units], values: bias },
  ];
}

/** A dense layer's initial weights: `<name>/kernel` (inputs×outputs, glorot-uniform) and `<name>/bias` (0). */
export function denseLayerWeights(random: Random, name: string, inputs: number, outputs: number): WeightArray[] {
  return [
    { name: `${name}/kernel`, shape: [inputs, outputs], values: glorotUniform(random, inputs, outputs) },
    { name: `${name}/bias`, shape: [outputs], values: new Float32Array(outputs) },
  ];
}
