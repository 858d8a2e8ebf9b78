// The Compare view's numbers: the table's rows and marks, closest-to-reference, normalised overlaid
// histograms, training curves on one axis, and the number formats.
import { describe, expect, it } from 'vitest';
import {
  buildTable,
  closestToReference,
  curvesOnOneAxis,
  curvesRange,
  extremeOf,
  familyLabel,
  formatDelta,
  formatMeanSd,
  formatNumber,
  formatPerplexity,
  histogramOverlay,
  modelColour,
  MODEL_COLOURS,
  MUSPY_COLUMNS,
  normalise,
  REFERENCE_COLOUR,
  YANG_LERCH_COLUMNS,
} from '../../../renderer/src/views/compare/compare-model';
import { makeComparison, melody } from './compare-fixtures';

describe('closestToReference', () => {
  it('marks the candidate nearest the reference, above or below it', () => {
    expect(closestToReference(10, [{ id: 1, value: 7 }, { id: 2, value: 11.5 }, { id: 3, value: 14 }])).toEqual([2]);
    expect(closestToReference(10, [{ id: 1, value: 9.9 }, { id: 2, value: 10.5 }])).toEqual([1]);
  });

  it('shares the mark on a tie (equal distances either side count as a tie)', () => {
    expect(closestToReference(10, [{ id: 1, value: 8 }, { id: 2, value: 12 }, { id: 3, value: 20 }])).toEqual([1, 2]);
    expect(closestToReference(0.5, [{ id: 4, value: 0.5 }, { id: 5, value: 0.5 }])).toEqual([4, 5]);
  });

  it('marks nothing without a reference, or with fewer than two candidates that have a value', () => {
    expect(closestToReference(null, [{ id: 1, value: 1 }, { id: 2, value: 2 }])).toEqual([]);
    expect(closestToReference(Number.NaN, [{ id: 1, value: 1 }, { id: 2, value: 2 }])).toEqual([]);
    expect(closestToReference(3, [{ id: 1, value: 3 }])).toEqual([]);
    expect(closestToReference(3, [{ id: 1, value: 3 }, { id: 2, value: null }])).toEqual([]);
    expect(closestToReference(3, [{ id: 1, value: 4 }, { id: 2, value: null }, { id: 3, value: 1 }])).toEqual([1]);
  });
});

describe('extremeOf', () => {
  it('finds the largest or smallest, ties included, ignoring missing values', () => {
    expect(extremeOf([{ id: 1, value: 0.4 }, { id: 2, value: 0.9 }, { id: 3, value: null }], 'max')).toEqual([2]);
    expect(extremeOf([{ id: 1, value: 2.1 }, { id: 2, value: 2.1 }, { id: 3, value: 3 }], 'min')).toEqual([1, 2]);
    expect(extremeOf([{ id: 1, value: 2.1 }], 'min')).toEqual([]);
  });
});

