/**
 * Starting points for categorical Baum-Welch. Every one is seeded (same seed, same start) and
 * asymmetric: a perfectly uniform start is a fixed point of Baum-Welch (all states receive the same
 * evidence and stay identical), so it is never produced.
 *
 * - random:  π, every row of A and of B drawn from Dirichlet(1, ..., 1).
 * - unigram: B rows are the data's symbol frequencies, each symbol's weight multiplied by its own
 *            Exp(1) draw (a Dirichlet-like spread around the frequencies: small factors such as
 *            [0.5, 1.5] leave the states so alike that training stalls on a plateau and the
 *            tolerance stops it early); π and A as in random.
 * - kmeans:  k-means over local symbol histograms (a window of ±2 symbols around each position), so
 *            each state starts as a cluster of similar contexts: B from the symbols at its positions,
 *            A and π from how the cluster labels follow each other in the data.
 */
import { mulberry32, fillDirichletRow, type Random } from './random';
import type { CategoricalHmmParams, SequenceSet } from './types';

/** Draws are kept above this so no starting probability is exactly 0 (EM could never revive it). */
const MIN_DRAW = 1e-9;

export type CategoricalInit = 'random' | 'unigram' | 'kmeans';
export const CATEGORICAL_INITS: readonly CategoricalInit[] = ['random', 'unigram', 'kmeans'];

export function initialiseCategorical(
  data: SequenceSet,
  nStates: number,
  nSymbols: number,
  init: CategoricalInit,
  seed: number,
): CategoricalHmmParams {
  const random = mulberry32(seed);
  switch (init) {
    case 'random':
      return randomCategorical(nStates, nSymbols, random);
    case 'unigram':
      return unigramCategorical(data, nStates, nSymbols, random);
    case 'kmeans':
      return kmeansCategorical(data, nStates, nSymbols, random);
  }
}

function dirichletMatrix(random: Random, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) fillDirichletRow(random, out, r * cols, cols);
  return out;
}

export function randomCategorical(nStates: number, nSymbols: number, random: Random): CategoricalHmmParams {
  return {
    nStates,
    nSymbols,
    initial: dirichletMatrix(random, 1, nStates),
    transition: dirichletMatrix(random, nStates, nStates),
    emission: dirichletMatrix(random, nStates, nSymbols),
  };
}

/** Symbol frequencies with half a count added to every symbol, so unseen symbols stay possible. */
export function unigram(data: SequenceSet, nSymbols: number): Float64Array {
  const counts = new Float64Array(nSymbols).fill(0.5);
  for (const symbol of data.symbols) counts[symbol] = counts[symbol]! + 1;
  const total = data.symbols.length + 0.5 * nSymbols;
  for (let k = 0; k < nSymbols; k++) counts[k] = counts[k]! / total;
  return counts;
}

function unigramCategorical(data: SequenceSet, nStates: number, nSymbols: number, random: Random): CategoricalHmmParams {
  const base = unigram(data, nSymbols);
  const emission = new Float64Array(nStates * nSymbols);
  for (let i = 0; i < nStates; i++) {
    let sum = 0;
    for (let k = 0; k < nSymbols; k++) {
      const value = base[k]! * Math.max(-Math.log(1 - random()), MIN_DRAW);
      emission[i * nSymbols + k] = value;
      sum += value;
    }
    for (let k = 0; k < nSymbols; k++) emission[i * nSymbols + k] = emission[i * nSymbols + k]! / sum;
  }
  return {
    nStates,
    nSymbols,
    initial: dirichletMatrix(random, 1, nStates),
    transition: dirichletMatrix(random, nStates, nStates),
    emission,
  };
}

const WINDOW_HALF_WIDTH = 2;
/** Window weights by distance from the centre, before normalisation. */
const WINDOW_WEIGHTS = [1, 0.5, 1 / 3];
const KMEANS_SAMPLE = 20_000;
const KMEANS_ROUNDS = 12;

/** A sparse histogram: up to 2·HALF+1 (symbol, weight) pairs, weights summing to 1. */
interface Window {
  readonly symbols: Int32Array;
  readonly weights: Float64Array;
  readonly squaredNorm: number;
}

function windowAt(data: SequenceSet, start: number, end: number, position: number): Window {
  const from = Math.max(start, position - WINDOW_HALF_WIDTH);
  const to = Math.min(end - 1, position + WINDOW_HALF_WIDTH);
  const symbols = new Int32Array(to - from + 1);
  const weights = new Float64Array(to - from + 1);
  let total = 0;
  for (let p = from; p <= to; p++) {
    symbols[p - from] = data.symbols[p]!;
    weights[p - from] = WINDOW_WEIGHTS[Math.abs(p - position)]!;
    total += weights[p - from]!;
  }
  for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! / total;
  // Repeated symbols add up, so the norm is over merged entries.
  let squaredNorm = 0;
  for (let a = 0; a < symbols.length; a++) {
    let merged = 0;
    let first = true;
    for (let b = 0; b < symbols.length; b++) {
      if (symbols[b] !== symbols[a]) continue;
      if (b < a) first = false;
      merged += weights[b]!;
    }
    if (first) squaredNorm += merged * merged;
  }
  return { symbols, weights, squaredNorm };
}

function squaredDistance(window: Window, centroids: Float64Array, centroidNorms: Float64Array, cluster: number, nSymbols: number): number {
  let dot = 0;
  const base = cluster * nSymbols;
  for (let k = 0; k < window.symbols.length; k++) dot += window.weights[k]! * centroids[base + window.symbols[k]!]!;
  return Math.max(0, window.squaredNorm - 2 * dot + centroidNorms[cluster]!);
}

