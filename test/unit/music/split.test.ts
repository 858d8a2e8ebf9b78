import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignSplits, assignSplitsToKeys, fnv1a32, mulberry32, seededRank, splitFromRelativePath } from '../../../core/music/split';
import type { SplitName } from '../../../core/music/types';

const keys = Array.from({ length: 1000 }, (_, index) => `corpus/piece-${index}.mid`);

function tally(assignments: readonly { split: SplitName }[]): Record<SplitName, number> {
  const counts = { train: 0, valid: 0, test: 0 };
  for (const { split } of assignments) counts[split]++;
  return counts;
}

function asMap(assignments: readonly { key: string; split: SplitName }[]): Map<string, SplitName> {
  return new Map(assignments.map(({ key, split }) => [key, split]));
}

describe('assignSplits', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const first = assignSplitsToKeys(keys, 42);
    expect(assignSplitsToKeys(keys, 42)).toEqual(first);
    const other = asMap(assignSplitsToKeys(keys, 43));
    const moved = first.filter(({ key, split }) => other.get(key) !== split).length;
    expect(moved).toBeGreaterThan(100);
  });

  it('gives the asked proportions exactly (largest remainder)', () => {
    expect(tally(assignSplitsToKeys(keys, 7))).toEqual({ train: 800, valid: 100, test: 100 });
    expect(tally(assignSplitsToKeys(keys.slice(0, 10), 7))).toEqual({ train: 8, valid: 1, test: 1 });
    expect(tally(assignSplitsToKeys(keys.slice(0, 382), 7))).toEqual({ train: 306, valid: 38, test: 38 });
    expect(tally(assignSplitsToKeys(keys.slice(0, 9), 7, { train: 0.5, valid: 0.25, test: 0.25 }))).toEqual({ train: 5, valid: 2, test: 2 });
    expect(assignSplitsToKeys([], 7)).toEqual([]);
  });

  it('does not depend on the order of the pieces', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 60 }), fc.integer(), (names, seed) => {
        const forward = asMap(assignSplitsToKeys(names, seed));
        const backward = asMap(assignSplitsToKeys([...names].reverse(), seed));
        expect(backward).toEqual(forward);
      }),
    );
  });

  it('moves few pieces when one is added', () => {
    const before = asMap(assignSplitsToKeys(keys, 1));
    const after = asMap(assignSplitsToKeys([...keys, 'corpus/new.mid'], 1));
    const moved = keys.filter((key) => before.get(key) !== after.get(key)).length;
    expect(moved).toBeLessThanOrEqual(2);
  });

  it('keeps splits that come from folders and splits only the rest', () => {
    const pieces = [
      { key: 'train/a.mid', split: splitFromRelativePath('bach/train/a.mid') },
      { key: 'test/b.mid', split: splitFromRelativePath('bach/test/b.mid') },
      ...keys.slice(0, 10).map((key) => ({ key, split: null })),
    ];
    const result = assignSplits(pieces, 3);
    expect(result.map(({ key }) => key)).toEqual(pieces.map(({ key }) => key));
    expect(result[0]).toEqual({ key: 'train/a.mid', split: 'train', fromFolder: true });
    expect(result[1]).toEqual({ key: 'test/b.mid', split: 'test', fromFolder: true });
    expect(tally(result.slice(2))).toEqual({ train: 8, valid: 1, test: 1 });
    expect(result.slice(2).every(({ fromFolder }) => !fromFolder)).toBe(true);
  });

  it('refuses bad fractions, seeds and duplicate keys', () => {
    expect(() => assignSplitsToKeys(keys, 1, { train: 0.8, valid: 0.1, test: 0.2 })).toThrow(/must add up to 1/);
    expect(() => assignSplitsToKeys(keys, 1, { train: 1.2, valid: -0.1, test: -0.1 })).toThrow(/numbers ≥ 0/);
    expect(() => assignSplitsToKeys(keys, 1.5)).toThrow(/seed must be a whole number/);
    expect(() => assignSplitsToKeys(['a', 'a'], 1)).toThrow(/"a" appears twice/);
  });

  it('hashes with FNV-1a and draws with mulberry32', () => {
    // Published FNV-1a 32-bit test vectors.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    const draw = mulberry32(1);
    const values = [draw(), draw(), draw()];
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBe(3);
    expect(seededRank('x', 5)).toBe(seededRank('x', 5));
  });
});
