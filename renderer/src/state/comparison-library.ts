/**
 * The Compare view's state and actions: the list of comparisons (kept current by
 * `comparison.updated`, coalesced), the selected one, each opened comparison's full record (fetched
 * once and kept, so reopening is instant; fetched again when main announces a change: a running
 * comparison's results filling in, a preference recorded), the music of the samples and reference
 * pieces drawn as piano rolls and played, creating, deleting, A/B preferences and the exports.
 *
 * It has its own store (read with `useComparisons`), so it can live beside the studio model: the
 * studio model may hold one (`createComparisonLibrary(api, options)`) and start/dispose it with its
 * own. No DOM here; React only for the hook at the end.
 */
import { useSyncExternalStore } from 'react';
import type { StudioApi } from '../../../core/ipc/client';
import type { Comparison, ComparisonSummary } from '../../../core/ipc/schemas';
import type { Piece } from '../../../core/music/types';
import { csvDownload, samplesZip, type FileDownload } from '../views/compare/compare-export';
import type { CreateComparisonRequest } from '../views/compare/compare-form';
import { coalesce, type Coalesced } from './coalesce';
import { Store } from './store';

export type ComparisonLibraryApi = Pick<StudioApi, 'comparisons' | 'clips' | 'pieces' | 'on'>;

export type NoticeTone = 'error' | 'warning' | 'info';

export interface ComparisonLibraryOptions {
  /** Tells the composer something (the studio model's notices). */
  readonly notify: (message: string, tone?: NoticeTone) => void;
  /** Hands a file to the browser (CSV, the samples' .zip). */
  readonly download: (file: FileDownload) => void;
  /** Electron saves the samples into a chosen folder; the browser downloads a .zip. */
  readonly mode: () => 'electron' | 'browser';
  /** How long `comparison.updated` events are gathered before the list is fetched again. */
  readonly refreshDelayMs?: number;
  /** Music entries kept (samples and reference pieces); the oldest go first. */
  readonly musicCacheSize?: number;
}

export interface ComparisonEntry {
  readonly status: 'loading' | 'ready' | 'error';
  /** The last record received; kept while a newer one is fetched, so nothing blinks. */
  readonly comparison: Comparison | null;
  readonly error: string | null;
}

export interface MusicEntry {
  readonly status: 'loading' | 'ready' | 'error';
  readonly music: Piece | null;
  readonly error: string | null;
}

export type MusicSource = { readonly clipId: number } | { readonly pieceId: number };

export function musicKey(source: MusicSource): string {
  return 'clipId' in source ? `clip:${source.clipId}` : `piece:${source.pieceId}`;
}

export type ExportKind = 'csv' | 'samples';

export interface ComparisonLibraryState {
  /** Every comparison, newest first. */
  readonly list: readonly ComparisonSummary[];
  readonly listLoaded: boolean;
  readonly selectedId: number | null;
  /** Opened comparisons by id. */
  readonly entries: Readonly<Record<number, ComparisonEntry>>;
  /** Music by musicKey(). */
  readonly music: Readonly<Record<string, MusicEntry>>;
  /** Exports running, by comparison id (their buttons are disabled meanwhile). */
  readonly exporting: Readonly<Record<number, ExportKind>>;
}

export const initialComparisonState: ComparisonLibraryState = {
  list: [],
  listLoaded: false,
  selectedId: null,
  entries: {},
  music: {},
  exporting: {},
};

export type CreateOutcome = { readonly ok: true; readonly comparisonId: number; readonly jobId: number } | { readonly ok: false; readonly error: string };

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

function byNewest(a: ComparisonSummary, b: ComparisonSummary): number {
  return b.id - a.id;
}

function summaryOf(comparison: Comparison): ComparisonSummary {
  const { results: _results, preferences: _preferences, ...summary } = comparison;
  return summary;
}

const DEFAULT_MUSIC_CACHE = 160;

export class ComparisonLibrary {
  readonly store = new Store<ComparisonLibraryState>(initialComparisonState);
  readonly #api: ComparisonLibraryApi;
  readonly #options: ComparisonLibraryOptions;
  readonly #listRefresh: Coalesced;
  /** Comparisons deleted here or found gone: a list reply sent before cannot bring them back. */
  readonly #deleted = new Set<number>();
  /** The number of the last `comparisons.get` sent per id: only the latest reply is applied. */
  readonly #requests = new Map<number, number>();
  #nextRequest = 1;
  #unsubscribe: (() => void) | null = null;
  #disposed = false;

  constructor(api: ComparisonLibraryApi, options: ComparisonLibraryOptions) {
    this.#api = api;
    this.#options = options;
    this.#listRefresh = coalesce(() => this.refresh(), options.refreshDelayMs ?? 200);
  }

  get state(): ComparisonLibraryState {
    return this.store.getState();
  }

