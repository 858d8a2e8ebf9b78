/**
 * The MusicVAE's uses apart from React: which models can serve (a VAE with one finished epoch),
 * where "Reconstruct…" starts (the bar of the selection's first note, else the playhead's bar), and
 * the Reconstruct and Interpolate forms turned into the contract's requests. Bars are typed as a
 * musician counts (1-based) and sent 0-based; the schema has the last word and its messages are shown.
 */
import { InterpolateInputSchema, isVaeSettings, ReconstructInputSchema, type ModelSummary } from '../../../../core/ipc/schemas';
import { barPosition, buildMeterMap } from '../../editor/grid';
import { notesWithIds, type EditorDocument } from '../../editor/document';
import type { InterpolateRequest, ReconstructRequest } from '../polyphonic/polyphonic-runs';
import { parseWholeNumber, TRAIN_LIMITS } from './train-form';

/** VAEs with parameters (one finished epoch: a stopped run's checkpoint counts). */
export function usableVaeModels(models: readonly ModelSummary[]): readonly ModelSummary[] {
  return models.filter((model) => model.family === 'vae' && model.iterations > 0);
}

export function noVaeAdvice(models: readonly ModelSummary[]): string {
  const training = models.find((model) => model.family === 'vae' && model.iterations === 0 && model.status === 'training');
  if (training) return `“${training.name}” is still on its first epoch: it can be used once an epoch is done.`;
  return 'No trained MusicVAE yet. In Models, use Train… and choose MusicVAE; any VAE with one finished epoch can be used.';
}

/** A VAE's segment in bars (what one result, or one interpolation step, lasts). */
export function segmentBars(model: Pick<ModelSummary, 'settings'>): number {
  return isVaeSettings(model.settings) ? model.settings.bars : 1;
}

export interface StartBar {
  /** 0-based. */
  readonly bar: number;
  readonly source: 'selection' | 'playhead';
}

/** Where a reconstruction starts: the bar of the earliest selected note, else the playhead's bar. */
export function reconstructStartBar(document: EditorDocument, selection: ReadonlySet<number>, playheadTicks: number): StartBar {
  const meter = buildMeterMap(document.timeSignatures, document.ppq);
  const notes = notesWithIds(document, selection);
  if (notes.length > 0) {
    const first = notes.reduce((earliest, note) => Math.min(earliest, note.ticks), Infinity);
    return { bar: barPosition(meter, first).bar, source: 'selection' };
  }
  return { bar: barPosition(meter, Math.max(0, playheadTicks)).bar, source: 'playhead' };
}

type Parsed = { readonly value: number } | { readonly error: string };

function optionalSeed(text: string): Parsed | null {
  if (text.trim() === '') return null;
  return parseWholeNumber(text, 'a seed', TRAIN_LIMITS.seed.min, TRAIN_LIMITS.seed.max);
}

function firstIssues(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[], fieldOf: (path: readonly PropertyKey[]) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[fieldOf(issue.path)] ??= issue.message;
  return errors;
}

// ---- Reconstruct -------------------------------------------------------------------------------

export interface ReconstructForm {
  readonly modelId: number | null;
  readonly count: string;
  readonly temperature: number;
  /** 1-based, as shown. */
  readonly startBar: string;
  readonly seed: string;
}

export type ReconstructErrors = Partial<Record<'modelId' | 'count' | 'temperature' | 'startBar' | 'seed', string>>;

export function defaultReconstructForm(models: readonly ModelSummary[], start: StartBar, previous?: Partial<ReconstructForm>): ReconstructForm {
  const usable = usableVaeModels(models);
  const kept = previous?.modelId !== undefined && previous.modelId !== null && usable.some((model) => model.id === previous.modelId) ? previous.modelId : (usable[0]?.id ?? null);
  return { count: '2', temperature: 0.5, seed: '', ...previous, startBar: String(start.bar + 1), modelId: kept };
}