function nearest(window: Window, centroids: Float64Array, norms: Float64Array, nStates: number, nSymbols: number): { cluster: number; distance: number } {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < nStates; c++) {
    const distance = squaredDistance(window, centroids, norms, c, nSymbols);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return { cluster: best, distance: bestDistance };
}

function setCentroid(centroids: Float64Array, norms: Float64Array, cluster: number, nSymbols: number, window: Window): void {
  const base = cluster * nSymbols;
  centroids.fill(0, base, base + nSymbols);
  for (let k = 0; k < window.symbols.length; k++) centroids[base + window.symbols[k]!] = centroids[base + window.symbols[k]!]! + window.weights[k]!;
  norms[cluster] = window.squaredNorm;
}

function kmeansCategorical(data: SequenceSet, nStates: number, nSymbols: number, random: Random): CategoricalHmmParams {
  const total = data.symbols.length;
  const sequences = data.offsets.length - 1;
  // Every position's window, and where each sequence starts (labels do not chain across sequences).
  const sequenceOf = new Int32Array(total);
  for (let s = 0; s < sequences; s++) sequenceOf.fill(s, data.offsets[s]!, data.offsets[s + 1]!);
  const windowOf = (position: number): Window => {
    const s = sequenceOf[position]!;
    return windowAt(data, data.offsets[s]!, data.offsets[s + 1]!, position);
  };
  const stride = Math.max(1, Math.floor(total / KMEANS_SAMPLE));
  const sample: Window[] = [];
  for (let p = Math.floor(random() * stride); p < total; p += stride) sample.push(windowOf(p));

  // k-means++ seeding.
  const centroids = new Float64Array(nStates * nSymbols);
  const norms = new Float64Array(nStates);
  const distances = new Float64Array(sample.length).fill(Number.POSITIVE_INFINITY);
  setCentroid(centroids, norms, 0, nSymbols, sample[Math.floor(random() * sample.length)]!);
  for (let c = 1; c < nStates; c++) {
    let sum = 0;
    for (let w = 0; w < sample.length; w++) {
      distances[w] = Math.min(distances[w]!, squaredDistance(sample[w]!, centroids, norms, c - 1, nSymbols));
      sum += distances[w]!;
    }
    let pick = Math.floor(random() * sample.length);
    if (sum > 0) {
      let target = random() * sum;
      for (let w = 0; w < sample.length; w++) {
        target -= distances[w]!;
        if (target < 0) {
          pick = w;
          break;
        }
      }
    }
    setCentroid(centroids, norms, c, nSymbols, sample[pick]!);
  }

  // Lloyd rounds on the sample.
  const labels = new Int32Array(sample.length);
  const sizes = new Float64Array(nStates);
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    let moved = false;
    for (let w = 0; w < sample.length; w++) {
      const { cluster } = nearest(sample[w]!, centroids, norms, nStates, nSymbols);
      if (cluster !== labels[w] || round === 0) moved = true;
      labels[w] = cluster;
    }
    if (!moved) break;
    centroids.fill(0);
    sizes.fill(0);
    for (let w = 0; w < sample.length; w++) {
      const window = sample[w]!;
      const base = labels[w]! * nSymbols;
      sizes[labels[w]!] = sizes[labels[w]!]! + 1;
      for (let k = 0; k < window.symbols.length; k++) centroids[base + window.symbols[k]!] = centroids[base + window.symbols[k]!]! + window.weights[k]!;
    }
    for (let c = 0; c < nStates; c++) {
      if (sizes[c] === 0) {
        // An empty cluster restarts at a random window.
        setCentroid(centroids, norms, c, nSymbols, sample[Math.floor(random() * sample.length)]!);
        continue;
      }
      let norm = 0;
      for (let k = c * nSymbols; k < (c + 1) * nSymbols; k++) {
        centroids[k] = centroids[k]! / sizes[c]!;
        norm += centroids[k]! * centroids[k]!;
      }
      norms[c] = norm;
    }
  }

  // Label every position, then read the parameters off the labelling.
  const base = unigram(data, nSymbols);
  const emissionCounts = new Float64Array(nStates * nSymbols);
  const transitionCounts = new Float64Array(nStates * nStates).fill(1);
  const initialCounts = new Float64Array(nStates).fill(1);
  for (let s = 0; s < sequences; s++) {
    let previous = -1;
    for (let p = data.offsets[s]!; p < data.offsets[s + 1]!; p++) {
      const { cluster } = nearest(windowOf(p), centroids, norms, nStates, nSymbols);
      emissionCounts[cluster * nSymbols + data.symbols[p]!]! += 1;
      if (previous < 0) initialCounts[cluster]! += 1;
      else transitionCounts[previous * nStates + cluster]! += 1;
      previous = cluster;
    }
  }
  const emission = new Float64Array(nStates * nSymbols);
  for (let i = 0; i < nStates; i++) {
    let sum = 0;
    for (let k = 0; k < nSymbols; k++) {
      // One pseudo-observation spread like the unigram, and a little noise so clusters that came
      // out identical still differ.
      const value = (emissionCounts[i * nSymbols + k]! + base[k]!) * (0.99 + 0.02 * random());
      emission[i * nSymbols + k] = value;
      sum += value;
    }
    for (let k = 0; k < nSymbols; k++) emission[i * nSymbols + k] = emission[i * nSymbols + k]! / sum;
  }
  return {
    nStates,
    nSymbols,
    initial: normalise(initialCounts, 1, nStates),
    transition: normalise(transitionCounts, nStates, nStates),
    emission,
  };
}

function normalise(counts: Float64Array, rows: number, cols: number): Float64Array {
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += counts[r * cols + c]!;
    for (let c = 0; c < cols; c++) counts[r * cols + c] = counts[r * cols + c]! / sum;
  }
  return counts;
}
