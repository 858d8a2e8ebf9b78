// Yang & Lerch's absolute and relative measurement of two sets: distances by hand, the report checked
// against a plain recomputation, sets that must overlap and sets that must not, and the JSB chorales.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSets, interSetDistances, intraSetDistances, type ComparisonReport, type FeatureComparison } from '../../../core/metrics/compare';
import { compareSamples } from '../../../core/metrics/kde';
import { musPyMetrics } from '../../../core/metrics/muspy';
import { ComparisonReportSchema } from '../../../core/metrics/schema';
import { YANG_LERCH_FEATURE_NAMES, yangLerchFeatures, type YangLerchFeatureName } from '../../../core/metrics/yang-lerch';
import { parseMidi } from '../../../core/midi/parse-midi';
import { mulberry32 } from '../../../core/music/split';
import type { Piece } from '../../../core/music/types';
import { hasJsb, JSB_MISSING, jsbMidiRoot } from '../../support/paths';
import { cMajorScale, legato, makePiece, melody } from './support';

function feature(report: ComparisonReport, name: YangLerchFeatureName): FeatureComparison {
  return report.features.find((entry) => entry.feature === name)!;
}

/** Seeded random melodies (+ an optional second voice) drawn from a pitch set and note lengths (ticks at ppq 4). */
function randomSet(seed: number, count: number, pitches: readonly number[], lengths: readonly number[]): Piece[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  return Array.from({ length: count }, (_, index) => {
    let ticks = 0;
    const notes = Array.from({ length: 16 + Math.floor(random() * 16) }, () => {
      const durationTicks = pick(lengths);
      const note = { ticks, durationTicks, pitch: pick(pitches) };
      ticks += durationTicks;
      return note;
    });
    return makePiece({ name: `random ${seed}/${index}`, ppq: 4, tracks: [{ notes }] });
  });
}

const DIATONIC = [60, 62, 64, 65, 67, 69, 71, 72, 74];
const CLUSTER = [61, 63, 66, 68, 70];

describe('intra- and inter-set distances', () => {
  it("are mgeval's: every piece against every other (each pair twice), and every pair across the sets", () => {
    const a = [
      [0, 0],
      [3, 4],
      [6, 8],
    ];
    expect([...intraSetDistances(a)]).toEqual([5, 5, 10, 10, 5, 5]);
    expect([...interSetDistances(a, [[0, 0]])]).toEqual([0, 5, 10]);
    expect(intraSetDistances([[1]]).length).toBe(0);
    expect(() => interSetDistances([[1, 2]], [[1]])).toThrow(/dimensions/);
  });
});