export function validateReconstructForm(
  form: ReconstructForm,
  clipId: number,
): { readonly ok: true; readonly input: ReconstructRequest } | { readonly ok: false; readonly errors: ReconstructErrors } {
  const errors: ReconstructErrors = {};
  if (form.modelId === null) errors.modelId = 'Choose a trained MusicVAE.';
  const count = parseWholeNumber(form.count, 'the number of results', 1, 16);
  if ('error' in count) errors.count = count.error;
  const bar = parseWholeNumber(form.startBar, 'the start bar', 1, 100_000);
  if ('error' in bar) errors.startBar = bar.error;
  const seed = optionalSeed(form.seed);
  if (seed && 'error' in seed) errors.seed = seed.error;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const input: ReconstructRequest = {
    modelId: form.modelId!,
    clipId,
    count: (count as { value: number }).value,
    temperature: form.temperature,
    startBar: (bar as { value: number }).value - 1,
    ...(seed ? { seed: (seed as { value: number }).value } : {}),
  };
  const checked = ReconstructInputSchema.safeParse(input);
  if (!checked.success) {
    const fields = ['modelId', 'count', 'temperature', 'startBar', 'seed'];
    return { ok: false, errors: firstIssues(checked.error.issues, (path) => fields.find((field) => path.includes(field)) ?? 'count') };
  }
  return { ok: true, input };
}

// ---- Interpolate -------------------------------------------------------------------------------

export type InterpolationMethod = 'slerp' | 'lerp';

export interface InterpolateForm {
  readonly fromClipId: number | null;
  /** 1-based. */
  readonly fromBar: string;
  readonly toClipId: number | null;
  readonly toBar: string;
  readonly steps: string;
  readonly method: InterpolationMethod;
  readonly temperature: number;
  readonly seed: string;
}

export type InterpolateField = 'fromClipId' | 'fromBar' | 'toClipId' | 'toBar' | 'steps' | 'temperature' | 'seed';
export type InterpolateErrors = Partial<Record<InterpolateField, string>>;

export const METHODS: readonly { readonly value: InterpolationMethod; readonly label: string; readonly explanation: string }[] = [
  { value: 'slerp', label: 'Spherical (slerp)', explanation: 'Along the sphere between the two codes: every step stays as typical of the prior as the ends (MusicVAE’s choice).' },
  { value: 'lerp', label: 'Straight (lerp)', explanation: 'A straight line: the middle steps have shorter codes and can sound blander.' },
];

export function defaultInterpolateForm(clipIds: readonly number[]): InterpolateForm {
  return { fromClipId: clipIds[0] ?? null, fromBar: '1', toClipId: clipIds[1] ?? null, toBar: '1', steps: '5', method: 'slerp', temperature: 0.5, seed: '' };
}

export function validateInterpolateForm(
  form: InterpolateForm,
  modelId: number,
): { readonly ok: true; readonly input: InterpolateRequest } | { readonly ok: false; readonly errors: InterpolateErrors } {
  const errors: InterpolateErrors = {};
  if (form.fromClipId === null) errors.fromClipId = 'Choose clip A.';
  if (form.toClipId === null) errors.toClipId = 'Choose clip B.';
  const fromBar = parseWholeNumber(form.fromBar, 'the start bar of A', 1, 100_000);
  if ('error' in fromBar) errors.fromBar = fromBar.error;
  const toBar = parseWholeNumber(form.toBar, 'the start bar of B', 1, 100_000);
  if ('error' in toBar) errors.toBar = toBar.error;
  const steps = parseWholeNumber(form.steps, 'the number of steps', 2, 64);
  if ('error' in steps) errors.steps = steps.error;
  const seed = optionalSeed(form.seed);
  if (seed && 'error' in seed) errors.seed = seed.error;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const input: InterpolateRequest = {
    modelId,
    from: { clipId: form.fromClipId!, startBar: (fromBar as { value: number }).value - 1 },
    to: { clipId: form.toClipId!, startBar: (toBar as { value: number }).value - 1 },
    steps: (steps as { value: number }).value,
    method: form.method,
    temperature: form.temperature,
    ...(seed ? { seed: (seed as { value: number }).value } : {}),
  };
  const checked = InterpolateInputSchema.safeParse(input);
  if (!checked.success) {
    return {
      ok: false,
      errors: firstIssues(checked.error.issues, (path) => {
        if (path[0] === 'from') return path[1] === 'startBar' ? 'fromBar' : 'fromClipId';
        if (path[0] === 'to') return path[1] === 'startBar' ? 'toBar' : 'toClipId';
        return path[0] === 'temperature' || path[0] === 'seed' ? path[0] : 'steps';
      }),
    };
  }
  return { ok: true, input };
}

/** "5 steps × 2 bars = 10 bars, in one clip". */
export function describeInterpolation(steps: number, bars: number): string {
  const total = steps * bars;
  return `${steps} steps × ${bars} bar${bars === 1 ? '' : 's'} = ${total} bar${total === 1 ? '' : 's'}, in one clip (A first, B last)`;
}

/** The clip names of an interpolation's ends, for the runs strip: "A → B". */
export function interpolationSource(fromName: string, toName: string): string {
  return `${fromName} → ${toName}`;
}
