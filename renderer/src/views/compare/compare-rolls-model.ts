/**
 * The rows of small piano rolls apart from the canvas: how many rolls per row, how much music each
 * shows (the samples' own length, in whole bars, so a chorale of 40 bars is shown over the same span
 * as 8 bars of a sample and notes compare at one scale), and the reference piece cut to that span.
 */
import type { Piece } from '../../../../core/music/types';

/** Rolls per row: the reference's first pieces and each model's first samples. */
export const ROLLS_PER_ROW = 4;
/** Without a loaded sample to measure, the rolls show this many bars. */
export const DEFAULT_SPAN_BARS = 8;

type Measured = Pick<Piece, 'ppq' | 'durationTicks' | 'timeSignatures' | 'tracks'>;

/** Ticks in one bar of the music's first time signature (4/4 when it has none), as the clip roll draws bars. */
export function ticksPerBar(music: Pick<Piece, 'ppq' | 'timeSignatures'>): number {
  const signature = music.timeSignatures[0] ?? { numerator: 4, denominator: 4 };
  return Math.max(1, Math.round((music.ppq * 4 * signature.numerator) / signature.denominator));
}

function lastEnd(music: Measured): number {
  let end = music.durationTicks;
  for (const track of music.tracks) for (const note of track.notes) end = Math.max(end, note.ticks + note.durationTicks);
  return end;
}

/** The span to show, in quarter notes: the longest sample rounded up to a whole bar of its meter. */
export function spanInQuarters(samples: readonly Measured[]): number {
  let quarters = 0;
  for (const sample of samples) {
    const bar = ticksPerBar(sample);
    const bars = Math.max(1, Math.ceil(lastEnd(sample) / bar - 1e-9));
    quarters = Math.max(quarters, (bars * bar) / sample.ppq);
  }
  return quarters > 0 ? quarters : DEFAULT_SPAN_BARS * 4;
}

/**
 * The music up to `quarters` quarter notes: notes that start before the end, cut at it; the
 * duration set to the span, so every roll of a row has the same time axis.
 */
export function cropMusic<T extends Measured & Pick<Piece, 'duration'>>(music: T, quarters: number): T {
  if (!(quarters > 0)) throw new RangeError(`A span is a positive number of quarter notes (got ${quarters}).`);
  const endTicks = Math.round(quarters * music.ppq);
  return {
    ...music,
    durationTicks: endTicks,
    tracks: music.tracks.map((track) => ({
      ...track,
      notes: track.notes.filter((note) => note.ticks < endTicks).map((note) => (note.ticks + note.durationTicks > endTicks ? { ...note, durationTicks: endTicks - note.ticks } : note)),
    })),
  };
}

/** The first `count` of a list of ids, for a row. */
export function firstOf(ids: readonly number[], count: number = ROLLS_PER_ROW): number[] {
  return ids.slice(0, Math.max(0, count));
}
