/** Assembling a comparison's stored results from what the worker sends and what the models table knows. */
import { ModelComparisonSchema, type ModelComparison, type ModelSummary } from '../ipc/schemas';
import type { CompareModelData } from './jobs';
import { likelihoodFigures } from './likelihood';

/** What a model's row contributes: fixed when the comparison starts, so a later deletion changes nothing. */
export type ComparedModel = Pick<ModelSummary, 'id' | 'name' | 'family' | 'representation' | 'trainingSeconds' | 'sizeBytes' | 'history'>;

/** The model's row of the results, checked against the contract's schema (it is stored, then served as is). */
export function modelComparison(model: ComparedModel, data: CompareModelData, clipIds: readonly number[]): ModelComparison {
  return ModelComparisonSchema.parse({
    modelId: model.id,
    modelName: model.name,
    family: model.family,
    representation: model.representation,
    ...likelihoodFigures(model.representation, data.logLikelihoodPerToken, model.family),
    trainingSeconds: model.trainingSeconds,
    sizeBytes: model.sizeBytes,
    history: [...model.history],
    clipIds: [...clipIds],
    musPy: data.musPy,
    relative: data.relative,
    statistics: data.statistics,
  });
}

/** How many reference pieces the view draws as small piano rolls. */
export const REFERENCE_PREVIEW_PIECES = 8;

/** e.g. "HMM 8 states · pitch vs HMM 16 states · pitch on JSB"; long lists are counted instead. */
export function comparisonName(corpusName: string, modelNames: readonly string[]): string {
  const models = modelNames.length <= 3 ? modelNames.join(' vs ') : `${modelNames.length} models`;
  const name = `${models} on ${corpusName}`;
  return name.length <= 200 ? name : `${name.slice(0, 199)}…`;
}

/** e.g. "HMM 8 states · pitch · comparison 4 · sample 2" (sampleNumber is 1-based). */
export function comparisonClipName(modelName: string, comparisonId: number, sampleNumber: number): string {
  return `${modelName} · comparison ${comparisonId} · sample ${sampleNumber}`;
}