describe('buildTable', () => {
  const comparison = makeComparison({
    referenceMeans: { pitchRange: 12, nPitchClassesUsed: 7, polyphony: null },
    models: [
      { modelId: 1, name: 'Small', nll: 2.5, means: { pitchRange: 9, nPitchClassesUsed: 6 }, overlaps: { pitchRange: 0.4, interOnsetInterval: 0.9 } },
      { modelId: 2, name: 'Large', nll: 2.1, means: { pitchRange: 16, nPitchClassesUsed: 8 }, overlaps: { pitchRange: 0.7, interOnsetInterval: null } },
    ],
  });
  const table = buildTable(comparison);

  it('has the reference first, then each model in the comparison’s order, with its colour', () => {
    expect(table.rows.map((row) => [row.kind, row.key, row.name])).toEqual([
      ['reference', 'reference', 'Reference · test split'],
      ['model', '1', 'Small'],
      ['model', '2', 'Large'],
    ]);
    expect(table.rows.map((row) => row.colour)).toEqual([REFERENCE_COLOUR, MODEL_COLOURS[0], MODEL_COLOURS[1]]);
    expect(table.rows[0]!.pieces).toBe(4);
    expect(table.rows[1]!.pieces).toBe(2);
  });

  it('carries likelihoods, training time, size, MusPy summaries and the paper’s overlap measure', () => {
    const small = table.rows[1]!;
    expect(small.likelihood).toEqual({ nllPerToken: 2.5, perplexity: Math.exp(2.5), isBound: false, discrete: true });
    expect(small.trainingSeconds).toBe(3.5);
    expect(small.sizeBytes).toBe(2048);
    expect(small.musPy.pitchRange).toEqual({ n: 2, mean: 9, sd: 0.5 });
    expect(Object.keys(small.musPy)).toEqual(MUSPY_COLUMNS.map((column) => column.metric));
    expect(small.yangLerch.pitchRange).toEqual({ overlapArea: 0.4, kl: 1 - 0.4 });
    expect(table.rows[2]!.yangLerch.interOnsetInterval).toBeNull();
    expect(table.rows[0]!.likelihood).toBeNull();
    expect(table.rows[0]!.musPy.polyphony).toEqual({ n: 0, mean: null, sd: null });
  });

  it('marks the model closest to the reference per metric, the best overlap per feature, the lowest NLL', () => {
    // pitchRange: |9 − 12| = 3 beats |16 − 12| = 4; pitch classes 6 and 8 tie around 7.
    expect(table.closest.pitchRange).toEqual([1]);
    expect(table.closest.nPitchClassesUsed).toEqual([1, 2]);
    // The reference's polyphony is undefined: nothing is closest.
    expect(table.closest.polyphony).toEqual([]);
    expect(table.bestOverlap.pitchRange).toEqual([2]);
    // Only one model has an IOI overlap: a lone value is not "best".
    expect(table.bestOverlap.interOnsetInterval).toEqual([]);
    expect(table.bestNll).toEqual([2]);
  });

  it('does not rank likelihoods that are densities or bounds', () => {
    const mixed = buildTable(
      makeComparison({
        models: [
          { modelId: 1, name: 'Pitch', nll: 2.5 },
          { modelId: 2, name: 'Notes', nll: -1.2, discrete: false },
          { modelId: 3, name: 'VAE', nll: 1.1, bound: true },
        ],
      }),
    );
    expect(mixed.rows[2]!.likelihood).toEqual({ nllPerToken: -1.2, perplexity: null, isBound: false, discrete: false });
    expect(mixed.bestNll).toEqual([]);
  });

  it('shows a placeholder row per model still being measured while the job runs, in the model’s colour', () => {
    const running = makeComparison({ status: 'running', modelIds: [1, 2, 3], models: [{ modelId: 1, name: 'Small' }] });
    const partial = buildTable(running, [{ id: 3, name: 'Third', family: 'hmm', representation: 'event' }]);
    expect(partial.rows.map((row) => [row.kind, row.name, row.colour])).toEqual([
      ['reference', 'Reference · test split', REFERENCE_COLOUR],
      ['model', 'Small', MODEL_COLOURS[0]],
      ['pending', 'Model 2', MODEL_COLOURS[1]],
      ['pending', 'Third', MODEL_COLOURS[2]],
    ]);
    expect(partial.rows[3]!.representation).toBe('event');
    // Before the reference is measured there are only placeholders.
    const early = buildTable(makeComparison({ status: 'running', modelIds: [1, 2], models: null }));
    expect(early.rows.map((row) => row.kind)).toEqual(['pending', 'pending']);
    // A finished comparison has no placeholders.
    expect(buildTable(makeComparison({ status: 'cancelled', modelIds: [1, 2], models: null })).rows).toEqual([]);
  });
});

describe('normalise', () => {
  it('turns counts into shares that add up to 1', () => {
    expect(normalise([1, 3, 0, 4])).toEqual([0.125, 0.375, 0, 0.5]);
    expect(normalise([0, 0])).toEqual([0, 0]);
    expect(normalise([])).toEqual([]);
  });

  it('refuses counts that are not counts', () => {
    expect(() => normalise([1, -1])).toThrow(/count is a number ≥ 0/);
    expect(() => normalise([Number.NaN])).toThrow(/count/);
  });
});