  /** Subscribes first, then loads. Safe to call twice (the second call does nothing). */
  start(): Promise<void> {
    if (this.#unsubscribe) return Promise.resolve();
    this.#unsubscribe = this.#api.on('comparison.updated', ({ comparisonId }) => this.#onUpdated(comparisonId));
    return this.refresh();
  }

  dispose(): void {
    this.#disposed = true;
    this.#listRefresh.cancel();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  async refresh(): Promise<void> {
    let list: ComparisonSummary[];
    try {
      list = await this.#api.comparisons.list();
    } catch (error) {
      this.#options.notify(`Could not load the comparisons: ${describeError(error)}`);
      return;
    }
    if (this.#disposed) return;
    this.#update((state) => {
      const kept = list.filter((summary) => !this.#deleted.has(summary.id)).sort(byNewest);
      const ids = new Set(kept.map((summary) => summary.id));
      const selectedId = state.selectedId !== null && ids.has(state.selectedId) ? state.selectedId : state.listLoaded ? null : (kept[0]?.id ?? null);
      return { ...state, list: kept, listLoaded: true, selectedId };
    });
    const selected = this.state.selectedId;
    if (selected !== null && !this.state.entries[selected]) void this.load(selected);
  }

  /** Shows a comparison: from the kept record at once, fetched when not seen yet. */
  select(comparisonId: number | null): void {
    if (this.state.selectedId !== comparisonId) this.#update((state) => ({ ...state, selectedId: comparisonId }));
    if (comparisonId !== null && (!this.state.entries[comparisonId] || this.state.entries[comparisonId]!.status === 'error')) void this.load(comparisonId);
  }

  /** Fetches a comparison's full record; only the reply to the latest request counts. */
  async load(comparisonId: number): Promise<void> {
    const request = this.#nextRequest++;
    this.#requests.set(comparisonId, request);
    const previous = this.state.entries[comparisonId];
    this.#setEntry(comparisonId, { status: previous?.comparison ? previous.status : 'loading', comparison: previous?.comparison ?? null, error: null });
    let comparison: Comparison;
    try {
      comparison = await this.#api.comparisons.get({ comparisonId });
    } catch (error) {
      if (this.#disposed || this.#requests.get(comparisonId) !== request) return;
      if (/There is no comparison/.test(describeError(error))) {
        this.#forget(comparisonId);
        return;
      }
      this.#setEntry(comparisonId, { status: 'error', comparison: this.state.entries[comparisonId]?.comparison ?? null, error: describeError(error) });
      return;
    }
    if (this.#disposed || this.#requests.get(comparisonId) !== request || this.#deleted.has(comparisonId)) return;
    this.#receive(comparison);
  }

  async create(request: CreateComparisonRequest): Promise<CreateOutcome> {
    let started: { comparisonId: number; jobId: number };
    try {
      started = await this.#api.comparisons.create(request);
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
    if (this.#disposed) return { ok: true, ...started };
    this.#update((state) => ({ ...state, selectedId: started.comparisonId }));
    await Promise.all([this.refresh(), this.load(started.comparisonId)]);
    return { ok: true, ...started };
  }

  /** Deletes the comparison (a running one is stopped); its samples stay as clips. */
  async delete(comparisonId: number): Promise<boolean> {
    const name = this.#name(comparisonId);
    try {
      await this.#api.comparisons.delete({ comparisonId });
    } catch (error) {
      this.#options.notify(`Could not delete “${name}”: ${describeError(error)}`);
      return false;
    }
    this.#forget(comparisonId);
    this.#options.notify(`Deleted “${name}”. Its samples stay in the clip list.`, 'info');
    return true;
  }

  /** Records one A/B preference; the reply carries the new tallies. False when it failed (a notice says why). */
  async recordPreference(input: { comparisonId: number; clipA: number; clipB: number; preferred: 'a' | 'b' | 'same'; blind: boolean }): Promise<boolean> {
    let comparison: Comparison;
    try {
      comparison = await this.#api.comparisons.recordPreference(input);
    } catch (error) {
      this.#options.notify(`Could not record the preference: ${describeError(error)}`);
      return false;
    }
    // Newer than any get in flight: make those replies stale.
    this.#requests.set(input.comparisonId, this.#nextRequest++);
    if (!this.#disposed) this.#receive(comparison);
    return true;
  }

  /** "Export CSV": comparisons.csv, downloaded as a file. */
  async exportCsv(comparisonId: number): Promise<void> {
    await this.#exporting(comparisonId, 'csv', async () => {
      const file = csvDownload(await this.#api.comparisons.csv({ comparisonId }), comparisonId);
      this.#options.download(file);
      return `Downloaded ${file.fileName}`;
    });
  }

  /** "Export samples": a folder chosen in the desktop app, a .zip download in the browser. */
  async exportSamples(comparisonId: number): Promise<void> {
    await this.#exporting(comparisonId, 'samples', async () => {
      if (this.#options.mode() === 'electron') {
        const { savedTo } = await this.#api.comparisons.exportMidiFolder({ comparisonId });
        return savedTo === null ? null : `Saved the samples to ${savedTo}`;
      }
      const files = await this.#api.comparisons.midiFiles({ comparisonId });
      const zip = samplesZip(this.#name(comparisonId), comparisonId, files);
      this.#options.download(zip);
      return `Downloaded ${zip.fileName} (${files.length} .mid file${files.length === 1 ? '' : 's'})`;
    });
  }

  /** Fetches a sample's (clip) or reference piece's music unless it is kept or on its way; `force` retries an error. */
  async loadMusic(source: MusicSource, options: { force?: boolean } = {}): Promise<void> {
    const key = musicKey(source);
    const entry = this.state.music[key];
    if (entry && (entry.status !== 'error' || !options.force)) return;
    this.#setMusic(key, { status: 'loading', music: null, error: null });
    let music: Piece;
    try {
      music = 'clipId' in source ? await this.#api.clips.get({ clipId: source.clipId }) : await this.#api.pieces.get({ pieceId: source.pieceId });
    } catch (error) {
      if (!this.#disposed && this.state.music[key]?.status === 'loading') this.#setMusic(key, { status: 'error', music: null, error: describeError(error) });
      return;
    }
    if (this.#disposed || this.state.music[key]?.status !== 'loading') return;
    this.#setMusic(key, { status: 'ready', music, error: null });
  }

  async #exporting(comparisonId: number, kind: ExportKind, run: () => Promise<string | null>): Promise<void> {
    if (this.state.exporting[comparisonId]) return;
    this.#update((state) => ({ ...state, exporting: { ...state.exporting, [comparisonId]: kind } }));
    try {
      const message = await run();
      if (message !== null) this.#options.notify(message, 'info');
    } catch (error) {
      this.#options.notify(`Could not export “${this.#name(comparisonId)}”: ${describeError(error)}`);
    } finally {
      this.#update((state) => {
        const { [comparisonId]: _done, ...exporting } = state.exporting;
        return { ...state, exporting };
      });
    }
  }

  #name(comparisonId: number): string {
    return this.state.list.find((summary) => summary.id === comparisonId)?.name ?? this.state.entries[comparisonId]?.comparison?.name ?? `comparison ${comparisonId}`;
  }

  #onUpdated(comparisonId: number): void {
    if (this.#disposed) return;
    this.#listRefresh.request();
    // Opened (or shown) comparisons follow along at once: a running one's results fill in.
    if (this.state.entries[comparisonId] || this.state.selectedId === comparisonId) void this.load(comparisonId);
  }

  #receive(comparison: Comparison): void {
    this.#setEntry(comparison.id, { status: 'ready', comparison, error: null });
    this.#update((state) => {
      const summary = summaryOf(comparison);
      const index = state.list.findIndex((candidate) => candidate.id === comparison.id);
      if (index === -1) return { ...state, list: [...state.list, summary].sort(byNewest) };
      const current = state.list[index]!;
      if (current.status === summary.status && current.error === summary.error && current.jobId === summary.jobId) return state;
      const list = [...state.list];
      list[index] = summary;
      return { ...state, list };
    });
  }

  #forget(comparisonId: number): void {
    this.#deleted.add(comparisonId);
    this.#requests.delete(comparisonId);
    this.#update((state) => {
      const list = state.list.filter((summary) => summary.id !== comparisonId);
      const { [comparisonId]: _gone, ...entries } = state.entries;
      let selectedId = state.selectedId;
      if (selectedId === comparisonId) {
        const index = state.list.findIndex((summary) => summary.id === comparisonId);
        selectedId = (list[Math.min(index, list.length - 1)] ?? null)?.id ?? null;
      }
      return { ...state, list, entries, selectedId };
    });
    const selected = this.state.selectedId;
    if (selected !== null && !this.state.entries[selected]) void this.load(selected);
  }

  #setEntry(comparisonId: number, entry: ComparisonEntry): void {
    this.#update((state) => ({ ...state, entries: { ...state.entries, [comparisonId]: entry } }));
  }

  #setMusic(key: string, entry: MusicEntry): void {
    const limit = this.#options.musicCacheSize ?? DEFAULT_MUSIC_CACHE;
    this.#update((state) => {
      const { [key]: _previous, ...rest } = state.music;
      const music: Record<string, MusicEntry> = { ...rest, [key]: entry };
      // Keys like "clip:12" keep insertion order: the first ones are the oldest.
      let count = Object.keys(music).length;
      for (const oldest of Object.keys(music)) {
        if (count <= limit) break;
        if (oldest === key || music[oldest]!.status === 'loading') continue;
        delete music[oldest];
        count--;
      }
      return { ...state, music };
    });
  }

  #update(change: (state: ComparisonLibraryState) => ComparisonLibraryState): void {
    this.store.update(change);
  }
}

/** The factory the studio model (or a test route) uses; call `start()` once, `dispose()` at the end. */
export function createComparisonLibrary(api: ComparisonLibraryApi, options: ComparisonLibraryOptions): ComparisonLibrary {
  return new ComparisonLibrary(api, options);
}

/** A part of the library's state; `selector` must return a part of it or a primitive, not a new object. */
export function useComparisons<S>(library: ComparisonLibrary, selector: (state: ComparisonLibraryState) => S): S {
  return useSyncExternalStore(library.store.subscribe, () => selector(library.store.getState()));
}
