/**
 * What main prepares for an RL model's jobs from the database: the start LSTM (checked: it exists,
 * is an LSTM and is trained), the corpus's train split as the LSTM's note steps (real windows and
 * primers) and its validation split (the tuned policy's held-out score), each checkpoint in the
 * models table's terms (the checkpoint and the tuned model, core/models/rl/studio.ts), and for
 * generation the LSTM's own input on the tuned policy.
 */
import { StudioError } from '../../../../core/ipc/envelope';
import type { LstmSettings, ModelSummary, RlSettings } from '../../../../core/ipc/schemas';
import type { GeneratePayload } from '../../../../core/models/hmm-studio/jobs';
import { neuralSequenceBuffers, neuralSequencesFor, neuralTokenCount, type NeuralSequences } from '../../../../core/models/neural-studio/sequences';
import { RlError } from '../../../../core/models/rl/errors';
import { RL_FAMILY, type RlCheckpointData, type RlGenerateInput, type RlTrainInput, type RlTrainWorkerResult } from '../../../../core/models/rl/jobs';
import type { SavedRlModel } from '../../../../core/models/rl/saved-model';
import { validateRlSettings } from '../../../../core/models/rl/settings';
import { readRlStudioState, RL_STUDIO_STATE_FORMAT, rlSettingsOf, rlStudioStopReason, rlTrainingPointOf, type RlStudioState } from '../../../../core/models/rl/studio';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import type { ModelStore } from './model-store';
import { neuralGenerateInput } from './neural-input';
import { secondsCounter, type CheckpointedTrainingRun } from './training-run';

function rl<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw error instanceof RlError ? new StudioError(error.message, 'invalid-input') : error;
  }
}

/** The start model of an RL run: it must exist, be an LSTM and have trained parameters. */
export function requireStartLstm(models: ModelStore, startModelId: number): ModelSummary & { settings: LstmSettings } {
  const start = models.find(startModelId);
  if (!start) throw new StudioError(`There is no model ${startModelId} to start the RL tuning from: choose a trained LSTM.`, 'invalid-input');
  if (start.family !== 'lstm') {
    throw new StudioError(`“${start.name}” is ${start.family === 'hmm' ? 'an HMM' : `a ${start.family} model`}: RL tuning starts from a trained LSTM.`, 'invalid-input');
  }
  if (!models.hasState(startModelId)) throw new StudioError(`“${start.name}” has no trained parameters yet: train the LSTM for at least one epoch before tuning it.`, 'invalid-input');
  return start as ModelSummary & { settings: LstmSettings };
}

/** Refuses an RL request before its model is created: the start model, and the tuner's own checks of the settings. */
export function checkRlRequest(models: ModelStore, settings: RlSettings): ModelSummary {
  const start = requireStartLstm(models, settings.startModelId);
  rl(() => validateRlSettings(rlSettingsOf(settings)));
  return start;
}

export interface RlTrainRequest {
  readonly corpora: CorpusStore;
  readonly models: ModelStore;
  readonly model: ModelSummary;
  readonly settings: RlSettings;
  /** The stored state (models.resume), or null for a fresh run. */
  readonly resume: unknown;
}

export function rlTrainingRun({ corpora, models, model, settings, resume }: RlTrainRequest): CheckpointedTrainingRun {
  const start = requireStartLstm(models, settings.startModelId);
  const { input, train, valid } = rl(() => {
    const source = { corpusName: model.corpusName };
    const trainSequences = neuralSequencesFor(corpora.loadPieces(model.corpusId, 'train'), start.settings, { ...source, split: 'train' });
    let validSequences: NeuralSequences | null = null;
    const validPieces = corpora.loadPieces(model.corpusId, 'valid');
    if (validPieces.length > 0) {
      try {
        validSequences = neuralSequencesFor(validPieces, start.settings, { ...source, split: 'valid' });
      } catch {
        // A validation split without usable notes gives no held-out score rather than a failure.
      }
    }
    if (trainSequences.kind !== 'note-steps') throw new RlError('The start LSTM reads note steps.');
    const checkpoint = resume === null || resume === undefined ? null : readRlStudioState(resume).checkpoint;
    const rlInput: RlTrainInput = {
      family: RL_FAMILY,
      startModel: models.state(start.id),
      startSettings: start.settings,
      corpus: trainSequences.data,
      settings: rlSettingsOf(settings),
      resume: checkpoint,
      valid: validSequences,
    };
    return { input: rlInput, train: trainSequences, valid: validSequences };
  });
  const added = secondsCounter(input.resume?.seconds ?? 0);
  const trainTokens = neuralTokenCount(train);
  return {
    input,
    transfer: [...neuralSequenceBuffers(train), ...(valid ? neuralSequenceBuffers(valid) : [])],
    checkpointOf(raw) {
      const data = raw as Partial<RlCheckpointData> | null;
      if (data?.type !== 'checkpoint' || data.checkpoint?.format !== 'rl-checkpoint' || !data.model) return null;
      const state: RlStudioState = { format: RL_STUDIO_STATE_FORMAT, version: 1, checkpoint: data.checkpoint, model: data.model };
      return {
        iteration: data.checkpoint.iteration,
        points: data.points!.map(rlTrainingPointOf),
        seconds: added(data.checkpoint.seconds),
        state,
        engine: data.engine!,
        trainTokens,
        engineReason: data.engineReason,
      };
    },
    outcome(raw) {
      const result = raw as RlTrainWorkerResult | undefined;
      if (!result) return { validLogLikelihoodPerToken: null, iterations: 0, stopReason: 'stopped' };
      return { validLogLikelihoodPerToken: result.validLogLikelihoodPerToken, iterations: result.iterations, stopReason: rlStudioStopReason(result.stopReason) };
    },
  };
}

/** The stored RL model's tuned policy (an LSTM state with the start LSTM's settings). */
export function tunedPolicy(models: ModelStore, model: ModelSummary): SavedRlModel & { startSettings: LstmSettings } {
  const state = models.state(model.id);
  if (state === null) throw new StudioError(`“${model.name}” has no trained parameters yet: train it for at least one iteration first.`, 'invalid-input');
  const saved = rl(() => readRlStudioState(state).model);
  if (!saved.startSettings) throw new StudioError(`“${model.name}” does not carry its start LSTM’s settings: train it again.`, 'invalid-input');
  return saved as SavedRlModel & { startSettings: LstmSettings };
}

/** The generate input of an RL model: the LSTM's (primer, tempo) on the tuned policy. */
export function rlGenerateInput(clips: ClipStore, models: ModelStore, model: ModelSummary, payload: GeneratePayload): RlGenerateInput {
  const saved = tunedPolicy(models, model);
  const lstm = neuralGenerateInput({ clips, settings: saved.startSettings, state: saved.policy, payload, typicalTempo: models.typicalTempo(model.corpusId) });
  return { family: RL_FAMILY, state: saved, tempoBpm: lstm.tempoBpm, ppq: lstm.ppq, primer: lstm.primer };
}
