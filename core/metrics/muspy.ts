/**
 * MusPy's evaluation metrics (muspy/metrics/metrics.py), on the studio's Piece.
 *
 * MusPy's time unit is its `resolution` (time steps per quarter note); a MIDI file read by MusPy keeps
 * the file's ticks, so here the time step is the tick and the resolution is the piece's ppq. Each metric
 * below says what it counts; the rules MusPy applies, kept as they are:
 * - Drum tracks are ignored by pitch range, pitches and pitch classes used, polyphony, polyphony rate,
 *   scale consistency and the entropies. Empty-beat rate, empty-measure rate and groove consistency use
 *   every track, drums included, and so does the piece's length (the end of its last note).
 * - A beat (a measure) counts as used from the one holding a note's onset to the one holding its end,
 *   both included (`range(start, end + 1)`): a quarter note that ends on the next beat marks that beat
 *   too. There are `length // resolution + 1` beats, so a piece that ends on a beat line has one more.
 * - Polyphony and polyphony rate read a binary piano roll of `length` steps: a pitch sounds at step t if
 *   one of its notes has onset ≤ t < end (overlapping notes of one pitch count once; a zero-length note
 *   sounds nowhere). Polyphony rate counts steps with MORE than `threshold` pitches (default 2, so a dyad
 *   does not count; MusPy's docstring says "multiple", its code says `> threshold`), over all steps.
 *   The roll is measured exactly from note boundaries rather than built step by step (same numbers for
 *   whole ticks, and for fractional ticks the continuous measure).
 * - Pitch-in-scale rate uses MusPy's scale masks (major, natural minor) rolled to the root; scale
 *   consistency is the largest rate over the 24 scales.
 * - Entropies are in bits (log2) of note counts (not durations).
 *
 * NaN, where MusPy returns NaN: polyphony without a sounding pitch; polyphony rate, empty-beat and
 * empty-measure rate of a piece of length zero; pitch-in-scale rate, scale consistency and the entropies
 * without a pitched note; groove consistency with fewer than two measures. A piece with no tracks gets
 * NaN where MusPy raises (it takes the max of an empty list). Pitch range and the counts of pitches give
 * 0 without a pitched note (MusPy's documented "zero if no note is found"; its code returns -127 when
 * the only notes are drums, which we do not copy).
 *
 * Groove consistency needs a grid: MusPy's `groove_consistency(music, measure_resolution)` compares
 * onsets at the piece's own resolution, which at 480 ppq would compare ticks and read every humanised
 * onset as a new groove. We do what a MusPy user does first, `music.adjust_resolution(24)` (MusPy's
 * DEFAULT_RESOLUTION; onsets and durations rounded separately with Python's half-to-even `round`), and
 * pass `measure_resolution = 24 × 4 × numerator / denominator` from the piece's meter (4/4: 96 steps).
 * 24 steps per quarter hold sixteenths, triplet eighths and sixteenth triplets exactly. The empty-measure
 * rate needs no grid: its measure is `ppq × 4 × numerator / denominator` ticks.
 */
import { RepresentationError } from '../music/errors';
import { describePieces } from '../music/stats/describe';
import type { Note, Piece } from '../music/types';
import { meterOf, pieceNotes, type PieceNotes } from './piece-notes';
import { finiteOrNull, summarize, type ValueSummary } from './summary';

/** MusPy's DEFAULT_RESOLUTION: steps per quarter of the grid groove consistency is measured on. */
export const MUSPY_DEFAULT_RESOLUTION = 24;
/** MusPy's default `threshold` of polyphony_rate. */
export const MUSPY_DEFAULT_POLYPHONY_THRESHOLD = 2;

export const MUSPY_METRIC_NAMES = [
  'pitchRange',
  'nPitchesUsed',
  'nPitchClassesUsed',
  'polyphony',
  'polyphonyRate',
  'scaleConsistency',
  'pitchEntropy',
  'pitchClassEntropy',
  'emptyBeatRate',
  'emptyMeasureRate',
  'grooveConsistency',
] as const;
export type MusPyMetricName = (typeof MUSPY_METRIC_NAMES)[number];

/** One piece's metrics; NaN where MusPy returns NaN. */
export type MusPyPieceMetrics = Readonly<Record<MusPyMetricName, number>>;

