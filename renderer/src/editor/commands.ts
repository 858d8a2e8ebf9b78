/**
 * Every edit the piano roll can make, as data. The store applies a command to a snapshot (document,
 * selection, active track) and records the before and after snapshots, so undo and redo work the
 * same way for all of them, and tests can run each command through the store and check both.
 *
 * Commands that act on "the notes" use the selection when there is one, otherwise every note of the
 * active track (quantize, transpose, legato, cleanup, velocity), as a DAW's Edit menu does; delete,
 * move, resize, duplicate and cut act on the selection only.
 */
import type { EditorDocument, NoteFields } from './document';
import { buildMeterMap, snapTicks } from './grid';
import {
  addNotes,
  allNoteIds,
  cleanupOverlaps,
  deleteNotes,
  duplicateNotes,
  legatoNotes,
  moveNotes,
  notesSpan,
  pasteNotes,
  quantizeNotes,
  resizeNotes,
  scaleVelocity,
  setVelocities,
  setVelocity,
  transposeNotes,
  transposeNotesInScale,
  type Clipboard,
  type Edge,
} from './operations';
import { addTrack, removeTrack, renameTrack, setTrackChannel, setTrackProgram } from './tracks';

export interface Snapshot {
  readonly document: EditorDocument;
  readonly selection: ReadonlySet<number>;
  readonly activeTrack: number;
}

export type EditorCommand =
  | { readonly kind: 'add-note'; readonly note: NoteFields }
  | { readonly kind: 'delete' }
  | { readonly kind: 'move'; readonly deltaTicks: number; readonly deltaPitch: number }
  | { readonly kind: 'resize'; readonly edge: Edge; readonly deltaTicks: number; readonly minDuration: number }
  /** Copies the selection right after itself: its span rounded up to `stepTicks`. */
  | { readonly kind: 'duplicate'; readonly stepTicks: number }
  | { readonly kind: 'paste'; readonly clipboard: Clipboard; readonly atTicks: number }
  | { readonly kind: 'quantize'; readonly stepTicks: number; readonly strength: number }
  | { readonly kind: 'transpose'; readonly semitones: number }
  | { readonly kind: 'transpose-scale'; readonly steps: number }
  | { readonly kind: 'legato' }
  | { readonly kind: 'cleanup' }
  | { readonly kind: 'set-velocity'; readonly velocity: number }
  | { readonly kind: 'scale-velocity'; readonly factor: number }
  | { readonly kind: 'set-velocities'; readonly velocities: ReadonlyMap<number, number> }
  | { readonly kind: 'add-track' }
  | { readonly kind: 'remove-track'; readonly track: number }
  | { readonly kind: 'rename-track'; readonly track: number; readonly name: string }
  | { readonly kind: 'set-program'; readonly track: number; readonly program: number }
  | { readonly kind: 'set-channel'; readonly track: number; readonly channel: number }
  | { readonly kind: 'rename'; readonly name: string }
  /** A take recorded from a MIDI keyboard, added to one track as a single undoable step. */
  | { readonly kind: 'record-take'; readonly track: number; readonly notes: readonly NoteFields[] };

export type CommandKind = EditorCommand['kind'];

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

/** What the undo button's tooltip says: "Undo Transpose +1". */
export function describeCommand(command: EditorCommand): string {
  switch (command.kind) {
    case 'add-note':
      return 'Add note';
    case 'delete':
      return 'Delete';
    case 'move':
      return 'Move';
    case 'resize':
      return 'Resize';
    case 'duplicate':
      return 'Duplicate';
    case 'paste':
      return 'Paste';
    case 'quantize':
      return `Quantize ${Math.round(command.strength * 100)}%`;
    case 'transpose':
      return Math.abs(command.semitones) === 12 ? `Octave ${command.semitones > 0 ? 'up' : 'down'}` : `Transpose ${signed(command.semitones)}`;
    case 'transpose-scale':
      return `Transpose ${signed(command.steps)} in scale`;
    case 'legato':
      return 'Legato';
    case 'cleanup':
      return 'Clean up overlaps';
    case 'set-velocity':
      return `Velocity ${command.velocity}`;
    case 'scale-velocity':
      return `Velocity × ${command.factor}`;
    case 'set-velocities':
      return 'Draw velocity';
    case 'add-track':
      return 'Add track';
    case 'remove-track':
      return 'Remove track';
    case 'rename-track':
      return 'Rename track';
    case 'set-program':
      return 'Change program';
    case 'set-channel':
      return 'Change channel';
    case 'rename':
      return 'Rename';
    case 'record-take':
      return `Record ${command.notes.length} note${command.notes.length === 1 ? '' : 's'}`;
  }
}

/** The selection, or every note of the active track when nothing is selected. */
export function targetIds(snapshot: Snapshot): ReadonlySet<number> {
  if (snapshot.selection.size > 0) return snapshot.selection;
  return snapshot.document.tracks[snapshot.activeTrack] ? allNoteIds(snapshot.document, snapshot.activeTrack) : new Set();
}

/** Keeps the selected ids that still exist (after an undo, a delete, a removed track). */
export function existingSelection(document: EditorDocument, selection: ReadonlySet<number>): ReadonlySet<number> {
  if (selection.size === 0) return selection;
  const kept = new Set<number>();
  for (const track of document.tracks) for (const note of track.notes) if (selection.has(note.id)) kept.add(note.id);
  return kept.size === selection.size ? selection : kept;
}

