// What a comparison exports: RFC 4180 CSV rows, safe file names, one folder of samples per model.
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, comparisonCsv, csvField, csvLine, safeFileName, sampleFileName, sampleFiles } from '../../../core/comparisons';
import { ComparisonResultsSchema } from '../../../core/ipc/schemas';
import { compareSets, MUSPY_METRIC_NAMES, musPyMetrics, YANG_LERCH_FEATURE_NAMES } from '../../../core/metrics';
import { describePieces } from '../../../core/music/stats';
import { legato, makePiece } from '../metrics/support';

describe('csv fields', () => {
  it('quotes only what must be quoted, doubling quotes, and leaves undefined values empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(Number.POSITIVE_INFINITY)).toBe('');
    expect(csvField(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvField(-2)).toBe('-2');
    expect(csvField(true)).toBe('true');
    expect(csvLine(['x', null, 'y,z', 3])).toBe('x,,"y,z",3');
  });
});

describe('comparisonCsv', () => {
  const piece = (pitches: number[], name: string) => makePiece({ name, ppq: 4, tracks: [{ notes: legato(pitches, 4) }] });
  const reference = [piece([60, 62, 64, 65], 'r1'), piece([67, 65, 64, 62], 'r2'), piece([60, 64, 67, 72], 'r3')];
  const generated = [piece([60, 61, 62, 63], 'g1'), piece([70, 60, 70, 60], 'g2')];
  const results = ComparisonResultsSchema.parse({
    reference: { split: 'test', pieces: 3, musPy: musPyMetrics(reference), statistics: describePieces(reference), pieceIds: [1, 2, 3] },
    models: [
      {
        modelId: 7,
        modelName: 'Tiny, "quoted" HMM',
        family: 'hmm',
        representation: 'pitch',
        nllPerToken: 1.5,
        perplexity: Math.exp(1.5),
        nllIsBound: false,
        discrete: true,
        trainingSeconds: 0.25,
        sizeBytes: 1234,
        history: [{ iteration: 1, logLikelihoodPerToken: -2 }],
        clipIds: [10, 11],
        musPy: musPyMetrics(generated),
        relative: compareSets(reference, generated),
        statistics: describePieces(generated),
      },
    ],
  });

  it('has one row per model and metric, the reference first, each of five fields, CRLF line ends', () => {
    const { fileName, text } = comparisonCsv({ id: 3, name: 'A/B: test?', results });
    expect(fileName).toBe('A-B- test-.csv');
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines[0]).toBe(CSV_HEADER.join(','));
    const referenceRows = 1 + 2 * MUSPY_METRIC_NAMES.length;
    const modelRows = 6 + 2 * MUSPY_METRIC_NAMES.length + 2 * YANG_LERCH_FEATURE_NAMES.length;
    expect(lines).toHaveLength(1 + referenceRows + modelRows);
    expect(lines[1]).toBe('Reference (test split),corpus,,pieces,3');
    expect(lines[2]).toBe(`Reference (test split),corpus,,musPy.pitchRange.mean,${results.reference.musPy.metrics.pitchRange.mean}`);
    // The reference scale spans 60..65, 62..67 and 60..72: ranges 5, 5 and 12.
    expect(results.reference.musPy.metrics.pitchRange.mean).toBeCloseTo(22 / 3, 12);
    expect(lines[referenceRows + 1]).toBe('"Tiny, ""quoted"" HMM",hmm,pitch,nllPerToken,1.5');
    expect(lines[referenceRows + 2]).toBe(`"Tiny, ""quoted"" HMM",hmm,pitch,perplexity,${Math.exp(1.5)}`);
    expect(lines[referenceRows + 3]).toBe('"Tiny, ""quoted"" HMM",hmm,pitch,nllIsBound,false');
    expect(lines[referenceRows + 6]).toBe('"Tiny, ""quoted"" HMM",hmm,pitch,samples,2');
    const oa = results.models[0]!.relative.features[0]!.reference!.overlapArea;
    expect(lines).toContain(`"Tiny, ""quoted"" HMM",hmm,pitch,yangLerch.pitchClassHistogram.overlapArea,${oa}`);
  });

  it('is only the header without results', () => {
    expect(comparisonCsv({ id: 4, name: '..', results: null })).toEqual({ fileName: 'comparison-4.csv', text: `${CSV_HEADER.join(',')}\r\n` });
  });
});

describe('file names', () => {
  it('keeps names usable on every system and never climbs out of the folder', () => {
    expect(safeFileName('HMM 8 states · pitch', 'x')).toBe('HMM 8 states · pitch');
    expect(safeFileName('a/b\\c:d*e?f"g<h>i|j', 'x')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(safeFileName('..', 'fallback')).toBe('fallback');
    expect(safeFileName('  .hidden. ', 'x')).toBe('hidden');
    expect(safeFileName('tab\there', 'x')).toBe('tab-here');
    expect(safeFileName('', 'empty')).toBe('empty');
    expect(safeFileName('x'.repeat(300), 'x')).toHaveLength(120);
  });

  it('numbers samples with as many digits as the count needs, at least two', () => {
    expect(sampleFileName(1, 3)).toBe('sample-01.mid');
    expect(sampleFileName(12, 64)).toBe('sample-12.mid');
    expect(sampleFileName(7, 100)).toBe('sample-007.mid');
  });

  it('puts each model’s samples in a folder of its own, also when two models share a name', () => {
    const files = sampleFiles([
      { modelName: 'HMM', clipIds: [1, 2] },
      { modelName: 'hmm', clipIds: [3] },
      { modelName: 'HMM', clipIds: [] },
      { modelName: '../evil', clipIds: [4] },
    ]);
    expect(files).toEqual([
      { clipId: 1, relativePath: 'HMM/sample-01.mid' },
      { clipId: 2, relativePath: 'HMM/sample-02.mid' },
      { clipId: 3, relativePath: 'hmm (2)/sample-01.mid' },
      { clipId: 4, relativePath: '-evil/sample-01.mid' },
    ]);
  });
});
