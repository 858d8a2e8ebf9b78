/**
 * The training schedules of MusicVAE (magenta/models/music_vae/base_model.py), as plain functions of
 * the optimiser step t (the number of updates made so far):
 *   KL weight         β(t) = β_max · (1 − rate^t)                        (annealed from 0 up to β_max)
 *   KL cost           max(KL − free, 0) per sequence (free bits: the first `free` nats of KL cost
 *                     nothing, so the encoder may use that much information freely), then averaged
 *   sampling          the probability of feeding the model's own prediction instead of the truth:
 *                     'constant' p, or 'inverse-sigmoid' 1 − k / (k + exp(t / k)) (Bengio et al.
 *                     2015, MusicVAE's rate k), capped at `max`.
 */
import { VaeError } from './errors';

export function klWeight(step: number, maxBeta: number, betaRate: number): number {
  return maxBeta * (1 - Math.pow(betaRate, step));
}

/** One sequence's KL term as trained: max(KL − freeNats, 0). */
export function klCost(kl: number, freeNats: number): number {
  return Math.max(kl - freeNats, 0);
}

/** KL(N(μ, σ²) ‖ N(0, I)) in nats: ½ Σ (μ² + σ² − 1 − log σ²). */
export function gaussianKl(mu: ArrayLike<number>, logVariance: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < mu.length; k++) sum += mu[k]! * mu[k]! + Math.exp(logVariance[k]!) - 1 - logVariance[k]!;
  return 0.5 * sum;
}

export type SamplingSchedule =
  | { readonly kind: 'constant'; readonly probability: number }
  | { readonly kind: 'inverse-sigmoid'; readonly rate: number; readonly max: number };

export function validateSamplingSchedule(schedule: SamplingSchedule): void {
  if (schedule?.kind === 'constant') {
    if (!(schedule.probability >= 0 && schedule.probability <= 1)) throw new VaeError(`The scheduled-sampling probability must be in [0, 1], got ${schedule.probability}.`);
  } else if (schedule?.kind === 'inverse-sigmoid') {
    if (!(schedule.rate >= 1 && Number.isFinite(schedule.rate))) throw new VaeError(`The inverse-sigmoid sampling rate k must be a number ≥ 1, got ${schedule.rate}.`);
    if (!(schedule.max >= 0 && schedule.max <= 1)) throw new VaeError(`The scheduled-sampling cap must be in [0, 1], got ${schedule.max}.`);
  } else {
    throw new VaeError(`The sampling schedule must be 'constant' or 'inverse-sigmoid', got ${String((schedule as { kind?: unknown } | undefined)?.kind)}.`);
  }
}

/** The probability of feeding the model's own prediction at optimiser step `step`. */
export function samplingProbability(schedule: SamplingSchedule, step: number): number {
  if (schedule.kind === 'constant') return schedule.probability;
  const k = schedule.rate;
  // exp(t/k) overflows to Infinity for very long runs: the probability then is 1 (before the cap).
  const probability = 1 - k / (k + Math.exp(step / k));
  return Math.min(schedule.max, probability);
}
