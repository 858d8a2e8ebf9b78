/**
 * The notes a metric looks at, taken from a piece once and checked once.
 *
 * - "Pitched" notes are those of non-drum tracks (a drum "pitch" names an instrument). A track is a drum
 *   track when `isDrum` is set or it plays on channel 10 (index 9), as everywhere else in the studio
 *   (MusPy only reads `is_drum`; our importer sets both).
 * - "All" notes include drums: MusPy measures a piece's length, its empty beats and measures and its
 *   grooves on every track.
 * - The meter is the earliest time signature of the piece (4/4 when it has none): MusPy's measure-based
 *   metrics assume a constant meter, and so do we.
 */
import { RepresentationError } from '../music/errors';
import { isDrumTrack } from '../music/representations/common';
import type { Note, Piece } from '../music/types';

export interface PieceNotes {
  readonly piece: Piece;
  /** Non-drum notes of every track, sorted by (onset, pitch, duration). */
  readonly pitched: readonly Note[];
  /** Every note, drums included, in track order. */
  readonly all: readonly Note[];
  /** End of the last note of any track, in ticks: MusPy's `max(track.get_end_time())`; 0 without notes. */
  readonly endTicks: number;
}

export function pieceNotes(piece: Piece): PieceNotes {
  if (!Number.isFinite(piece.ppq) || piece.ppq <= 0) {
    throw new RepresentationError(`"${piece.name}" has no usable ppq (${piece.ppq}): its metrics cannot be computed.`);
  }
  const pitched: Note[] = [];
  const all: Note[] = [];
  let endTicks = 0;
  for (const track of piece.tracks) {
    const drum = isDrumTrack(track);
    for (const note of track.notes) {
      const where = `"${piece.name}", track "${track.name}", tick ${note.ticks}`;
      if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch > 127) {
        throw new RepresentationError(`${where}: pitch ${note.pitch} is outside MIDI's 0..127.`);
      }
      if (!Number.isFinite(note.ticks) || note.ticks < 0 || !Number.isFinite(note.durationTicks) || note.durationTicks < 0) {
        throw new RepresentationError(`${where}: a note needs a tick ≥ 0 and a duration ≥ 0 (got ${note.ticks} and ${note.durationTicks}).`);
      }
      all.push(note);
      if (!drum) pitched.push(note);
      endTicks = Math.max(endTicks, note.ticks + note.durationTicks);
    }
  }
  pitched.sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch || a.durationTicks - b.durationTicks);
  return { piece, pitched, all, endTicks };
}

export interface Meter {
  readonly numerator: number;
  readonly denominator: number;
  /** Quarter notes per measure: 4 × numerator / denominator. */
  readonly quarters: number;
}

/** The earliest time signature of the piece, 4/4 when it has none. */
export function meterOf(piece: Piece): Meter {
  let first: { readonly ticks: number; readonly numerator: number; readonly denominator: number } | undefined;
  for (const signature of piece.timeSignatures) if (!first || signature.ticks < first.ticks) first = signature;
  const { numerator, denominator } = first ?? { numerator: 4, denominator: 4 };
  if (!Number.isInteger(numerator) || numerator < 1 || !Number.isInteger(denominator) || denominator < 1) {
    throw new RepresentationError(`"${piece.name}" has a time signature of ${numerator}/${denominator}: measures cannot be made of it.`);
  }
  return { numerator, denominator, quarters: (4 * numerator) / denominator };
}
