/**
 * Main's side of the compare job. start() reads the reference split and, per model, its saved state
 * and the reference split's sequences in its representation (transferred to the worker, not stored
 * with the job); every sample the worker sends is stored as a clip at once, and every model's figures
 * are written into the comparison's results as they come (the view fills in while it runs). The
 * comparison never stays 'running' once its job has ended: finish() settles a completed or
 * cooperatively cancelled run, `settleEndedComparisonJob` (from the job manager's updates) the rest.
 */
import {
  COMPARE_JOB,
  ComparePayloadSchema,
  REFERENCE_PREVIEW_PIECES,
  comparisonClipName,
  modelComparison,
  type CompareData,
  type CompareInput,
  type CompareModelInput,
  type ComparePayload,
  type ComparedModel,
} from '../../../../core/comparisons';
import { isHmmSettings, isNeuralSettings, isPolyphonicSettings, isRlSettings, isVaeSettings, type NeuralSettings } from '../../../../core/ipc/schemas';
import { readVaeCheckpoint, vaeModelOfCheckpoint } from '../../../../core/models/vae/studio';
import { StudioError } from '../../../../core/ipc/envelope';
import { neuralSequenceBuffers, neuralSequencesFor, type NeuralSequences } from '../../../../core/models/neural-studio';
import { ComparisonResultsSchema, type Job, type JobResult, type ModelComparison } from '../../../../core/ipc/schemas';
import { emptySplitError, sequenceBuffers, sequencesFor, type HmmSequences } from '../../../../core/models/hmm-studio';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import { defineJob } from '../jobs/job-definition';
import type { ModelStore } from '../models/model-store';
import { tunedPolicy } from '../models/rl-input';
import type { ComparisonResults, ComparisonStore } from './comparison-store';

export interface CompareJobDependencies {
  readonly comparisons: ComparisonStore;
  readonly models: ModelStore;
  readonly corpora: CorpusStore;
  readonly clips: ClipStore;
  /** Called whenever a comparison changes (status, results). */
  readonly onComparisonChanged: (comparisonId: number) => void;
  readonly onClipAdded: (clipId: number) => void;
}

interface PreparedRun {
  readonly input: CompareInput;
  readonly transfer: ArrayBuffer[];
  readonly compared: ReadonlyMap<number, ComparedModel>;
  readonly referenceInfo: Omit<ComparisonResults['reference'], 'musPy' | 'statistics'>;
}

export function compareJob(dependencies: CompareJobDependencies) {
  const { comparisons, clips, onComparisonChanged, onClipAdded } = dependencies;
  return defineJob<ComparePayload>({
    kind: COMPARE_JOB,
    payloadSchema: ComparePayloadSchema,
    title: (payload) => {
      const comparison = comparisons.find(payload.comparisonId);
      if (!comparison) return `Comparison ${payload.comparisonId}`;
      const count = comparison.modelIds.length;
      return `Compare ${count} model${count === 1 ? '' : 's'} on “${comparison.corpusName}”`;
    },
    start(payload, jobId) {
      const { comparisonId } = payload;
      let run: PreparedRun;
      try {
        comparisons.setJob(comparisonId, jobId);
        run = prepareRun(dependencies, comparisonId);
      } catch (error) {
        if (comparisons.end(comparisonId, 'failed', messageOf(error))) onComparisonChanged(comparisonId);
        throw error;
      }
      onComparisonChanged(comparisonId);

      let reference: ComparisonResults['reference'] | null = null;
      const rows: ModelComparison[] = [];
      const clipIds = new Map<number, number[]>([...run.compared.keys()].map((modelId) => [modelId, []]));
      const modelOf = (modelId: number): ComparedModel => {
        const model = run.compared.get(modelId);
        if (!model) throw new Error(`The compare worker sent data of model ${modelId}, which is not in the comparison.`);
        return model;
      };
      return {
        input: run.input,
        transfer: run.transfer,
        onData(raw) {
          const data = raw as CompareData;
          if (data.type === 'reference') {
            reference = ComparisonResultsSchema.shape.reference.parse({ ...run.referenceInfo, musPy: data.musPy, statistics: data.statistics });
            comparisons.saveProgress(comparisonId, { reference, models: rows });
            onComparisonChanged(comparisonId);
          } else if (data.type === 'sample') {
            const model = modelOf(data.modelId);
            const clipId = clips.insert({ name: comparisonClipName(model.name, comparisonId, data.index + 1), modelId: model.id, music: data.piece });
            clipIds.get(model.id)!.push(clipId);
            onClipAdded(clipId);
          } else if (data.type === 'model') {
            rows.push(modelComparison(modelOf(data.modelId), data, clipIds.get(data.modelId)!));
            if (reference) comparisons.saveProgress(comparisonId, { reference, models: rows });
            onComparisonChanged(comparisonId);
          }
        },
        // Runs when the job completed (with the worker's result) or was cancelled (with undefined).
        finish(workerResult): JobResult {
          if (workerResult === undefined) {
            if (comparisons.end(comparisonId, 'cancelled', null)) onComparisonChanged(comparisonId);
          } else {
            if (!reference || rows.length !== run.compared.size) {
              throw new Error(`The comparison ended with results for ${rows.length} of its ${run.compared.size} models.`);
            }
            const results = ComparisonResultsSchema.parse({ reference, models: rows });
            if (comparisons.finish(comparisonId, results)) onComparisonChanged(comparisonId);
          }
          return { kind: 'compare', comparisonId };
        },
      };
    },
  });
}

