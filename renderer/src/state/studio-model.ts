/**
 * The renderer's state and the actions that change it. It talks to the studio only through the
 * contract's API object, follows `job.updated` and `library.changed`, and refetches what an event
 * says has changed (coalesced). The Models view's part lives in two libraries that share the store:
 * `models` (model-library.ts: `model.updated`) and `clips` (clip-library.ts: `clips.changed`).
 * React reads it through `useStudio` (see studio-context.tsx); this file has no React and no DOM so
 * its logic is unit-tested with a fake API under Node.
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { AppInfo, ClipSummary, CorpusSummary, Job, ModelSummary, PieceSummary, SplitCounts } from '../../../core/ipc/schemas';
import type { CorpusStatistics } from '../../../core/music/stats/describe';
import { describeExport, exportPieceMidi, type DownloadFile } from '../export/export-midi';
import { chooseWithDialog, runImport, type ImportOutcome, type UploadProgress } from '../import/run-import';
import type { ImportSelection } from '../import/selection';
import { ClipLibrary, type ClipMusicEntry } from './clip-library';
import { coalesce, type Coalesced } from './coalesce';
import { isFinished, mergeJobs, upsertJob } from './jobs';
import { ModelLibrary } from './model-library';
import { Store } from './store';

export type ModelApi = Pick<StudioApi, 'app' | 'corpora' | 'dialog' | 'jobs' | 'pieces' | 'models' | 'clips' | 'on'>;

/** The views of the activity bar. */
export type StudioView = 'library' | 'models';

export type CorpusTab = 'pieces' | 'statistics';
export type SplitName = 'train' | 'valid' | 'test';
/** What the statistics describe: the whole corpus or one split. */
export type StatisticsScope = 'all' | SplitName;

export interface StatisticsEntry {
  readonly status: 'loading' | 'ready' | 'error';
  /** The last statistics received; kept while a refresh runs, so the plots do not blink. */
  readonly data: CorpusStatistics | null;
  /** The corpus changed since `data` was fetched: fetch again when it is shown. */
  readonly stale: boolean;
  readonly error: string | null;
}

export interface SplitsView {
  readonly corpusId: number;
  readonly counts: SplitCounts;
}

export function statisticsKey(corpusId: number, scope: StatisticsScope): string {
  return `${corpusId}/${scope}`;
}

export type NoticeTone = 'error' | 'warning' | 'info';
export interface Notice {
  readonly id: number;
  readonly tone: NoticeTone;
  readonly message: string;
}

export interface PiecesView {
  readonly corpusId: number;
  readonly rows: readonly PieceSummary[];
  readonly loaded: boolean;
}

export interface StudioState {
  readonly connection: 'connecting' | 'ready' | 'offline';
  readonly view: StudioView;
  readonly appInfo: AppInfo | null;
  readonly corpora: readonly CorpusSummary[];
  readonly corporaLoaded: boolean;
  readonly selectedCorpusId: number | null;
  readonly pieces: PiecesView | null;
  /** The selected corpus's split counts and seed (corpora.splits), loaded with its pieces. */
  readonly splits: SplitsView | null;
  readonly corpusTab: CorpusTab;
  /** Statistics by `statisticsKey(corpusId, scope)`. */
  readonly statistics: Readonly<Record<string, StatisticsEntry>>;
  /** Pieces whose export is running (its button is disabled meanwhile). */
  readonly exportingPieceIds: readonly number[];
  readonly jobs: readonly Job[];
  readonly notices: readonly Notice[];
  /** Every model, newest first (models.list, then one summary per model.updated event). */
  readonly models: readonly ModelSummary[];
  readonly modelsLoaded: boolean;
  readonly selectedModelId: number | null;
  /** Every clip, newest first. */
  readonly clips: readonly ClipSummary[];
  readonly clipsLoaded: boolean;
  readonly selectedClipId: number | null;
  /** Clips' music (clips.get) by clip id, for the preview. */
  readonly clipMusic: Readonly<Record<number, ClipMusicEntry>>;
  readonly exportingClipIds: readonly number[];
  /** The last generate job started per model id, for the Generate panel's progress. */
  readonly generateJobs: Readonly<Record<number, number>>;
}

export const initialStudioState: StudioState = {
  connection: 'connecting',
  view: 'library',
  appInfo: null,
  corpora: [],
  corporaLoaded: false,
  selectedCorpusId: null,
  pieces: null,
  splits: null,
  corpusTab: 'pieces',
  statistics: {},
  exportingPieceIds: [],
  jobs: [],
  notices: [],
  models: [],
  modelsLoaded: false,
  selectedModelId: null,
  clips: [],
  clipsLoaded: false,
  selectedClipId: null,
  clipMusic: {},
  exportingClipIds: [],
  generateJobs: {},
};

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

