/**
 * The editor's session: which clip is open, opening it (a piece is first copied into a new clip with
 * clips.create, so the imported original is never altered), saving it (clips.update with the whole
 * music; main derives the seconds from the ticks again), autosave after a pause in editing, and
 * whether the Editor view is showing. No React and no DOM, so it is unit-tested with a fake API.
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { Clip } from '../../../core/ipc/schemas';
import { Store } from '../state/store';
import { documentFromMusic, musicFromDocument, musicInput, type EditorDocument } from './document';
import { EditorStore } from './editor-store';

export interface EditorApi {
  readonly clips: Pick<StudioApi['clips'], 'create' | 'get' | 'update'>;
}

/** What "Open in editor" was pressed on. `label` names it for the composer (a piece's path, a clip's name). */
export type EditorSource = { readonly pieceId: number; readonly label: string } | { readonly clipId: number; readonly label?: string };

export type EditorOrigin = { readonly kind: 'piece'; readonly label: string } | { readonly kind: 'clip' };

export interface WorkbenchState {
  /** The Editor view is the one showing. */
  readonly visible: boolean;
  readonly status: 'empty' | 'opening' | 'ready' | 'error';
  readonly clipId: number | null;
  /** The model that generated the open clip (null for a copy of a piece): its corpus is the clip's. */
  readonly clipModelId: number | null;
  readonly origin: EditorOrigin | null;
  readonly editor: EditorStore | null;
  readonly error: string | null;
  readonly saving: boolean;
  readonly saveError: string | null;
  /** Date.now() of the last successful save. */
  readonly savedAt: number | null;
  /** Whether edits are saved by themselves after a pause. */
  readonly autosave: boolean;
}

export interface WorkbenchOptions {
  /** Pause after the last edit before an autosave. */
  readonly autosaveDelayMs?: number;
  readonly notify?: (message: string, tone?: 'error' | 'warning' | 'info') => void;
  readonly now?: () => number;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

export class EditorWorkbench {
  readonly store = new Store<WorkbenchState>({
    visible: false,
    status: 'empty',
    clipId: null,
    clipModelId: null,
    origin: null,
    editor: null,
    error: null,
    saving: false,
    saveError: null,
    savedAt: null,
    autosave: true,
  });
  readonly #api: EditorApi;
  readonly #autosaveDelayMs: number;
  readonly #notify: (message: string, tone?: 'error' | 'warning' | 'info') => void;
  readonly #now: () => number;
  /** The copy made of each piece in this session: opening the piece again reopens it. */
  readonly #copies = new Map<number, number>();
  #openGeneration = 0;
  #autosaveTimer: ReturnType<typeof setTimeout> | null = null;
  #unsubscribeEditor: (() => void) | null = null;
  #saving: Promise<boolean> | null = null;

  constructor(api: EditorApi, options: WorkbenchOptions = {}) {
    this.#api = api;
    this.#autosaveDelayMs = options.autosaveDelayMs ?? 2000;
    this.#notify = options.notify ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  get state(): WorkbenchState {
    return this.store.getState();
  }

  show(): void {
    if (!this.state.visible) this.#set({ visible: true });
  }

  hide(): void {
    if (this.state.visible) this.#set({ visible: false });
  }

  setAutosave(on: boolean): void {
    if (on === this.state.autosave) return;
    this.#set({ autosave: on });
    if (on) this.#scheduleAutosave();
    else this.#cancelAutosave();
  }

