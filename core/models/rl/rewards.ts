/**
 * The reward of each appended note, and REINFORCE's advantages.
 *
 * rₜ = inKey·keyₜ + repeats·repeatₜ + resolution·resolutionₜ          (music-theory.ts, unweighted terms)
 *    − kl·(log π(aₜ) − log p₀(aₜ))                                    (the KL penalty to the start model)
 *    + discriminator·mean_w log D(real | window w)  at the last step ('end'), or / L at every step ('spread')
 * Returns Gₜ = Σ_{s≥t} γ^{s−t} r_s; advantages Aₜ = Gₜ − bₜ with bₜ the batch's mean return at
 * position t, or its moving average across iterations (b ← decay·b + (1 − decay)·batch mean,
 * starting at the first batch's mean).
 */
import type { KeySetting, RewardWeights } from './settings';
import { estimateKey, pitchClassHistogram, theoryTerms, type MusicalKey } from './music-theory';
import { episodePitches, type SampledEpisodes } from './episodes';

/** Mean weighted contribution of each term to an episode's (undiscounted) reward. */
export interface RewardTerms {
  readonly discriminator: number;
  readonly inKey: number;
  readonly repeats: number;
  readonly resolution: number;
  readonly kl: number;
}

export interface BatchRewards {
  /** rₜ of every action, [L·B] at t·B + b. */
  readonly rewards: Float32Array;
  /** Mean of Σₜ rₜ over the episodes. */
  readonly meanReward: number;
  readonly terms: RewardTerms;
  /** Share of appended notes in the (episode's) key. */
  readonly inKeyShare: number;
}

/** The key an episode is measured in: fixed, the corpus's, or estimated from its primer. */
export function keyFor(setting: KeySetting, corpusKey: MusicalKey, primer: ArrayLike<number>): MusicalKey {
  if (setting.kind === 'fixed') return { tonic: setting.tonic, pitchClasses: [...setting.pitchClasses] };
  if (setting.kind === 'corpus') return corpusKey;
  return estimateKey(pitchClassHistogram(primer));
}

/**
 * The rewards of a batch. `logReal[b]`: the mean log D(real) of episode b's windows (ignored, may
 * be null, when the discriminator's weight is 0).
 */
export function batchRewards(episodes: SampledEpisodes, weights: RewardWeights, key: KeySetting, corpusKey: MusicalKey, logReal: Float32Array | null): BatchRewards {
  const B = episodes.batchSize;
  const L = episodes.episodeLength;
  const rewards = new Float32Array(L * B);
  const sums = { discriminator: 0, inKey: 0, repeats: 0, resolution: 0, kl: 0 };
  let inKeyNotes = 0;
  const useDiscriminator = weights.discriminator > 0 && logReal !== null;
  for (let b = 0; b < B; b++) {
    const { primer, appended } = episodePitches(episodes, b);
    const terms = theoryTerms(primer, appended, keyFor(key, corpusKey, primer), weights);
    const sequenceReward = useDiscriminator ? weights.discriminator * logReal[b]! : 0;
    for (let t = 0; t < L; t++) {
      const at = t * B + b;
      const inKey = weights.inKey * terms.inKey[t]!;
      const repeats = weights.repeats * terms.repeats[t]!;
      const resolution = weights.resolution * terms.resolution[t]!;
      const kl = -weights.kl * (episodes.logPolicy[at]! - episodes.logReference[at]!);
      const discriminator = weights.discriminatorAt === 'spread' ? sequenceReward / L : t === L - 1 ? sequenceReward : 0;
      rewards[at] = inKey + repeats + resolution + kl + discriminator;
      sums.inKey += inKey;
      sums.repeats += repeats;
      sums.resolution += resolution;
      sums.kl += kl;
      sums.discriminator += discriminator;
      inKeyNotes += terms.inKey[t]!;
    }
  }
  const terms: RewardTerms = { discriminator: sums.discriminator / B, inKey: sums.inKey / B, repeats: sums.repeats / B, resolution: sums.resolution / B, kl: sums.kl / B };
  const meanReward = terms.discriminator + terms.inKey + terms.repeats + terms.resolution + terms.kl;
  return { rewards, meanReward, terms, inKeyShare: inKeyNotes / (B * L) };
}

/** Gₜ = rₜ + γ·Gₜ₊₁ per episode, [L·B] at t·B + b. */
export function discountedReturns(rewards: Float32Array, batchSize: number, episodeLength: number, discount: number): Float32Array {
  const B = batchSize;
  const returns = new Float32Array(rewards.length);
  for (let b = 0; b < B; b++) {
    let running = 0;
    for (let t = episodeLength - 1; t >= 0; t--) {
      running = rewards[t * B + b]! + discount * running;
      returns[t * B + b] = running;
    }
  }
  return returns;
}

/** The batch's mean return at each position t. */
export function meanReturns(returns: Float32Array, batchSize: number, episodeLength: number): Float64Array {
  const means = new Float64Array(episodeLength);
  for (let t = 0; t < episodeLength; t++) {
    let sum = 0;
    for (let b = 0; b < batchSize; b++) sum += returns[t * batchSize + b]!;
    means[t] = sum / batchSize;
  }
  return means;
}

/**
 * Advantages Gₜ − bₜ. `previous`: the moving-average baseline so far (null before the first batch);
 * returns the baseline to keep (null with 'batch-mean').
 */
export function advantages(
  returns: Float32Array,
  batchSize: number,
  episodeLength: number,
  baseline: { readonly kind: 'batch-mean' | 'moving-average'; readonly decay: number; readonly previous: readonly number[] | null },
): { advantages: Float32Array; baseline: number[] | null } {
  const means = meanReturns(returns, batchSize, episodeLength);
  let used: ArrayLike<number> = means;
  let kept: number[] | null = null;
  if (baseline.kind === 'moving-average') {
    const previous = baseline.previous;
    // The baseline subtracted is the one from before this batch (the first batch: its own mean).
    used = previous && previous.length === episodeLength ? previous : means;
    kept = Array.from(means, (mean, t) => (previous && previous.length === episodeLength ? baseline.decay * previous[t]! + (1 - baseline.decay) * mean : mean));
  }
  const result = new Float32Array(returns.length);
  for (let t = 0; t < episodeLength; t++) for (let b = 0; b < batchSize; b++) result[t * batchSize + b] = returns[t * batchSize + b]! - used[t]!;
  return { advantages: result, baseline: kept };
}
