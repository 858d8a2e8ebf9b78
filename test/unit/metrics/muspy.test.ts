// MusPy's metrics on hand-made pieces with known values, MusPy's edge cases, and a property test
// against a line-by-line port of muspy/metrics/metrics.py (muspy-reference.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MUSPY_METRIC_NAMES,
  emptyBeatRate,
  emptyMeasureRate,
  grooveConsistency,
  musPyMetrics,
  musPyPieceMetrics,
  nPitchClassesUsed,
  nPitchesUsed,
  pitchClassEntropy,
  pitchEntropy,
  pitchInScaleRate,
  pitchRange,
  polyphony,
  polyphonyRate,
  scaleConsistency,
} from '../../../core/metrics/muspy';
import { MusPySetMetricsSchema } from '../../../core/metrics/schema';
import { RepresentationError } from '../../../core/music/errors';
import type { Piece } from '../../../core/music/types';
import * as reference from './muspy-reference';
import { C_MAJOR, cMajorScale, legato, makePiece, melody } from './support';

describe('pitch metrics', () => {
  it('count a C major scale: 7 pitches, 7 pitch classes, range 11, entropies log2(7), scale consistency 1', () => {
    expect(nPitchesUsed(cMajorScale)).toBe(7);
    expect(nPitchClassesUsed(cMajorScale)).toBe(7);
    expect(pitchRange(cMajorScale)).toBe(11);
    expect(pitchEntropy(cMajorScale)).toBeCloseTo(Math.log2(7), 12);
    expect(pitchClassEntropy(cMajorScale)).toBeCloseTo(Math.log2(7), 12);
    expect(scaleConsistency(cMajorScale)).toBe(1);
    expect(pitchInScaleRate(cMajorScale, 0, 'major')).toBe(1);
    expect(pitchInScaleRate(cMajorScale, 9, 'minor')).toBe(1); // A natural minor: the same notes
    expect(pitchInScaleRate(cMajorScale, 0, 'minor')).toBeCloseTo(4 / 7, 12); // C D F G of C D Eb F G Ab Bb
    expect(pitchInScaleRate(cMajorScale, 7, 'major')).toBeCloseTo(6 / 7, 12); // G major has F#, not F
  });

  it('weigh entropies by note count and separate octaves only in pitch entropy', () => {
    // C4 twice, C5, G4: pitches {60: 2, 72: 1, 67: 1}, pitch classes {C: 3, G: 1}.
    const piece = melody([
      [0, 4, 60],
      [4, 4, 60],
      [8, 4, 72],
      [12, 4, 67],
    ]);
    expect(pitchEntropy(piece)).toBeCloseTo(1.5, 12);
    expect(pitchClassEntropy(piece)).toBeCloseTo(-(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25)), 12);
    expect(nPitchesUsed(piece)).toBe(3);
    expect(nPitchClassesUsed(piece)).toBe(2);
    expect(pitchRange(piece)).toBe(12);
  });

  it('give a chromatic scale a scale consistency of 7/12', () => {
    const chromatic = makePiece({ ppq: 4, tracks: [{ notes: legato([60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71], 4) }] });
    expect(scaleConsistency(chromatic)).toBeCloseTo(7 / 12, 12);
    expect(pitchClassEntropy(chromatic)).toBeCloseTo(Math.log2(12), 12);
  });

  it('leave drum tracks out', () => {
    const piece = makePiece({
      ppq: 4,
      tracks: [{ notes: legato(C_MAJOR, 4) }, { isDrum: true, notes: [{ ticks: 0, durationTicks: 1, pitch: 36 }] }, { channel: 9, notes: [{ ticks: 0, durationTicks: 1, pitch: 42 }] }],
    });
    expect(nPitchesUsed(piece)).toBe(7);
    expect(pitchRange(piece)).toBe(11);
    expect(scaleConsistency(piece)).toBe(1);
  });
});