  /**
   * Opens a piece (as a new copy, or the copy made earlier in this session) or a clip, and shows the
   * editor. Unsaved edits of the clip open now are saved first. False when it failed (a notice says why).
   */
  async open(source: EditorSource): Promise<boolean> {
    this.show();
    const generation = ++this.#openGeneration;
    if (this.state.editor?.dirty) await this.save();
    if (generation !== this.#openGeneration) return false;
    this.#set({ status: 'opening', error: null });
    let clip: Clip;
    let origin: EditorOrigin;
    try {
      if ('pieceId' in source) {
        origin = { kind: 'piece', label: source.label };
        clip = await this.#copyOfPiece(source.pieceId);
      } else {
        origin = { kind: 'clip' };
        clip = await this.#api.clips.get({ clipId: source.clipId });
      }
    } catch (error) {
      if (generation !== this.#openGeneration) return false;
      const message = describeError(error);
      this.#set({ status: 'error', error: message });
      this.#notify(`Could not open ${source.label ? `“${source.label}”` : 'the clip'} in the editor: ${message}`);
      return false;
    }
    if (generation !== this.#openGeneration) return false;
    const previous = this.state.editor;
    const editor = new EditorStore(documentFromMusic(clip), previous ? { clipboard: previous.state.clipboard, tool: previous.state.tool, snap: previous.state.snap } : {});
    this.#attach(editor);
    this.#set({ status: 'ready', clipId: clip.id, clipModelId: clip.modelId, origin, editor, error: null, saveError: null, savedAt: null });
    return true;
  }

  async #copyOfPiece(pieceId: number): Promise<Clip> {
    const earlier = this.#copies.get(pieceId);
    if (earlier !== undefined) {
      try {
        return await this.#api.clips.get({ clipId: earlier });
      } catch {
        // Deleted meanwhile: make a new copy.
        this.#copies.delete(pieceId);
      }
    }
    const summary = await this.#api.clips.create({ from: { pieceId } });
    this.#copies.set(pieceId, summary.id);
    return this.#api.clips.get({ clipId: summary.id });
  }

  /** Saves the open clip's music and name; resolves true when the document on screen is saved. */
  async save(): Promise<boolean> {
    this.#cancelAutosave();
    // One save at a time: a save asked for during another runs after it, with the newer document.
    while (this.#saving) await this.#saving;
    const { editor, clipId } = this.state;
    if (!editor || clipId === null) return false;
    if (!editor.dirty) return true;
    const document = editor.state.document;
    this.#saving = this.#write(editor, clipId, document);
    try {
      return await this.#saving;
    } finally {
      this.#saving = null;
    }
  }

  async #write(editor: EditorStore, clipId: number, document: EditorDocument): Promise<boolean> {
    this.#set({ saving: true, saveError: null });
    try {
      const name = document.name.trim() || 'Untitled clip';
      await this.#api.clips.update({ clipId, name, music: musicInput({ ...musicFromDocument(document), name }) });
    } catch (error) {
      const message = describeError(error);
      if (this.state.editor === editor) this.#set({ saving: false, saveError: message });
      this.#notify(`Could not save “${document.name}”: ${message}`);
      return false;
    }
    editor.markSaved(document);
    if (this.state.editor === editor) this.#set({ saving: false, saveError: null, savedAt: this.#now() });
    return !editor.dirty;
  }

  /** Closes the open clip (after saving it). */
  async close(): Promise<void> {
    if (this.state.editor?.dirty) await this.save();
    this.#openGeneration++;
    this.#detach();
    this.#set({ status: 'empty', clipId: null, clipModelId: null, origin: null, editor: null, error: null, saveError: null, savedAt: null });
  }

  dispose(): void {
    this.#openGeneration++;
    this.#detach();
  }

  #attach(editor: EditorStore): void {
    this.#detach();
    let document = editor.state.document;
    this.#unsubscribeEditor = editor.store.subscribe(() => {
      if (editor.state.document === document) return;
      document = editor.state.document;
      this.#scheduleAutosave();
    });
  }

  #detach(): void {
    this.#cancelAutosave();
    this.#unsubscribeEditor?.();
    this.#unsubscribeEditor = null;
  }

  #scheduleAutosave(): void {
    this.#cancelAutosave();
    if (!this.state.autosave || !this.state.editor?.dirty) return;
    this.#autosaveTimer = setTimeout(() => {
      this.#autosaveTimer = null;
      void this.save();
    }, this.#autosaveDelayMs);
  }

  #cancelAutosave(): void {
    if (this.#autosaveTimer !== null) clearTimeout(this.#autosaveTimer);
    this.#autosaveTimer = null;
  }

  #set(changes: Partial<WorkbenchState>): void {
    this.store.update((state) => ({ ...state, ...changes }));
  }
}
