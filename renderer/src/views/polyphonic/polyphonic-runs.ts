/**
 * Running a model use (polyphonic harmonize / infill / continue, VAE reconstruct / interpolate) from the editor, apart from React: the edits on screen are saved first
 * (the model reads the clip as stored; a failed save starts nothing), then the request goes to main
 * and comes back as a job. The runs started in this window are remembered per workbench, so the
 * editor can show each one's progress and open its clips when it is done, whichever clip is open.
 */
import type { StudioApi } from '../../../../core/ipc/client';
import type { Job } from '../../../../core/ipc/schemas';
import { Store } from '../../state/store';
import { saveThenExport, type ExportWorkbench } from '../editor/editor-export';
import type { MethodInput } from '../../../../core/ipc/contract';
import { USE_DONE, USE_LABEL, type PolyphonicRequest, type PolyphonicUse } from './polyphonic-uses';

export type PolyphonicApi = { readonly models: Pick<StudioApi['models'], 'harmonize' | 'infill' | 'generate'> & Partial<Pick<StudioApi['models'], 'reconstruct'>> };

/** Every use whose results land as clips and are followed by the results strip. */
export type ModelUse = PolyphonicUse | 'reconstruct' | 'interpolate';

export type ReconstructRequest = MethodInput<'models.reconstruct'>;
export type InterpolateRequest = MethodInput<'models.interpolate'>;
/** A use run on the clip open in the editor (saved first). */
export type ModelUseRequest = PolyphonicRequest | { readonly use: 'reconstruct'; readonly input: ReconstructRequest };

export const RUN_WORDS: Record<ModelUse, { readonly label: string; readonly doing: string; readonly done: string }> = {
  harmonize: { label: USE_LABEL.harmonize, doing: 'Harmonizing', done: USE_DONE.harmonize },
  infill: { label: USE_LABEL.infill, doing: 'Infilling', done: USE_DONE.infill },
  continue: { label: USE_LABEL.continue, doing: 'Continuing', done: USE_DONE.continue },
  reconstruct: { label: 'Reconstruct', doing: 'Reconstructing', done: 'Reconstructed' },
  interpolate: { label: 'Interpolate', doing: 'Interpolating', done: 'Interpolated' },
};

export type StartOutcome =
  | { readonly kind: 'started'; readonly jobId: number }
  | { readonly kind: 'nothing-open' }
  | { readonly kind: 'not-saved' }
  /** The clip open now is not the one the request names (another clip was opened meanwhile). */
  | { readonly kind: 'other-clip' }
  | { readonly kind: 'refused'; readonly error: string };

function clipOf(request: ModelUseRequest): number {
  return request.use === 'continue' ? request.input.primerClipId! : request.input.clipId;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong.';
}

/** Saves the open clip, then asks main to run the use on it. */
export async function startPolyphonicUse(workbench: ExportWorkbench, api: PolyphonicApi, request: ModelUseRequest): Promise<StartOutcome> {
  let outcome;
  try {
    outcome = await saveThenExport(workbench, async (clipId): Promise<StartOutcome> => {
      if (clipId !== clipOf(request)) return { kind: 'other-clip' };
      switch (request.use) {
        case 'harmonize':
          return { kind: 'started', ...(await api.models.harmonize(request.input)) };
        case 'infill':
          return { kind: 'started', ...(await api.models.infill(request.input)) };
        case 'continue':
          return { kind: 'started', ...(await api.models.generate(request.input)) };
        case 'reconstruct':
          if (!api.models.reconstruct) return { kind: 'refused', error: 'Reconstruct is not available in this window.' };
          return { kind: 'started', ...(await api.models.reconstruct(request.input)) };
      }
    });
  } catch (error) {
    return { kind: 'refused', error: describeError(error) };
  }
  return outcome.kind === 'exported' ? outcome.value : outcome;
}

/** What the composer reads when a use could not start; null once it has. */
export function describeStartOutcome(outcome: StartOutcome, use: ModelUse): string | null {
  const what = RUN_WORDS[use].label;
  switch (outcome.kind) {
    case 'started':
      return null;
    case 'nothing-open':
      return `${what}: nothing is open in the editor.`;
    case 'not-saved':
      return `${what} did not start: the edits could not be saved first (the model reads the saved clip).`;
    case 'other-clip':
      return `${what} did not start: another clip was opened meanwhile.`;
    case 'refused':
      return outcome.error;
  }
}

export interface PolyphonicRun {
  readonly jobId: number;
  readonly use: ModelUse;
  readonly sourceName: string;
  readonly modelName: string;
  readonly count: number;
}

export interface RunsState {
  /** Newest first. */
  readonly runs: readonly PolyphonicRun[];
}

/** The runs of one editor session (one workbench). */
export class PolyphonicRuns {
  readonly store = new Store<RunsState>({ runs: [] });

  add(run: PolyphonicRun): void {
    this.store.update((state) => ({ runs: [run, ...state.runs.filter((existing) => existing.jobId !== run.jobId)].slice(0, 8) }));
  }

  dismiss(jobId: number): void {
    this.store.update((state) => {
      const runs = state.runs.filter((run) => run.jobId !== jobId);
      return runs.length === state.runs.length ? state : { runs };
    });
  }
}

const RUNS = new WeakMap<object, PolyphonicRuns>();

/** The runs kept for this workbench (made on first use). */
export function runsFor(workbench: object): PolyphonicRuns {
  let runs = RUNS.get(workbench);
  if (!runs) {
    runs = new PolyphonicRuns();
    RUNS.set(workbench, runs);
  }
  return runs;
}

export interface RunView {
  readonly state: 'waiting' | 'running' | 'done' | 'failed' | 'cancelled';
  /** 0..1, or null while queued or unknown. */
  readonly progress: number | null;
  readonly message: string;
  /** The clips made so far (all of them once done). */
  readonly clipIds: readonly number[];
}

/** How a run stands, from its job (undefined: not announced yet). */
export function viewRun(run: PolyphonicRun, job: Job | undefined): RunView {
  if (!job) return { state: 'waiting', progress: null, message: 'Starting…', clipIds: [] };
  const clipIds = job.result && 'clipIds' in job.result ? job.result.clipIds : [];
  switch (job.status) {
    case 'queued':
      return { state: 'waiting', progress: null, message: job.message || 'Waiting for a worker…', clipIds };
    case 'running':
      return { state: 'running', progress: job.progress, message: job.message || `${RUN_WORDS[run.use].doing}…`, clipIds };
    case 'done':
      return {
        state: 'done',
        progress: 1,
        message: `${RUN_WORDS[run.use].done} “${run.sourceName}”: ${clipIds.length} new clip${clipIds.length === 1 ? '' : 's'}.`,
        clipIds,
      };
    case 'failed':
      return { state: 'failed', progress: null, message: job.error ?? `${run.use} failed.`, clipIds };
    case 'cancelled':
      return { state: 'cancelled', progress: null, message: `Cancelled${clipIds.length > 0 ? ` after ${clipIds.length} clip${clipIds.length === 1 ? '' : 's'}` : ''}.`, clipIds };
  }
}