describe('polyphony and polyphony rate', () => {
  it('read a triad as polyphony 3 and a polyphony rate of 1', () => {
    const triad = makePiece({ ppq: 4, tracks: [{ notes: [60, 64, 67].map((pitch) => ({ ticks: 0, durationTicks: 16, pitch })) }] });
    expect(polyphony(triad)).toBe(3);
    expect(polyphonyRate(triad)).toBe(1);
  });

  it('count only more than `threshold` pitches in the rate: a dyad is 0 at the default threshold of 2', () => {
    const dyad = makePiece({ ppq: 4, tracks: [{ notes: [60, 67].map((pitch) => ({ ticks: 0, durationTicks: 4, pitch })) }] });
    expect(polyphony(dyad)).toBe(2);
    expect(polyphonyRate(dyad)).toBe(0);
    expect(polyphonyRate(dyad, 1)).toBe(1);
  });

  it('average over sounding steps and rate over all steps', () => {
    // A triad for 4 ticks, one note for 4, silence for 4, one note for 4: 12 + 4 + 4 pitch-steps.
    const piece = melody([
      [0, 4, 60],
      [0, 4, 64],
      [0, 4, 67],
      [4, 4, 60],
      [12, 4, 62],
    ]);
    expect(polyphony(piece)).toBeCloseTo(20 / 12, 12);
    expect(polyphonyRate(piece)).toBeCloseTo(4 / 16, 12);
  });

  it('count overlapping notes of one pitch once and zero-length notes nowhere', () => {
    const piece = melody([
      [0, 4, 60],
      [2, 4, 60],
      [1, 0, 64],
    ]);
    expect(polyphony(piece)).toBe(1);
  });

  it('leave drums out of the roll but not out of the length', () => {
    const piece = makePiece({
      ppq: 4,
      tracks: [{ notes: [60, 64, 67].map((pitch) => ({ ticks: 0, durationTicks: 4, pitch })) }, { isDrum: true, notes: [{ ticks: 0, durationTicks: 8, pitch: 36 }] }],
    });
    expect(polyphony(piece)).toBe(3);
    expect(polyphonyRate(piece)).toBe(0.5);
  });
});

describe('empty-beat and empty-measure rate', () => {
  it('count the beats of an empty bar (notes that stop short of the beat line)', () => {
    // ppq 4, 4/4: bar 1 four staccato quarters, bar 2 empty, bar 3 one note ending at tick 47.
    // Beats 0..11 (47 // 4 + 1 = 12); used: 0-3 and 8-11. Measures 0..2; used: 0 and 2.
    const piece = melody([
      [0, 3, 60],
      [4, 3, 62],
      [8, 3, 64],
      [12, 3, 65],
      [32, 15, 67],
    ]);
    expect(emptyBeatRate(piece)).toBeCloseTo(4 / 12, 12);
    expect(emptyMeasureRate(piece)).toBeCloseTo(1 / 3, 12);
  });

  it("mark the beat a note ends on, as MusPy's range(start, end + 1) does", () => {
    // The same bars with legato notes: the last quarter of bar 1 (12..16) also marks beat 4, the whole note
    // (32..48) beats 8-12 and measure 3; 48 // 4 + 1 = 13 beats, of which 4..7 minus beat 4 are empty.
    const piece = melody([...legato([60, 62, 64, 65], 4).map((note) => [note.ticks, note.durationTicks, note.pitch] as const), [32, 16, 67]]);
    expect(emptyBeatRate(piece)).toBeCloseTo(3 / 13, 12);
    // Measure 1 is marked by the note ending on its first tick, measure 3 by the one ending at 48.
    expect(emptyMeasureRate(piece)).toBe(0);
  });

  it('count drum notes, and measure in the meter of the piece', () => {
    const withDrum = makePiece({
      ppq: 4,
      tracks: [{ notes: [{ ticks: 0, durationTicks: 3, pitch: 60 }, { ticks: 32, durationTicks: 3, pitch: 60 }] }, { isDrum: true, notes: [{ ticks: 16, durationTicks: 3, pitch: 36 }] }],
    });
    expect(emptyMeasureRate(withDrum)).toBe(0);
    // In 3/4 a measure is 12 ticks: notes at 0 and 32 (ending 35) use measures 0 and 2 of 0..2.
    const waltz = melody(
      [
        [0, 3, 60],
        [32, 3, 60],
      ],
      { timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }] },
    );
    expect(emptyMeasureRate(waltz)).toBeCloseTo(1 / 3, 12);
  });
});

