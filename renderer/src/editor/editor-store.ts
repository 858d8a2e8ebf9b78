/**
 * The editor's store: the document being edited, the selection, the active track, the undo and redo
 * stacks, what was last saved (the dirty flag is "the document is not the saved one", so undoing back
 * to the saved state is clean again), the clipboard, and the tool settings the toolbar and the canvas
 * share. Undo is a property of the store, not of components: every change of the document goes
 * through `execute`, which records it.
 */
import { Store } from '../state/store';
import { applyCommand, describeCommand, existingSelection, pastePosition, type EditorCommand, type Snapshot } from './commands';
import type { EditorDocument } from './document';
import { snapStepTicks, type SnapSetting } from './grid';
import { allNoteIds, copyNotes, samePitchIds, type Clipboard } from './operations';
import { defaultTrackView, type TrackView } from './track-view';

export type Tool = 'draw' | 'select';

export interface HistoryEntry {
  readonly label: string;
  readonly before: Snapshot;
  readonly after: Snapshot;
}

export interface EditorState extends Snapshot {
  readonly past: readonly HistoryEntry[];
  readonly future: readonly HistoryEntry[];
  /** The document as last saved (or loaded). */
  readonly savedDocument: EditorDocument;
  readonly clipboard: Clipboard | null;
  readonly tool: Tool;
  readonly snap: SnapSetting;
  /** Quantize strength in percent, 0..100. */
  readonly quantizeStrength: number;
  /** Velocity of drawn notes. */
  readonly drawVelocity: number;
  /** Keyed by track id. */
  readonly trackViews: ReadonlyMap<number, TrackView>;
}

export const HISTORY_LIMIT = 500;

export type SelectMode = 'replace' | 'add' | 'toggle';

export class EditorStore {
  readonly store: Store<EditorState>;

  constructor(document: EditorDocument, options: { clipboard?: Clipboard | null; tool?: Tool; snap?: SnapSetting } = {}) {
    this.store = new Store<EditorState>({
      document,
      selection: new Set(),
      activeTrack: 0,
      past: [],
      future: [],
      savedDocument: document,
      clipboard: options.clipboard ?? null,
      tool: options.tool ?? 'draw',
      snap: options.snap ?? '1/16',
      quantizeStrength: 100,
      drawVelocity: 96,
      trackViews: viewsFor(document, new Map()),
    });
  }

  get state(): EditorState {
    return this.store.getState();
  }

  get dirty(): boolean {
    return this.state.document !== this.state.savedDocument;
  }

  get canUndo(): boolean {
    return this.state.past.length > 0;
  }

  get canRedo(): boolean {
    return this.state.future.length > 0;
  }

  /** Applies an edit and records it for undo; false when it changed nothing (then nothing is recorded). */
  execute(command: EditorCommand): boolean {
    const before = snapshotOf(this.state);
    const after = applyCommand(before, command);
    if (after === before) return false;
    if (after.document === before.document) {
      // Only the selection or the active track moved: not an edit.
      this.#update({ selection: after.selection, activeTrack: after.activeTrack });
      return false;
    }
    const entry: HistoryEntry = { label: describeCommand(command), before, after };
    this.store.update((state) => ({
      ...state,
      ...after,
      past: [...state.past, entry].slice(-HISTORY_LIMIT),
      future: [],
      trackViews: viewsFor(after.document, state.trackViews),
    }));
    return true;
  }

  undo(): boolean {
    const entry = this.state.past[this.state.past.length - 1];
    if (!entry) return false;
    this.store.update((state) => ({
      ...state,
      ...entry.before,
      past: state.past.slice(0, -1),
      future: [entry, ...state.future],
      trackViews: viewsFor(entry.before.document, state.trackViews),
    }));
    return true;
  }

  redo(): boolean {
    const entry = this.state.future[0];
    if (!entry) return false;
    this.store.update((state) => ({
      ...state,
      ...entry.after,
      past: [...state.past, entry],
      future: state.future.slice(1),
      trackViews: viewsFor(entry.after.document, state.trackViews),
    }));
    return true;
  }

  /** The label of what undo / redo would do, for tooltips. */
  get undoLabel(): string | null {
    return this.state.past[this.state.past.length - 1]?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.state.future[0]?.label ?? null;
  }

