/**
 * The editor's document: a piece of music as the piano roll edits it. Every note carries an id
 * (stable across edits, so a selection survives a move), each track keeps its notes sorted by start
 * (the spatial index and legato rely on it), and the whole document is immutable: an edit returns a
 * new document sharing every track it did not touch, which is what makes undo a matter of keeping
 * the previous value.
 */
import type { z } from 'zod';
import type { MusicSchema } from '../../../core/ipc/schemas';
import { normalizeMusic } from '../../../core/music/normalize';
import type { ControlChange, KeySignatureChange, Piece, TempoChange, TimeSignatureChange } from '../../../core/music/types';

export interface EditorNote {
  readonly id: number;
  readonly ticks: number;
  readonly durationTicks: number;
  /** MIDI pitch 0..127. */
  readonly pitch: number;
  /** MIDI velocity 1..127. */
  readonly velocity: number;
}

export interface EditorTrack {
  /** Stable across edits: the view state (colour, mute, solo) is keyed by it. */
  readonly id: number;
  readonly name: string;
  readonly program: number;
  readonly channel: number;
  readonly isDrum: boolean;
  /** Sorted by ticks, then pitch, then id. */
  readonly notes: readonly EditorNote[];
  /** Kept as loaded: the piano roll does not edit controllers, but saving must not drop them. */
  readonly controlChanges: readonly ControlChange[];
}

export interface EditorDocument {
  readonly name: string;
  readonly ppq: number;
  readonly tempos: readonly TempoChange[];
  readonly timeSignatures: readonly TimeSignatureChange[];
  readonly keySignatures: readonly KeySignatureChange[];
  readonly tracks: readonly EditorTrack[];
  /** The next free id for a note or a track. */
  readonly nextId: number;
}

export type NoteFields = Omit<EditorNote, 'id'>;

export const MIN_PITCH = 0;
export const MAX_PITCH = 127;
export const MIN_VELOCITY = 1;
export const MAX_VELOCITY = 127;

export function compareNotes(a: EditorNote, b: EditorNote): number {
  return a.ticks - b.ticks || a.pitch - b.pitch || a.id - b.id;
}

/** Sorts in place unless already sorted (the common case after an edit that kept the order). */
export function sortNotes(notes: EditorNote[]): EditorNote[] {
  for (let index = 1; index < notes.length; index++) {
    if (compareNotes(notes[index - 1]!, notes[index]!) > 0) return notes.sort(compareNotes);
  }
  return notes;
}

export function clampVelocity(velocity: number): number {
  return Math.min(MAX_VELOCITY, Math.max(MIN_VELOCITY, Math.round(velocity)));
}

export function isValidPitch(pitch: number): boolean {
  return Number.isInteger(pitch) && pitch >= MIN_PITCH && pitch <= MAX_PITCH;
}

/** The editor's document for a piece or clip; its own ids, numbered from 1. */
export function documentFromMusic(music: Pick<Piece, 'name' | 'ppq' | 'tempos' | 'timeSignatures' | 'keySignatures' | 'tracks'>): EditorDocument {
  let nextId = 1;
  const tracks = music.tracks.map((track): EditorTrack => {
    const id = nextId++;
    const notes = track.notes.map(
      (note): EditorNote => ({
        id: nextId++,
        ticks: note.ticks,
        durationTicks: Math.max(1, note.durationTicks),
        pitch: note.pitch,
        velocity: clampVelocity(note.velocity),
      }),
    );
    return {
      id,
      name: track.name,
      program: track.program,
      channel: track.channel,
      isDrum: track.isDrum,
      notes: sortNotes(notes),
      controlChanges: track.controlChanges,
    };
  });
  return {
    name: music.name,
    ppq: music.ppq,
    tempos: music.tempos,
    timeSignatures: music.timeSignatures,
    keySignatures: music.keySignatures,
    tracks,
    nextId,
  };
}