describe('groove consistency', () => {
  it('is 1 for a perfectly repeated rhythm', () => {
    // Three bars of four staccato quarters; the last note ends inside bar 3, so there is no 4th measure.
    const notes = [0, 1, 2].flatMap((bar) => [0, 4, 8, 12].map((beat) => [bar * 16 + beat, 3, 60] as const));
    expect(grooveConsistency(melody(notes))).toBe(1);
  });

  it("counts the empty measure after a piece that ends on a bar line, as MusPy's length // measure + 1 does", () => {
    // Two bars of legato quarters end at tick 32 = 192 steps: measures 0, 1, 2, the last empty.
    const notes = legato([60, 62, 64, 65, 67, 69, 71, 72], 4).map((note) => [note.ticks, note.durationTicks, note.pitch] as const);
    expect(grooveConsistency(melody(notes))).toBeCloseTo(1 - 4 / (96 * 2), 12);
  });

  it('counts differing onset positions on a 24-per-quarter grid, or the grid asked for', () => {
    // Bar 1 quarters, bar 2 eighths (the last ending inside the bar): the 4 off-beats differ.
    const quarters = [0, 4, 8, 12].map((ticks) => [ticks, 2, 60] as const);
    const eighths = [0, 2, 4, 6, 8, 10, 12, 14].map((ticks) => [16 + ticks, 1, 62] as const);
    const piece = melody([...quarters, ...eighths]);
    expect(grooveConsistency(piece)).toBeCloseTo(1 - 4 / 96, 12);
    expect(grooveConsistency(piece, 4)).toBeCloseTo(1 - 4 / 16, 12);
    expect(musPyPieceMetrics(piece, { grooveResolution: 2 }).grooveConsistency).toBeCloseTo(1 - 4 / 8, 12);
  });

  it('rounds onsets to the grid as Python does, halves to even', () => {
    // ppq 48 → 24 steps per quarter halves ticks: tick 1 → step 0.5 → 0 (half-up would give 1).
    const piece = makePiece({
      ppq: 48,
      tracks: [
        {
          notes: [
            { ticks: 1, durationTicks: 10, pitch: 60 },
            { ticks: 192, durationTicks: 10, pitch: 60 },
          ],
        },
      ],
    });
    expect(grooveConsistency(piece)).toBe(1);
  });

  it('uses the measure of the meter and drum onsets too', () => {
    // 3/4 at ppq 4: 12-tick bars = 72 steps. A drum hit on beat 2 of bar 1 only.
    const piece = makePiece({
      ppq: 4,
      timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }],
      tracks: [{ notes: [0, 12].map((ticks) => ({ ticks, durationTicks: 3, pitch: 60 })) }, { isDrum: true, notes: [{ ticks: 4, durationTicks: 1, pitch: 36 }] }],
    });
    expect(grooveConsistency(piece)).toBeCloseTo(1 - 1 / 72, 12);
  });

  it('is NaN with fewer than two measures', () => {
    expect(grooveConsistency(melody([[0, 4, 60]]))).toBeNaN();
  });

  it('refuses a grid that cannot hold the measure', () => {
    expect(() => grooveConsistency(cMajorScale, 0)).toThrow(RepresentationError);
    expect(() => grooveConsistency(cMajorScale, 1.5)).toThrow(/whole number/);
    const tiny = melody([[0, 1, 60]], { timeSignatures: [{ ticks: 0, numerator: 1, denominator: 64 }] });
    expect(() => grooveConsistency(tiny)).toThrow(/1\/64 measure is 1.5 steps/);
  });
});

