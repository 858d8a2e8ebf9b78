/**
 * Gaussian kernel density estimates of one-dimensional samples, and the two numbers Yang & Lerch (2018)
 * compare two of them by: the overlap area (OA) and the Kullback–Leibler divergence (KL).
 *
 * - The bandwidth is scipy.stats.gaussian_kde's, which mgeval uses with its defaults: the sample's
 *   standard deviation (ddof = 1) times Scott's factor n^(-1/5), or Silverman's (3n/4)^(-1/5).
 * - A sample of one value, or of equal values, has no spread: scipy refuses it (singular covariance). We
 *   give it a bandwidth of 1/100 of the span of both samples compared (at least the resolution below),
 *   and the comparison says it was `degenerate`. Two samples that are one and the same value overlap fully (OA 1, KL 0).
 * - OA = ∫ min(p, q) and KL(p‖q) = ∫ p log(p/q) (nats) are integrated on one uniform grid that covers
 *   both densities to 6 bandwidths past their extreme samples (mass left out < 1e-9), each density
 *   normalised to 1 on that grid (trapezoid rule, which is spectrally accurate for such smooth, fast-
 *   decaying curves). OA is computed as 1 − ½∫|p − q|, integrating a local cubic through four grid values
 *   on every cell and splitting a cell where it changes sign, so the kinks of min(p, q) where the curves
 *   cross cost no accuracy (plain trapezoids would leave an error of order step² there). OA is in [0, 1]
 *   and KL ≥ 0 by construction, OA(p, q) = OA(q, p), identical samples give exactly 1 and 0. The grid
 *   is fine enough for the narrower density: spacing ≤ its bandwidth / 4, 513 to 8193 points, unless
 *   given. mgeval differs here on purpose: its overlap_area integrates only between the smallest and
 *   the largest sample (so identical sets overlap by less than 1), and its kl_dist evaluates p and q on
 *   two different grids (each on its own sample's range) before comparing them point by point.
 * - Densities are evaluated in log space where it matters, so q's far tail does not underflow to 0
 *   where p has mass: KL stays finite (and large) for well-separated samples instead of becoming
 *   Infinity, which JSON cannot carry. On the grid, each sample's kernel is spread over the grid points
 *   within 12 bandwidths of it by a multiplicative recurrence (no exp per term); grid points whose sum
 *   is too small for that truncation to be negligible (relative error 1e-8) get the exact log-space sum.
 * - Differences below 1e-9 of the values' magnitude (at least 1e-9) are below what the grid can resolve
 *   in doubles: a sample spread less than that counts as having no spread, and two samples within it of
 *   one value as that one value.
 */
import { RepresentationError } from '../music/errors';

export type BandwidthRule = 'scott' | 'silverman';

export interface GaussianKde {
  /** The sample, sorted ascending. */
  readonly points: Float64Array;
  /** Standard deviation of each Gaussian kernel. */
  readonly bandwidth: number;
}

const LOG_SQRT_TWO_PI = 0.5 * Math.log(2 * Math.PI);
/** Kernels below e^-WINDOW_LOG_RANGE of the nearest sample's are left out of a density. */
const WINDOW_LOG_RANGE = 40;
/** On a grid, each kernel is spread this many bandwidths each way (e^-72 at the edge). */
const SCATTER_BANDWIDTHS = 12;
/** Exact values are recomputed every this many recurrence steps, so rounding cannot accumulate. */
const RECURRENCE_RESEED = 32;
/** Smallest difference the grid resolves, relative to the values' magnitude (at least 1). */
const RESOLUTION = 1e-9;
/** Grid reach past the extreme samples, in bandwidths. */
const TAIL_BANDWIDTHS = 6;
const AUTO_GRID_MIN = 513;
const AUTO_GRID_MAX = 8193;
/** A degenerate sample's bandwidth, as a share of the span of both samples. */
const DEGENERATE_BANDWIDTH_SHARE = 0.01;

/** scipy's bandwidth factor for one dimension. */
export function bandwidthFactor(n: number, rule: BandwidthRule): number {
  return rule === 'scott' ? n ** (-1 / 5) : ((n * 3) / 4) ** (-1 / 5);
}

/** Sample standard deviation (ddof = 1); 0 for fewer than two values. */
export function sampleStandardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let index = 0; index < n; index++) mean += values[index]!;
  mean /= n;
  let squares = 0;
  for (let index = 0; index < n; index++) squares += (values[index]! - mean) ** 2;
  return Math.sqrt(squares / (n - 1));
}

