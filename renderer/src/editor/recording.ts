/**
 * A take from a MIDI keyboard becomes one editor command: every note of the take lands on the track
 * that was selected when recording started, in one undoable step (undo removes the whole take).
 * Pure: the Record button (views/editor/RecordControls.tsx) hands the take's notes here.
 */
import type { EditorCommand } from './commands';
import { clampVelocity, isValidPitch, type EditorDocument, type NoteFields } from './document';
import { snapStepTicks, type SnapSetting } from './grid';

/** What the playback recorder hands over (RecordedNote): the channel is the keyboard's, not used here. */
export interface TakeNote {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity: number;
}

/** The recording's quantize step: the editor's snap in ticks, or null when quantize is off or snap is off. */
export function recordQuantize(enabled: boolean, snap: SnapSetting, ppq: number): number | null {
  if (!enabled) return null;
  const step = snapStepTicks(snap, ppq);
  return step === null ? null : Math.max(1, Math.round(step));
}

/** Whole ticks, at least one tick long, a valid pitch and velocity; what is not a note is dropped. */
export function takeNoteFields(notes: readonly TakeNote[]): NoteFields[] {
  const fields: NoteFields[] = [];
  for (const note of notes) {
    if (!Number.isFinite(note.ticks) || !Number.isFinite(note.durationTicks) || !isValidPitch(note.pitch)) continue;
    const ticks = Math.max(0, Math.round(note.ticks));
    fields.push({ ticks, durationTicks: Math.max(1, Math.round(note.durationTicks)), pitch: note.pitch, velocity: clampVelocity(note.velocity) });
  }
  return fields;
}

/**
 * The command adding a take to the track with id `trackId` (the one selected when recording
 * started; tracks may have moved meanwhile), or to the active track when that one is gone. Null
 * when the take has no notes (nothing to undo).
 */
export function takeCommand(document: EditorDocument, trackId: number | null, activeTrack: number, notes: readonly TakeNote[]): EditorCommand | null {
  const fields = takeNoteFields(notes);
  if (fields.length === 0) return null;
  const byId = trackId === null ? -1 : document.tracks.findIndex((track) => track.id === trackId);
  return { kind: 'record-take', track: byId >= 0 ? byId : activeTrack, notes: fields };
}