export interface StudioModelOptions {
  /** How long events are gathered before the library is refetched. */
  readonly refreshDelayMs?: number;
  /** Browser mode's "Export MIDI…": hands the file to the browser as a download. */
  readonly download?: DownloadFile;
}

export class StudioModel {
  readonly store = new Store<StudioState>(initialStudioState);
  /** Models: list, selection, train, stop, resume, delete, generate. */
  readonly models: ModelLibrary;
  /** Clips: list, selection and preview music, export, delete. */
  readonly clips: ClipLibrary;
  readonly #api: ModelApi;
  readonly #corporaRefresh: Coalesced;
  readonly #piecesRefresh: Coalesced;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #download: DownloadFile;
  /** Bumped when a corpus changes, so a statistics reply computed before the change is known stale. */
  readonly #statisticsGeneration = new Map<number, number>();
  #nextNoticeId = 1;
  #disposed = false;

  constructor(api: ModelApi, options: StudioModelOptions = {}) {
    this.#api = api;
    this.#download =
      options.download ??
      (() => {
        throw new Error('Downloads are not available here.');
      });
    const delay = options.refreshDelayMs ?? 200;
    this.#corporaRefresh = coalesce(() => this.refreshCorpora(), delay);
    this.#piecesRefresh = coalesce(() => this.#refreshSelectedPieces(), delay);
    const host = { store: this.store, notify: (message: string, tone?: NoticeTone) => this.notify(message, tone), isDisposed: () => this.#disposed };
    this.models = new ModelLibrary(api, host);
    this.clips = new ClipLibrary(api, host, { refreshDelayMs: delay, download: this.#download });
  }

  get state(): StudioState {
    return this.store.getState();
  }

  /** Subscribes to events first, then loads, so nothing that happens in between is missed. */
  async start(): Promise<void> {
    this.#unsubscribe.push(
      this.#api.on('job.updated', (job) => this.#onJobUpdated(job)),
      this.#api.on('library.changed', ({ corpusId }) => this.#onLibraryChanged(corpusId)),
    );
    this.models.start();
    this.clips.start();
    try {
      const appInfo = await this.#api.app.info();
      this.#set({ appInfo, connection: 'ready' });
    } catch (error) {
      this.#set({ connection: 'offline' });
      this.notify(`Cannot reach the studio: ${describeError(error)}`);
      return;
    }
    await Promise.all([this.refreshCorpora(), this.refreshJobs(), this.models.refresh(), this.clips.refresh()]);
  }

  dispose(): void {
    this.#disposed = true;
    this.models.dispose();
    this.clips.dispose();
    this.#corporaRefresh.cancel();
    this.#piecesRefresh.cancel();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
  }

  async refreshCorpora(): Promise<void> {
    let corpora: CorpusSummary[];
    try {
      corpora = await this.#api.corpora.list();
    } catch (error) {
      this.notify(`Could not load the library: ${describeError(error)}`);
      return;
    }
    if (this.#disposed) return;
    const { selectedCorpusId } = this.state;
    const stillThere = selectedCorpusId !== null && corpora.some((corpus) => corpus.id === selectedCorpusId);
    this.#set({ corpora, corporaLoaded: true });
    this.#forgetStatistics((corpusId) => !corpora.some((corpus) => corpus.id === corpusId));
    if (!stillThere) this.selectCorpus(corpora[0]?.id ?? null);
  }

  async refreshJobs(): Promise<void> {
    try {
      const listed = await this.#api.jobs.list();
      if (!this.#disposed) this.store.update((state) => ({ ...state, jobs: mergeJobs(state.jobs, listed) }));
    } catch (error) {
      this.notify(`Could not load the jobs: ${describeError(error)}`);
    }
  }

  selectCorpus(corpusId: number | null): void {
    if (corpusId === this.state.selectedCorpusId && (corpusId === null || this.state.pieces?.corpusId === corpusId)) return;
    this.#set({
      selectedCorpusId: corpusId,
      pieces: corpusId === null ? null : { corpusId, rows: [], loaded: false },
      splits: this.state.splits?.corpusId === corpusId ? this.state.splits : null,
    });
    if (corpusId !== null) void this.#loadPieces(corpusId);
  }

  async deleteCorpus(corpusId: number): Promise<boolean> {
    const name = this.state.corpora.find((corpus) => corpus.id === corpusId)?.name ?? `#${corpusId}`;
    try {
      await this.#api.corpora.delete({ corpusId });
    } catch (error) {
      this.notify(`Could not delete “${name}”: ${describeError(error)}`);
      return false;
    }
    const corpora = this.state.corpora.filter((corpus) => corpus.id !== corpusId);
    this.#set({ corpora });
    this.#forgetStatistics((id) => id === corpusId);
    if (this.state.selectedCorpusId === corpusId) this.selectCorpus(corpora[0]?.id ?? null);
    this.notify(`Deleted “${name}”.`, 'info');
    this.#corporaRefresh.request();
    return true;
  }

  async cancelJob(jobId: number): Promise<void> {
    try {
      await this.#api.jobs.cancel({ jobId });
    } catch (error) {
      this.notify(`Could not cancel job ${jobId}: ${describeError(error)}`);
    }
  }

  /** Desktop only: the native dialog. Null when cancelled or when it failed (then a notice says why). */
  async chooseWithDialog(folders: boolean): Promise<ImportSelection | null> {
    try {
      return await chooseWithDialog(this.#api, folders);
    } catch (error) {
      this.notify(describeError(error));
      return null;
    }
  }

  /** Starts an import; on success selects the corpus. Null when it could not start (a notice says why). */
  async importSelection(
    corpusName: string,
    selection: ImportSelection,
    onProgress?: (progress: UploadProgress) => void,
  ): Promise<ImportOutcome | null> {
    let outcome: ImportOutcome;
    try {
      outcome = await runImport(this.#api, corpusName, selection, onProgress);
    } catch (error) {
      this.notify(`Could not import: ${describeError(error)}`);
      return null;
    }
    for (const skipped of outcome.skipped) this.notify(`${skipped.file} was not imported: it is ${skipped.reason}.`, 'warning');
    await Promise.all([this.refreshCorpora(), this.refreshJobs()]);
    const created = this.state.corpora.find((corpus) => corpus.name === corpusName.trim());
    if (created) this.selectCorpus(created.id);
    return outcome;
  }

  showView(view: StudioView): void {
    if (this.state.view !== view) this.#set({ view });
  }

  showCorpusTab(corpusTab: CorpusTab): void {
    if (this.state.corpusTab !== corpusTab) this.#set({ corpusTab });
  }

  /**
   * Fetches the statistics of (corpus, scope) unless they are cached and current or already on their
   * way; `force` retries after an error. Safe to call on every render that shows them.
   */
  async loadStatistics(corpusId: number, scope: StatisticsScope, options: { force?: boolean } = {}): Promise<void> {
    const key = statisticsKey(corpusId, scope);
    const entry = this.state.statistics[key];
    if (entry?.status === 'loading') return;
    if (entry && !entry.stale && !options.force) return;
    if (!this.#statisticsGeneration.has(corpusId)) this.#statisticsGeneration.set(corpusId, 0);
    const generation = this.#statisticsGeneration.get(corpusId)!;
    this.#setStatistics(key, { status: 'loading', data: entry?.data ?? null, stale: false, error: null });
    let data: CorpusStatistics;
    try {
      data = await this.#api.corpora.statistics({ corpusId, split: scope === 'all' ? null : scope });
    } catch (error) {
      if (this.#disposed || !this.state.statistics[key]) return;
      this.#setStatistics(key, { status: 'error', data: entry?.data ?? null, stale: false, error: describeError(error) });
      return;
    }
    // Forgotten meanwhile (the corpus was deleted): drop the reply.
    if (this.#disposed || !this.state.statistics[key]) return;
    const changedMeanwhile = (this.#statisticsGeneration.get(corpusId) ?? 0) !== generation;
    this.#setStatistics(key, { status: 'ready', data, stale: changedMeanwhile, error: null });
  }

  /** Draws the seeded split again; true when it worked (a notice says why not). */
  async resplit(corpusId: number, seed: number): Promise<boolean> {
    let counts: SplitCounts;
    try {
      counts = await this.#api.corpora.resplit({ corpusId, seed });
    } catch (error) {
      this.notify(`Could not re-split: ${describeError(error)}`);
      return false;
    }
    this.#invalidateStatistics(corpusId);
    if (this.state.selectedCorpusId === corpusId) {
      this.#set({ splits: { corpusId, counts } });
      await this.#loadPieces(corpusId);
    }
    this.notify(`Re-split with seed ${seed}: train ${counts.train}, valid ${counts.valid}, test ${counts.test}.`, 'info');
    return true;
  }

  /** "Export MIDI…": the save dialog on the desktop, a download in the browser; a notice says where it went. */
  async exportPiece(pieceId: number): Promise<void> {
    if (this.state.exportingPieceIds.includes(pieceId)) return;
    const mode = this.state.appInfo?.mode ?? 'browser';
    const name = this.state.pieces?.rows.find((piece) => piece.id === pieceId)?.relativePath ?? `piece ${pieceId}`;
    this.store.update((state) => ({ ...state, exportingPieceIds: [...state.exportingPieceIds, pieceId] }));
    try {
      const message = describeExport(await exportPieceMidi(this.#api, mode, pieceId, this.#download));
      if (message !== null) this.notify(message, 'info');
    } catch (error) {
      this.notify(`Could not export ${name}: ${describeError(error)}`);
    } finally {
      this.store.update((state) => ({ ...state, exportingPieceIds: state.exportingPieceIds.filter((id) => id !== pieceId) }));
    }
  }

  notify(message: string, tone: NoticeTone = 'error'): void {
    const notice: Notice = { id: this.#nextNoticeId++, tone, message };
    this.store.update((state) => ({ ...state, notices: [...state.notices, notice].slice(-5) }));
  }

  dismissNotice(id: number): void {
    this.store.update((state) => {
      const notices = state.notices.filter((notice) => notice.id !== id);
      return notices.length === state.notices.length ? state : { ...state, notices };
    });
  }

  #onJobUpdated(job: Job): void {
    this.store.update((state) => {
      const jobs = upsertJob(state.jobs, job);
      return jobs === state.jobs ? state : { ...state, jobs };
    });
    if (isFinished(job)) {
      this.#corporaRefresh.request();
      this.#piecesRefresh.request();
      this.clips.onJobUpdated(job);
    }
  }

  #onLibraryChanged(corpusId: number | null): void {
    this.#invalidateStatistics(corpusId);
    this.#corporaRefresh.request();
    if (corpusId === null || corpusId === this.state.selectedCorpusId) this.#piecesRefresh.request();
  }

  async #refreshSelectedPieces(): Promise<void> {
    const { selectedCorpusId } = this.state;
    if (selectedCorpusId !== null) await this.#loadPieces(selectedCorpusId);
  }

  async #loadPieces(corpusId: number): Promise<void> {
    let rows: PieceSummary[];
    let counts: SplitCounts;
    try {
      [rows, counts] = await Promise.all([this.#api.corpora.pieces({ corpusId }), this.#api.corpora.splits({ corpusId })]);
    } catch (error) {
      // The corpus may have been deleted meanwhile; the corpora refresh will move the selection.
      if (this.state.selectedCorpusId === corpusId && this.state.corpora.some((corpus) => corpus.id === corpusId)) {
        this.notify(`Could not load the pieces: ${describeError(error)}`);
      }
      return;
    }
    // A reply for a corpus no longer selected is stale.
    if (this.#disposed || this.state.selectedCorpusId !== corpusId) return;
    this.#set({ pieces: { corpusId, rows, loaded: true }, splits: { corpusId, counts } });
  }

  /** Marks a corpus's statistics (all corpora's for null) stale: they are fetched again when shown. */
  #invalidateStatistics(corpusId: number | null): void {
    const ids = corpusId === null ? [...this.#statisticsGeneration.keys()] : [corpusId];
    for (const id of ids) this.#statisticsGeneration.set(id, (this.#statisticsGeneration.get(id) ?? 0) + 1);
    this.store.update((state) => {
      let changed = false;
      const statistics: Record<string, StatisticsEntry> = {};
      for (const [key, entry] of Object.entries(state.statistics)) {
        const matches = corpusId === null || key.startsWith(`${corpusId}/`);
        if (matches && !entry.stale && entry.status !== 'loading') {
          statistics[key] = { ...entry, stale: true };
          changed = true;
        } else statistics[key] = entry;
      }
      return changed ? { ...state, statistics } : state;
    });
  }

  #forgetStatistics(shouldForget: (corpusId: number) => boolean): void {
    this.store.update((state) => {
      const kept = Object.entries(state.statistics).filter(([key]) => !shouldForget(Number(key.split('/')[0])));
      return kept.length === Object.keys(state.statistics).length ? state : { ...state, statistics: Object.fromEntries(kept) };
    });
  }

  #setStatistics(key: string, entry: StatisticsEntry): void {
    this.store.update((state) => ({ ...state, statistics: { ...state.statistics, [key]: entry } }));
  }

  #set(changes: Partial<StudioState>): void {
    this.store.update((state) => ({ ...state, ...changes }));
  }
}
