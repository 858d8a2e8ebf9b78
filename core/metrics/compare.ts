/**
 * Yang & Lerch's (2018) absolute and relative measurement of a generated set against a reference set
 * (the corpus), feature by feature, following mgeval's demo.ipynb:
 *
 * - Absolute: mean and population SD of each feature over each set (per dimension for vectors).
 * - Intra-set distances: exhaustive leave-one-out cross-validation — each piece against every other
 *   piece of its set (Euclidean distance of the feature vectors), so each pair appears twice, as
 *   mgeval's `utils.c_dist` loop produces them; n(n − 1) distances.
 * - Inter-set distances: each reference piece against every generated piece; n_ref × n_gen distances.
 * - Each distance sample is smoothed with a Gaussian KDE (kde.ts) and the intra-set density is compared
 *   with the inter-set density by overlap area and KL(intra‖inter). `reference` compares the reference's
 *   intra-set distances with the inter-set ones (the paper's question: do generated pieces sit among the
 *   reference pieces as the reference pieces sit among themselves?); `generated` does the same for the
 *   generated set's intra-set distances, as the demo also does.
 *
 * A piece that cannot give a feature (yang-lerch.ts says when) is left out of that feature only; each
 * summary says how many pieces entered it. A measure that lacks distances (fewer than two pieces in a
 * set) is null. The report is plain JSON (schema.ts checks it).
 */
import { RepresentationError } from '../music/errors';
import type { Piece } from '../music/types';
import { compareKdes, kdeLogDensityOnGrid, kdePair, type BandwidthRule, type GaussianKde } from './kde';
import { summarize, summarizeVectors } from './summary';
import {
  DEFAULT_TRANSITION_THRESHOLD_SECONDS,
  YANG_LERCH_DIMENSIONS,
  YANG_LERCH_FEATURE_NAMES,
  yangLerchFeatures,
  type YangLerchFeatureName,
  type YangLerchFeatures,
  type YangLerchOptions,
} from './yang-lerch';

export const DEFAULT_CURVE_POINTS = 101;

export interface CompareOptions extends YangLerchOptions {
  /** KDE bandwidth rule; default 'scott' (scipy's default, which mgeval uses). */
  readonly bandwidth?: BandwidthRule;
  /** Integration grid points for OA and KL; default chosen from the bandwidths (kde.ts). */
  readonly gridPoints?: number;
  /** Points of the density curves returned for plotting; default 101. */
  readonly curvePoints?: number;
  /** Called after each piece and each feature; throw from it to stop the comparison. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DistanceSummary {
  readonly count: number;
  readonly mean: number | null;
  /** Population SD. */
  readonly sd: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export interface SetFeatureSummary {
  /** Pieces of the set that have the feature. */
  readonly n: number;
  /** Per dimension; null when no piece has the feature. */
  readonly mean: readonly number[] | null;
  readonly sd: readonly number[] | null;
}

export interface RelativeMeasure {
  /** Overlap area of the intra-set and inter-set distance densities, 0..1. */
  readonly overlapArea: number;
  /** KL(intra‖inter), nats. */
  readonly klDivergence: number;
  readonly bandwidths: { readonly intra: number; readonly inter: number };
  /** A distance sample had no spread (see kde.ts). */
  readonly degenerate: boolean;
}

export interface DensityCurves {
  readonly x: readonly number[];
  readonly intraReference: readonly number[] | null;
  readonly intraGenerated: readonly number[] | null;
  readonly inter: readonly number[] | null;
}

export interface FeatureComparison {
  readonly feature: YangLerchFeatureName;
  readonly dimensions: number;
  readonly absolute: { readonly reference: SetFeatureSummary; readonly generated: SetFeatureSummary };
  readonly distances: { readonly intraReference: DistanceSummary; readonly intraGenerated: DistanceSummary; readonly inter: DistanceSummary };
  /** Intra-reference vs inter-set distances. */
  readonly reference: RelativeMeasure | null;
  /** Intra-generated vs inter-set distances. */
  readonly generated: RelativeMeasure | null;
  /** The KDEs on a common axis, for plotting; null when no density could be made. */
  readonly curves: DensityCurves | null;
}

export interface ComparisonReport {
  readonly referencePieces: number;
  readonly generatedPieces: number;
  readonly options: {
    readonly bandwidth: BandwidthRule;
    readonly gridPoints: number | null;
    readonly curvePoints: number;
    readonly transitionThresholdSeconds: number;
  };
  /** One entry per feature, in YANG_LERCH_FEATURE_NAMES order. */
  readonly features: readonly FeatureComparison[];
}

export function euclideanDistance(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RepresentationError(`Feature vectors of ${a.length} and ${b.length} dimensions cannot be compared.`);
  let sum = 0;
  for (let index = 0; index < a.length; index++) sum += (a[index]! - b[index]!) ** 2;
  return Math.sqrt(sum);
}

/** mgeval's leave-one-out intra-set distances: for each piece, its distance to every other; n(n − 1) values. */
export function intraSetDistances(vectors: readonly (readonly number[])[]): Float64Array {
  const n = vectors.length;
  const distances = new Float64Array(n * Math.max(0, n - 1));
  let next = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const distance = euclideanDistance(vectors[i]!, vectors[j]!);
      distances[next++] = distance;
      distances[next++] = distance;
    }
  }
  return distances;
}