/** Reads everything the worker needs; throws (a composer-facing message) when something is missing. */
function prepareRun(dependencies: CompareJobDependencies, comparisonId: number): PreparedRun {
  const { comparisons, models, corpora } = dependencies;
  const comparison = comparisons.get(comparisonId);
  const request = comparisons.request(comparisonId);
  const split = request.referenceSplit;
  const source = { corpusName: comparison.corpusName, split };
  const reference = corpora.loadPieces(comparison.corpusId, split);
  if (reference.length === 0) throw new StudioError(emptySplitError(source).message);

  // Models of one representation and resolution read the same sequences: encode (and send) them once.
  const sequencesByKey = new Map<string, HmmSequences>();
  const neuralByKey = new Map<string, NeuralSequences>();
  const compared = new Map<number, ComparedModel>();
  const inputs: CompareModelInput[] = request.modelIds.map((modelId) => {
    const model = models.find(modelId);
    if (!model) throw new StudioError(`Model ${modelId} was deleted before the comparison started.`);
    const { settings } = model;
    if (isPolyphonicSettings(settings)) {
      // The checkpoint goes as text: the worker parses it (megabytes), and reads the reference pieces as frames itself.
      const checkpoint = models.stateJson(modelId);
      if (checkpoint === null) throw new StudioError(`“${model.name}” has no trained parameters: train it for at least one epoch first.`);
      compared.set(modelId, model);
      return { modelId, name: model.name, settings, state: checkpoint };
    }
    if (!models.hasState(modelId)) throw new StudioError(`“${model.name}” has no trained parameters: train it for at least one iteration first.`);
    compared.set(modelId, model);
    if (isVaeSettings(settings)) {
      return { modelId, name: model.name, settings, state: vaeModelOfCheckpoint(readVaeCheckpoint(models.state(modelId))) };
    }
    // An RL model's tuned policy is an LSTM state: it is scored and sampled as the LSTM it is.
    const neural: { settings: NeuralSettings; state: unknown } | null = isRlSettings(settings)
      ? (({ startSettings, policy }) => ({ settings: startSettings, state: policy }))(tunedPolicy(models, model))
      : isNeuralSettings(settings)
        ? { settings, state: models.state(modelId) }
        : null;
    if (neural) {
      // An LSTM reads note steps, a transformer event tokens at its resolution.
      const key = neural.settings.family === 'lstm' ? 'note-steps' : `event-tokens@${neural.settings.resolution}`;
      let sequences = neuralByKey.get(key);
      if (!sequences) {
        sequences = neuralSequencesFor(reference, neural.settings, source);
        neuralByKey.set(key, sequences);
      }
      return { modelId, name: model.name, settings: neural.settings, state: neural.state, sequences };
    }
    if (!isHmmSettings(settings)) throw new StudioError(`“${model.name}” (${model.family}) cannot be compared.`);
    const state = models.state(modelId);
    const key = settings.representation === 'note' ? 'note' : `${settings.representation}@${settings.resolution}`;
    let sequences = sequencesByKey.get(key);
    if (!sequences) {
      sequences = sequencesFor(reference, settings, source);
      sequencesByKey.set(key, sequences);
    }
    return { modelId, name: model.name, settings, state, sequences };
  });
  // The first pieces in path order, as the library lists them.
  const pieceIds = corpora
    .pieces(comparison.corpusId)
    .filter((piece) => piece.split === split)
    .slice(0, REFERENCE_PREVIEW_PIECES)
    .map((piece) => piece.id);
  return {
    input: {
      samplesPerModel: request.samplesPerModel,
      length: request.length,
      seed: request.seed,
      reference,
      models: inputs,
      tempoBpm: models.typicalTempo(comparison.corpusId),
    },
    transfer: [...new Set([...[...sequencesByKey.values()].flatMap(sequenceBuffers), ...[...neuralByKey.values()].flatMap(neuralSequenceBuffers)])],
    compared,
    referenceInfo: { split, pieces: reference.length, pieceIds },
  };
}

/** For the job manager's updates: a compare job that ended without finishing leaves its comparison failed or cancelled. */
export function settleEndedComparisonJob(comparisons: ComparisonStore, job: Job, onComparisonChanged: (comparisonId: number) => void): void {
  if (job.kind !== COMPARE_JOB || (job.status !== 'failed' && job.status !== 'cancelled')) return;
  const comparisonId = comparisons.settleJob(job.id, { failed: job.status === 'failed', error: job.error });
  if (comparisonId !== undefined) onComparisonChanged(comparisonId);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
