// Yang & Lerch's per-piece features on hand-made pieces with known values.
import { describe, expect, it } from 'vitest';
import { NOTE_LENGTH_CLASSES, YANG_LERCH_DIMENSIONS, YANG_LERCH_FEATURE_NAMES, yangLerchFeatures } from '../../../core/metrics/yang-lerch';
import { C_MAJOR, cMajorScale, legato, makePiece, melody } from './support';

function oneHot(size: number, entries: Record<number, number>): number[] {
  return Array.from({ length: size }, (_, index) => entries[index] ?? 0);
}

function expectVector(actual: readonly number[] | null, expected: readonly number[]): void {
  expect(actual).not.toBeNull();
  expect(actual!.length).toBe(expected.length);
  actual!.forEach((value, index) => expect(value, `[${index}]`).toBeCloseTo(expected[index]!, 12));
}

describe('features of a C major scale in quarter notes', () => {
  const features = yangLerchFeatures(cMajorScale);

  it('has 1/7 of the time on each of its pitch classes', () => {
    expectVector(features.pitchClassHistogram, oneHot(12, { 0: 1 / 7, 2: 1 / 7, 4: 1 / 7, 5: 1 / 7, 7: 1 / 7, 9: 1 / 7, 11: 1 / 7 }));
  });

  it('has six transitions, one step up each', () => {
    const transitions: Record<number, number> = {};
    for (let index = 1; index < C_MAJOR.length; index++) transitions[(C_MAJOR[index - 1]! % 12) * 12 + (C_MAJOR[index]! % 12)] = 1 / 6;
    expectVector(features.pitchClassTransitionMatrix, oneHot(144, transitions));
  });

  it('has an inter-onset interval of one quarter, only quarter notes, range 11 and mean interval 11/6', () => {
    expectVector(features.interOnsetInterval, [1]);
    expectVector(features.noteLengthHistogram, oneHot(12, { 2: 1 }));
    expectVector(features.pitchRange, [11]);
    expectVector(features.averagePitchInterval, [11 / 6]); // 2 2 1 2 2 2
  });

  it('has the dimensions it declares', () => {
    for (const name of YANG_LERCH_FEATURE_NAMES) expect(features[name]!.length, name).toBe(YANG_LERCH_DIMENSIONS[name]);
  });
});

describe('pitch-class histogram', () => {
  it('weighs by duration, in quarters, whatever the tempo and velocity', () => {
    const piece = makePiece({
      ppq: 4,
      tempos: [
        { ticks: 0, bpm: 60 },
        { ticks: 8, bpm: 200 },
      ],
      tracks: [
        {
          notes: [
            { ticks: 0, durationTicks: 8, pitch: 60, velocity: 10 },
            { ticks: 8, durationTicks: 4, pitch: 67, velocity: 127 },
            { ticks: 12, durationTicks: 0, pitch: 62 },
          ],
        },
      ],
    });
    expectVector(yangLerchFeatures(piece).pitchClassHistogram, oneHot(12, { 0: 2 / 3, 7: 1 / 3 }));
  });
});

describe('pitch-class transition matrix', () => {
  // 120 bpm, ppq 100: a tick is 5 ms, so pretty_midi's 0.05 s threshold is 10 ticks.
  const spaced = (gap: number) =>
    melody(
      [
        [0, 100, 60],
        [100 + gap, 100, 64],
      ],
      { ppq: 100 },
    );

  it("counts a transition when a note's end and the next start are closer than 0.05 s", () => {
    expectVector(yangLerchFeatures(spaced(8)).pitchClassTransitionMatrix, oneHot(144, { [0 * 12 + 4]: 1 }));
    expect(yangLerchFeatures(spaced(10)).pitchClassTransitionMatrix).toBeNull();
    expect(yangLerchFeatures(spaced(20), { transitionThresholdSeconds: 0.2 }).pitchClassTransitionMatrix).not.toBeNull();
  });

  it('links every voice that ends to every voice that starts, tracks merged', () => {
    // C and E end at tick 4 where G and B start: 4 transitions, each 1/4.
    const piece = makePiece({
      ppq: 4,
      tracks: [{ notes: legato([60, 67], 4) }, { notes: legato([64, 71], 4) }],
    });
    expectVector(yangLerchFeatures(piece).pitchClassTransitionMatrix, oneHot(144, { [0 * 12 + 7]: 0.25, [0 * 12 + 11]: 0.25, [4 * 12 + 7]: 0.25, [4 * 12 + 11]: 0.25 }));
  });

  it('counts a note shorter than the threshold as a transition to itself, as pretty_midi does', () => {
    const piece = melody([[0, 1, 62]], { ppq: 100 }); // 5 ms
    expectVector(yangLerchFeatures(piece).pitchClassTransitionMatrix, oneHot(144, { [2 * 12 + 2]: 1 }));
  });
});

