/**
 * The RL family as the studio stores and runs it: the composer's RlSettings (core/ipc/schemas.ts)
 * mapped to the tuner's (settings.ts; every field the studio does not show takes its default), the
 * training curve in the studio's TrainingPoint form, and the stored state.
 *
 * What the studio stores as an RL model's state is an RlStudioState: the latest RlCheckpoint (it
 * resumes a stopped run exactly) and the tuned model made from it (SavedRlModel: the policy as an
 * ordinary LSTM state with the start LSTM's settings), which generation and the comparison read as an
 * LSTM. The worker builds both at every checkpoint, so the state never depends on the start LSTM
 * still existing.
 *
 * The curve's logLikelihoodPerToken is minus the policy's mean entropy per appended note (the
 * expected log-probability of its own notes, nats/note); the reward, its terms, the discriminator's
 * accuracy, the KL to the start model and the rest are in `metrics`.
 */
import type { RlSettings as StudioRlSettings, TrainingPoint } from '../../ipc/schemas';
import { RlError } from './errors';
import type { SavedRlModel, RlIterationRecord } from './saved-model';
import { DEFAULT_DISCRIMINATOR, DEFAULT_REWARDS, DEFAULT_RL_SETTINGS, type RlSettings } from './settings';
import type { RlCheckpoint, RlStopReason } from './train';

export const RL_STUDIO_STATE_FORMAT = 'rl-studio-state';

export interface RlStudioState {
  readonly format: typeof RL_STUDIO_STATE_FORMAT;
  readonly version: 1;
  readonly checkpoint: RlCheckpoint;
  readonly model: SavedRlModel;
}

/** The tuner's settings for the composer's: the shown fields mapped, the others the tuner's defaults. */
export function rlSettingsOf(settings: StudioRlSettings): RlSettings {
  return {
    ...DEFAULT_RL_SETTINGS,
    episodeLength: settings.episodeLength,
    primerLength: settings.primerLength,
    batchSize: settings.batchSize,
    iterations: settings.maxIterations,
    temperature: settings.temperature,
    learningRate: settings.learningRate,
    baseline: settings.baseline,
    rewards: { ...DEFAULT_REWARDS, ...settings.rewards },
    discriminator: { ...DEFAULT_DISCRIMINATOR, windowLength: settings.discriminatorWindow, filters: settings.discriminatorFilters, seed: settings.seed },
    discriminatorSteps: settings.discriminatorSteps,
    discriminatorWarmup: settings.discriminatorWarmup,
    seed: settings.seed,
  };
}

/** e.g. "RL-tuned “LSTM 128”". */
export function defaultRlModelName(startModelName: string): string {
  return `RL-tuned “${startModelName}”`;
}

/** An iteration's record as a point of the studio's curve (see the notes at the top). */
export function rlTrainingPointOf(record: RlIterationRecord): TrainingPoint {
  const metrics: Record<string, number> = {
    reward: record.reward,
    rewardDiscriminator: record.terms.discriminator,
    rewardInKey: record.terms.inKey,
    rewardRepeats: record.terms.repeats,
    rewardResolution: record.terms.resolution,
    rewardKl: record.terms.kl,
    kl: record.kl,
    entropy: record.entropy,
    inKeyShare: record.inKeyShare,
    gradientNorm: record.gradientNorm,
  };
  if (record.logDReal !== null) metrics.logDReal = record.logDReal;
  if (record.discriminatorAccuracy) {
    metrics.discriminatorAccuracyReal = record.discriminatorAccuracy.real;
    metrics.discriminatorAccuracyFake = record.discriminatorAccuracy.fake;
  }
  if (record.discriminatorLoss !== null) metrics.discriminatorLoss = record.discriminatorLoss;
  return { iteration: record.iteration, logLikelihoodPerToken: -record.entropy, trainLoss: -record.reward, metrics };
}

/** The job result's reason in the studio's words (a time limit is an iteration limit to the composer). */
export function rlStudioStopReason(reason: RlStopReason): 'max-iterations' | 'stopped' {
  return reason === 'stopped' ? 'stopped' : 'max-iterations';
}

/** A stored state, checked to be an RL model's (parsed JSON). */
export function readRlStudioState(state: unknown): RlStudioState {
  const candidate = state as Partial<RlStudioState> | null;
  if (!candidate || candidate.format !== RL_STUDIO_STATE_FORMAT || candidate.version !== 1 || !candidate.checkpoint || !candidate.model) {
    throw new RlError('The stored model is not an RL-tuned model: train it again.');
  }
  return candidate as RlStudioState;
}
