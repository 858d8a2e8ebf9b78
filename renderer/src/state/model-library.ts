/**
 * The Models view's state and actions: the model list (kept current by `model.updated`, one summary
 * per event, so a training iteration moves one row and its curve without a refetch), the selected
 * model, training, stopping, resuming, deleting and generating. No React, no DOM: unit-tested with
 * the fake studio.
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { EventPayload } from '../../../core/ipc/contract';
import type { ModelSummary, SplitCounts } from '../../../core/ipc/schemas';
import type { GenerateRequest } from '../views/models/generate-form';
import { resumePlan } from '../views/models/model-format';
import type { TrainModelRequest } from '../views/models/train-form';
import { mergeModels, removeModel, upsertModel } from './models';
import type { Store } from './store';
import type { NoticeTone, StudioState } from './studio-model';

export type ModelLibraryApi = Pick<StudioApi, 'models' | 'corpora' | 'jobs' | 'on'>;

/** What the library needs from the studio model it belongs to. */
export interface LibraryHost {
  readonly store: Store<StudioState>;
  notify(message: string, tone?: NoticeTone): void;
  isDisposed(): boolean;
}

export type TrainOutcome = { readonly ok: true; readonly modelId: number; readonly jobId: number } | { readonly ok: false; readonly error: string };

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

export class ModelLibrary {
  readonly #api: ModelLibraryApi;
  readonly #host: LibraryHost;
  /** Models deleted here or announced deleted: a list reply sent before cannot bring them back. */
  readonly #deleted = new Set<number>();
  /** Models announced while a list request was out: the older reply must not drop them. */
  #announcedDuringList: Set<number> | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(api: ModelLibraryApi, host: LibraryHost) {
    this.#api = api;
    this.#host = host;
  }

  get #state(): StudioState {
    return this.#host.store.getState();
  }

  #update(change: (state: StudioState) => StudioState): void {
    this.#host.store.update(change);
  }

  /** Subscribes first, then loads, so an iteration finishing in between is not missed. */
  start(): void {
    this.#unsubscribe = this.#api.on('model.updated', (payload) => this.#onModelUpdated(payload));
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  async refresh(): Promise<void> {
    const announced = new Set<number>();
    this.#announcedDuringList = announced;
    let listed: ModelSummary[];
    try {
      listed = await this.#api.models.list();
    } catch (error) {
      this.#host.notify(`Could not load the models: ${describeError(error)}`);
      return;
    } finally {
      if (this.#announcedDuringList === announced) this.#announcedDuringList = null;
    }
    if (this.#host.isDisposed()) return;
    this.#update((state) => {
      const models = mergeModels(state.models, listed, { deleted: this.#deleted, keep: announced });
      return { ...state, models, modelsLoaded: true, selectedModelId: keptSelection(state.selectedModelId, models) };
    });
  }

  select(modelId: number | null): void {
    if (this.#state.selectedModelId === modelId) return;
    this.#update((state) => ({ ...state, selectedModelId: modelId }));
  }

  /** The train/valid/test counts of a corpus, for the Train dialog. */
  splits(corpusId: number): Promise<SplitCounts> {
    return this.#api.corpora.splits({ corpusId });
  }

  /** Starts training; the error comes back (for the dialog to show) instead of as a notice. */
  async train(input: TrainModelRequest): Promise<TrainOutcome> {
    let started: { modelId: number; jobId: number };
    try {
      started = await this.#api.models.train(input);
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
    // The model.updated event usually came first; the reply makes sure the row exists and is selected.
    try {
      const model = await this.#api.models.get({ modelId: started.modelId });
      if (!this.#deleted.has(model.id)) this.#update((state) => ({ ...state, models: upsertModel(state.models, model) }));
    } catch {
      // Deleted already, or the connection dropped: the next event or refresh tells.
    }
    this.#update((state) => ({ ...state, selectedModelId: started.modelId }));
    return { ok: true, ...started };
  }

  /** Stops a training run: cancels its job; the model becomes "stopped" and can be resumed. */
  async stop(modelId: number): Promise<void> {
    const model = this.#find(modelId);
    if (!model || model.status !== 'training' || model.jobId === null) return;
    try {
      await this.#api.jobs.cancel({ jobId: model.jobId });
    } catch (error) {
      this.#host.notify(`Could not stop “${model.name}”: ${describeError(error)}`);
    }
  }

  /** Continues from the last completed iteration (to a larger maximum once the maximum is reached). */
  async resume(modelId: number): Promise<boolean> {
    const model = this.#find(modelId);
    if (!model) return false;
    const plan = resumePlan(model);
    if (plan.kind === 'none') return false;
    try {
      await this.#api.models.resume(plan.kind === 'extend' ? { modelId, maxIterations: plan.maxIterations } : { modelId });
    } catch (error) {
      this.#host.notify(`Could not resume “${model.name}”: ${describeError(error)}`);
      return false;
    }
    return true;
  }

  async delete(modelId: number): Promise<boolean> {
    const name = this.#find(modelId)?.name ?? `model ${modelId}`;
    try {
      await this.#api.models.delete({ modelId });
    } catch (error) {
      this.#host.notify(`Could not delete “${name}”: ${describeError(error)}`);
      return false;
    }
    this.#forget(modelId);
    this.#host.notify(`Deleted “${name}”. Its clips stay in the clip list.`, 'info');
    return true;
  }

  /** Starts sampling; the job id is remembered per model for the Generate panel's progress. */
  async generate(input: GenerateRequest): Promise<number | null> {
    const name = this.#find(input.modelId)?.name ?? `model ${input.modelId}`;
    let jobId: number;
    try {
      ({ jobId } = await this.#api.models.generate(input));
    } catch (error) {
      this.#host.notify(`Could not generate with “${name}”: ${describeError(error)}`);
      return null;
    }
    this.#update((state) => ({ ...state, generateJobs: { ...state.generateJobs, [input.modelId]: jobId } }));
    return jobId;
  }

  #find(modelId: number): ModelSummary | undefined {
    return this.#state.models.find((model) => model.id === modelId);
  }

  #onModelUpdated({ modelId, model }: EventPayload<'model.updated'>): void {
    if (model === null) {
      this.#forget(modelId);
      return;
    }
    if (this.#deleted.has(modelId)) return;
    this.#announcedDuringList?.add(modelId);
    this.#update((state) => {
      const models = upsertModel(state.models, model);
      if (models === state.models) return state;
      // The first model to appear is selected, so the view never shows "no model" beside a list.
      return { ...state, models, selectedModelId: state.selectedModelId ?? modelId };
    });
  }

  #forget(modelId: number): void {
    this.#deleted.add(modelId);
    this.#update((state) => {
      const models = removeModel(state.models, modelId);
      if (models === state.models) return state;
      const { [modelId]: _gone, ...generateJobs } = state.generateJobs;
      return { ...state, models, generateJobs, selectedModelId: keptSelection(state.selectedModelId, models) };
    });
  }
}

/** The selection if it still exists, else the first (newest) model, else none. */
function keptSelection(selected: number | null, models: readonly ModelSummary[]): number | null {
  if (selected !== null && models.some((model) => model.id === selected)) return selected;
  return models[0]?.id ?? null;
}