function clampTrack(document: EditorDocument, track: number): number {
  return Math.max(0, Math.min(document.tracks.length - 1, track));
}

/** Where the active track must be for a command that writes notes: one exists (made on demand). */
function ensureTrack(snapshot: Snapshot): Snapshot {
  if (snapshot.document.tracks[snapshot.activeTrack]) return snapshot;
  const document = snapshot.document.tracks.length === 0 ? addTrack(snapshot.document) : snapshot.document;
  return { ...snapshot, document, activeTrack: clampTrack(document, snapshot.activeTrack) };
}

/** Applies a command; the same snapshot object comes back when it changes nothing. */
export function applyCommand(snapshot: Snapshot, command: EditorCommand): Snapshot {
  const { document, selection } = snapshot;
  switch (command.kind) {
    case 'add-note': {
      const base = ensureTrack(snapshot);
      const created = addNotes(base.document, base.activeTrack, [command.note]);
      return { ...base, document: created.document, selection: new Set(created.ids) };
    }
    case 'delete': {
      const next = deleteNotes(document, selection);
      return next === document ? snapshot : { ...snapshot, document: next, selection: new Set() };
    }
    case 'move':
      return withDocument(snapshot, moveNotes(document, selection, command.deltaTicks, command.deltaPitch));
    case 'resize':
      return withDocument(snapshot, resizeNotes(document, selection, command.edge, command.deltaTicks, command.minDuration));
    case 'duplicate': {
      const span = notesSpan(document, selection);
      if (span === null) return snapshot;
      const step = Math.max(1, command.stepTicks);
      const offset = Math.max(step, Math.ceil((span.end - span.start) / step - 1e-9) * step);
      const created = duplicateNotes(document, selection, Math.round(offset));
      return { ...snapshot, document: created.document, selection: new Set(created.ids) };
    }
    case 'paste': {
      if (command.clipboard.notes.length === 0) return snapshot;
      const base = ensureTrack(snapshot);
      const created = pasteNotes(base.document, command.clipboard, command.atTicks, base.activeTrack);
      return { ...base, document: created.document, selection: new Set(created.ids) };
    }
    case 'quantize': {
      const meter = buildMeterMap(document.timeSignatures, document.ppq);
      return withDocument(snapshot, quantizeNotes(document, targetIds(snapshot), meter, command.stepTicks, command.strength));
    }
    case 'transpose':
      return withDocument(snapshot, transposeNotes(document, targetIds(snapshot), command.semitones));
    case 'transpose-scale':
      return withDocument(snapshot, transposeNotesInScale(document, targetIds(snapshot), command.steps));
    case 'legato':
      return withDocument(snapshot, legatoNotes(document, targetIds(snapshot)));
    case 'cleanup': {
      const next = cleanupOverlaps(document, targetIds(snapshot));
      return next === document ? snapshot : { ...snapshot, document: next, selection: existingSelection(next, selection) };
    }
    case 'set-velocity':
      return withDocument(snapshot, setVelocity(document, targetIds(snapshot), command.velocity));
    case 'scale-velocity':
      return withDocument(snapshot, scaleVelocity(document, targetIds(snapshot), command.factor));
    case 'set-velocities':
      return withDocument(snapshot, setVelocities(document, command.velocities));
    case 'add-track': {
      const next = addTrack(document);
      return { document: next, selection: new Set(), activeTrack: next.tracks.length - 1 };
    }
    case 'remove-track': {
      const next = removeTrack(document, command.track);
      const activeTrack = command.track < snapshot.activeTrack ? snapshot.activeTrack - 1 : clampTrack(next, snapshot.activeTrack);
      return { document: next, selection: existingSelection(next, selection), activeTrack: Math.max(0, activeTrack) };
    }
    case 'rename-track':
      return withDocument(snapshot, renameTrack(document, command.track, command.name));
    case 'set-program':
      return withDocument(snapshot, setTrackProgram(document, command.track, command.program));
    case 'set-channel':
      return withDocument(snapshot, setTrackChannel(document, command.track, command.channel));
    case 'rename': {
      const name = command.name.trim().slice(0, 200);
      return name === '' || name === document.name ? snapshot : withDocument(snapshot, { ...document, name });
    }
    case 'record-take': {
      if (command.notes.length === 0) return snapshot;
      const base = ensureTrack(document.tracks[command.track] ? { ...snapshot, activeTrack: command.track } : snapshot);
      const created = addNotes(base.document, base.activeTrack, command.notes);
      return { ...base, document: created.document, selection: new Set(created.ids) };
    }
  }
}

function withDocument(snapshot: Snapshot, document: EditorDocument): Snapshot {
  return document === snapshot.document ? snapshot : { ...snapshot, document };
}

/** The paste position on the grid: the playhead snapped down to the step (so a paste lands on a line). */
export function pastePosition(document: EditorDocument, playheadTicks: number, stepTicks: number | null): number {
  return snapTicks(buildMeterMap(document.timeSignatures, document.ppq), playheadTicks, stepTicks, 'floor');
}
