/**
 * An RL-tuned model as the studio stores it (the models table's JSON): the tuned policy as an
 * ordinary studio LSTM state (family 'lstm', the start model's configuration, openings, trainer
 * state and history, the tuned weights; no optimiser state: it is not for further likelihood
 * training), so everything that reads an LSTM (generation, the comparison's held-out scores and
 * samples: loadSavedNeural, generateNeural) reads it as it is; beside it the discriminator, the RL
 * settings and the per-iteration history.
 */
import type { LstmSettings } from '../../ipc/schemas';
import { encodeSnapshot, type SavedNeuralModel } from '../neural-studio/checkpoint';
import { decodeArrays, encodeArrays, type EncodedArrays, type NamedArray } from '../neural/weights-codec';
import { RlError } from './errors';
import type { RlStartModel } from './start-model';
import type { DiscriminatorConfig, RlSettings } from './settings';
import type { RewardTerms } from './rewards';

export const RL_MODEL_FORMAT = 'studio-rl-model';
export const RL_MODEL_VERSION = 1;

/** One training iteration, as the UI plots it. */
export interface RlIterationRecord {
  /** 1-based. */
  readonly iteration: number;
  /** Mean episode reward (Σₜ rₜ, undiscounted) and its terms (weighted). */
  readonly reward: number;
  readonly terms: RewardTerms;
  /** Mean log D(real) of the policy's windows (before this iteration's discriminator steps); null without a discriminator. */
  readonly logDReal: number | null;
  /** The discriminator's accuracy on fresh corpus windows and on this iteration's policy windows, before its steps; null without one. */
  readonly discriminatorAccuracy: { readonly real: number; readonly fake: number } | null;
  /** Mean discriminator loss (binary cross-entropy) over this iteration's steps; null when none. */
  readonly discriminatorLoss: number | null;
  /** Mean per step of the exact KL(π‖p₀) (nats) and of the policy's entropy (nats). */
  readonly kl: number;
  readonly entropy: number;
  /** Share of appended notes in the key. */
  readonly inKeyShare: number;
  /** Share of appended notes per pitch class, C first. */
  readonly pitchClassShare: readonly number[];
  /** The policy gradient's norm before clipping. */
  readonly gradientNorm: number;
  /** Training time when the iteration ended, since the run began (resumes included). */
  readonly seconds: number;
}

export interface SavedRlModel {
  readonly format: typeof RL_MODEL_FORMAT;
  readonly version: typeof RL_MODEL_VERSION;
  /** The tuned policy: a studio LSTM state (checkpoint.ts's format). */
  readonly policy: SavedNeuralModel;
  /** The start LSTM's studio settings: with `policy`, what the LSTM's generation and comparison read (null when not given). */
  readonly startSettings: LstmSettings | null;
  readonly discriminator: { readonly config: DiscriminatorConfig; readonly weights: EncodedArrays };
  readonly settings: RlSettings;
  readonly startFingerprint: string;
  readonly history: readonly RlIterationRecord[];
}

export function savedRlModel(start: RlStartModel, policyWeights: readonly NamedArray[], discriminator: readonly NamedArray[], settings: RlSettings, history: readonly RlIterationRecord[]): SavedRlModel {
  const policy = encodeSnapshot({
    family: 'lstm',
    config: start.config,
    openings: start.openings,
    weights: policyWeights,
    optimizer: [],
    trainer: start.trainer,
    history: start.history,
  });
  return {
    format: RL_MODEL_FORMAT,
    version: RL_MODEL_VERSION,
    policy,
    startSettings: start.settings,
    discriminator: { config: settings.discriminator, weights: encodeArrays(discriminator) },
    settings,
    startFingerprint: start.fingerprint,
    history: [...history],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A stored RL model read back; throws an RlError that says what is wrong with it. */
export function readSavedRlModel(state: unknown): SavedRlModel {
  if (!isRecord(state) || state.format !== RL_MODEL_FORMAT) throw new RlError(`Not an RL-tuned model's state (format ${isRecord(state) ? String(state.format) : typeof state}).`);
  if (state.version !== RL_MODEL_VERSION) throw new RlError(`The RL model has version ${String(state.version)}; this studio reads version ${RL_MODEL_VERSION}.`);
  if (!isRecord(state.policy) || !isRecord(state.discriminator) || !isRecord(state.settings) || !Array.isArray(state.history)) {
    throw new RlError('The RL model is incomplete (policy, discriminator, settings or history missing).');
  }
  return state as unknown as SavedRlModel;
}

/** The stored discriminator's weights. */
export function savedDiscriminatorWeights(saved: SavedRlModel): NamedArray[] {
  return decodeArrays(saved.discriminator.weights);
}
