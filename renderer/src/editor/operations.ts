/**
 * Pure editing operations on the document. Each takes a document and returns a new one (or the same
 * one when nothing changes, which is how the store knows not to record an undo step). Operations on
 * a group of notes keep the group's shape: a move or transpose that would push one note off the
 * roll (before tick 0, outside 0..127) is clamped or refused for all of them, never applied to some.
 */
import {
  clampVelocity,
  mapNotes,
  MAX_PITCH,
  MIN_PITCH,
  notesWithIds,
  trackIndexById,
  withTrackNotes,
  type EditorDocument,
  type EditorNote,
  type EditorTrack,
  type NoteFields,
} from './document';
import { snapTicks, type MeterMap } from './grid';
import { keyAt, transposeInScale } from './scale';

export interface Created {
  readonly document: EditorDocument;
  /** Ids of the notes made, in the order given. */
  readonly ids: readonly number[];
}

function checkTrack(document: EditorDocument, trackIndex: number): EditorTrack {
  const track = document.tracks[trackIndex];
  if (!track) throw new RangeError(`There is no track ${trackIndex} (the document has ${document.tracks.length}).`);
  return track;
}

function checkNote(fields: NoteFields): void {
  if (!Number.isInteger(fields.ticks) || fields.ticks < 0) throw new RangeError(`A note starts at a whole tick ≥ 0 (got ${fields.ticks}).`);
  if (!Number.isInteger(fields.durationTicks) || fields.durationTicks < 1) throw new RangeError(`A note lasts at least one tick (got ${fields.durationTicks}).`);
  if (!Number.isInteger(fields.pitch) || fields.pitch < MIN_PITCH || fields.pitch > MAX_PITCH) throw new RangeError(`A pitch is 0..127 (got ${fields.pitch}).`);
}

/** Adds notes to one track. */
export function addNotes(document: EditorDocument, trackIndex: number, fields: readonly NoteFields[]): Created {
  const track = checkTrack(document, trackIndex);
  if (fields.length === 0) return { document, ids: [] };
  let nextId = document.nextId;
  const added = fields.map((note): EditorNote => {
    checkNote(note);
    return { id: nextId++, ticks: note.ticks, durationTicks: note.durationTicks, pitch: note.pitch, velocity: clampVelocity(note.velocity) };
  });
  const updated = withTrackNotes(document, trackIndex, [...track.notes, ...added]);
  return { document: { ...updated, nextId }, ids: added.map((note) => note.id) };
}

export function deleteNotes(document: EditorDocument, ids: ReadonlySet<number>): EditorDocument {
  return mapNotes(document, ids, () => null);
}

/** The move of a group clamped so no note leaves the roll: earliest start ≥ 0, pitches 0..127. */
export function clampMove(notes: readonly EditorNote[], deltaTicks: number, deltaPitch: number): { deltaTicks: number; deltaPitch: number } {
  if (notes.length === 0) return { deltaTicks: 0, deltaPitch: 0 };
  let earliest = Infinity;
  let low = MAX_PITCH;
  let high = MIN_PITCH;
  for (const note of notes) {
    earliest = Math.min(earliest, note.ticks);
    low = Math.min(low, note.pitch);
    high = Math.max(high, note.pitch);
  }
  return {
    deltaTicks: Math.max(0 - earliest, Math.round(deltaTicks)) || 0,
    deltaPitch: Math.min(MAX_PITCH - high, Math.max(MIN_PITCH - low, Math.round(deltaPitch))) || 0,
  };
}

/** Moves notes in time and pitch by the clamped deltas (see clampMove). */
export function moveNotes(document: EditorDocument, ids: ReadonlySet<number>, deltaTicks: number, deltaPitch: number): EditorDocument {
  const clamped = clampMove(notesWithIds(document, ids), deltaTicks, deltaPitch);
  if (clamped.deltaTicks === 0 && clamped.deltaPitch === 0) return document;
  return mapNotes(document, ids, (note) => ({ ...note, ticks: note.ticks + clamped.deltaTicks, pitch: note.pitch + clamped.deltaPitch }));
}