describe("MusPy's edge cases", () => {
  const emptyPiece = makePiece({ ppq: 4, tracks: [] });
  const drumsOnly = makePiece({ ppq: 4, tracks: [{ isDrum: true, notes: [{ ticks: 0, durationTicks: 8, pitch: 36 }] }] });

  it('gives NaN where MusPy does for a piece without notes, and 0 for range and counts', () => {
    const metrics = musPyPieceMetrics(emptyPiece);
    expect(metrics.pitchRange).toBe(0);
    expect(metrics.nPitchesUsed).toBe(0);
    expect(metrics.nPitchClassesUsed).toBe(0);
    for (const name of ['polyphony', 'polyphonyRate', 'scaleConsistency', 'pitchEntropy', 'pitchClassEntropy', 'emptyBeatRate', 'emptyMeasureRate', 'grooveConsistency'] as const) {
      expect(metrics[name], name).toBeNaN();
    }
    expect(pitchInScaleRate(emptyPiece, 0, 'major')).toBeNaN();
  });

  it('measures a drums-only piece by its drums where MusPy does', () => {
    const metrics = musPyPieceMetrics(drumsOnly);
    expect(metrics.pitchRange).toBe(0); // MusPy's code would say -127; its docstring says 0
    expect(metrics.polyphony).toBeNaN();
    expect(metrics.polyphonyRate).toBe(0);
    expect(metrics.pitchEntropy).toBeNaN();
    // Beats 0..2 (8 // 4 + 1), all marked by the drum note from 0 to 8.
    expect(metrics.emptyBeatRate).toBe(0);
  });

  it('refuses a piece it cannot read, saying why', () => {
    expect(() => musPyPieceMetrics({ ...cMajorScale, ppq: 0 })).toThrow(/ppq/);
    expect(() => polyphony(melody([[0, 4, 128]]))).toThrow(/pitch 128 is outside/);
    expect(() => pitchInScaleRate(cMajorScale, 12, 'major')).toThrow(/root/);
    expect(() => polyphonyRate(cMajorScale, -1)).toThrow(/threshold/);
  });
});

describe('musPyMetrics of a set', () => {
  it('gives mean and population SD per metric over the pieces where it is defined', () => {
    const triad = makePiece({ ppq: 4, tracks: [{ notes: [60, 64, 67].map((pitch) => ({ ticks: 0, durationTicks: 16, pitch })) }] });
    const set = musPyMetrics([cMajorScale, triad, makePiece({ ppq: 4, tracks: [] })]);
    expect(set.pieces).toBe(3);
    expect(set.options).toEqual({ polyphonyThreshold: 2, grooveResolution: 24 });
    expect(set.metrics.polyphony).toEqual({ n: 2, mean: 2, sd: 1, values: [1, 3, null] });
    expect(set.metrics.pitchRange.values).toEqual([11, 7, 0]);
    expect(set.metrics.pitchRange.mean).toBeCloseTo(6, 12);
    expect(set.metrics.pitchRange.sd).toBeCloseTo(Math.sqrt((25 + 1 + 36) / 3), 12);
    expect(set.metrics.scaleConsistency.n).toBe(2);
    expect(Object.keys(set.metrics)).toEqual([...MUSPY_METRIC_NAMES]);
  });

  it('is JSON as it is, and its schema accepts it', () => {
    const set = musPyMetrics([cMajorScale, makePiece({ ppq: 4, tracks: [] })]);
    const overJson = JSON.parse(JSON.stringify(set)) as unknown;
    expect(overJson).toEqual(set);
    expect(MusPySetMetricsSchema.parse(overJson)).toEqual(set);
  });

  it('has null mean and SD for a metric no piece defines', () => {
    expect(musPyMetrics([]).metrics.polyphony).toEqual({ n: 0, mean: null, sd: null, values: [] });
  });
});