export interface MusPyOptions {
  /** polyphony_rate counts steps with more than this many pitches; default 2. */
  readonly polyphonyThreshold?: number;
  /** Steps per quarter of groove consistency's grid; default 24. */
  readonly grooveResolution?: number;
}

export type ScaleMode = 'major' | 'minor';

// MusPy's `_get_scale`: the C scales, rolled to the root.
const C_SCALES: Readonly<Record<ScaleMode, readonly number[]>> = {
  major: [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1],
  minor: [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0],
};

/** Note counts by pitch and pitch class, drums left out: the corpus statistics' own counts. */
interface PitchCounts {
  readonly pitch: readonly number[];
  readonly pitchClass: readonly number[];
  readonly notes: number;
}

function pitchCounts(piece: Piece): PitchCounts {
  const { pitch, pitchClass } = describePieces([piece]);
  let notes = 0;
  for (const count of pitchClass) notes += count;
  return { pitch, pitchClass, notes };
}

function rangeOfCounts(counts: PitchCounts): number {
  const lowest = counts.pitch.findIndex((count) => count > 0);
  if (lowest < 0) return 0;
  return counts.pitch.findLastIndex((count) => count > 0) - lowest;
}

function distinct(counts: readonly number[]): number {
  return counts.filter((count) => count > 0).length;
}

