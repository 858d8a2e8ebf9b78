/**
 * Keeping the model list current from `models.list` replies and `model.updated` events (each event
 * carries the whole summary, so a training iteration updates one row and its curve without a
 * refetch). Newest model first, as main lists them.
 */
import type { ClipSummary, ModelSummary } from '../../../core/ipc/schemas';

/**
 * Whether `candidate` may replace `current`: an event and a list reply can cross on the wire, and
 * the later state of the model wins. Main stamps every change (updatedAt, with milliseconds); within
 * one stamp the longer history is the later one.
 */
export function isModelAtLeastAsNew(candidate: ModelSummary, current: ModelSummary): boolean {
  if (candidate.updatedAt !== current.updatedAt) return candidate.updatedAt > current.updatedAt;
  return candidate.history.length >= current.history.length;
}

function byNewest(a: { id: number }, b: { id: number }): number {
  return b.id - a.id;
}

export function upsertModel(models: readonly ModelSummary[], model: ModelSummary): readonly ModelSummary[] {
  const index = models.findIndex((existing) => existing.id === model.id);
  if (index === -1) return [...models, model].sort(byNewest);
  if (!isModelAtLeastAsNew(model, models[index]!)) return models;
  const next = [...models];
  next[index] = model;
  return next;
}

export function removeModel(models: readonly ModelSummary[], modelId: number): readonly ModelSummary[] {
  return models.some((model) => model.id === modelId) ? models.filter((model) => model.id !== modelId) : models;
}

/**
 * A list reply merged into what events already told: each listed model replaces the known one
 * unless the known one is newer; models missing from the reply are gone, except those created
 * after the request was sent (`keep`), and models deleted meanwhile (`deleted`) stay out.
 */
export function mergeModels(
  known: readonly ModelSummary[],
  listed: readonly ModelSummary[],
  options: { readonly deleted?: ReadonlySet<number>; readonly keep?: ReadonlySet<number> } = {},
): readonly ModelSummary[] {
  const deleted = options.deleted ?? new Set<number>();
  const keep = options.keep ?? new Set<number>();
  const listedIds = new Set(listed.map((model) => model.id));
  let next: readonly ModelSummary[] = known.filter((model) => listedIds.has(model.id) || keep.has(model.id));
  for (const model of listed) if (!deleted.has(model.id)) next = upsertModel(next, model);
  return next;
}

/** The models trained on a corpus, e.g. to say what deleting it takes with it. */
export function modelsOfCorpus(models: readonly ModelSummary[], corpusId: number): readonly ModelSummary[] {
  return models.filter((model) => model.corpusId === corpusId);
}

/** The clips of one model (null: all clips), newest first. */
export function clipsOfModel(clips: readonly ClipSummary[], modelId: number | null): readonly ClipSummary[] {
  return modelId === null ? clips : clips.filter((clip) => clip.modelId === modelId);
}