describe('compareSets on hand-made sets', () => {
  const transposed = (piece: Piece, by: number, name: string): Piece =>
    makePiece({ name, ppq: piece.ppq, tracks: [{ notes: piece.tracks[0]!.notes.map((note) => ({ ...note, pitch: note.pitch + by })) }] });
  const reference = [cMajorScale, transposed(cMajorScale, 12, 'up an octave'), melody(legato([60, 64, 67, 72], 2).map((n) => [n.ticks, n.durationTicks, n.pitch] as const)), melody([[0, 8, 60]])];
  const generated = [transposed(cMajorScale, 1, 'C# major'), melody(legato([60, 61, 62], 4).map((n) => [n.ticks, n.durationTicks, n.pitch] as const)), makePiece({ ppq: 4, tracks: [] })];
  const report = compareSets(reference, generated);

  it('summarises each set absolutely, per dimension, over the pieces that have the feature', () => {
    expect(report.referencePieces).toBe(4);
    expect(report.generatedPieces).toBe(3);
    expect(report.features.map((entry) => entry.feature)).toEqual([...YANG_LERCH_FEATURE_NAMES]);
    const range = feature(report, 'pitchRange');
    // Ranges 11, 11, 12, 0 and 11, 2 (the empty piece has none).
    expect(range.absolute.reference.n).toBe(4);
    expect(range.absolute.reference.mean![0]).toBeCloseTo(8.5, 12);
    expect(range.absolute.reference.sd![0]).toBeCloseTo(Math.sqrt((2.5 ** 2 * 2 + 3.5 ** 2 + 8.5 ** 2) / 4), 12);
    expect(range.absolute.generated).toEqual({ n: 2, mean: [6.5], sd: [4.5] });
    const histogram = feature(report, 'pitchClassHistogram');
    expect(histogram.dimensions).toBe(12);
    expect(histogram.absolute.generated.mean!.length).toBe(12);
    expect(histogram.absolute.generated.mean!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // One reference piece has a single note: no interval, no onset gap.
    expect(feature(report, 'averagePitchInterval').absolute.reference.n).toBe(3);
  });

  it('counts n(n − 1) intra-set and n × m inter-set distances', () => {
    const range = feature(report, 'pitchRange');
    expect(range.distances.intraReference.count).toBe(12);
    expect(range.distances.intraGenerated.count).toBe(2);
    expect(range.distances.inter.count).toBe(8);
    // |11 − 11|, |11 − 12|, |11 − 0|, |12 − 0|, each twice, over 12.
    expect(range.distances.intraReference.mean).toBeCloseTo((2 * (0 + 1 + 11 + 1 + 11 + 12)) / 12, 12);
    expect(range.distances.intraReference.min).toBe(0);
    expect(range.distances.intraReference.max).toBe(12);
  });

  it('gives the OA and KL of the KDEs of those distances, as a plain recomputation does', () => {
    for (const name of YANG_LERCH_FEATURE_NAMES) {
      const vectors = (pieces: readonly Piece[]) => pieces.map((piece) => yangLerchFeatures(piece)[name]).filter((vector) => vector !== null);
      const ref = vectors(reference);
      const gen = vectors(generated);
      const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((value, index) => value - b[index]!));
      const intra = ref.flatMap((a, i) => ref.filter((_, j) => j !== i).map((b) => distance(a, b)));
      const inter = ref.flatMap((a) => gen.map((b) => distance(a, b)));
      const expected = compareSamples(intra, inter);
      const actual = feature(report, name).reference!;
      expect(actual.overlapArea, name).toBeCloseTo(expected.overlapArea, 12);
      expect(actual.klDivergence, name).toBeCloseTo(expected.klDivergence, 12);
      expect(actual.bandwidths.intra, name).toBeCloseTo(expected.bandwidths.p, 12);
    }
  });

  it('returns density curves on one axis for plotting', () => {
    const entry = feature(report, 'pitchClassHistogram');
    const curves = entry.curves!;
    expect(curves.x.length).toBe(101);
    const step = curves.x[1]! - curves.x[0]!;
    for (const curve of [curves.intraReference, curves.intraGenerated, curves.inter]) expect(curve!.length).toBe(101);
    // A spread density integrates to about 1 over the axis (3 bandwidths past the extreme distances).
    expect(curves.intraReference!.reduce((sum, value) => sum + value * step, 0)).toBeGreaterThan(0.98);
    expect(curves.inter!.reduce((sum, value) => sum + value * step, 0)).toBeGreaterThan(0.98);
    // The two generated pieces with notes are one distance apart (twice): a spike the curve only samples.
    expect(entry.distances.intraGenerated.sd).toBe(0);
    expect(entry.generated!.degenerate).toBe(true);
    expect(entry.reference!.degenerate).toBe(false);
  });

  it('is JSON as it is, and its schema accepts it', () => {
    const overJson = JSON.parse(JSON.stringify(report)) as unknown;
    expect(overJson).toEqual(report);
    expect(ComparisonReportSchema.parse(overJson)).toEqual(report);
  });

  it('has no relative measure for a set of fewer than two pieces', () => {
    const single = compareSets([cMajorScale], reference);
    const range = feature(single, 'pitchRange');
    expect(range.reference).toBeNull();
    expect(range.generated).not.toBeNull();
    expect(range.curves!.intraReference).toBeNull();
    expect(range.curves!.inter).not.toBeNull();
    expect(ComparisonReportSchema.parse(JSON.parse(JSON.stringify(single)))).toEqual(single);
    const none = compareSets([], []);
    expect(none.features.every((entry) => entry.reference === null && entry.generated === null && entry.curves === null)).toBe(true);
  });

  it('reports progress, and stops when the callback throws', () => {
    const calls: [number, number][] = [];
    compareSets(reference, generated, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.length).toBe(4 + 3 + 6);
    expect(calls[calls.length - 1]).toEqual([13, 13]);
    expect(() =>
      compareSets(reference, generated, {
        onProgress: (done) => {
          if (done === 5) throw new Error('cancelled');
        },
      }),
    ).toThrow('cancelled');
  });

  it('refuses options it cannot use', () => {
    expect(() => compareSets(reference, generated, { curvePoints: 1 })).toThrow(/curves/);
    expect(() => compareSets(reference, generated, { gridPoints: 8 })).toThrow(/grid/);
    expect(() => compareSets(reference, generated, { bandwidth: 'wide' as 'scott' })).toThrow(/bandwidth/);
  });
});

