/**
 * The clips the models made: the list (refetched, coalesced, when `clips.changed` says so), the
 * selected clip and its music for the preview (fetched once, dropped when the clip changes), export
 * and delete. When a generate job finishes, its first clip is selected so the composer sees it.
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { Clip, ClipSummary, Job } from '../../../core/ipc/schemas';
import { describeExport, exportClipMidi, type DownloadFile } from '../export/export-midi';
import { coalesce, type Coalesced } from './coalesce';
import type { LibraryHost } from './model-library';
import type { StudioState } from './studio-model';

export type ClipLibraryApi = Pick<StudioApi, 'clips' | 'on'>;

export interface ClipMusicEntry {
  readonly status: 'loading' | 'ready' | 'error';
  readonly clip: Clip | null;
  readonly error: string | null;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

export class ClipLibrary {
  readonly #api: ClipLibraryApi;
  readonly #host: LibraryHost;
  readonly #download: DownloadFile;
  readonly #refresh: Coalesced;
  /** Generate jobs whose end was handled (job.updated repeats the final state on reconnects). */
  readonly #handledJobs = new Set<number>();
  #unsubscribe: (() => void) | null = null;

  constructor(api: ClipLibraryApi, host: LibraryHost, options: { readonly refreshDelayMs: number; readonly download: DownloadFile }) {
    this.#api = api;
    this.#host = host;
    this.#download = options.download;
    this.#refresh = coalesce(() => this.refresh(), options.refreshDelayMs);
  }

  get #state(): StudioState {
    return this.#host.store.getState();
  }

  #update(change: (state: StudioState) => StudioState): void {
    this.#host.store.update(change);
  }

  start(): void {
    this.#unsubscribe = this.#api.on('clips.changed', ({ clipId }) => {
      // A clip that changed (the piano roll, later) shows its new music; null means the list changed.
      if (clipId !== null) this.#dropMusic(clipId);
      this.#refresh.request();
    });
  }

  dispose(): void {
    this.#refresh.cancel();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  async refresh(): Promise<void> {
    let clips: ClipSummary[];
    try {
      clips = await this.#api.clips.list();
    } catch (error) {
      this.#host.notify(`Could not load the clips: ${describeError(error)}`);
      return;
    }
    if (this.#host.isDisposed()) return;
    const ids = new Set(clips.map((clip) => clip.id));
    this.#update((state) => {
      const clipMusic = Object.fromEntries(Object.entries(state.clipMusic).filter(([id]) => ids.has(Number(id))));
      const selectedClipId = state.selectedClipId !== null && ids.has(state.selectedClipId) ? state.selectedClipId : null;
      return { ...state, clips, clipsLoaded: true, clipMusic, selectedClipId };
    });
  }

  /** Selects a clip and fetches its music for the preview. */
  select(clipId: number | null): void {
    if (this.#state.selectedClipId !== clipId) this.#update((state) => ({ ...state, selectedClipId: clipId }));
    if (clipId !== null) void this.loadMusic(clipId);
  }

  /** Fetches a clip's music unless it is loaded or on its way; `force` retries after an error. */
  async loadMusic(clipId: number, options: { force?: boolean } = {}): Promise<void> {
    const entry = this.#state.clipMusic[clipId];
    if (entry && (entry.status !== 'error' || !options.force)) return;
    this.#setMusic(clipId, { status: 'loading', clip: null, error: null });
    let clip: Clip;
    try {
      clip = await this.#api.clips.get({ clipId });
    } catch (error) {
      if (this.#state.clipMusic[clipId]?.status === 'loading') this.#setMusic(clipId, { status: 'error', clip: null, error: describeError(error) });
      return;
    }
    // Dropped meanwhile (deleted or changed): a changed clip is fetched again when shown.
    if (this.#host.isDisposed() || this.#state.clipMusic[clipId]?.status !== 'loading') return;
    this.#setMusic(clipId, { status: 'ready', clip, error: null });
  }

  /** "Export MIDI…": the save dialog on the desktop, a download in the browser. */
  async export(clipId: number): Promise<void> {
    if (this.#state.exportingClipIds.includes(clipId)) return;
    const mode = this.#state.appInfo?.mode ?? 'browser';
    const name = this.#state.clips.find((clip) => clip.id === clipId)?.name ?? `clip ${clipId}`;
    this.#update((state) => ({ ...state, exportingClipIds: [...state.exportingClipIds, clipId] }));
    try {
      const message = describeExport(await exportClipMidi(this.#api, mode, clipId, this.#download));
      if (message !== null) this.#host.notify(message, 'info');
    } catch (error) {
      this.#host.notify(`Could not export “${name}”: ${describeError(error)}`);
    } finally {
      this.#update((state) => ({ ...state, exportingClipIds: state.exportingClipIds.filter((id) => id !== clipId) }));
    }
  }

  async delete(clipId: number): Promise<boolean> {
    const name = this.#state.clips.find((clip) => clip.id === clipId)?.name ?? `clip ${clipId}`;
    try {
      await this.#api.clips.delete({ clipId });
    } catch (error) {
      this.#host.notify(`Could not delete “${name}”: ${describeError(error)}`);
      return false;
    }
    this.#dropMusic(clipId);
    this.#update((state) => ({
      ...state,
      clips: state.clips.filter((clip) => clip.id !== clipId),
      selectedClipId: state.selectedClipId === clipId ? null : state.selectedClipId,
    }));
    this.#refresh.request();
    return true;
  }

  /** A generate job that finished: show its clips (list first, then the first new clip selected). */
  onJobUpdated(job: Job): void {
    if (job.result?.kind !== 'generate' || this.#handledJobs.has(job.id)) return;
    this.#handledJobs.add(job.id);
    const first = job.result.clipIds[0];
    void this.refresh().then(() => {
      if (first !== undefined && this.#state.clips.some((clip) => clip.id === first)) this.select(first);
    });
  }

  #setMusic(clipId: number, entry: ClipMusicEntry): void {
    this.#update((state) => ({ ...state, clipMusic: { ...state.clipMusic, [clipId]: entry } }));
  }

  #dropMusic(clipId: number): void {
    this.#update((state) => {
      if (!(clipId in state.clipMusic)) return state;
      const { [clipId]: _dropped, ...clipMusic } = state.clipMusic;
      return { ...state, clipMusic };
    });
  }
}