/** Transposes by semitones, all or nothing: when one note would leave 0..127, nothing moves. */
export function transposeNotes(document: EditorDocument, ids: ReadonlySet<number>, semitones: number): EditorDocument {
  const notes = notesWithIds(document, ids);
  if (semitones === 0 || notes.some((note) => note.pitch + semitones < MIN_PITCH || note.pitch + semitones > MAX_PITCH)) return document;
  return mapNotes(document, ids, (note) => ({ ...note, pitch: note.pitch + semitones }));
}

/** Moves each note by scale degrees of the key in force where it starts; all or nothing. */
export function transposeNotesInScale(document: EditorDocument, ids: ReadonlySet<number>, steps: number): EditorDocument {
  if (steps === 0) return document;
  const targets = new Map<number, number>();
  for (const note of notesWithIds(document, ids)) {
    const pitch = transposeInScale(note.pitch, steps, keyAt(document.keySignatures, note.ticks));
    if (pitch === null) return document;
    targets.set(note.id, pitch);
  }
  return mapNotes(document, ids, (note) => {
    const pitch = targets.get(note.id)!;
    return pitch === note.pitch ? note : { ...note, pitch };
  });
}

export type Edge = 'start' | 'end';

/**
 * Resizes notes by moving one edge by `deltaTicks`: the end (duration changes) or the start (the
 * end stays). No note gets shorter than `minDuration` or starts before 0.
 */
export function resizeNotes(document: EditorDocument, ids: ReadonlySet<number>, edge: Edge, deltaTicks: number, minDuration = 1): EditorDocument {
  const delta = Math.round(deltaTicks);
  if (delta === 0) return document;
  return mapNotes(document, ids, (note) => resizedNote(note, edge, delta, minDuration));
}

/** One note with an edge moved (see resizeNotes); the same note when it does not change. */
export function resizedNote(note: EditorNote, edge: Edge, deltaTicks: number, minDuration = 1): EditorNote {
  const delta = Math.round(deltaTicks);
  const shortest = Math.max(1, Math.round(minDuration));
  const end = note.ticks + note.durationTicks;
  if (edge === 'end') {
    const durationTicks = Math.max(Math.min(shortest, note.durationTicks), note.durationTicks + delta);
    return durationTicks === note.durationTicks ? note : { ...note, durationTicks };
  }
  const ticks = Math.min(end - Math.min(shortest, note.durationTicks), Math.max(0, note.ticks + delta));
  return ticks === note.ticks ? note : { ...note, ticks, durationTicks: end - ticks };
}

/** Copies of the notes shifted by `offsetTicks` (each in its own track); the copies' ids come back. */
export function duplicateNotes(document: EditorDocument, ids: ReadonlySet<number>, offsetTicks: number): Created {
  const where = trackIndexById(document);
  let current = document;
  const created: number[] = [];
  const byTrack = new Map<number, NoteFields[]>();
  for (const note of notesWithIds(document, ids)) {
    const track = where.get(note.id)!;
    const list = byTrack.get(track) ?? [];
    list.push({ ticks: Math.max(0, note.ticks + Math.round(offsetTicks)), durationTicks: note.durationTicks, pitch: note.pitch, velocity: note.velocity });
    byTrack.set(track, list);
  }
  for (const [track, fields] of [...byTrack].sort((a, b) => a[0] - b[0])) {
    const result = addNotes(current, track, fields);
    current = result.document;
    created.push(...result.ids);
  }
  return { document: current, ids: created };
}

/** The span a group covers: earliest start to latest end. */
export function spanOf(notes: readonly EditorNote[]): { start: number; end: number } | null {
  if (notes.length === 0) return null;
  let start = Infinity;
  let end = 0;
  for (const note of notes) {
    start = Math.min(start, note.ticks);
    end = Math.max(end, note.ticks + note.durationTicks);
  }
  return { start, end };
}

// ---- clipboard -----------------------------------------------------------------------------

export interface ClipboardNote extends Omit<NoteFields, 'ticks'> {
  /** Ticks after the earliest copied start. */
  readonly offsetTicks: number;
  /** Which of the copied tracks it came from, 0-based in the order they appear in the document. */
  readonly lane: number;
}

export interface Clipboard {
  readonly notes: readonly ClipboardNote[];
  /** Earliest start to latest end of what was copied. */
  readonly spanTicks: number;
  /** How many tracks the copy spans. */
  readonly lanes: number;
  /** The ppq it was copied at: pasting into another resolution rescales. */
  readonly ppq: number;
}