/** Shannon entropy in bits of the normalised counts; NaN without any count (MusPy's `_entropy`). */
function entropyOfCounts(counts: readonly number[]): number {
  let total = 0;
  for (const count of counts) total += count;
  if (total < 1) return Number.NaN;
  let entropy = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const probability = count / total;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

function inScaleRateOfCounts(counts: PitchCounts, root: number, mode: ScaleMode): number {
  if (counts.notes < 1) return Number.NaN;
  const scale = C_SCALES[mode];
  let inScale = 0;
  for (let pitchClass = 0; pitchClass < 12; pitchClass++) {
    // np.roll(c_scale, root)[pc] == c_scale[(pc - root) mod 12]
    if (scale[(((pitchClass - root) % 12) + 12) % 12] === 1) inScale += counts.pitchClass[pitchClass]!;
  }
  return inScale / counts.notes;
}

function scaleConsistencyOfCounts(counts: PitchCounts): number {
  if (counts.notes < 1) return Number.NaN;
  let best = 0;
  for (const mode of ['major', 'minor'] as const) for (let root = 0; root < 12; root++) best = Math.max(best, inScaleRateOfCounts(counts, root, mode));
  return best;
}

interface RollMeasures {
  /** Σ over steps of the number of sounding pitches (the piano roll's sum). */
  readonly pitchSteps: number;
  /** Steps where at least one pitch sounds. */
  readonly soundingSteps: number;
  /** Steps where more than `threshold` pitches sound. */
  readonly crowdedSteps: number;
}

/** The binary piano roll's sums, from note boundaries: per pitch the union of [onset, end), then a sweep. */
function measureRoll(pitched: readonly Note[], threshold: number): RollMeasures {
  const byPitch: Note[][] = Array.from({ length: 128 }, () => []);
  for (const note of pitched) if (note.durationTicks > 0) byPitch[note.pitch]!.push(note);
  const events: { readonly time: number; readonly delta: number }[] = [];
  for (const notes of byPitch) {
    // `pitched` is sorted by onset, so each pitch's notes are too.
    let start = Number.NaN;
    let end = Number.NaN;
    for (const note of notes) {
      if (note.ticks <= end) {
        end = Math.max(end, note.ticks + note.durationTicks);
        continue;
      }
      if (!Number.isNaN(start)) events.push({ time: start, delta: 1 }, { time: end, delta: -1 });
      start = note.ticks;
      end = note.ticks + note.durationTicks;
    }
    if (!Number.isNaN(start)) events.push({ time: start, delta: 1 }, { time: end, delta: -1 });
  }
  events.sort((a, b) => a.time - b.time);
  let pitchSteps = 0;
  let soundingSteps = 0;
  let crowdedSteps = 0;
  let active = 0;
  let previous = 0;
  for (const event of events) {
    const span = event.time - previous;
    if (span > 0 && active > 0) {
      pitchSteps += active * span;
      soundingSteps += span;
      if (active > threshold) crowdedSteps += span;
    }
    active += event.delta;
    previous = event.time;
  }
  return { pitchSteps, soundingSteps, crowdedSteps };
}

/** MusPy's empty-beat/empty-measure rule: units from onset's to end's, both included, over length // unit + 1. */
function emptyUnitRate(notes: readonly Note[], endTicks: number, unitTicks: number): number {
  if (endTicks <= 0) return Number.NaN;
  const units = Math.floor(endTicks / unitTicks) + 1;
  const used = new Uint8Array(units);
  let count = 0;
  for (const note of notes) {
    const last = Math.floor((note.ticks + note.durationTicks) / unitTicks);
    for (let unit = Math.floor(note.ticks / unitTicks); unit <= last; unit++) {
      if (used[unit] === 0) {
        used[unit] = 1;
        count++;
      }
    }
  }
  return 1 - count / units;
}

/** Python's `round`: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function grooveOf(notes: PieceNotes, resolution: number): number {
  assertResolution(resolution);
  const meter = meterOf(notes.piece);
  const measureSteps = resolution * meter.quarters;
  if (!Number.isInteger(measureSteps)) {
    throw new RepresentationError(
      `A ${meter.numerator}/${meter.denominator} measure is ${measureSteps} steps at ${resolution} steps per quarter, not a whole number: ` +
        `groove consistency of "${notes.piece.name}" needs a grooveResolution that divides it.`,
    );
  }
  const factor = resolution / notes.piece.ppq;
  const onsets: number[] = [];
  let length = 0;
  for (const note of notes.all) {
    const onset = roundHalfEven(note.ticks * factor);
    onsets.push(onset);
    length = Math.max(length, onset + roundHalfEven(note.durationTicks * factor));
  }
  const measures = Math.floor(length / measureSteps) + 1;
  if (measures < 2) return Number.NaN;
  // Measure m's pattern is patterns[m × measureSteps ..]: measure and position of an onset are divmod(onset).
  const patterns = new Uint8Array(measures * measureSteps);
  for (const onset of onsets) patterns[onset] = 1;
  let hamming = 0;
  for (let index = 0; index < (measures - 1) * measureSteps; index++) if (patterns[index] !== patterns[index + measureSteps]) hamming++;
  return 1 - hamming / (measureSteps * (measures - 1));
}

function assertResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution < 1) {
    throw new RepresentationError(`The groove resolution must be a whole number of steps per quarter, at least 1 (got ${resolution}).`);
  }
}

function assertThreshold(threshold: number): void {
  if (!Number.isFinite(threshold) || threshold < 0) throw new RepresentationError(`The polyphony threshold must be a number ≥ 0 (got ${threshold}).`);
}

// One metric at a time, for callers that want one (the set functions below share the work).

export function pitchRange(piece: Piece): number {
  pieceNotes(piece);
  return rangeOfCounts(pitchCounts(piece));
}

export function nPitchesUsed(piece: Piece): number {
  pieceNotes(piece);
  return distinct(pitchCounts(piece).pitch);
}

export function nPitchClassesUsed(piece: Piece): number {
  pieceNotes(piece);
  return distinct(pitchCounts(piece).pitchClass);
}

/** Mean number of sounding pitches over the steps where one sounds. */
export function polyphony(piece: Piece): number {
  const roll = measureRoll(pieceNotes(piece).pitched, MUSPY_DEFAULT_POLYPHONY_THRESHOLD);
  return roll.soundingSteps > 0 ? roll.pitchSteps / roll.soundingSteps : Number.NaN;
}

/** Share of all steps (the piece's length) where more than `threshold` pitches sound. */
export function polyphonyRate(piece: Piece, threshold = MUSPY_DEFAULT_POLYPHONY_THRESHOLD): number {
  assertThreshold(threshold);
  const notes = pieceNotes(piece);
  if (notes.endTicks <= 0) return Number.NaN;
  return measureRoll(notes.pitched, threshold).crowdedSteps / notes.endTicks;
}

/** Share of pitched notes whose pitch class is in the scale of `root` (0 = C) and `mode`. */
export function pitchInScaleRate(piece: Piece, root: number, mode: ScaleMode): number {
  if (!Number.isInteger(root) || root < 0 || root > 11) throw new RepresentationError(`A scale's root is a pitch class 0..11 (got ${root}).`);
  if (mode !== 'major' && mode !== 'minor') throw new RepresentationError(`A scale's mode is 'major' or 'minor' (got ${String(mode)}).`);
  pieceNotes(piece);
  return inScaleRateOfCounts(pitchCounts(piece), root, mode);
}

export function scaleConsistency(piece: Piece): number {
  pieceNotes(piece);
  return scaleConsistencyOfCounts(pitchCounts(piece));
}

export function pitchEntropy(piece: Piece): number {
  pieceNotes(piece);
  return entropyOfCounts(pitchCounts(piece).pitch);
}

export function pitchClassEntropy(piece: Piece): number {
  pieceNotes(piece);
  return entropyOfCounts(pitchCounts(piece).pitchClass);
}

export function emptyBeatRate(piece: Piece): number {
  const notes = pieceNotes(piece);
  return emptyUnitRate(notes.all, notes.endTicks, piece.ppq);
}

export function emptyMeasureRate(piece: Piece): number {
  const notes = pieceNotes(piece);
  return emptyUnitRate(notes.all, notes.endTicks, piece.ppq * meterOf(piece).quarters);
}

export function grooveConsistency(piece: Piece, resolution = MUSPY_DEFAULT_RESOLUTION): number {
  return grooveOf(pieceNotes(piece), resolution);
}

/** Every metric of one piece, the notes read once. */
export function musPyPieceMetrics(piece: Piece, options: MusPyOptions = {}): MusPyPieceMetrics {
  const threshold = options.polyphonyThreshold ?? MUSPY_DEFAULT_POLYPHONY_THRESHOLD;
  assertThreshold(threshold);
  const notes = pieceNotes(piece);
  const counts = pitchCounts(piece);
  const roll = measureRoll(notes.pitched, threshold);
  return {
    pitchRange: rangeOfCounts(counts),
    nPitchesUsed: distinct(counts.pitch),
    nPitchClassesUsed: distinct(counts.pitchClass),
    polyphony: roll.soundingSteps > 0 ? roll.pitchSteps / roll.soundingSteps : Number.NaN,
    polyphonyRate: notes.endTicks > 0 ? roll.crowdedSteps / notes.endTicks : Number.NaN,
    scaleConsistency: scaleConsistencyOfCounts(counts),
    pitchEntropy: entropyOfCounts(counts.pitch),
    pitchClassEntropy: entropyOfCounts(counts.pitchClass),
    emptyBeatRate: emptyUnitRate(notes.all, notes.endTicks, piece.ppq),
    emptyMeasureRate: emptyUnitRate(notes.all, notes.endTicks, piece.ppq * meterOf(piece).quarters),
    grooveConsistency: grooveOf(notes, options.grooveResolution ?? MUSPY_DEFAULT_RESOLUTION),
  };
}

export interface MetricSummary extends ValueSummary {
  /** One value per piece, in the order given; null where the metric is NaN for that piece. */
  readonly values: readonly (number | null)[];
}

export interface MusPySetMetrics {
  readonly pieces: number;
  readonly options: { readonly polyphonyThreshold: number; readonly grooveResolution: number };
  /** Mean and population SD over the pieces where the metric is defined (`n` of them). */
  readonly metrics: Readonly<Record<MusPyMetricName, MetricSummary>>;
}

/** The metrics of every piece of a set, and their mean and SD per metric. */
export function musPyMetrics(pieces: readonly Piece[], options: MusPyOptions = {}): MusPySetMetrics {
  const polyphonyThreshold = options.polyphonyThreshold ?? MUSPY_DEFAULT_POLYPHONY_THRESHOLD;
  const grooveResolution = options.grooveResolution ?? MUSPY_DEFAULT_RESOLUTION;
  assertThreshold(polyphonyThreshold);
  assertResolution(grooveResolution);
  const perPiece = pieces.map((piece) => musPyPieceMetrics(piece, { polyphonyThreshold, grooveResolution }));
  const metrics = {} as Record<MusPyMetricName, MetricSummary>;
  for (const name of MUSPY_METRIC_NAMES) {
    const values = perPiece.map((metricsOfPiece) => metricsOfPiece[name]);
    metrics[name] = { ...summarize(values), values: values.map(finiteOrNull) };
  }
  return { pieces: pieces.length, options: { polyphonyThreshold, grooveResolution }, metrics };
}