describe('histogramOverlay', () => {
  const comparison = makeComparison({
    referencePieces: [melody([60, 62, 64, 60]), melody([67, 67, 60, 60])],
    models: [
      { modelId: 7, name: 'Small', samples: [melody([60, 60, 60, 62])] },
      { modelId: 8, name: 'Large', samples: [melody([61, 61]), melody([61, 62])] },
    ],
  });

  it('normalises the reference and every model to pitch-class shares, named and coloured', () => {
    const overlay = histogramOverlay(comparison.results!, 'pitchClass', comparison.modelIds);
    expect(overlay.labels).toHaveLength(12);
    expect(overlay.tickLabels[1]).toBe('C#');
    expect(overlay.series.map((series) => [series.key, series.name, series.reference, series.total])).toEqual([
      ['reference', 'Reference (test)', true, 8],
      ['7', 'Small', false, 4],
      ['8', 'Large', false, 4],
    ]);
    const [reference, small, large] = overlay.series;
    expect(reference!.shares.slice(0, 8)).toEqual([4 / 8, 0, 1 / 8, 0, 1 / 8, 0, 0, 2 / 8]);
    expect(small!.shares[0]).toBe(0.75);
    expect(small!.shares[2]).toBe(0.25);
    expect(large!.shares[1]).toBe(0.75);
    for (const series of overlay.series) expect(series.shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
    expect(overlay.series.map((series) => series.colour)).toEqual([REFERENCE_COLOUR, MODEL_COLOURS[0], MODEL_COLOURS[1]]);
  });

  it('bins inter-onset intervals and durations by note value', () => {
    const ioi = histogramOverlay(comparison.results!, 'interOnset');
    expect(ioi.labels).toHaveLength(9);
    // Every onset follows the last by a quarter note: all intervals fall in the 1/4 bin.
    const quarterBin = ioi.tickLabels.indexOf('1/4');
    expect(quarterBin).toBeGreaterThan(0);
    for (const series of ioi.series) expect(series.shares[quarterBin]).toBe(1);
    const durations = histogramOverlay(comparison.results!, 'duration');
    expect(durations.series[0]!.total).toBe(8);
  });

  it('keeps a model’s colour by its place in the comparison', () => {
    const overlay = histogramOverlay(comparison.results!, 'pitchClass', [8, 7]);
    expect(overlay.series.map((series) => series.colour)).toEqual([REFERENCE_COLOUR, MODEL_COLOURS[1], MODEL_COLOURS[0]]);
  });
});

describe('curvesOnOneAxis', () => {
  it('puts every model’s training curve on the union of their iterations, a later report winning', () => {
    const curves = curvesOnOneAxis([
      { modelId: 1, modelName: 'A', history: [{ iteration: 1, logLikelihoodPerToken: -3 }, { iteration: 2, logLikelihoodPerToken: -2 }, { iteration: 2, logLikelihoodPerToken: -1.9 }] },
      { modelId: 2, modelName: 'B', history: [{ iteration: 1, logLikelihoodPerToken: -4 }, { iteration: 3, logLikelihoodPerToken: Number.NaN }, { iteration: 4, logLikelihoodPerToken: -2.5 }] },
    ]);
    expect(curves.iterations).toEqual([1, 2, 4]);
    expect(curves.series.map((series) => series.values)).toEqual([
      [-3, -1.9, null],
      [-4, null, -2.5],
    ]);
    expect(curvesRange(curves)).toEqual([-4 - 2.1 * 0.08, -1.9 + 2.1 * 0.08]);
    expect(curvesRange(curvesOnOneAxis([]))).toBeNull();
  });
});

describe('formats', () => {
  it('writes numbers with a true minus and a fixed number of decimals', () => {
    expect(formatNumber(-2.4134, 3)).toBe('\u22122.413');
    expect(formatNumber(-0.0001, 2)).toBe('0.00');
    expect(formatNumber(null, 2)).toBe('—');
    expect(formatNumber(Number.POSITIVE_INFINITY, 2)).toBe('—');
    expect(formatPerplexity(8.123)).toBe('8.12');
    expect(formatPerplexity(42.25)).toBe('42.3');
    expect(formatPerplexity(1234.4)).toBe('1234');
    expect(formatPerplexity(null)).toBe('—');
  });

  it('writes a set as mean ± SD and a model against the reference', () => {
    expect(formatMeanSd({ n: 3, mean: 12.34, sd: 1.25 }, 1)).toEqual({ mean: '12.3', sd: '± 1.3' });
    expect(formatMeanSd({ n: 0, mean: null, sd: null }, 1)).toEqual({ mean: '—', sd: null });
    expect(formatMeanSd(undefined, 1)).toEqual({ mean: '—', sd: null });
    expect(formatDelta(9, 12, 1)).toBe('\u22123.0 vs reference');
    expect(formatDelta(0.75, 0.5, 2)).toBe('+0.25 vs reference');
    expect(formatDelta(1, null, 2)).toBeNull();
  });

  it('names families and cycles colours', () => {
    expect(familyLabel('hmm')).toBe('HMM');
    expect(familyLabel('transformer')).toBe('Transformer');
    expect(familyLabel('gan')).toBe('GAN');
    expect(modelColour(0)).toBe(MODEL_COLOURS[0]);
    expect(modelColour(MODEL_COLOURS.length + 1)).toBe(MODEL_COLOURS[1]);
    expect(new Set(MODEL_COLOURS).size).toBe(8);
  });

  it('has a column for each of the ten MusPy metrics issue 8 names and the six Yang & Lerch features', () => {
    expect(MUSPY_COLUMNS.map((column) => column.metric)).toEqual([
      'pitchRange',
      'nPitchesUsed',
      'nPitchClassesUsed',
      'polyphony',
      'polyphonyRate',
      'scaleConsistency',
      'pitchEntropy',
      'pitchClassEntropy',
      'emptyBeatRate',
      'grooveConsistency',
    ]);
    expect(YANG_LERCH_COLUMNS).toHaveLength(6);
  });
});