/** scipy.stats.gaussian_kde's bandwidth (kernel standard deviation); 0 when the sample has no spread. */
export function kdeBandwidth(values: ArrayLike<number>, rule: BandwidthRule = 'scott'): number {
  return sampleStandardDeviation(values) * bandwidthFactor(values.length, rule);
}

export function gaussianKde(values: ArrayLike<number>, bandwidth: number): GaussianKde {
  if (values.length === 0) throw new RepresentationError('A density estimate needs at least one value.');
  if (!Number.isFinite(bandwidth) || bandwidth <= 0) throw new RepresentationError(`A density estimate needs a positive bandwidth (got ${bandwidth}).`);
  const points = Float64Array.from(values);
  for (const value of points) if (!Number.isFinite(value)) throw new RepresentationError(`A density estimate needs finite values (got ${value}).`);
  points.sort();
  return { points, bandwidth };
}

/** First index with points[index] ≥ value (or > value when `strict`). */
function searchSorted(points: Float64Array, value: number, strict: boolean): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (strict ? points[middle]! > value : points[middle]! >= value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** log p(x) of the estimate, without underflow however far x is from the sample. */
export function kdeLogDensity(kde: GaussianKde, x: number): number {
  const { points, bandwidth } = kde;
  const next = searchSorted(points, x, false);
  let nearest = Infinity;
  if (next < points.length) nearest = points[next]! - x;
  if (next > 0) nearest = Math.min(nearest, x - points[next - 1]!);
  const twoVariance = 2 * bandwidth * bandwidth;
  const radius = Math.sqrt(nearest * nearest + WINDOW_LOG_RANGE * twoVariance);
  const peak = -(nearest * nearest) / twoVariance;
  let sum = 0;
  const end = searchSorted(points, x + radius, true);
  for (let index = searchSorted(points, x - radius, false); index < end; index++) {
    const distance = x - points[index]!;
    sum += Math.exp(-(distance * distance) / twoVariance - peak);
  }
  return peak + Math.log(sum) - Math.log(points.length * bandwidth) - LOG_SQRT_TWO_PI;
}

export function kdeDensity(kde: GaussianKde, x: number): number {
  return Math.exp(kdeLogDensity(kde, x));
}

export interface Grid {
  readonly start: number;
  readonly end: number;
  readonly points: number;
}

export interface DensityComparison {
  /** ∫ min(p, q): 1 for identical densities, 0 for disjoint ones. */
  readonly overlapArea: number;
  /** KL(p‖q) in nats. */
  readonly klDivergence: number;
  readonly grid: Grid;
}

export function gridStep(grid: Grid): number {
  return grid.points > 1 ? (grid.end - grid.start) / (grid.points - 1) : 0;
}

/** log p at every point of the grid: kernels spread by recurrence, the exact sum where that is not enough. */
export function kdeLogDensityOnGrid(kde: GaussianKde, grid: Grid): Float64Array {
  if (!Number.isInteger(grid.points) || grid.points < 2 || !(grid.end > grid.start)) {
    throw new RepresentationError(`A density grid needs at least 2 points over a range (got ${grid.points} from ${grid.start} to ${grid.end}).`);
  }
  const { points: samples, bandwidth } = kde;
  const step = gridStep(grid);
  const sums = new Float64Array(grid.points);
  const reach = SCATTER_BANDWIDTHS * bandwidth;
  const delta = step / bandwidth;
  // Going one grid step right multiplies a kernel by exp(-u·δ - δ²/2), and that factor by exp(-δ²).
  const factorOfFactor = Math.exp(-delta * delta);
  // Equal samples (distances between integer features repeat a lot) are spread once, weighted.
  for (let next = 0; next < samples.length; ) {
    const sample = samples[next]!;
    let weight = 0;
    while (next < samples.length && samples[next] === sample) {
      weight++;
      next++;
    }
    const first = Math.max(0, Math.ceil((sample - reach - grid.start) / step));
    const last = Math.min(grid.points - 1, Math.floor((sample + reach - grid.start) / step));
    if (delta > 0.5) {
      // A coarse grid: few points per kernel, each computed exactly.
      for (let index = first; index <= last; index++) {
        const u = (grid.start + index * step - sample) / bandwidth;
        sums[index]! += weight * Math.exp(-0.5 * u * u);
      }
      continue;
    }
    for (let blockStart = first; blockStart <= last; blockStart += RECURRENCE_RESEED) {
      const u = (grid.start + blockStart * step - sample) / bandwidth;
      let kernel = weight * Math.exp(-0.5 * u * u);
      let factor = Math.exp(-u * delta - 0.5 * delta * delta);
      sums[blockStart]! += kernel;
      const blockEnd = Math.min(last, blockStart + RECURRENCE_RESEED - 1);
      for (let index = blockStart + 1; index <= blockEnd; index++) {
        kernel *= factor;
        factor *= factorOfFactor;
        sums[index]! += kernel;
      }
    }
  }
  const logNormaliser = Math.log(samples.length * bandwidth) + LOG_SQRT_TWO_PI;
  // Kernels cut at 12 bandwidths leave out at most n·e^-72 of a sum: negligible above this.
  const trustworthy = samples.length * Math.exp(-0.5 * SCATTER_BANDWIDTHS * SCATTER_BANDWIDTHS) * 1e8;
  const logDensity = new Float64Array(grid.points);
  for (let index = 0; index < grid.points; index++) {
    logDensity[index] = sums[index]! > trustworthy ? Math.log(sums[index]!) - logNormaliser : kdeLogDensity(kde, grid.start + index * step);
  }
  return logDensity;
}

function logSumExp(values: Float64Array): number {
  let max = -Infinity;
  for (const value of values) max = Math.max(max, value);
  if (max === -Infinity) return max;
  let sum = 0;
  for (const value of values) sum += Math.exp(value - max);
  return max + Math.log(sum);
}

/** Monomial coefficients (of t, t = 0 and 1 at a cell's ends) of the cubic through values at `nodes`. */
function cubicThrough(nodes: readonly number[], values: readonly number[]): [number, number, number, number] {
  const coefficients: [number, number, number, number] = [0, 0, 0, 0];
  for (let m = 0; m < 4; m++) {
    // Lagrange basis polynomial m, expanded: Π_{k≠m} (t − τ_k) / (τ_m − τ_k).
    let basis = [1];
    let denominator = 1;
    for (let k = 0; k < 4; k++) {
      if (k === m) continue;
      const next = new Array<number>(basis.length + 1).fill(0);
      basis.forEach((coefficient, power) => {
        next[power + 1]! += coefficient;
        next[power]! -= coefficient * nodes[k]!;
      });
      basis = next;
      denominator *= nodes[m]! - nodes[k]!;
    }
    for (let power = 0; power < 4; power++) coefficients[power]! += (values[m]! * basis[power]!) / denominator;
  }
  return coefficients;
}

/** ∫|f| over the grid, f interpolated by the cubic through four neighbouring values in each cell. */
export function integrateAbsolute(values: Float64Array, step: number): number {
  const n = values.length;
  if (n < 4) throw new RepresentationError('Integrating needs at least 4 grid points.');
  let total = 0;
  for (let cell = 0; cell + 1 < n; cell++) {
    const left = values[cell]!;
    const right = values[cell + 1]!;
    const firstNode = Math.min(Math.max(cell - 1, 0), n - 4);
    const nodes = [0, 1, 2, 3].map((offset) => firstNode + offset - cell);
    const [a0, a1, a2, a3] = cubicThrough(
      nodes,
      nodes.map((node) => values[cell + node]!),
    );
    const cubic = (t: number): number => a0 + t * (a1 + t * (a2 + t * a3));
    const antiderivative = (t: number): number => t * (a0 + t * (a1 / 2 + t * (a2 / 3 + (t * a3) / 4)));
    if (left * right >= 0) {
      total += Math.abs(antiderivative(1));
      continue;
    }
    // A sign change: the root in (0, 1) by bisection (the cubic takes the end values there).
    let low = 0;
    let high = 1;
    for (let iteration = 0; iteration < 60; iteration++) {
      const middle = (low + high) / 2;
      if (cubic(middle) * left > 0) low = middle;
      else high = middle;
    }
    const root = (low + high) / 2;
    total += Math.abs(antiderivative(root)) + Math.abs(antiderivative(1) - antiderivative(root));
  }
  return total * step;
}

/** The grid both densities are integrated on (see the module comment). */
export function gridFor(p: GaussianKde, q: GaussianKde, points?: number): Grid {
  const start = Math.min(p.points[0]! - TAIL_BANDWIDTHS * p.bandwidth, q.points[0]! - TAIL_BANDWIDTHS * q.bandwidth);
  const end = Math.max(p.points[p.points.length - 1]! + TAIL_BANDWIDTHS * p.bandwidth, q.points[q.points.length - 1]! + TAIL_BANDWIDTHS * q.bandwidth);
  if (points !== undefined) {
    if (!Number.isInteger(points) || points < 16) throw new RepresentationError(`The integration grid needs a whole number of points, at least 16 (got ${points}).`);
    return { start, end, points };
  }
  const spacing = Math.min(p.bandwidth, q.bandwidth) / 4;
  const wanted = Math.ceil((end - start) / spacing) + 1;
  return { start, end, points: Math.min(AUTO_GRID_MAX, Math.max(AUTO_GRID_MIN, wanted)) };
}

/** OA and KL(p‖q) of two estimates, on `gridFor(p, q, gridPoints)`. */
export function compareKdes(p: GaussianKde, q: GaussianKde, gridPoints?: number): DensityComparison {
  const grid = gridFor(p, q, gridPoints);
  const step = gridStep(grid);
  const logP = kdeLogDensityOnGrid(p, grid);
  const logQ = kdeLogDensityOnGrid(q, grid);
  // Normalise both on the grid (trapezoid weights: half a step at both ends), in log space.
  const logTrapezoid = (logDensity: Float64Array): Float64Array =>
    logDensity.map((value, index) => value + Math.log(index === 0 || index === grid.points - 1 ? step / 2 : step));
  const logMassP = logSumExp(logTrapezoid(logP));
  const logMassQ = logSumExp(logTrapezoid(logQ));
  const difference = new Float64Array(grid.points);
  let divergence = 0;
  for (let index = 0; index < grid.points; index++) {
    const logNormalisedP = logP[index]! - logMassP;
    const logNormalisedQ = logQ[index]! - logMassQ;
    const normalisedP = Math.exp(logNormalisedP);
    difference[index] = normalisedP - Math.exp(logNormalisedQ);
    const weight = index === 0 || index === grid.points - 1 ? step / 2 : step;
    if (normalisedP > 0) divergence += weight * normalisedP * (logNormalisedP - logNormalisedQ);
  }
  const overlap = 1 - integrateAbsolute(difference, step) / 2;
  return { overlapArea: Math.min(1, Math.max(0, overlap)), klDivergence: Math.max(0, divergence), grid };
}

export interface SampleComparisonOptions {
  /** Default 'scott', scipy's default. */
  readonly bandwidth?: BandwidthRule;
  /** Integration grid points; default chosen from the bandwidths. */
  readonly gridPoints?: number;
}

export interface SampleComparison extends DensityComparison {
  readonly bandwidths: { readonly p: number; readonly q: number };
  /** A sample had no spread and got the fallback bandwidth (or both were one and the same value). */
  readonly degenerate: boolean;
}

/** The estimates of two samples with their bandwidths, the fallback applied; null when both are one value (to the resolution). */
export function kdePair(
  p: ArrayLike<number>,
  q: ArrayLike<number>,
  rule: BandwidthRule = 'scott',
): { readonly p: GaussianKde; readonly q: GaussianKde; readonly degenerate: boolean } | null {
  if (p.length === 0 || q.length === 0) throw new RepresentationError('Comparing densities needs two non-empty samples.');
  let low = Infinity;
  let high = -Infinity;
  for (const sample of [p, q]) {
    for (let index = 0; index < sample.length; index++) {
      low = Math.min(low, sample[index]!);
      high = Math.max(high, sample[index]!);
    }
  }
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new RepresentationError('Comparing densities needs finite values.');
  const resolution = RESOLUTION * Math.max(1, Math.abs(low), Math.abs(high));
  if (high - low <= resolution) return null;
  const fallback = Math.max((high - low) * DEGENERATE_BANDWIDTH_SHARE, resolution);
  const bandwidthP = kdeBandwidth(p, rule);
  const bandwidthQ = kdeBandwidth(q, rule);
  return {
    p: gaussianKde(p, bandwidthP > resolution ? bandwidthP : fallback),
    q: gaussianKde(q, bandwidthQ > resolution ? bandwidthQ : fallback),
    degenerate: !(bandwidthP > resolution && bandwidthQ > resolution),
  };
}

/** OA and KL(p‖q) of the estimates of two samples (e.g. intra-set and inter-set distances). */
export function compareSamples(p: ArrayLike<number>, q: ArrayLike<number>, options: SampleComparisonOptions = {}): SampleComparison {
  const pair = kdePair(p, q, options.bandwidth ?? 'scott');
  if (!pair) {
    const value = p[0]!;
    return { overlapArea: 1, klDivergence: 0, grid: { start: value, end: value, points: 1 }, bandwidths: { p: 0, q: 0 }, degenerate: true };
  }
  return {
    ...compareKdes(pair.p, pair.q, options.gridPoints),
    bandwidths: { p: pair.p.bandwidth, q: pair.q.bandwidth },
    degenerate: pair.degenerate,
  };
}
