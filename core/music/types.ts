/**
 * The studio's own model of a piece of music, shared by every process.
 *
 * Times are kept in ticks (the file's resolution, `ppq` ticks per quarter note) because ticks are
 * exact and survive tempo changes; seconds are derived from the tempo map and stored beside them so
 * that playback and statistics do not have to re-derive them.
 */

export interface TempoChange {
  readonly ticks: number;
  /** Quarter notes per minute. */
  readonly bpm: number;
}

export interface TimeSignatureChange {
  readonly ticks: number;
  readonly numerator: number;
  readonly denominator: number;
}

export interface KeySignatureChange {
  readonly ticks: number;
  /** Tonic spelled as in the file, e.g. "C", "F#", "Bb". */
  readonly key: string;
  readonly scale: 'major' | 'minor';
}

export interface Note {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly time: number;
  readonly duration: number;
  /** MIDI pitch, 0..127. */
  readonly pitch: number;
  /** MIDI velocity, 1..127. */
  readonly velocity: number;
}

export interface ControlChange {
  readonly ticks: number;
  readonly time: number;
  /** Controller number, 0..127 (64 = sustain pedal). */
  readonly controller: number;
  /** Controller value, 0..127. */
  readonly value: number;
}

export interface Track {
  readonly name: string;
  /** General MIDI program, 0..127 (webmidi numbers them 1..128: convert at that boundary only). */
  readonly program: number;
  /** MIDI channel, 0..15. */
  readonly channel: number;
  /** True for the percussion channel (channel 10, index 9). */
  readonly isDrum: boolean;
  readonly notes: readonly Note[];
  readonly controlChanges: readonly ControlChange[];
}

export interface Piece {
  readonly name: string;
  /** Ticks per quarter note. */
  readonly ppq: number;
  readonly tempos: readonly TempoChange[];
  readonly timeSignatures: readonly TimeSignatureChange[];
  readonly keySignatures: readonly KeySignatureChange[];
  readonly tracks: readonly Track[];
  /** End of the last event, in ticks and seconds. */
  readonly durationTicks: number;
  readonly duration: number;
}

export type SplitName = 'train' | 'valid' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'valid', 'test'];

export const DRUM_CHANNEL = 9;
export const SUSTAIN_CONTROLLER = 64;

export function noteCount(piece: Pick<Piece, 'tracks'>): number {
  let count = 0;
  for (const track of piece.tracks) count += track.notes.length;
  return count;
}
