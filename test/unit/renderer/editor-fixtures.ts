/** Small documents for the editor's tests: notes given as [ticks, duration, pitch, velocity?]. */
import { documentFromMusic, type EditorDocument, type EditorNote } from '../../../renderer/src/editor/document';
import type { KeySignatureChange, TimeSignatureChange } from '../../../core/music/types';

export type NoteSpec = readonly [ticks: number, durationTicks: number, pitch: number, velocity?: number];

export function makeDocument(
  tracks: readonly (readonly NoteSpec[])[],
  options: { ppq?: number; timeSignatures?: TimeSignatureChange[]; keySignatures?: KeySignatureChange[] } = {},
): EditorDocument {
  return documentFromMusic({
    name: 'Test',
    ppq: options.ppq ?? 480,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: options.timeSignatures ?? [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: options.keySignatures ?? [],
    tracks: tracks.map((notes, index) => ({
      name: `T${index}`,
      program: 0,
      channel: index,
      isDrum: false,
      notes: notes.map(([ticks, durationTicks, pitch, velocity]) => ({ ticks, durationTicks, pitch, velocity: velocity ?? 80, time: 0, duration: 0 })),
      controlChanges: [],
    })),
  });
}

/** A track's notes without ids, for comparing. */
export function specs(document: EditorDocument, track = 0): NoteSpec[] {
  return document.tracks[track]!.notes.map((note) => [note.ticks, note.durationTicks, note.pitch, note.velocity] as const);
}

export function ids(document: EditorDocument, track = 0, which?: (note: EditorNote, index: number) => boolean): Set<number> {
  return new Set(document.tracks[track]!.notes.filter((note, index) => (which ? which(note, index) : true)).map((note) => note.id));
}