describe('inter-onset interval', () => {
  it('averages the gaps between distinct onsets, chords counted once', () => {
    // Onsets 0 (triad), 4 (dyad), 6: gaps 4 and 2 ticks at ppq 4 → 0.75 quarter.
    const piece = melody([
      [0, 4, 60],
      [0, 4, 64],
      [0, 4, 67],
      [4, 2, 60],
      [4, 2, 65],
      [6, 2, 62],
    ]);
    expectVector(yangLerchFeatures(piece).interOnsetInterval, [0.75]);
  });

  it('is null with a single onset', () => {
    expect(yangLerchFeatures(melody([[0, 4, 60]])).interOnsetInterval).toBeNull();
  });
});

describe('note-length histogram', () => {
  it("puts each of mgeval's twelve note values in its own class", () => {
    // ppq 24: a class of `units` 24ths of a quarter lasts `units` ticks.
    const notes = NOTE_LENGTH_CLASSES.map((noteClass, index) => [index * 100, noteClass.units, 60] as const);
    expectVector(yangLerchFeatures(melody(notes, { ppq: 24 })).noteLengthHistogram, new Array<number>(12).fill(1 / 12));
  });

  it('takes the nearest class, the first one on a tie', () => {
    // 21/24 of a quarter: 3 from the quarter (24) and 3 from the dotted eighth (18) → quarter, listed first;
    // 28/24 ties the quarter and the half triplet (32) → quarter again. 8/24 is an eighth triplet, and
    // anything past a whole note is a whole note.
    const piece = melody(
      [
        [0, 21, 60],
        [100, 8, 60],
        [200, 28, 60],
        [300, 1000, 60],
      ],
      { ppq: 24 },
    );
    expectVector(yangLerchFeatures(piece).noteLengthHistogram, oneHot(12, { 2: 0.5, 11: 0.25, 0: 0.25 }));
  });

  it('measures note values, not bars: a quarter is a quarter in 3/4', () => {
    const piece = melody([[0, 4, 60]], { timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }] });
    expectVector(yangLerchFeatures(piece).noteLengthHistogram, oneHot(12, { 2: 1 }));
  });
});

describe('pitch range and average pitch interval', () => {
  it('order notes by onset then pitch across tracks', () => {
    // Onset 0: 48 and 60 (two tracks), onset 4: 55 → 48, 60, 55: intervals 12 and 5.
    const piece = makePiece({
      ppq: 4,
      tracks: [{ notes: [{ ticks: 0, durationTicks: 4, pitch: 60 }] }, { notes: [{ ticks: 0, durationTicks: 4, pitch: 48 }, { ticks: 4, durationTicks: 4, pitch: 55 }] }],
    });
    const features = yangLerchFeatures(piece);
    expectVector(features.averagePitchInterval, [8.5]);
    expectVector(features.pitchRange, [12]);
  });
});

describe('pieces without the notes a feature needs', () => {
  it('give null features and ignore drums', () => {
    const drumsOnly = makePiece({ ppq: 4, tracks: [{ isDrum: true, notes: legato([36, 38, 42], 4) }] });
    for (const name of YANG_LERCH_FEATURE_NAMES) expect(yangLerchFeatures(drumsOnly)[name], name).toBeNull();
    const single = yangLerchFeatures(melody([[0, 4, 60]]));
    expect(single.averagePitchInterval).toBeNull();
    expectVector(single.pitchRange, [0]);
    expectVector(single.noteLengthHistogram, oneHot(12, { 2: 1 }));
  });

  it('refuse a threshold that is not a positive number of seconds', () => {
    expect(() => yangLerchFeatures(cMajorScale, { transitionThresholdSeconds: 0 })).toThrow(/threshold/);
  });
});
