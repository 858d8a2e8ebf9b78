import { describe, expect, it } from 'vitest';
import { MAX_SPLIT_SEED, nextSeed, parseSeed, randomSeed } from '../../../renderer/src/views/library/resplit-model';

describe('re-split seed', () => {
  it('offers the next seed, wrapping inside the accepted range', () => {
    expect(nextSeed(41)).toBe(42);
    expect(nextSeed(null)).toBe(1);
    expect(nextSeed(MAX_SPLIT_SEED)).toBe(1);
  });

  it('draws random seeds in range', () => {
    expect(randomSeed(() => 0)).toBe(0);
    expect(randomSeed(() => 0.999999999999)).toBeLessThanOrEqual(MAX_SPLIT_SEED);
    expect(randomSeed(() => 0.5)).toBe(2 ** 30);
  });

  it('accepts whole numbers in range and says why others are refused', () => {
    expect(parseSeed(' 123 ')).toEqual({ seed: 123 });
    expect(parseSeed('0')).toEqual({ seed: 0 });
    expect(parseSeed('')).toEqual({ error: 'Enter a seed.' });
    expect(parseSeed('-1')).toEqual({ error: 'A seed is a whole number ≥ 0.' });
    expect(parseSeed('1.5')).toEqual({ error: 'A seed is a whole number ≥ 0.' });
    expect(parseSeed(String(MAX_SPLIT_SEED + 1))).toEqual({ error: 'A seed is at most 2,147,483,647.' });
  });
});
