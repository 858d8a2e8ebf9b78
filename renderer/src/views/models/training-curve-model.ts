/**
 * The training curve's data, apart from uPlot and React. HMM: x = iteration, y = training
 * log-likelihood per token, and the held-out value as a flat reference line once it is known.
 * Neural models: x = epoch, y = the training loss and the validation loss of every epoch.
 */
import type { ModelSummary } from '../../../../core/ipc/schemas';

export interface CurveData {
  readonly iterations: readonly number[];
  readonly train: readonly number[];
  /** The held-out LL/token at every iteration (a horizontal line), or null at each point when unknown. */
  readonly valid: readonly (number | null)[];
}

/**
 * Points in iteration order with one point per iteration: a resumed run appends to the history, and
 * should an iteration be reported twice (a repeated event), the later report wins.
 */
export function curveData(history: ModelSummary['history'], validLogLikelihoodPerToken: number | null): CurveData {
  const byIteration = new Map<number, number>();
  for (const point of history) {
    if (Number.isFinite(point.logLikelihoodPerToken)) byIteration.set(point.iteration, point.logLikelihoodPerToken);
  }
  const iterations = [...byIteration.keys()].sort((a, b) => a - b);
  const valid = validLogLikelihoodPerToken !== null && Number.isFinite(validLogLikelihoodPerToken) ? validLogLikelihoodPerToken : null;
  return {
    iterations,
    train: iterations.map((iteration) => byIteration.get(iteration)!),
    valid: iterations.map(() => valid),
  };
}

/**
 * A neural model's losses by epoch: the training loss (the epoch's mean) and the validation loss
 * (null where there is none). A resumed run appends; a repeated epoch's later report wins.
 */
export function lossCurveData(history: ModelSummary['history']): CurveData {
  const byEpoch = new Map<number, { train: number; valid: number | null }>();
  for (const point of history) {
    if (point.trainLoss === undefined || !Number.isFinite(point.trainLoss)) continue;
    const valid = point.validLoss !== undefined && Number.isFinite(point.validLoss) ? point.validLoss : null;
    byEpoch.set(point.iteration, { train: point.trainLoss, valid });
  }
  const iterations = [...byEpoch.keys()].sort((a, b) => a - b);
  return {
    iterations,
    train: iterations.map((epoch) => byEpoch.get(epoch)!.train),
    valid: iterations.map((epoch) => byEpoch.get(epoch)!.valid),
  };
}

/**
 * A polyphonic model's frame NLL by epoch (nats per grid step, lower is better): the history stores
 * minus these as logLikelihoodPerToken (train) and validLogLikelihoodPerToken (held-out). A resumed
 * run appends; a repeated epoch's later report wins.
 */
export function frameNllCurveData(history: ModelSummary['history']): CurveData {
  const byEpoch = new Map<number, { train: number; valid: number | null }>();
  for (const point of history) {
    if (!Number.isFinite(point.logLikelihoodPerToken)) continue;
    const valid = point.validLogLikelihoodPerToken !== undefined && Number.isFinite(point.validLogLikelihoodPerToken) ? -point.validLogLikelihoodPerToken : null;
    byEpoch.set(point.iteration, { train: -point.logLikelihoodPerToken, valid });
  }
  const iterations = [...byEpoch.keys()].sort((a, b) => a - b);
  return {
    iterations,
    train: iterations.map((epoch) => byEpoch.get(epoch)!.train),
    valid: iterations.map((epoch) => byEpoch.get(epoch)!.valid),
  };
}

/** The lowest held-out frame NLL of a curve and its epoch, or null before any. */
export function bestHeldOut(curve: CurveData): { readonly epoch: number; readonly value: number } | null {
  let best: { epoch: number; value: number } | null = null;
  curve.valid.forEach((value, index) => {
    if (value !== null && (best === null || value < best.value)) best = { epoch: curve.iterations[index]!, value };
  });
  return best;
}

/** uPlot's aligned data: [x, y1, y2]. */
export function toAlignedData(curve: CurveData): [number[], number[], (number | null)[]] {
  return [[...curve.iterations], [...curve.train], [...curve.valid]];
}

/**
 * The y range to show: all points and the held-out line with 8% headroom, at least 0.02 nats tall
 * so a flat curve does not fill the plot with noise-sized differences.
 */
export function curveRange(curve: CurveData): [number, number] | null {
  const values = [...curve.train, ...curve.valid.filter((value): value is number => value !== null)];
  if (values.length === 0) return null;
  let low = values.reduce((min, value) => Math.min(min, value), Infinity);
  let high = values.reduce((max, value) => Math.max(max, value), -Infinity);
  const minimumSpan = 0.02;
  if (high - low < minimumSpan) {
    const middle = (high + low) / 2;
    low = middle - minimumSpan / 2;
    high = middle + minimumSpan / 2;
  }
  const pad = (high - low) * 0.08;
  return [low - pad, high + pad];
}

/** The x range: from the first iteration to the last, at least a span of 1. */
export function iterationRange(curve: CurveData, maxIterations: number): [number, number] {
  const first = curve.iterations[0] ?? 1;
  const last = curve.iterations.at(-1) ?? 1;
  // While training, leave room up to the maximum only when the run is short: a long run's curve
  // should not be squeezed into the left edge.
  const end = Math.max(last, Math.min(maxIterations, Math.max(10, last)));
  return [Math.min(first, 1), Math.max(end, first + 1)];
}

/** The improvement of the last iteration over the one before (nats/token), or null with fewer than two. */
export function lastGain(curve: CurveData): number | null {
  const n = curve.train.length;
  if (n < 2) return null;
  return curve.train[n - 1]! - curve.train[n - 2]!;
}