  /** Called when a save of `document` succeeded (it may be older than the current one). */
  markSaved(document: EditorDocument): void {
    if (this.state.savedDocument !== document) this.#update({ savedDocument: document });
  }

  // ---- selection (not edits: not recorded, but restored by undo with the document) ----------

  select(ids: Iterable<number>, mode: SelectMode = 'replace'): void {
    const state = this.state;
    let next: Set<number>;
    if (mode === 'replace') next = new Set(ids);
    else {
      next = new Set(state.selection);
      for (const id of ids) {
        if (mode === 'toggle' && next.has(id)) next.delete(id);
        else next.add(id);
      }
    }
    if (sameSet(next, state.selection)) return;
    this.#update({ selection: existingSelection(state.document, next) });
  }

  clearSelection(): void {
    if (this.state.selection.size > 0) this.#update({ selection: new Set() });
  }

  selectAll(): void {
    if (this.state.document.tracks[this.state.activeTrack]) this.select(allNoteIds(this.state.document, this.state.activeTrack));
  }

  /** Every note of the active track at a pitch of the selected notes. */
  selectSamePitch(): void {
    const { document, activeTrack, selection } = this.state;
    if (document.tracks[activeTrack] && selection.size > 0) this.select(samePitchIds(document, activeTrack, selection));
  }

  setActiveTrack(index: number): void {
    const { document, activeTrack } = this.state;
    if (index === activeTrack || !document.tracks[index]) return;
    // The selection belongs to the track being edited.
    this.#update({ activeTrack: index, selection: new Set() });
  }

  // ---- clipboard -------------------------------------------------------------------------

  copy(): boolean {
    const clipboard = copyNotes(this.state.document, this.state.selection);
    if (clipboard === null) return false;
    this.#update({ clipboard });
    return true;
  }

  cut(): boolean {
    if (!this.copy()) return false;
    return this.execute({ kind: 'delete' });
  }

  /** Pastes at the playhead (snapped down to the grid); returns where the pasted block ends. */
  paste(playheadTicks: number): number | null {
    const { clipboard, document, snap } = this.state;
    if (clipboard === null || clipboard.notes.length === 0) return null;
    const atTicks = pastePosition(document, playheadTicks, snapStepTicks(snap, document.ppq));
    if (!this.execute({ kind: 'paste', clipboard, atTicks })) return null;
    return atTicks + Math.round((clipboard.spanTicks * document.ppq) / clipboard.ppq);
  }

  // ---- settings and track views ------------------------------------------------------------

  setTool(tool: Tool): void {
    if (this.state.tool !== tool) this.#update({ tool });
  }

  setSnap(snap: SnapSetting): void {
    if (this.state.snap !== snap) this.#update({ snap });
  }

  setQuantizeStrength(percent: number): void {
    const value = Math.max(0, Math.min(100, Math.round(percent)));
    if (Number.isFinite(value) && value !== this.state.quantizeStrength) this.#update({ quantizeStrength: value });
  }

  setDrawVelocity(velocity: number): void {
    const value = Math.max(1, Math.min(127, Math.round(velocity)));
    if (Number.isFinite(value) && value !== this.state.drawVelocity) this.#update({ drawVelocity: value });
  }

  setTrackView(trackId: number, changes: Partial<TrackView>): void {
    const current = this.state.trackViews.get(trackId);
    if (!current) return;
    const next = { ...current, ...changes };
    if (next.colour === current.colour && next.muted === current.muted && next.solo === current.solo) return;
    const trackViews = new Map(this.state.trackViews);
    trackViews.set(trackId, next);
    this.#update({ trackViews });
  }

  #update(changes: Partial<EditorState>): void {
    this.store.update((state) => ({ ...state, ...changes }));
  }
}

function snapshotOf(state: EditorState): Snapshot {
  return { document: state.document, selection: state.selection, activeTrack: state.activeTrack };
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}

/** A view for every track of the document (kept for tracks that stay, so undoing a removal keeps its colour). */
function viewsFor(document: EditorDocument, current: ReadonlyMap<number, TrackView>): ReadonlyMap<number, TrackView> {
  if (document.tracks.every((track) => current.has(track.id))) return current;
  const views = new Map(current);
  document.tracks.forEach((track, index) => {
    if (!views.has(track.id)) views.set(track.id, defaultTrackView(index));
  });
  return views;
}
