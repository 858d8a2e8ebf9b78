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
