// The reward's terms on hand-made sequences, the key estimate, returns and baselines.
import { describe, expect, it } from 'vitest';
import type { SampledEpisodes } from '../../../core/models/rl/episodes';
import { estimateKey, pitchClassHistogram, theoryTerms } from '../../../core/models/rl/music-theory';
import { advantages, batchRewards, discountedReturns } from '../../../core/models/rl/rewards';
import { DEFAULT_REWARDS, type RewardWeights } from '../../../core/models/rl/settings';

const C_MAJOR_KEY = { tonic: 0, pitchClasses: [0, 2, 4, 5, 7, 9, 11] };
const OPTIONS = { maxRepeats: 2, leap: 5 };

describe('music-theory terms', () => {
  it('in key: 1 for a note of the scale, 0 otherwise', () => {
    const terms = theoryTerms([], [60, 61, 62, 66, 71], C_MAJOR_KEY, OPTIONS);
    expect(Array.from(terms.inKey)).toEqual([1, 0, 1, 0, 1]);
  });

  it('repeats: −1 for each note beyond maxRepeats equal pitches in a row, the primer counted', () => {
    const terms = theoryTerms([64, 64], [64, 64, 65, 65, 65], C_MAJOR_KEY, OPTIONS);
    // The run 64×4 (two from the primer): the 3rd and 4th exceed 2; 65×3: the 3rd.
    expect(Array.from(terms.repeats)).toEqual([-1, -1, 0, 0, -1]);
  });

  it('resolution: a leap followed by a step back, and the leading tone going up to the tonic', () => {
    // 60→67 leaps up 7, 67→65 steps down 2: resolved. 65→72 leaps, 72→74 goes on up: not.
    // 70→71→72: 71 is C major's leading tone, 72 the tonic (also a step but no leap before).
    const terms = theoryTerms([60], [67, 65, 72, 74, 70, 71, 72, 79, 78], C_MAJOR_KEY, OPTIONS);
    expect(Array.from(terms.resolution)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 1]);
    // Leading tone to tonic resolving a downward leap counts twice.
    expect(Array.from(theoryTerms([79, 71], [72], C_MAJOR_KEY, OPTIONS).resolution)).toEqual([2]);
  });

  it('estimates the key of a histogram (Krumhansl–Schmuckler)', () => {
    const gMajor = [67, 69, 71, 72, 74, 76, 78, 79, 67, 71, 74, 67];
    expect(estimateKey(pitchClassHistogram(gMajor))).toEqual({ tonic: 7, pitchClasses: [7, 9, 11, 0, 2, 4, 6] });
    const aMinor = [69, 71, 72, 74, 76, 77, 80, 81, 69, 72, 76, 69, 64, 69, 80];
    const key = estimateKey(pitchClassHistogram(aMinor));
    expect(key.tonic).toBe(9);
    expect(key.pitchClasses).toContain(8); // the raised seventh, G♯
  });
});

function episodes(pitches: number[][], primerLength: number, logPolicy: number[], logReference: number[]): SampledEpisodes {
  const B = pitches.length;
  const N = pitches[0]!.length;
  const L = N - primerLength;
  const pitch = new Int32Array(N * B);
  pitches.forEach((row, b) => row.forEach((value, n) => (pitch[n * B + b] = value)));
  return {
    batchSize: B,
    primerLength,
    episodeLength: L,
    pitch,
    step: new Float32Array(N * B),
    duration: new Float32Array(N * B),
    velocity: new Float32Array(N * B),
    logPolicy: Float32Array.from(logPolicy),
    logReference: Float32Array.from(logReference),
    entropy: new Float32Array(L * B),
    kl: new Float32Array(L * B),
  };
}

describe('batch rewards', () => {
  const weights: RewardWeights = { ...DEFAULT_REWARDS, discriminator: 2, inKey: 1, repeats: 0.5, maxRepeats: 1, resolution: 0, kl: 0.1 };
  // Two episodes of 3 notes after a 1-note primer; actions at t·B + b.
  const batch = episodes(
    [
      [60, 61, 61, 62],
      [62, 64, 65, 67],
    ],
    1,
    [-1, -2, -1, -2, -1, -2],
    [-1.5, -2, -1, -3, -2, -2],
  );

  it('adds the weighted terms per step, the discriminator at the end', () => {
    const result = batchRewards(batch, weights, { kind: 'fixed', ...C_MAJOR_KEY }, C_MAJOR_KEY, Float32Array.of(-0.5, -0.1));
    const r = Array.from(result.rewards);
    // Episode 0: 61 out of key, 61 repeated (−0.5), 62 in key + D 2·(−0.5); KL −0.1·(logπ − logp₀).
    expect(r[0]).toBeCloseTo(0 - 0.1 * 0.5, 6);
    expect(r[2]).toBeCloseTo(0 - 0.5 - 0.1 * 0, 6);
    expect(r[4]).toBeCloseTo(1 - 1 - 0.1 * 1, 6);
    // Episode 1: all in key; D 2·(−0.1) at the end.
    expect(r[1]).toBeCloseTo(1 - 0.1 * 0, 6);
    expect(r[3]).toBeCloseTo(1 - 0.1 * 1, 6);
    expect(r[5]).toBeCloseTo(1 - 0.2 - 0, 6);
    expect(result.inKeyShare).toBeCloseTo(4 / 6, 6);
    expect(result.terms.discriminator).toBeCloseTo((-1 - 0.2) / 2, 6);
    expect(result.meanReward).toBeCloseTo(r.reduce((a, b) => a + b, 0) / 2, 5);
  });

  it("spreads the discriminator's reward over the steps when asked", () => {
    const spread = batchRewards(batch, { ...weights, discriminatorAt: 'spread', inKey: 0, repeats: 0, kl: 0 }, { kind: 'corpus' }, C_MAJOR_KEY, Float32Array.of(-0.6, -0.3));
    expect(Array.from(spread.rewards).map((value) => Number(value.toFixed(5)))).toEqual([-0.4, -0.2, -0.4, -0.2, -0.4, -0.2]);
  });

  it('returns, batch-mean and moving-average baselines', () => {
    const rewards = Float32Array.of(1, 0, 0, 2, 1, 0); // B = 2, L = 3
    expect(Array.from(discountedReturns(rewards, 2, 3, 1))).toEqual([2, 2, 1, 2, 1, 0]);
    expect(Array.from(discountedReturns(rewards, 2, 3, 0.5))).toEqual([1.25, 1, 0.5, 2, 1, 0]);
    const returns = discountedReturns(rewards, 2, 3, 1);
    const batchMean = advantages(returns, 2, 3, { kind: 'batch-mean', decay: 0.9, previous: null });
    expect(Array.from(batchMean.advantages)).toEqual([0, 0, -0.5, 0.5, 0.5, -0.5]);
    expect(batchMean.baseline).toBeNull();
    const first = advantages(returns, 2, 3, { kind: 'moving-average', decay: 0.5, previous: null });
    expect(first.baseline).toEqual([2, 1.5, 0.5]);
    const second = advantages(returns, 2, 3, { kind: 'moving-average', decay: 0.5, previous: [0, 1, 1] });
    expect(Array.from(second.advantages)).toEqual([2, 2, 0, 1, 0, -1]);
    expect(second.baseline).toEqual([1, 1.25, 0.75]);
  });
});