/** Every vector of `a` against every vector of `b`; |a| × |b| values. */
export function interSetDistances(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Float64Array {
  const distances = new Float64Array(a.length * b.length);
  let next = 0;
  for (const left of a) for (const right of b) distances[next++] = euclideanDistance(left, right);
  return distances;
}

export function summarizeDistances(distances: Float64Array): DistanceSummary {
  if (distances.length === 0) return { count: 0, mean: null, sd: null, min: null, max: null };
  const { mean, sd } = summarize(distances);
  let min = Infinity;
  let max = -Infinity;
  for (const distance of distances) {
    min = Math.min(min, distance);
    max = Math.max(max, distance);
  }
  return { count: distances.length, mean, sd, min, max };
}

interface Relative {
  readonly measure: RelativeMeasure | null;
  readonly intra: GaussianKde | null;
  readonly inter: GaussianKde | null;
}

function relativeMeasure(intra: Float64Array, inter: Float64Array, options: CompareOptions): Relative {
  if (intra.length === 0 || inter.length === 0) return { measure: null, intra: null, inter: null };
  const pair = kdePair(intra, inter, options.bandwidth ?? 'scott');
  if (!pair) {
    // Every distance is one and the same value in both samples: the densities coincide.
    return { measure: { overlapArea: 1, klDivergence: 0, bandwidths: { intra: 0, inter: 0 }, degenerate: true }, intra: null, inter: null };
  }
  const { overlapArea, klDivergence } = compareKdes(pair.p, pair.q, options.gridPoints);
  return {
    measure: { overlapArea, klDivergence, bandwidths: { intra: pair.p.bandwidth, inter: pair.q.bandwidth }, degenerate: pair.degenerate },
    intra: pair.p,
    inter: pair.q,
  };
}

function densityCurves(intraReference: GaussianKde | null, intraGenerated: GaussianKde | null, inter: GaussianKde | null, points: number): DensityCurves | null {
  const kdes = [intraReference, intraGenerated, inter].filter((kde): kde is GaussianKde => kde !== null);
  if (kdes.length === 0) return null;
  const start = Math.min(...kdes.map((kde) => kde.points[0]! - 3 * kde.bandwidth));
  const end = Math.max(...kdes.map((kde) => kde.points[kde.points.length - 1]! + 3 * kde.bandwidth));
  const grid = { start, end, points };
  const x = Array.from({ length: points }, (_, index) => start + ((end - start) * index) / (points - 1));
  const curve = (kde: GaussianKde | null): number[] | null => (kde ? Array.from(kdeLogDensityOnGrid(kde, grid), Math.exp) : null);
  return { x, intraReference: curve(intraReference), intraGenerated: curve(intraGenerated), inter: curve(inter) };
}

function compareFeature(feature: YangLerchFeatureName, reference: readonly YangLerchFeatures[], generated: readonly YangLerchFeatures[], options: CompareOptions, curvePoints: number): FeatureComparison {
  const dimensions = YANG_LERCH_DIMENSIONS[feature];
  const present = (set: readonly YangLerchFeatures[]): (readonly number[])[] => set.map((features) => features[feature]).filter((vector): vector is readonly number[] => vector !== null);
  const referenceVectors = present(reference);
  const generatedVectors = present(generated);
  const absolute = (vectors: readonly (readonly number[])[]): SetFeatureSummary => {
    const summary = summarizeVectors(vectors, dimensions);
    return { n: vectors.length, mean: summary?.mean ?? null, sd: summary?.sd ?? null };
  };
  const intraReference = intraSetDistances(referenceVectors);
  const intraGenerated = intraSetDistances(generatedVectors);
  const inter = interSetDistances(referenceVectors, generatedVectors);
  const referenceRelative = relativeMeasure(intraReference, inter, options);
  const generatedRelative = relativeMeasure(intraGenerated, inter, options);
  return {
    feature,
    dimensions,
    absolute: { reference: absolute(referenceVectors), generated: absolute(generatedVectors) },
    distances: { intraReference: summarizeDistances(intraReference), intraGenerated: summarizeDistances(intraGenerated), inter: summarizeDistances(inter) },
    reference: referenceRelative.measure,
    generated: generatedRelative.measure,
    curves: densityCurves(referenceRelative.intra, generatedRelative.intra, referenceRelative.inter ?? generatedRelative.inter, curvePoints),
  };
}

/** Yang & Lerch's absolute and relative measurement of `generated` against `reference`. */
export function compareSets(reference: readonly Piece[], generated: readonly Piece[], options: CompareOptions = {}): ComparisonReport {
  const curvePoints = options.curvePoints ?? DEFAULT_CURVE_POINTS;
  if (!Number.isInteger(curvePoints) || curvePoints < 2) throw new RepresentationError(`Density curves need a whole number of points, at least 2 (got ${curvePoints}).`);
  if (options.bandwidth !== undefined && options.bandwidth !== 'scott' && options.bandwidth !== 'silverman') {
    throw new RepresentationError(`The bandwidth rule is 'scott' or 'silverman' (got ${String(options.bandwidth)}).`);
  }
  if (options.gridPoints !== undefined && (!Number.isInteger(options.gridPoints) || options.gridPoints < 16)) {
    throw new RepresentationError(`The integration grid needs a whole number of points, at least 16 (got ${options.gridPoints}).`);
  }
  const total = reference.length + generated.length + YANG_LERCH_FEATURE_NAMES.length;
  let done = 0;
  const step = (): void => options.onProgress?.(++done, total);
  const features = (pieces: readonly Piece[]): YangLerchFeatures[] =>
    pieces.map((piece) => {
      const result = yangLerchFeatures(piece, options);
      step();
      return result;
    });
  const referenceFeatures = features(reference);
  const generatedFeatures = features(generated);
  const comparisons = YANG_LERCH_FEATURE_NAMES.map((feature) => {
    const comparison = compareFeature(feature, referenceFeatures, generatedFeatures, options, curvePoints);
    step();
    return comparison;
  });
  return {
    referencePieces: reference.length,
    generatedPieces: generated.length,
    options: {
      bandwidth: options.bandwidth ?? 'scott',
      gridPoints: options.gridPoints ?? null,
      curvePoints,
      transitionThresholdSeconds: options.transitionThresholdSeconds ?? DEFAULT_TRANSITION_THRESHOLD_SECONDS,
    },
    features: comparisons,
  };
}
