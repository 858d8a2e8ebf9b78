/**
 * The RL tuner's jobs as main and a worker both see them (to be wired into the studio's job kinds
 * like the other families: the input names its family, 'rl'). Training runs in a worker on the
 * neural engine (electron/workers/rl/train-rl.ts); generation is the LSTM's own path on the tuned
 * weights (electron/workers/rl/generate-rl.ts hands it to generateNeural).
 */
import type { LstmSettings } from '../../ipc/schemas';
import type { NeuralEnginePath, NeuralGenerateInput, NeuralPrimerInput } from '../neural-studio/jobs';
import type { NeuralSequences } from '../neural-studio/sequences';
import type { NoteStepSet } from '../neural/note-step-data';
import { RlError } from './errors';
import { readSavedRlModel, type RlIterationRecord, type SavedRlModel } from './saved-model';
import type { RlSettings } from './settings';
import type { RlCheckpoint, RlStopReason } from './train';

export const RL_FAMILY = 'rl';

/** What main prepares for a training run. */
export interface RlTrainInput {
  readonly family: typeof RL_FAMILY;
  /** The start LSTM's stored state (its models-table JSON, as the neural family saves it). */
  readonly startModel: unknown;
  /** The start LSTM's settings (carried into the tuned model, which generation needs). */
  readonly startSettings: LstmSettings;
  /** The corpus's train split as note steps: neuralSequencesFor(pieces, startSettings).data (transfer its buffers). */
  readonly corpus: NoteStepSet;
  readonly settings: RlSettings;
  /** The checkpoint to continue from (a resume; the settings are then the checkpoint's), or null. */
  readonly resume: RlCheckpoint | null;
  /** The corpus's validation split as the start LSTM reads it: the tuned policy's held-out pitch log-likelihood is scored on it at the end (absent or null: none). */
  readonly valid?: NeuralSequences | null;
}

export function isRlInput(input: unknown): input is { readonly family: typeof RL_FAMILY } {
  return typeof input === 'object' && input !== null && (input as { family?: unknown }).family === RL_FAMILY;
}

/** Emitted after an iteration (at most every CHECKPOINT_INTERVAL_MS, always after the first and the last) and when stopped: main stores `checkpoint`. */
export interface RlCheckpointData {
  readonly type: 'checkpoint';
  /** Iterations completed. */
  readonly iteration: number;
  /** The iterations completed since the previous checkpoint, in order: the training view's curves. */
  readonly points: readonly RlIterationRecord[];
  readonly checkpoint: RlCheckpoint;
  /** The tuned model as of `checkpoint` (what generation and the comparison read). */
  readonly model: SavedRlModel;
  readonly engine: NeuralEnginePath;
  readonly engineReason: string;
}

export interface RlTrainWorkerResult {
  readonly stopReason: RlStopReason;
  readonly iterations: number;
  /** The tuned model to store (also when stopped: the policy as it is; resume from the checkpoint to go on). */
  readonly model: SavedRlModel;
  /** The last iteration's record (null when none ran). */
  readonly last: RlIterationRecord | null;
  /** The tuned policy's held-out pitch log-likelihood per note on `valid` (nats, as an LSTM's); null without one. */
  readonly validLogLikelihoodPerToken: number | null;
  readonly seconds: number;
  readonly engine: NeuralEnginePath;
}

/** What main prepares to generate with a tuned model: the LSTM's generate input, with the RL model as the state. */
export interface RlGenerateInput {
  readonly family: typeof RL_FAMILY;
  /** The stored RL model (RlTrainWorkerResult.model). */
  readonly state: unknown;
  readonly tempoBpm: number;
  readonly ppq: number;
  readonly primer: NeuralPrimerInput;
}

/**
 * The LSTM generate input for a tuned model: its policy is a studio LSTM state, sampled exactly as
 * an LSTM is (models.generate's payload: count, seed, length, temperature, top-k, top-p).
 */
export function lstmGenerateInputFor(input: RlGenerateInput): NeuralGenerateInput {
  const saved = readSavedRlModel(input.state);
  if (!saved.startSettings || saved.startSettings.family !== 'lstm') throw new RlError("The RL model does not carry its start LSTM's settings.");
  return { family: 'lstm', settings: saved.startSettings, state: saved.policy, tempoBpm: input.tempoBpm, ppq: input.ppq, primer: input.primer };
}
