/**
 * The "New comparison" form apart from React: which models of a corpus can be compared (trained, or
 * stopped after at least one iteration, and not training), the form's fields as typed, and their
 * validation into a `comparisons.create` request with the same limits as CreateComparisonInputSchema.
 */
import type { MethodInput } from '../../../../core/ipc/contract';
import type { ModelSummary } from '../../../../core/ipc/schemas';
import { parseWholeNumber } from '../models/train-form';

export type CreateComparisonRequest = MethodInput<'comparisons.create'>;
export type LengthUnit = 'bars' | 'steps';
export type ReferenceSplit = 'train' | 'valid' | 'test';

export const COMPARE_LIMITS = {
  models: { min: 1, max: 8 },
  samples: { min: 1, max: 64 },
  length: { min: 1, max: 10_000 },
  seed: { min: 0, max: 2 ** 31 - 1 },
} as const;

export interface CompareForm {
  readonly corpusId: number | null;
  readonly modelIds: readonly number[];
  readonly samples: string;
  readonly lengthValue: string;
  readonly lengthUnit: LengthUnit;
  readonly seed: string;
  readonly referenceSplit: ReferenceSplit;
}

export const DEFAULT_COMPARE_FORM: CompareForm = {
  corpusId: null,
  modelIds: [],
  samples: '8',
  lengthValue: '8',
  lengthUnit: 'bars',
  seed: '1',
  referenceSplit: 'test',
};

export type CompareField = 'corpusId' | 'modelIds' | 'samples' | 'lengthValue' | 'seed';
export type CompareFormErrors = Partial<Record<CompareField, string>>;

export type Eligibility = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether a model can enter a comparison now, and if not, why (the same rules main applies). */
export function eligibility(model: Pick<ModelSummary, 'status' | 'iterations'>): Eligibility {
  if (model.status === 'training') return { ok: false, reason: 'still training' };
  if (model.status === 'failed') return { ok: false, reason: 'training failed' };
  if (model.iterations < 1) return { ok: false, reason: 'not trained yet' };
  return { ok: true };
}

/** The models trained on a corpus, comparable ones first, each list newest first as given. */
export function modelsForCorpus(models: readonly ModelSummary[], corpusId: number | null): ModelSummary[] {
  if (corpusId === null) return [];
  const ofCorpus = models.filter((model) => model.corpusId === corpusId);
  return [...ofCorpus.filter((model) => eligibility(model).ok), ...ofCorpus.filter((model) => !eligibility(model).ok)];
}

/** The corpus to offer first: the given one if it has comparable models, else the first that has, else the given one. */
export function initialCorpus(corpora: readonly { readonly id: number }[], models: readonly ModelSummary[], preferred: number | null): number | null {
  const comparable = (corpusId: number) => models.some((model) => model.corpusId === corpusId && eligibility(model).ok);
  if (preferred !== null && comparable(preferred)) return preferred;
  return corpora.find((corpus) => comparable(corpus.id))?.id ?? preferred ?? corpora[0]?.id ?? null;
}

/** Toggles a model in the selection, keeping the list order stable (the order of the table's rows). */
export function toggleModel(selected: readonly number[], modelId: number, on: boolean): number[] {
  const without = selected.filter((id) => id !== modelId);
  return on ? [...without, modelId] : without;
}

export type CompareValidation = { readonly ok: true; readonly input: CreateComparisonRequest } | { readonly ok: false; readonly errors: CompareFormErrors };

export function validateCompareForm(form: CompareForm, models: readonly ModelSummary[]): CompareValidation {
  const errors: CompareFormErrors = {};
  if (form.corpusId === null) errors.corpusId = 'Choose a corpus.';
  const chosen = form.modelIds.filter((modelId) => models.some((model) => model.id === modelId && model.corpusId === form.corpusId && eligibility(model).ok));
  if (chosen.length < COMPARE_LIMITS.models.min) errors.modelIds = 'Choose at least one trained model.';
  else if (chosen.length > COMPARE_LIMITS.models.max) errors.modelIds = `Compare at most ${COMPARE_LIMITS.models.max} models at once.`;
  const samples = parseWholeNumber(form.samples, 'the samples per model', COMPARE_LIMITS.samples.min, COMPARE_LIMITS.samples.max);
  if ('error' in samples) errors.samples = samples.error;
  const length = parseWholeNumber(form.lengthValue, 'the length', COMPARE_LIMITS.length.min, COMPARE_LIMITS.length.max);
  if ('error' in length) errors.lengthValue = length.error;
  const seed = parseWholeNumber(form.seed, 'a seed', COMPARE_LIMITS.seed.min, COMPARE_LIMITS.seed.max);
  if ('error' in seed) errors.seed = seed.error;
  if (Object.keys(errors).length > 0 || 'error' in samples || 'error' in length || 'error' in seed || form.corpusId === null) return { ok: false, errors };
  return {
    ok: true,
    input: {
      corpusId: form.corpusId,
      modelIds: chosen,
      samplesPerModel: samples.value,
      length: { unit: form.lengthUnit, value: length.value },
      seed: seed.value,
      referenceSplit: form.referenceSplit,
    },
  };
}

/** "2 models × 8 samples of 8 bars": what the start button will do. */
export function describeRequest(input: CreateComparisonRequest): string {
  const models = input.modelIds.length;
  const samples = input.samplesPerModel ?? 8;
  const length = input.length ?? { unit: 'bars', value: 8 };
  const unit = length.unit === 'bars' ? (length.value === 1 ? 'bar' : 'bars') : length.value === 1 ? 'step' : 'steps';
  return `${models} model${models === 1 ? '' : 's'} × ${samples} sample${samples === 1 ? '' : 's'} of ${length.value} ${unit}`;
}
