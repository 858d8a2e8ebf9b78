/**
 * The per-piece features of Yang & Lerch (2018), "On the evaluation of generative models in music"
 * (Neural Computing and Applications), as their toolbox mgeval (github.com/RichardYang40148/mgeval,
 * mgeval/core.py) computes them, on the studio's Piece. Every feature is a vector (scalars have one
 * dimension) or null where the piece cannot give it; the relative measurement (compare.ts) leaves such
 * pieces out of that feature.
 *
 * mgeval reads one track of a MIDI file (`instruments[0]` or `pattern[1]`). Generated pieces decode to one
 * track while a corpus piece may hold a track per voice, so here every non-drum track is merged into one
 * stream: the two sets are then measured alike, and a one-track piece gives mgeval's numbers.
 *
 * - pitchClassHistogram (12): time spent on each pitch class, normalised to sum 1. mgeval sums a
 *   pretty_midi piano roll sampled at 100 Hz, which weights by seconds × velocity; we weight by duration
 *   in quarter notes (tempo and velocity would otherwise compare a model's default tempo and velocity
 *   with the corpus's instead of its pitches). Null when no pitched note has a duration.
 * - pitchClassTransitionMatrix (144, row-major from × to): pretty_midi's get_pitch_class_transition_matrix:
 *   note i → note j counts when |end_i − start_j| < 0.05 s (seconds from the tempo map; i = j counts for
 *   a note shorter than 0.05 s, as there), normalised by the whole matrix's sum (mgeval's `normalize=2`).
 *   Null without any transition.
 * - interOnsetInterval (1): mean gap between consecutive distinct onsets, in quarter notes, as the corpus
 *   statistics define an inter-onset interval. mgeval's avg_IOI takes pretty_midi's onsets in seconds
 *   with repeats, so every chord adds zero gaps; on polyphonic pieces that measures notes per onset, not
 *   rhythm, and seconds would compare tempos. Null with fewer than two distinct onsets.
 * - noteLengthHistogram (12): mgeval's note_length_hist classes — whole, half, quarter, eighth, sixteenth,
 *   dotted half, dotted quarter, dotted eighth, dotted sixteenth, half triplet, quarter triplet, eighth
 *   triplet — each note counted in the nearest class (first class on a tie, as np.argmin), normalised.
 *   mgeval measures the classes in 96ths of a bar, defaulting to a 4/4 bar; we keep them as note values
 *   (96ths of a 4/4 bar, i.e. 24ths of a quarter), so a quarter note is a quarter in any meter. Null
 *   without pitched notes.
 * - pitchRange (1): highest minus lowest pitch (MusPy's pitch_range). Null without pitched notes.
 * - averagePitchInterval (1): mgeval's avg_pitch_shift, the mean absolute interval in semitones between
 *   consecutive notes, the notes ordered by (onset, pitch). Null with fewer than two pitched notes.
 */
import { RepresentationError } from '../music/errors';
import type { Note, Piece } from '../music/types';
import { pieceNotes } from './piece-notes';

export const YANG_LERCH_FEATURE_NAMES = [
  'pitchClassHistogram',
  'pitchClassTransitionMatrix',
  'interOnsetInterval',
  'noteLengthHistogram',
  'pitchRange',
  'averagePitchInterval',
] as const;
export type YangLerchFeatureName = (typeof YANG_LERCH_FEATURE_NAMES)[number];

export const YANG_LERCH_DIMENSIONS: Readonly<Record<YangLerchFeatureName, number>> = {
  pitchClassHistogram: 12,
  pitchClassTransitionMatrix: 144,
  interOnsetInterval: 1,
  noteLengthHistogram: 12,
  pitchRange: 1,
  averagePitchInterval: 1,
};

export interface NoteLengthClass {
  readonly name: string;
  /** Length in 24ths of a quarter note: mgeval's 96ths of a 4/4 bar. */
  readonly units: number;
}

/** mgeval's twelve note-length classes, in its order. */
export const NOTE_LENGTH_CLASSES: readonly NoteLengthClass[] = [
  { name: 'whole', units: 96 },
  { name: 'half', units: 48 },
  { name: 'quarter', units: 24 },
  { name: 'eighth', units: 12 },
  { name: 'sixteenth', units: 6 },
  { name: 'dotted half', units: 72 },
  { name: 'dotted quarter', units: 36 },
  { name: 'dotted eighth', units: 18 },
  { name: 'dotted sixteenth', units: 9 },
  { name: 'half triplet', units: 32 },
  { name: 'quarter triplet', units: 16 },
  { name: 'eighth triplet', units: 8 },
];

