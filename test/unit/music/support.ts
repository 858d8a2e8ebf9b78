/** Hand-made pieces for the music tests: notes in ticks, seconds derived from the tempo map. */
import { ticksToSeconds } from '../../../core/music/tempo-map';
import type { ControlChange, KeySignatureChange, Note, Piece, TempoChange, TimeSignatureChange, Track } from '../../../core/music/types';

export interface NoteSpec {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity?: number;
}

export interface TrackSpec {
  readonly notes: readonly NoteSpec[];
  readonly name?: string;
  readonly program?: number;
  readonly channel?: number;
  readonly isDrum?: boolean;
  readonly controlChanges?: readonly Omit<ControlChange, 'time'>[];
}

export interface PieceSpec {
  readonly name?: string;
  readonly ppq?: number;
  readonly tempos?: readonly TempoChange[];
  readonly timeSignatures?: readonly TimeSignatureChange[];
  readonly keySignatures?: readonly KeySignatureChange[];
  readonly tracks: readonly TrackSpec[];
}

export function makePiece(spec: PieceSpec): Piece {
  const ppq = spec.ppq ?? 480;
  const tempos = spec.tempos ?? [{ ticks: 0, bpm: 120 }];
  const seconds = ticksToSeconds(tempos, ppq);
  let durationTicks = 0;
  const tracks: Track[] = spec.tracks.map((track, index) => {
    const notes: Note[] = track.notes.map((note) => {
      durationTicks = Math.max(durationTicks, note.ticks + note.durationTicks);
      const time = seconds(note.ticks);
      return {
        ticks: note.ticks,
        durationTicks: note.durationTicks,
        time,
        duration: seconds(note.ticks + note.durationTicks) - time,
        pitch: note.pitch,
        velocity: note.velocity ?? 100,
      };
    });
    const channel = track.isDrum === true ? 9 : (track.channel ?? index % 9);
    return {
      name: track.name ?? `track ${index}`,
      program: track.program ?? 0,
      channel,
      isDrum: track.isDrum === true,
      notes,
      controlChanges: (track.controlChanges ?? []).map((change) => ({ ...change, time: seconds(change.ticks) })),
    };
  });
  return {
    name: spec.name ?? 'test piece',
    ppq,
    tempos,
    timeSignatures: spec.timeSignatures ?? [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: spec.keySignatures ?? [],
    tracks,
    durationTicks,
    duration: seconds(durationTicks),
  };
}

/** Notes of every track as comparable rows, sorted: [ticks, pitch, durationTicks, velocity]. */
export function noteRows(piece: Piece, tracks: readonly number[] = piece.tracks.map((_, index) => index)): number[][] {
  return tracks
    .flatMap((index) => piece.tracks[index]!.notes.map((note) => [note.ticks, note.pitch, note.durationTicks, note.velocity]))
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]!);
}