describe('compareSets on sets that must, or must not, overlap', () => {
  const diatonic = randomSet(1, 30, DIATONIC, [2, 4, 4, 8]);

  it('a set against itself: intra and inter densities nearly coincide, both ways alike', () => {
    const report = compareSets(diatonic, diatonic);
    for (const entry of report.features) {
      // The inter-set distances are the intra-set ones plus n zeros (each piece against itself).
      expect(entry.distances.inter.count, entry.feature).toBe(entry.distances.intraReference.count + 30);
      expect(entry.reference!.overlapArea, entry.feature).toBeGreaterThan(0.85);
      expect(entry.reference!.klDivergence, entry.feature).toBeLessThan(0.1);
      expect(entry.generated!.overlapArea, entry.feature).toBe(entry.reference!.overlapArea);
    }
  });

  it('two sets from one source overlap well; a set of other pitches and rhythms does not', () => {
    const sameSource = compareSets(diatonic, randomSet(2, 30, DIATONIC, [2, 4, 4, 8]));
    const other = compareSets(diatonic, randomSet(3, 30, CLUSTER, [1, 3, 6]));
    for (const name of ['pitchClassHistogram', 'pitchClassTransitionMatrix', 'noteLengthHistogram'] as const) {
      expect(feature(sameSource, name).reference!.overlapArea, name).toBeGreaterThan(0.75);
      expect(feature(other, name).reference!.overlapArea, name).toBeLessThan(feature(sameSource, name).reference!.overlapArea - 0.5);
      expect(feature(other, name).reference!.klDivergence, name).toBeGreaterThan(feature(sameSource, name).reference!.klDivergence + 1);
    }
    // Disjoint pitch classes put every inter-set histogram distance far above the intra-set ones.
    expect(feature(other, 'pitchClassHistogram').reference!.overlapArea).toBeLessThan(0.01);
  });
});

describe.skipIf(!hasJsb)(`the JSB chorales${hasJsb ? '' : ` (${JSB_MISSING})`}`, () => {
  const load = (split: string): Piece[] =>
    fs
      .readdirSync(path.join(jsbMidiRoot, split))
      .filter((file) => file.endsWith('.mid'))
      .sort()
      .map((file) => parseMidi(fs.readFileSync(path.join(jsbMidiRoot, split, file)), file));

  it('have the MusPy metrics of four-part chorales', { timeout: 60_000 }, () => {
    const metrics = musPyMetrics(load('test')).metrics;
    expect(metrics.polyphony.n).toBe(77);
    expect(metrics.polyphony.mean).toBeGreaterThan(3.5);
    expect(metrics.polyphony.mean).toBeLessThanOrEqual(4);
    expect(metrics.scaleConsistency.mean).toBeGreaterThan(0.9);
    expect(metrics.nPitchClassesUsed.mean).toBeGreaterThan(7);
    expect(metrics.emptyBeatRate.mean).toBeLessThan(0.05);
    expect(metrics.grooveConsistency.mean).toBeGreaterThan(0.9);
  });

  it('overlap between their splits, and less with chorales whose pitches are scrambled', { timeout: 60_000 }, () => {
    const test = load('test');
    const valid = load('valid');
    const random = mulberry32(7);
    const scrambled = valid.map((piece) =>
      makePiece({ ppq: piece.ppq, tracks: piece.tracks.map((track) => ({ notes: track.notes.map((note) => ({ ...note, pitch: 48 + Math.floor(random() * 30) })) })) }),
    );
    const splits = compareSets(test, valid);
    const broken = compareSets(test, scrambled);
    expect(ComparisonReportSchema.parse(JSON.parse(JSON.stringify(splits)))).toEqual(splits);
    for (const entry of splits.features) expect(entry.reference!.overlapArea, entry.feature).toBeGreaterThan(0.85);
    for (const name of ['pitchClassHistogram', 'pitchClassTransitionMatrix'] as const) {
      expect(feature(broken, name).reference!.overlapArea, name).toBeLessThan(feature(splits, name).reference!.overlapArea - 0.3);
    }
    expect(feature(broken, 'pitchRange').reference!.overlapArea).toBeLessThan(feature(splits, 'pitchRange').reference!.overlapArea - 0.15);
    // Scrambling pitches leaves the rhythm as it was.
    for (const name of ['interOnsetInterval', 'noteLengthHistogram'] as const) {
      expect(feature(broken, name).reference!.overlapArea, name).toBeCloseTo(feature(splits, name).reference!.overlapArea, 12);
    }
  });
});
