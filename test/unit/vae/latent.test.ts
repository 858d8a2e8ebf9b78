// Latent arithmetic (slerp keeps the norm between the endpoints', lerp does not) and the training
// schedules' formulas (KL annealing, free bits, inverse-sigmoid scheduled sampling).
import { describe, expect, it } from 'vitest';
import { mulberry32, normal } from '../../../core/models/hmm/random';
import { addScaled, attributeVector, interpolate, lerp, norm, slerp } from '../../../core/models/vae/latent';
import { gaussianKl, klCost, klWeight, samplingProbability, validateSamplingSchedule } from '../../../core/models/vae/schedules';

function gaussian(seed: number, size: number, scale = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: size }, () => scale * normal(random));
}

describe('interpolation', () => {
  it('slerp starts and ends at the endpoints and keeps every norm between theirs; lerp dips below', () => {
    const a = gaussian(1, 32);
    const b = gaussian(2, 32, 1.5);
    const path = interpolate(a, b, 9, 'slerp');
    expect(path).toHaveLength(9);
    expect(Array.from(path[0]!)).toEqual(Array.from(a).map((v) => expect.closeTo(v, 5)));
    expect(Array.from(path[8]!)).toEqual(Array.from(b).map((v) => expect.closeTo(v, 5)));
    const [low, high] = [Math.min(norm(a), norm(b)), Math.max(norm(a), norm(b))];
    for (const z of path) {
      expect(norm(z)).toBeGreaterThanOrEqual(low - 1e-4);
      expect(norm(z)).toBeLessThanOrEqual(high + 1e-4);
    }
    // The straight line between two nearly orthogonal codes of the prior passes well inside the ball.
    const c = gaussian(3, 32);
    const lowest = Math.min(norm(a), norm(c));
    const straight = interpolate(a, c, 9, 'lerp');
    expect(norm(straight[4]!)).toBeLessThan(lowest * 0.9);
    for (const z of interpolate(a, c, 9, 'slerp')) expect(norm(z)).toBeGreaterThanOrEqual(lowest - 1e-4);
  });

  it('slerp of equal-norm orthogonal vectors follows the circle', () => {
    const z = slerp([1, 0], [0, 1], 0.5);
    expect(z[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(z[1]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(Array.from(lerp([1, 0], [0, 1], 0.5))).toEqual([0.5, 0.5]);
    // Parallel and zero endpoints do not divide by zero.
    expect(Array.from(slerp([2, 0], [4, 0], 0.5))).toEqual([3, 0]);
    expect(Array.from(slerp([0, 0], [4, 0], 0.25))).toEqual([1, 0]);
    expect(() => interpolate([1], [2], 1)).toThrow(/at least 2 steps/);
    expect(() => slerp([1, 2], [1], 0.5)).toThrow(/sizes 2 and 1/);
  });

  it('attribute vectors: mean code of the high segments minus that of the low ones', () => {
    const codes = [[0, 0], [1, 0], [0, 2], [3, 4]];
    expect(Array.from(attributeVector(codes, [0.1, 0.2, 0.3, 0.9], 0.25))).toEqual([3, 4]);
    expect(Array.from(attributeVector(codes, [0.1, 0.2, 0.3, 0.9], 0.5))).toEqual([1, 3]);
    expect(Array.from(addScaled([1, 1], [3, 4], -0.5))).toEqual([-0.5, -1]);
    expect(() => attributeVector([[0]], [1])).toThrow(/at least 2 segments/);
  });
});

describe('schedules', () => {
  it('anneal β from 0 to β_max as 1 − rate^t', () => {
    expect(klWeight(0, 0.2, 0.99)).toBe(0);
    expect(klWeight(1, 0.2, 0.99)).toBeCloseTo(0.2 * 0.01, 12);
    expect(klWeight(100, 0.2, 0.99)).toBeCloseTo(0.2 * (1 - 0.99 ** 100), 12);
    expect(klWeight(1e7, 0.2, 0.99)).toBeCloseTo(0.2, 12);
  });

  it('let the free nats of KL cost nothing, per sequence', () => {
    expect(klCost(10, 4)).toBe(6);
    expect(klCost(3, 4)).toBe(0);
    // KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²): 0 for the prior itself.
    expect(gaussianKl([0, 0], [0, 0])).toBe(0);
    expect(gaussianKl([1], [Math.log(4)])).toBeCloseTo(0.5 * (1 + 4 - 1 - Math.log(4)), 12);
  });

  it('raise the sampling probability along an inverse sigmoid, capped', () => {
    const schedule = { kind: 'inverse-sigmoid', rate: 100, max: 0.9 } as const;
    expect(samplingProbability(schedule, 0)).toBeCloseTo(1 - 100 / 101, 12);
    expect(samplingProbability(schedule, 460)).toBeCloseTo(1 - 100 / (100 + Math.exp(4.6)), 12);
    expect(samplingProbability(schedule, 1e6)).toBe(0.9);
    const values = [0, 200, 400, 600, 800].map((step) => samplingProbability(schedule, step));
    for (let k = 1; k < values.length; k++) expect(values[k]!).toBeGreaterThan(values[k - 1]!);
    expect(samplingProbability({ kind: 'constant', probability: 0.25 }, 1234)).toBe(0.25);
    expect(() => validateSamplingSchedule({ kind: 'constant', probability: 2 })).toThrow(/in \[0, 1\]/);
    expect(() => validateSamplingSchedule({ kind: 'inverse-sigmoid', rate: 0, max: 1 })).toThrow(/rate k/);
  });
});
