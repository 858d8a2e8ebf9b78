/**
 * Main's side of the train-model job. start() reads the corpus's train and valid splits from the
 * database and turns them into sequences, which go to the worker as the run's input (transferred,
 * not stored with the job); every checkpoint the worker sends is stored at once and announced as
 * 'model.updated' (the live curve). The model never stays 'training' once its job has ended: finish()
 * settles a completed or cooperatively cancelled run, and `settleEndedTrainingJob` (called from the
 * job manager's updates) the rest: failures, cancels while queued, cancels by force.
 */
import { isHmmSettings, isNeuralSettings, isPolyphonicSettings, isRlSettings, isVaeSettings, type Job, type JobResult, type ModelSummary } from '../../../../core/ipc/schemas';
import {
  TRAIN_MODEL_JOB,
  TrainModelPayloadSchema,
  sequenceBuffers,
  sequencesFor,
  type TrainCheckpointData,
  type TrainModelInput,
  type TrainModelPayload,
  type TrainWorkerResult,
} from '../../../../core/models/hmm-studio';
import type { NeuralCheckpointData, NeuralTrainWorkerResult } from '../../../../core/models/neural-studio/jobs';
import type { CorpusStore } from '../corpora/corpus-store';
import { defineJob } from '../jobs/job-definition';
import type { ModelStore } from './model-store';
import { neuralTrainInput } from './neural-input';
import { polyphonicTrainingRun } from './polyphonic-input';
import { rlTrainingRun } from './rl-input';
import type { CheckpointedTrainingRun } from './training-run';
import { vaeTrainingRun } from './vae-input';

export interface TrainJobDependencies {
  readonly models: ModelStore;
  readonly corpora: CorpusStore;
  /** Called whenever a model changes (its summary), or with null when it is gone. */
  readonly onModelChanged: (modelId: number, model: ModelSummary | null) => void;
  /**
   * Checkpoints are stored every iteration, but announced at most once per this many ms (default
   * 100): each announcement carries the whole curve, and small models run hundreds of iterations a
   * second. The first checkpoint, and the last before a pause, are always announced.
   */
  readonly announceIntervalMs?: number;
}

const DEFAULT_ANNOUNCE_INTERVAL_MS = 100;

