// A/B tallies and the likelihood columns of a comparison.
import { describe, expect, it } from 'vitest';
import { comparisonClipName, comparisonName, likelihoodFigures, tallyPreferences } from '../../../core/comparisons';

describe('tallyPreferences', () => {
  it('gives the preferred side a win and the other a loss, both a tie for "same", in the models’ order', () => {
    const tallies = tallyPreferences(
      [5, 3, 9],
      [
        { modelA: 5, modelB: 3, preferred: 'a' },
        { modelA: 5, modelB: 3, preferred: 'b' },
        { modelA: 3, modelB: 5, preferred: 'b' },
        { modelA: 3, modelB: 3, preferred: 'same' },
      ],
    );
    expect(tallies).toEqual([
      { modelId: 5, wins: 2, losses: 1, ties: 0 },
      { modelId: 3, wins: 1, losses: 2, ties: 2 },
      { modelId: 9, wins: 0, losses: 0, ties: 0 },
    ]);
  });

  it('counts both outcomes for two samples of one model, and ignores models not in the comparison', () => {
    expect(tallyPreferences([1], [{ modelA: 1, modelB: 1, preferred: 'a' }, { modelA: 1, modelB: 2, preferred: 'b' }])).toEqual([
      { modelId: 1, wins: 1, losses: 2, ties: 0 },
    ]);
    expect(tallyPreferences([], [{ modelA: 1, modelB: 2, preferred: 'a' }])).toEqual([]);
  });
});

describe('likelihoodFigures', () => {
  it('reads a discrete representation’s NLL as a cross-entropy with a perplexity', () => {
    const pitch = likelihoodFigures('pitch', -Math.log(4));
    expect(pitch).toMatchObject({ nllPerToken: Math.log(4), nllIsBound: false, discrete: true });
    expect(pitch.perplexity).toBeCloseTo(4, 12);
    const event = likelihoodFigures('event', -2.5);
    expect(event.nllPerToken).toBe(2.5);
    expect(event.perplexity).toBeCloseTo(Math.exp(2.5), 12);
    expect(event.discrete).toBe(true);
  });

  it('gives a density (the note HMM) no perplexity, and nothing for an unknown likelihood', () => {
    expect(likelihoodFigures('note', 1.7)).toEqual({ nllPerToken: -1.7, perplexity: null, nllIsBound: false, discrete: false });
    expect(likelihoodFigures('pitch', null)).toEqual({ nllPerToken: null, perplexity: null, nllIsBound: false, discrete: true });
    expect(likelihoodFigures('pitch', Number.NEGATIVE_INFINITY)).toEqual({ nllPerToken: null, perplexity: null, nllIsBound: false, discrete: true });
  });
});

describe('names', () => {
  it('names a comparison after its models and corpus, and its samples after model, comparison and number', () => {
    expect(comparisonName('JSB', ['A', 'B'])).toBe('A vs B on JSB');
    expect(comparisonName('JSB', ['A', 'B', 'C', 'D'])).toBe('4 models on JSB');
    expect(comparisonName('x'.repeat(300), ['A']).length).toBe(200);
    expect(comparisonClipName('HMM 8 states · pitch', 4, 2)).toBe('HMM 8 states · pitch · comparison 4 · sample 2');
  });
});