/** The document as music to save or play: seconds, order and length derived again from the ticks. */
export function musicFromDocument(document: EditorDocument): Piece {
  return normalizeMusic({
    name: document.name,
    ppq: document.ppq,
    tempos: document.tempos,
    timeSignatures: document.timeSignatures,
    keySignatures: document.keySignatures,
    tracks: document.tracks.map((track) => ({
      name: track.name,
      program: track.program,
      channel: track.channel,
      isDrum: track.isDrum,
      notes: track.notes.map((note) => ({
        ticks: note.ticks,
        durationTicks: note.durationTicks,
        pitch: note.pitch,
        velocity: note.velocity,
        time: 0,
        duration: 0,
      })),
      controlChanges: track.controlChanges,
    })),
    durationTicks: 0,
    duration: 0,
  });
}

export function noteCountOf(document: EditorDocument): number {
  let count = 0;
  for (const track of document.tracks) count += track.notes.length;
  return count;
}

/** The end of the last note (0 for an empty document). */
export function lastNoteEnd(document: EditorDocument): number {
  let end = 0;
  for (const track of document.tracks) for (const note of track.notes) end = Math.max(end, note.ticks + note.durationTicks);
  return end;
}

/** Where each note id lives: track index by id. */
export function trackIndexById(document: EditorDocument): Map<number, number> {
  const where = new Map<number, number>();
  document.tracks.forEach((track, index) => {
    for (const note of track.notes) where.set(note.id, index);
  });
  return where;
}

/** The notes with these ids, in document order (track, then time). */
export function notesWithIds(document: EditorDocument, ids: ReadonlySet<number>): EditorNote[] {
  const found: EditorNote[] = [];
  if (ids.size === 0) return found;
  for (const track of document.tracks) for (const note of track.notes) if (ids.has(note.id)) found.push(note);
  return found;
}

/** Replaces one track's notes (sorted here), keeping every other track as it was. */
export function withTrackNotes(document: EditorDocument, trackIndex: number, notes: EditorNote[]): EditorDocument {
  const tracks = document.tracks.slice();
  tracks[trackIndex] = { ...document.tracks[trackIndex]!, notes: sortNotes(notes) };
  return { ...document, tracks };
}

/**
 * Maps the notes whose id is in `ids` through `change` (null deletes the note). Tracks with none of
 * those notes are kept as they are; when nothing changes, the same document comes back.
 */
export function mapNotes(document: EditorDocument, ids: ReadonlySet<number>, change: (note: EditorNote) => EditorNote | null): EditorDocument {
  if (ids.size === 0) return document;
  let tracks: EditorTrack[] | null = null;
  document.tracks.forEach((track, index) => {
    let changed = false;
    const notes: EditorNote[] = [];
    for (const note of track.notes) {
      if (!ids.has(note.id)) {
        notes.push(note);
        continue;
      }
      const next = change(note);
      if (next !== note) changed = true;
      if (next !== null) notes.push(next);
    }
    if (!changed) return;
    tracks ??= document.tracks.slice();
    tracks[index] = { ...track, notes: sortNotes(notes) };
  });
  return tracks === null ? document : { ...document, tracks };
}

/** Music as the contract carries it (plain mutable arrays): what clips.update is sent. */
export type MusicInput = z.input<typeof MusicSchema>;

export function musicInput(piece: Piece): MusicInput {
  return {
    name: piece.name,
    ppq: piece.ppq,
    durationTicks: piece.durationTicks,
    duration: piece.duration,
    tempos: piece.tempos.map((tempo) => ({ ...tempo })),
    timeSignatures: piece.timeSignatures.map((signature) => ({ ...signature })),
    keySignatures: piece.keySignatures.map((signature) => ({ ...signature })),
    tracks: piece.tracks.map((track) => ({
      name: track.name,
      program: track.program,
      channel: track.channel,
      isDrum: track.isDrum,
      notes: track.notes.map((note) => ({ ...note })),
      controlChanges: track.controlChanges.map((change) => ({ ...change })),
    })),
  };
}
