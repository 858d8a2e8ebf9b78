/**
 * The renderer's state and the actions that change it. It talks to the studio only through the
 * contract's API object, follows `job.updated` and `library.changed`, and refetches what an event
 * says has changed (coalesced). React reads it through `useStudio` (see studio-context.tsx); this
 * file has no React and no DOM so its logic is unit-tested with a fake API under Node.
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { AppInfo, CorpusSummary, Job, PieceSummary } from '../../../core/ipc/schemas';
import { chooseWithDialog, runImport, type ImportOutcome, type UploadProgress } from '../import/run-import';
import type { ImportSelection } from '../import/selection';
import { coalesce, type Coalesced } from './coalesce';
import { isFinished, mergeJobs, upsertJob } from './jobs';
import { Store } from './store';

export type ModelApi = Pick<StudioApi, 'app' | 'corpora' | 'dialog' | 'jobs' | 'on'>;

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
  readonly appInfo: AppInfo | null;
  readonly corpora: readonly CorpusSummary[];
  readonly corporaLoaded: boolean;
  readonly selectedCorpusId: number | null;
  readonly pieces: PiecesView | null;
  readonly jobs: readonly Job[];
  readonly notices: readonly Notice[];
}

export const initialStudioState: StudioState = {
  connection: 'connecting',
  appInfo: null,
  corpora: [],
  corporaLoaded: false,
  selectedCorpusId: null,
  pieces: null,
  jobs: [],
  notices: [],
};

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

export interface StudioModelOptions {
  /** How long events are gathered before the library is refetched. */
  readonly refreshDelayMs?: number;
}

export class StudioModel {
  readonly store = new Store<StudioState>(initialStudioState);
  readonly #api: ModelApi;
  readonly #corporaRefresh: Coalesced;
  readonly #piecesRefresh: Coalesced;
  readonly #unsubscribe: (() => void)[] = [];
  #nextNoticeId = 1;
  #disposed = false;

  constructor(api: ModelApi, options: StudioModelOptions = {}) {
    this.#api = api;
    const delay = options.refreshDelayMs ?? 200;
    this.#corporaRefresh = coalesce(() => this.refreshCorpora(), delay);
    this.#piecesRefresh = coalesce(() => this.#refreshSelectedPieces(), delay);
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
    try {
      const appInfo = await this.#api.app.info();
      this.#set({ appInfo, connection: 'ready' });
    } catch (error) {
      this.#set({ connection: 'offline' });
      this.notify(`Cannot reach the studio: ${describeError(error)}`);
      return;
    }
    await Promise.all([this.refreshCorpora(), this.refreshJobs()]);
  }

  dispose(): void {
    this.#disposed = true;
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
    this.#set({ selectedCorpusId: corpusId, pieces: corpusId === null ? null : { corpusId, rows: [], loaded: false } });
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
    }
  }

  #onLibraryChanged(corpusId: number | null): void {
    this.#corporaRefresh.request();
    if (corpusId === null || corpusId === this.state.selectedCorpusId) this.#piecesRefresh.request();
  }

  async #refreshSelectedPieces(): Promise<void> {
    const { selectedCorpusId } = this.state;
    if (selectedCorpusId !== null) await this.#loadPieces(selectedCorpusId);
  }

  async #loadPieces(corpusId: number): Promise<void> {
    let rows: PieceSummary[];
    try {
      rows = await this.#api.corpora.pieces({ corpusId });
    } catch (error) {
      // The corpus may have been deleted meanwhile; the corpora refresh will move the selection.
      if (this.state.selectedCorpusId === corpusId && this.state.corpora.some((corpus) => corpus.id === corpusId)) {
        this.notify(`Could not load the pieces: ${describeError(error)}`);
      }
      return;
    }
    // A reply for a corpus no longer selected is stale.
    if (this.#disposed || this.state.selectedCorpusId !== corpusId) return;
    this.#set({ pieces: { corpusId, rows, loaded: true } });
  }

  #set(changes: Partial<StudioState>): void {
    this.store.update((state) => ({ ...state, ...changes }));
  }
}
