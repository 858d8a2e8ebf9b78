/** Hand-made pieces for the metrics tests (notes in ticks; seconds from the tempo map, 120 bpm unless given). */
import type { Piece } from '../../../core/music/types';
import { makePiece, type NoteSpec, type PieceSpec } from '../music/support';

export { makePiece };

/** A one-track piece of [ticks, durationTicks, pitch] rows. */
export function melody(rows: readonly (readonly [number, number, number])[], spec: Omit<PieceSpec, 'tracks'> = {}): Piece {
  return makePiece({ ppq: 4, ...spec, tracks: [{ notes: rows.map(([ticks, durationTicks, pitch]) => ({ ticks, durationTicks, pitch })) }] });
}

/** Notes one after another, each `length` ticks long. */
export function legato(pitches: readonly number[], length: number, start = 0): NoteSpec[] {
  return pitches.map((pitch, index) => ({ ticks: start + index * length, durationTicks: length, pitch }));
}

export const C_MAJOR = [60, 62, 64, 65, 67, 69, 71];

/** C4..B4 in quarter notes at ppq 4, legato. */
export const cMajorScale = makePiece({ name: 'C major scale', ppq: 4, tracks: [{ notes: legato(C_MAJOR, 4) }] });