export function copyNotes(document: EditorDocument, ids: ReadonlySet<number>): Clipboard | null {
  const notes = notesWithIds(document, ids);
  const span = spanOf(notes);
  if (span === null) return null;
  const where = trackIndexById(document);
  const tracks = [...new Set(notes.map((note) => where.get(note.id)!))].sort((a, b) => a - b);
  return {
    notes: notes.map((note) => ({
      offsetTicks: note.ticks - span.start,
      durationTicks: note.durationTicks,
      pitch: note.pitch,
      velocity: note.velocity,
      lane: tracks.indexOf(where.get(note.id)!),
    })),
    spanTicks: span.end - span.start,
    lanes: tracks.length,
    ppq: document.ppq,
  };
}

/**
 * Pastes at `atTicks`: notes copied from one track go to `trackIndex`; from several, lane k goes
 * to `trackIndex + k` (clamped to the last track).
 */
export function pasteNotes(document: EditorDocument, clipboard: Clipboard, atTicks: number, trackIndex: number): Created {
  checkTrack(document, trackIndex);
  const scale = document.ppq / clipboard.ppq;
  const byTrack = new Map<number, NoteFields[]>();
  for (const note of clipboard.notes) {
    const track = Math.min(document.tracks.length - 1, trackIndex + note.lane);
    const list = byTrack.get(track) ?? [];
    list.push({
      ticks: Math.max(0, Math.round(atTicks + note.offsetTicks * scale)),
      durationTicks: Math.max(1, Math.round(note.durationTicks * scale)),
      pitch: note.pitch,
      velocity: note.velocity,
    });
    byTrack.set(track, list);
  }
  let current = document;
  const ids: number[] = [];
  for (const [track, fields] of [...byTrack].sort((a, b) => a[0] - b[0])) {
    const result = addNotes(current, track, fields);
    current = result.document;
    ids.push(...result.ids);
  }
  return { document: current, ids };
}

// ---- timing --------------------------------------------------------------------------------

/**
 * Moves each note's start toward the nearest grid line by `strength` (0..1: 0 leaves it, 1 puts it
 * on the line); durations are kept.
 */
export function quantizeNotes(document: EditorDocument, ids: ReadonlySet<number>, meter: MeterMap, stepTicks: number, strength: number): EditorDocument {
  if (!(stepTicks > 0)) throw new RangeError(`Quantize needs a grid step > 0 ticks (got ${stepTicks}).`);
  if (!(strength >= 0 && strength <= 1)) throw new RangeError(`Quantize strength is 0..1 (got ${strength}).`);
  return mapNotes(document, ids, (note) => {
    const target = snapTicks(meter, note.ticks, stepTicks, 'nearest');
    const ticks = Math.max(0, Math.round(note.ticks + (target - note.ticks) * strength));
    return ticks === note.ticks ? note : { ...note, ticks };
  });
}

/**
 * Legato: each note lasts until the next onset in its track (a later start of any note there, so a
 * chord's notes all reach the next chord). A note with no later onset keeps its length.
 */
export function legatoNotes(document: EditorDocument, ids: ReadonlySet<number>): EditorDocument {
  const where = trackIndexById(document);
  const tracks = new Set<number>();
  for (const id of ids) {
    const track = where.get(id);
    if (track !== undefined) tracks.add(track);
  }
  let current = document;
  for (const trackIndex of tracks) {
    const track = current.tracks[trackIndex]!;
    const onsets = [...new Set(track.notes.map((note) => note.ticks))].sort((a, b) => a - b);
    let changed = false;
    const notes = track.notes.map((note) => {
      if (!ids.has(note.id)) return note;
      const next = firstGreater(onsets, note.ticks);
      if (next === undefined || next - note.ticks === note.durationTicks) return note;
      changed = true;
      return { ...note, durationTicks: next - note.ticks };
    });
    if (changed) current = withTrackNotes(current, trackIndex, notes);
  }
  return current;
}

function firstGreater(sorted: readonly number[], value: number): number | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return sorted[low];
}

/**
 * Removes overlaps between notes of the same pitch in the same track (among the given notes): an
 * earlier note is cut where the next one starts; of notes starting together, the longest stays
 * (the louder on a tie).
 */
