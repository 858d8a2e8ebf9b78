// Conditioning is exact, checked against enumeration on tiny pitch ranges: a frame sampled with a
// clamped pitch ABOVE free ones follows p(free | clamped) (importance resampling + Gibbs), where
// plain ancestral sampling does not; infill's Metropolis-Hastings draws the region from
// p(region | before, after).
import { describe, expect, it } from 'vitest';
import { initialPolyphonicWeights, type PolyphonicConfig } from '../../../core/models/polyphonic/config';
import { framesToPianoRoll, framesFromPianoRoll, type Frames } from '../../../core/models/polyphonic/frames';
import { FrameDistribution, PolyphonicNet } from '../../../core/models/polyphonic/inference';
import type { PolyphonicWeights } from '../../../core/models/polyphonic/model';
import { SeededRandom } from '../../../core/models/polyphonic/random';
import { infill } from '../../../core/models/polyphonic/uses';

function totalVariation(p: readonly number[], q: readonly number[]): number {
  return 0.5 * p.reduce((sum, value, k) => sum + Math.abs(value - q[k]!), 0);
}

function randomArray(random: SeededRandom, length: number, scale: number): Float32Array {
  return Float32Array.from({ length }, () => (2 * random.next() - 1) * scale);
}

describe('a frame sampled with clamped pitches', () => {
  const D = 6;
  const H = 5;
  const random = new SeededRandom(20);
  const distribution = new FrameDistribution(Float64Array.from(randomArray(random, D, 1.5)), Float64Array.from(randomArray(random, H, 1.5)), randomArray(random, D * H, 3), randomArray(random, D * H, 3));
  // Harmonizing: pitch 4 given (sounding), pitch 5 above it silent, pitches 0..3 free below.
  const clamp = Int8Array.from([-1, -1, -1, -1, 1, 0]);
  const free = 4;
  const frameOf = (code: number): Uint8Array => Uint8Array.from({ length: D }, (_, i) => (i < free ? (code >> i) & 1 : clamp[i]!));
  const exact = (() => {
    const weights = Array.from({ length: 1 << free }, (_, code) => Math.exp(distribution.logProb(frameOf(code))));
    const total = weights.reduce((sum, w) => sum + w, 0);
    return weights.map((w) => w / total);
  })();
  const empirical = (samples: number, proposals: number, sweeps: number): number[] => {
    const draws = new SeededRandom(5);
    const counts = new Array<number>(1 << free).fill(0);
    for (let s = 0; s < samples; s++) {
      const { frame, logProb } = distribution.sampleConstrained(draws, clamp, { temperature: 1, proposals, sweeps });
      expect(frame[4]).toBe(1);
      expect(frame[5]).toBe(0);
      let code = 0;
      for (let i = 0; i < free; i++) code |= frame[i]! << i;
      counts[code]!++;
      if (s < 5) expect(logProb).toBeCloseTo(distribution.logProb(frame), 9);
    }
    return counts.map((count) => count / samples);
  };

  it('follows p(free | clamped) exactly (total variation within sampling noise of 8000 draws)', () => {
    // The conditional is far from uniform: the test can tell distributions apart.
    expect(Math.max(...exact)).toBeGreaterThan(0.15);
    expect(totalVariation(empirical(8000, 16, 2), exact)).toBeLessThan(0.04);
  });

  it('plain ancestral sampling (which ignores a clamp above) does not', () => {
    expect(totalVariation(empirical(8000, 1, 0), exact)).toBeGreaterThan(0.1);
  });
});

describe('infill', () => {
  it("draws the region from p(region | before, after) by Metropolis-Hastings, unlike the past-only pass", () => {
    const config: PolyphonicConfig = {
      kind: 'rnn-nade',
      range: { low: 60, high: 62 },
      resolution: 4,
      units: [6],
      nadeHidden: 4,
      dropout: 0,
      inputDropout: 0,
      skipInput: false,
      learningRate: 0.01,
      seed: 9,
    };
    // Initial weights, scaled up so that frames depend strongly on each other.
    const model: PolyphonicWeights = { config, weights: initialPolyphonicWeights(config).map((weight) => ({ ...weight, values: weight.values.map((v) => v * 4) })) };
    const D = 3;
    const frames: Frames = { steps: 5, pitches: D, data: Uint8Array.from([1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1]) };
    const roll = framesToPianoRoll(frames, config.range, 4);
    const net = new PolyphonicNet(model);
    const sequenceLogProb = (data: Uint8Array): number => {
      const state = net.initialState();
      let previous = new Uint8Array(D);
      let total = 0;
      for (let t = 0; t < 5; t++) {
        net.advance(state, previous);
        previous = data.slice(t * D, (t + 1) * D);
        total += net.distribution(state).logProb(previous);
      }
      return total;
    };
    // The region is steps 1..2: 6 cells, 64 configurations.
    const withRegion = (code: number): Uint8Array => {
      const data = Uint8Array.from(frames.data);
      for (let k = 0; k < 6; k++) data[D + k] = (code >> k) & 1;
      return data;
    };
    const exactWeights = Array.from({ length: 64 }, (_, code) => Math.exp(sequenceLogProb(withRegion(code))));
    const total = exactWeights.reduce((sum, w) => sum + w, 0);
    const exact = exactWeights.map((w) => w / total);
    const empirical = (lookahead: number): number[] => {
      const counts = new Array<number>(64).fill(0);
      let n = 0;
      for (let seed = 1; seed <= 100; seed++) {
        for (const variation of infill(model, roll, { startStep: 1, endStep: 3 }, { variations: 50, seed, lookahead, refineSweeps: 20 })) {
          const data = framesFromPianoRoll(variation.roll, config.range).data;
          // Outside the region nothing changes.
          expect(Array.from(data.subarray(3 * D))).toEqual(Array.from(frames.data.subarray(3 * D)));
          let code = 0;
          for (let k = 0; k < 6; k++) code |= data[D + k]! << k;
          counts[code]!++;
          n++;
        }
      }
      return counts.map((count) => count / n);
    };
    expect(totalVariation(empirical(2), exact)).toBeLessThan(0.05);
    expect(totalVariation(empirical(0), exact)).toBeGreaterThan(0.1);
  });
});