// Random small pieces: a few tracks (one may be drums), notes that overlap, touch, last no time, in
// several meters and resolutions, including ppq that the 24-step grid must round.
const randomPiece: fc.Arbitrary<Piece> = fc
  .record({
    ppq: fc.constantFrom(1, 2, 3, 4, 5, 8, 12, 48, 50),
    meter: fc.constantFrom([4, 4], [3, 4], [6, 8], [2, 2], [5, 8]),
    tracks: fc.array(
      fc.record({
        isDrum: fc.boolean(),
        notes: fc.array(
          fc.record({
            onset: fc.integer({ min: 0, max: 24 }),
            duration: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
            pitch: fc.oneof(fc.integer({ min: 58, max: 66 }), fc.integer({ min: 0, max: 127 })),
          }),
          { maxLength: 14 },
        ),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ ppq, meter, tracks }) => {
    // Onsets in quarters of a quarter, so every ppq sees notes on and off its grid.
    const scale = Math.max(1, Math.round(ppq / 4));
    return makePiece({
      ppq,
      timeSignatures: [{ ticks: 0, numerator: meter[0]!, denominator: meter[1]! }],
      tracks: tracks.map((track) => ({
        isDrum: track.isDrum,
        channel: track.isDrum ? 9 : 0,
        notes: track.notes.map((note) => ({ ticks: note.onset * scale, durationTicks: note.duration * scale, pitch: note.pitch })),
      })),
    });
  });

function expectSame(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) expect(actual, what).toBeNaN();
  else expect(actual, what).toBeCloseTo(expected, 10);
}

describe('agreement with a port of muspy/metrics/metrics.py', () => {
  it('holds for every metric on random pieces', () => {
    fc.assert(
      fc.property(randomPiece, fc.integer({ min: 0, max: 3 }), (piece, threshold) => {
        const music = reference.toMusic(piece);
        const ours = musPyPieceMetrics(piece, { polyphonyThreshold: threshold });
        const onlyDrums = !piece.tracks.some((track) => !track.isDrum && track.notes.length > 0);
        // The one deliberate difference: MusPy's code gives 0 - 127 when every note is a drum note.
        expect(ours.pitchRange).toBe(onlyDrums ? 0 : reference.pitchRange(music));
        expect(ours.nPitchesUsed).toBe(reference.nPitchesUsed(music));
        expect(ours.nPitchClassesUsed).toBe(reference.nPitchClassesUsed(music));
        expectSame(ours.polyphony, reference.polyphony(music), 'polyphony');
        expectSame(ours.polyphonyRate, reference.polyphonyRate(music, threshold), 'polyphonyRate');
        expectSame(ours.scaleConsistency, reference.scaleConsistency(music), 'scaleConsistency');
        expectSame(ours.pitchEntropy, reference.pitchEntropy(music), 'pitchEntropy');
        expectSame(ours.pitchClassEntropy, reference.pitchClassEntropy(music), 'pitchClassEntropy');
        expectSame(ours.emptyBeatRate, reference.emptyBeatRate(music), 'emptyBeatRate');
        expectSame(ours.emptyMeasureRate, reference.emptyMeasureRate(music), 'emptyMeasureRate');
        const [numerator, denominator] = music.meter;
        expectSame(ours.grooveConsistency, reference.grooveConsistency(reference.adjustResolution(music, 24), (24 * 4 * numerator) / denominator), 'grooveConsistency');
        for (const mode of ['major', 'minor'] as const) {
          for (const root of [0, 5, 11]) expectSame(pitchInScaleRate(piece, root, mode), reference.pitchInScaleRate(music, root, mode), `${root} ${mode}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