export function cleanupOverlaps(document: EditorDocument, ids: ReadonlySet<number>): EditorDocument {
  const where = trackIndexById(document);
  const tracks = new Set<number>();
  for (const id of ids) {
    const track = where.get(id);
    if (track !== undefined) tracks.add(track);
  }
  let current = document;
  for (const trackIndex of tracks) {
    const track = current.tracks[trackIndex]!;
    const byPitch = new Map<number, EditorNote[]>();
    for (const note of track.notes) {
      if (!ids.has(note.id)) continue;
      const list = byPitch.get(note.pitch) ?? [];
      list.push(note);
      byPitch.set(note.pitch, list);
    }
    const replaced = new Map<number, EditorNote | null>();
    for (const list of byPitch.values()) {
      // Notes are already sorted by start; among equal starts, the one to keep goes first.
      list.sort((a, b) => a.ticks - b.ticks || b.durationTicks - a.durationTicks || b.velocity - a.velocity || a.id - b.id);
      let kept: EditorNote | null = null;
      for (const note of list) {
        if (kept !== null && note.ticks === kept.ticks) {
          replaced.set(note.id, null);
          continue;
        }
        if (kept !== null && kept.ticks + kept.durationTicks > note.ticks) {
          const cut = { ...kept, durationTicks: note.ticks - kept.ticks };
          replaced.set(kept.id, cut);
        }
        kept = note;
      }
    }
    if (replaced.size === 0) continue;
    const notes: EditorNote[] = [];
    for (const note of track.notes) {
      const change = replaced.get(note.id);
      if (change === undefined) notes.push(note);
      else if (change !== null) notes.push(change);
    }
    current = withTrackNotes(current, trackIndex, notes);
  }
  return current;
}

// ---- velocity ------------------------------------------------------------------------------

export function setVelocity(document: EditorDocument, ids: ReadonlySet<number>, velocity: number): EditorDocument {
  const value = clampVelocity(velocity);
  return mapNotes(document, ids, (note) => (note.velocity === value ? note : { ...note, velocity: value }));
}

/** Multiplies velocities by `factor` (clamped to 1..127). */
export function scaleVelocity(document: EditorDocument, ids: ReadonlySet<number>, factor: number): EditorDocument {
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new RangeError(`A velocity factor is a number ≥ 0 (got ${factor}).`);
  return mapNotes(document, ids, (note) => {
    const velocity = clampVelocity(note.velocity * factor);
    return velocity === note.velocity ? note : { ...note, velocity };
  });
}

/** Sets each note's own velocity (the velocity lane's drawing). */
export function setVelocities(document: EditorDocument, velocities: ReadonlyMap<number, number>): EditorDocument {
  return mapNotes(document, new Set(velocities.keys()), (note) => {
    const velocity = clampVelocity(velocities.get(note.id)!);
    return velocity === note.velocity ? note : { ...note, velocity };
  });
}

// ---- selection helpers ---------------------------------------------------------------------

export function allNoteIds(document: EditorDocument, trackIndex: number): Set<number> {
  return new Set(checkTrack(document, trackIndex).notes.map((note) => note.id));
}

/** Every note of the track whose pitch is one of the given notes' pitches. */
export function samePitchIds(document: EditorDocument, trackIndex: number, ids: ReadonlySet<number>): Set<number> {
  const track = checkTrack(document, trackIndex);
  const pitches = new Set(track.notes.filter((note) => ids.has(note.id)).map((note) => note.pitch));
  return new Set(track.notes.filter((note) => pitches.has(note.pitch)).map((note) => note.id));
}

/** Notes of a track overlapping a tick range and a pitch range (inclusive pitches). */
export function idsInRect(
  document: EditorDocument,
  trackIndex: number,
  rect: { readonly fromTicks: number; readonly toTicks: number; readonly lowPitch: number; readonly highPitch: number },
): Set<number> {
  const track = checkTrack(document, trackIndex);
  const ids = new Set<number>();
  for (const note of track.notes) {
    if (note.ticks >= rect.toTicks) break;
    if (note.ticks + note.durationTicks > rect.fromTicks && note.pitch >= rect.lowPitch && note.pitch <= rect.highPitch) ids.add(note.id);
  }
  return ids;
}

/** The span of the notes with these ids (see spanOf). */
export function notesSpan(document: EditorDocument, ids: ReadonlySet<number>): { start: number; end: number } | null {
  return spanOf(notesWithIds(document, ids));
}
