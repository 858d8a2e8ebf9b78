// A/B listening's logic: the samples of a comparison, random pairs (two models, shuffled sides,
// never the same sample twice), blind labels, the outcome sentence and the tallies.
import { describe, expect, it } from 'vitest';
import { describeOutcome, preferencesRecorded, randomPair, samplesOf, sideLabel, tallyRows, type Sample } from '../../../renderer/src/views/compare/ab-model';
import { MODEL_COLOURS } from '../../../renderer/src/views/compare/compare-model';
import { makeComparison, melody } from './compare-fixtures';

/** A seeded generator (mulberry32), so a test can draw many pairs reproducibly. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns the given values in turn. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length]!;
}

const comparison = makeComparison({
  models: [
    { modelId: 1, name: 'Small', clipIds: [11, 12, 13], samples: [melody([60]), melody([62]), melody([64])] },
    { modelId: 2, name: 'Large', clipIds: [21, 22, 23], samples: [melody([60]), melody([62]), melody([64])] },
  ],
});
const samples = samplesOf(comparison);

describe('samplesOf', () => {
  it('lists every sample with its model, 1-based number and the model’s colour', () => {
    expect(samples.map((sample) => [sample.clipId, sample.modelId, sample.modelName, sample.number])).toEqual([
      [11, 1, 'Small', 1],
      [12, 1, 'Small', 2],
      [13, 1, 'Small', 3],
      [21, 2, 'Large', 1],
      [22, 2, 'Large', 2],
      [23, 2, 'Large', 3],
    ]);
    expect(samples[0]!.colour).toBe(MODEL_COLOURS[0]);
    expect(samples[3]!.colour).toBe(MODEL_COLOURS[1]);
    expect(samplesOf(makeComparison({ models: null, modelIds: [1] }))).toEqual([]);
  });
});

describe('randomPair', () => {
  it('takes one sample from each of two models, and tosses a coin for which side is A', () => {
    // Draws: first model (0 → model 1), second model, sample of model 1 (0.5 → 12), sample of model 2 (0.99 → 23), then the side toss.
    expect(randomPair(samples, sequence(0, 0, 0.5, 0.99, 0.2))).toMatchObject({ a: { clipId: 12 }, b: { clipId: 23 } });
    expect(randomPair(samples, sequence(0, 0, 0.5, 0.99, 0.7))).toMatchObject({ a: { clipId: 23 }, b: { clipId: 12 } });
  });

  it('always pairs two different models when there are two, and puts each model on side A about half the time', () => {
    const random = seeded(42);
    let smallOnA = 0;
    const draws = 2000;
    for (let index = 0; index < draws; index++) {
      const pair = randomPair(samples, random)!;
      expect(pair.a.modelId).not.toBe(pair.b.modelId);
      if (pair.a.modelId === 1) smallOnA++;
    }
    // Blind mode relies on it: "A" must say nothing about the model.
    expect(smallOnA / draws).toBeGreaterThan(0.45);
    expect(smallOnA / draws).toBeLessThan(0.55);
  });

  it('pairs two different samples of one model when there is one model', () => {
    const single = samplesOf(makeComparison({ models: [{ modelId: 3, name: 'Only', clipIds: [31, 32], samples: [melody([60]), melody([61])] }] }));
    const random = seeded(7);
    for (let index = 0; index < 50; index++) {
      const pair = randomPair(single, random)!;
      expect(new Set([pair.a.clipId, pair.b.clipId])).toEqual(new Set([31, 32]));
    }
  });

  it('does not repeat the pair just heard when another exists, and gives nothing with fewer than two samples', () => {
    const random = seeded(3);
    let previous = randomPair(samples, random);
    for (let index = 0; index < 200; index++) {
      const next = randomPair(samples, random, previous)!;
      const same = new Set([next.a.clipId, next.b.clipId]);
      expect(same.has(previous!.a.clipId) && same.has(previous!.b.clipId)).toBe(false);
      previous = next;
    }
    expect(randomPair(samples.slice(0, 1))).toBeNull();
    expect(randomPair([])).toBeNull();
  });
});

describe('labels and outcome', () => {
  const a: Sample = samples[1]!;
  const b: Sample = samples[5]!;

  it('hides the models while blind and undecided, names them otherwise', () => {
    expect(sideLabel(a, 'a', true)).toBe('A');
    expect(sideLabel(b, 'b', true)).toBe('B');
    expect(sideLabel(a, 'a', false)).toBe('Small · sample 2');
    expect(sideLabel(b, 'b', false)).toBe('Large · sample 3');
  });

  it('reveals both sides in the outcome', () => {
    expect(describeOutcome({ a, b }, 'a')).toBe('You preferred A (Small · sample 2) over B (Large · sample 3).');
    expect(describeOutcome({ a, b }, 'b')).toBe('You preferred B (Large · sample 3) over A (Small · sample 2).');
    expect(describeOutcome({ a, b }, 'same')).toBe('No preference between A (Small · sample 2) and B (Large · sample 3).');
  });
});

describe('tallyRows', () => {
  it('gives each model its wins, ties and losses and a preference share', () => {
    const tallied = makeComparison({
      models: [
        { modelId: 1, name: 'Small' },
        { modelId: 2, name: 'Large' },
      ],
      preferences: [
        { modelId: 1, wins: 3, losses: 1, ties: 2 },
        { modelId: 2, wins: 1, losses: 3, ties: 2 },
      ],
    });
    const rows = tallyRows(tallied);
    expect(rows.map((row) => [row.name, row.wins, row.ties, row.losses, row.judged, row.score])).toEqual([
      ['Small', 3, 2, 1, 6, 4 / 6],
      ['Large', 1, 2, 3, 6, 2 / 6],
    ]);
    expect(rows[1]!.colour).toBe(MODEL_COLOURS[1]);
    expect(preferencesRecorded(rows)).toBe(6);
  });

  it('reads no preference yet as no share, and a model missing from the tallies as zero', () => {
    const rows = tallyRows(makeComparison({ preferences: [{ modelId: 1, wins: 0, losses: 0, ties: 0 }] }));
    expect(rows.map((row) => [row.modelId, row.judged, row.score])).toEqual([
      [1, 0, null],
      [2, 0, null],
    ]);
    expect(preferencesRecorded(rows)).toBe(0);
  });
});