export function trainModelJob(dependencies: TrainJobDependencies) {
  const { models, corpora, onModelChanged } = dependencies;
  const announce = (modelId: number): void => onModelChanged(modelId, models.find(modelId) ?? null);
  return defineJob<TrainModelPayload>({
    kind: TRAIN_MODEL_JOB,
    payloadSchema: TrainModelPayloadSchema,
    title: (payload) => {
      const model = models.find(payload.modelId);
      return model ? `Train “${model.name}”` : `Train model ${payload.modelId}`;
    },
    start(payload, jobId) {
      const { modelId } = payload;
      const model = models.get(modelId);
      let input: unknown;
      let transfer: ArrayBuffer[];
      // Polyphonic models, VAEs and RL models send whole checkpoints: their run says how to store and end them.
      let run: CheckpointedTrainingRun | null = null;
      try {
        models.startTraining(modelId, jobId);
        const source = { corpusName: model.corpusName };
        const settings = model.settings;
        const resume = models.state(modelId);
        if (isHmmSettings(settings)) {
          const train = sequencesFor(corpora.loadPieces(model.corpusId, 'train'), settings, { ...source, split: 'train' });
          const validPieces = corpora.loadPieces(model.corpusId, 'valid');
          // A validation split without usable notes gives no held-out score rather than a failure.
          const valid = validPieces.length > 0 ? safeSequences(() => sequencesFor(validPieces, settings, { ...source, split: 'valid' })) : null;
          input = { settings, train, valid, resume } satisfies TrainModelInput;
          transfer = [...sequenceBuffers(train), ...(valid ? sequenceBuffers(valid) : [])];
        } else if (isNeuralSettings(settings)) {
          ({ input, transfer } = neuralTrainInput({ corpora, model, settings, resume }));
        } else {
          if (isPolyphonicSettings(settings)) run = polyphonicTrainingRun({ corpora, model, settings, resume });
          else if (isVaeSettings(settings)) run = vaeTrainingRun({ corpora, model, settings, resume });
          else if (isRlSettings(settings)) run = rlTrainingRun({ corpora, models, model, settings, resume });
          else throw new Error(`No training for models of family ${(settings as { family?: string }).family}.`);
          ({ input, transfer } = run);
        }
      } catch (error) {
        models.fail(modelId, messageOf(error));
        announce(modelId);
        throw error;
      }
      announce(modelId);
      const interval = dependencies.announceIntervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS;
      let lastAnnounced = Number.NEGATIVE_INFINITY;
      let pending: NodeJS.Timeout | undefined;
      const announceNow = (): void => {
        if (pending) clearTimeout(pending);
        pending = undefined;
        lastAnnounced = Date.now();
        announce(modelId);
      };
      const announceSoon = (): void => {
        const wait = lastAnnounced + interval - Date.now();
        if (wait <= 0) announceNow();
        else pending ??= setTimeout(announceNow, wait);
      };
      /** The end of a run that sends whole checkpoints: stored as the family's run says. */
      const finishCheckpointed = (checkpointed: CheckpointedTrainingRun, workerResult: unknown): JobResult => {
        const outcome = checkpointed.outcome(workerResult);
        if (outcome.stopReason === 'stopped') models.finishTraining(modelId, { status: 'stopped' });
        else models.finishTraining(modelId, { status: 'trained', validLogLikelihoodPerToken: outcome.validLogLikelihoodPerToken });
        announceNow();
        const stored = models.find(modelId);
        return {
          kind: 'train-model',
          modelId,
          iterations: workerResult === undefined ? (stored?.iterations ?? 0) : outcome.iterations,
          stopReason: outcome.stopReason,
          logLikelihoodPerToken: stored?.history.at(-1)?.logLikelihoodPerToken ?? null,
        };
      };
      return {
        input,
        transfer,
        onData(data) {
          if (run) {
            const stored = run.checkpointOf(data);
            if (stored && models.saveCheckpoint(modelId, stored)) announceSoon();
            return;
          }
          const checkpoint = data as TrainCheckpointData | NeuralCheckpointData;
          if (checkpoint.type !== 'checkpoint') return;
          if (models.saveCheckpoint(modelId, checkpoint)) announceSoon();
        },
        // Runs when the job completed (with the worker's result) or was cancelled (with undefined).
        finish(workerResult): JobResult {
          if (run) return finishCheckpointed(run, workerResult);
          const result = workerResult as TrainWorkerResult | NeuralTrainWorkerResult | undefined;
          const stored = models.find(modelId);
          if (!result || result.stopReason === 'stopped') {
            models.finishTraining(modelId, { status: 'stopped' });
          } else {
            models.finishTraining(modelId, { status: 'trained', validLogLikelihoodPerToken: result.validLogLikelihoodPerToken });
          }
          announceNow();
          const last = stored?.history[stored.history.length - 1];
          return {
            kind: 'train-model',
            modelId,
            iterations: result?.iterations ?? stored?.iterations ?? 0,
            stopReason: result?.stopReason ?? 'stopped',
            logLikelihoodPerToken: result?.trainLogLikelihoodPerToken ?? last?.logLikelihoodPerToken ?? null,
          };
        },
        dispose() {
          // A job that ended any other way is settled (and announced) by settleEndedTrainingJob.
          if (pending) clearTimeout(pending);
        },
      };
    },
  });
}

/** For the job manager's updates: a training job that ended without finishing leaves its model stopped or failed. */
export function settleEndedTrainingJob(models: ModelStore, job: Job, onModelChanged: TrainJobDependencies['onModelChanged']): void {
  if (job.kind !== TRAIN_MODEL_JOB || (job.status !== 'failed' && job.status !== 'cancelled')) return;
  const modelId = models.settleJob(job.id, { failed: job.status === 'failed', error: job.error });
  if (modelId !== undefined) onModelChanged(modelId, models.find(modelId) ?? null);
}

function safeSequences<T>(make: () => T): T | null {
  try {
    return make();
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