/** pretty_midi's `time_thresh` for pitch-class transitions, in seconds. */
export const DEFAULT_TRANSITION_THRESHOLD_SECONDS = 0.05;

export interface YangLerchOptions {
  /** A note's end and the next note's start closer than this (seconds) make a transition; default 0.05. */
  readonly transitionThresholdSeconds?: number;
}

export type YangLerchFeatures = Readonly<Record<YangLerchFeatureName, readonly number[] | null>>;

function normalised(counts: number[]): number[] | null {
  let total = 0;
  for (const count of counts) total += count;
  return total > 0 ? counts.map((count) => count / total) : null;
}

function pitchClassHistogram(notes: readonly Note[], ppq: number): number[] | null {
  const weights = new Array<number>(12).fill(0);
  for (const note of notes) weights[note.pitch % 12]! += note.durationTicks / ppq;
  return normalised(weights);
}

/** First index whose value is > bound, in ascending values. */
function firstAbove(values: Float64Array, bound: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! > bound) high = middle;
    else low = middle + 1;
  }
  return low;
}

function pitchClassTransitionMatrix(notes: readonly Note[], threshold: number): number[] | null {
  const counts = new Array<number>(144).fill(0);
  const byStart = [...notes].sort((a, b) => a.time - b.time);
  const starts = Float64Array.from(byStart, (note) => note.time);
  for (const source of notes) {
    const end = source.time + source.duration;
    for (let index = firstAbove(starts, end - threshold); index < starts.length && starts[index]! < end + threshold; index++) {
      counts[(source.pitch % 12) * 12 + (byStart[index]!.pitch % 12)]!++;
    }
  }
  return normalised(counts);
}

function interOnsetInterval(notes: readonly Note[], ppq: number): number[] | null {
  // `notes` is sorted by onset: distinct onsets are the first, the last and the changes between.
  let distinctOnsets = 0;
  let previous = Number.NaN;
  for (const note of notes) {
    if (note.ticks !== previous) distinctOnsets++;
    previous = note.ticks;
  }
  if (distinctOnsets < 2) return null;
  return [(notes[notes.length - 1]!.ticks - notes[0]!.ticks) / ppq / (distinctOnsets - 1)];
}

function noteLengthHistogram(notes: readonly Note[], ppq: number): number[] | null {
  const counts = new Array<number>(NOTE_LENGTH_CLASSES.length).fill(0);
  for (const note of notes) {
    const units = (note.durationTicks * 24) / ppq;
    let best = 0;
    for (let index = 1; index < NOTE_LENGTH_CLASSES.length; index++) {
      if (Math.abs(NOTE_LENGTH_CLASSES[index]!.units - units) < Math.abs(NOTE_LENGTH_CLASSES[best]!.units - units)) best = index;
    }
    counts[best]!++;
  }
  return normalised(counts);
}

function pitchRange(notes: readonly Note[]): number[] | null {
  if (notes.length === 0) return null;
  let lowest = 127;
  let highest = 0;
  for (const note of notes) {
    lowest = Math.min(lowest, note.pitch);
    highest = Math.max(highest, note.pitch);
  }
  return [highest - lowest];
}

function averagePitchInterval(notes: readonly Note[]): number[] | null {
  if (notes.length < 2) return null;
  let sum = 0;
  for (let index = 1; index < notes.length; index++) sum += Math.abs(notes[index]!.pitch - notes[index - 1]!.pitch);
  return [sum / (notes.length - 1)];
}

export function yangLerchFeatures(piece: Piece, options: YangLerchOptions = {}): YangLerchFeatures {
  const threshold = options.transitionThresholdSeconds ?? DEFAULT_TRANSITION_THRESHOLD_SECONDS;
  if (!Number.isFinite(threshold) || threshold <= 0) throw new RepresentationError(`The transition threshold must be a positive number of seconds (got ${threshold}).`);
  const { pitched } = pieceNotes(piece);
  for (const note of pitched) {
    if (!Number.isFinite(note.time) || !Number.isFinite(note.duration) || note.duration < 0) {
      throw new RepresentationError(`"${piece.name}", tick ${note.ticks}: a note needs a time and a duration ≥ 0 in seconds.`);
    }
  }
  return {
    pitchClassHistogram: pitchClassHistogram(pitched, piece.ppq),
    pitchClassTransitionMatrix: pitchClassTransitionMatrix(pitched, threshold),
    interOnsetInterval: interOnsetInterval(pitched, piece.ppq),
    noteLengthHistogram: noteLengthHistogram(pitched, piece.ppq),
    pitchRange: pitchRange(pitched),
    averagePitchInterval: averagePitchInterval(pitched),
  };
}
