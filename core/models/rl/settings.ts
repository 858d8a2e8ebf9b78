/**
 * The RL tuner's settings (after Magenta's RL Tuner, with a learned discriminator as the "realism"
 * reward as in SeqGAN): what an episode is, the reward's weights, the policy-gradient step and the
 * discriminator. Plain data (JSON-able), checked by validateRlSettings with messages a composer can
 * act on; a checkpoint carries the settings it was made with.
 */
import { RlError } from './errors';

/** Piano-roll windows the discriminator reads: one row per note (pitch one-hot), or per 16th note (multi-hot). */
export type RollMode = 'notes' | 'sixteenths';

export interface DiscriminatorConfig {
  readonly mode: RollMode;
  /** Rows per window (notes, or 16ths). */
  readonly windowLength: number;
  /** 'sixteenths': the tempo that turns the notes' seconds into 16ths. */
  readonly tempoBpm: number;
  /** Convolution over time, pitch as channels: filters and kernel width (rows), 'same' padding. */
  readonly filters: number;
  readonly kernelSize: number;
  /** Max-pooling over time after the ReLU (1: none). */
  readonly poolSize: number;
  /** Units of the dense layer before the logit. */
  readonly hidden: number;
  readonly learningRate: number;
  /** Seeds the initial weights. */
  readonly seed: number;
}

/**
 * Weights of the reward's terms (0 turns a term off). Per step t the policy gets
 *   inKey·[pitch in the key's scale] − repeats·[more than maxRepeats equal pitches in a row]
 *   + resolution·(#[leap resolved by a step back] + #[leading tone → tonic])
 *   − kl·(log π(aₜ) − log p₀(aₜ))
 * and per episode discriminator·mean log D(real | window) over its windows (music-theory.ts, rewards.ts).
 */
export interface RewardWeights {
  readonly discriminator: number;
  /** The discriminator's reward at the episode's last step ('end') or shared equally by its steps ('spread'). */
  readonly discriminatorAt: 'end' | 'spread';
  readonly inKey: number;
  readonly repeats: number;
  /** Equal pitches in a row beyond this are penalised (each one). */
  readonly maxRepeats: number;
  readonly resolution: number;
  /** A leap is an interval of at least this many semitones. */
  readonly leap: number;
  readonly kl: number;
}

/**
 * The key of the in-key and leading-tone terms: estimated from the whole corpus, from each
 * episode's primer (Krumhansl–Schmuckler), or given as a tonic and its scale's pitch classes.
 */
export type KeySetting = { readonly kind: 'corpus' } | { readonly kind: 'primer' } | { readonly kind: 'fixed'; readonly tonic: number; readonly pitchClasses: readonly number[] };

export interface RlSettings {
  /** Notes the policy appends per episode. */
  readonly episodeLength: number;
  /** Notes of a corpus piece fed first (0: the episode starts from the model's zero state). */
  readonly primerLength: number;
  /** Episodes per iteration. */
  readonly batchSize: number;
  readonly iterations: number;
  /** The policy is softmax(pitch logits / temperature), for sampling and for log π alike. */
  readonly temperature: number;
  /** The policy's Adam. */
  readonly learningRate: number;
  /** Gradients are scaled to at most this global norm (0: no clipping). */
  readonly clipNorm: number;
  /** REINFORCE's baseline per step position: the batch's mean return, or a moving average of it across iterations. */
  readonly baseline: 'batch-mean' | 'moving-average';
  /** 'moving-average': b ← decay·b + (1 − decay)·batch mean. */
  readonly baselineDecay: number;
  /** Returns Gₜ = Σ_{s≥t} γ^{s−t} r_s. */
  readonly discount: number;
  readonly rewards: RewardWeights;
  readonly key: KeySetting;
  readonly discriminator: DiscriminatorConfig;
  /** Discriminator steps per policy step (k), each on a batch of corpus windows and policy windows. */
  readonly discriminatorSteps: number;
  /** Before the first policy step: discriminator steps against the start model's samples. */
  readonly discriminatorWarmup: number;
  /** Windows of each kind (real, fake) per discriminator step. */
  readonly discriminatorBatch: number;
  /** Seeds everything drawn (primers, samples, windows): a stream per iteration, so a resume is exact. */
  readonly seed: number;
  /** Stop (as 'time-limit') after the iteration during which this much time has passed (0: no limit). */
  readonly maxSeconds: number;
}

export const DEFAULT_DISCRIMINATOR: DiscriminatorConfig = {
  mode: 'notes',
  windowLength: 16,
  tempoBpm: 120,
  filters: 32,
  kernelSize: 3,
  poolSize: 2,
  hidden: 32,
  learningRate: 0.001,
  seed: 1,
};

export const DEFAULT_REWARDS: RewardWeights = {
  discriminator: 1,
  discriminatorAt: 'end',
  inKey: 0.1,
  repeats: 0.5,
  maxRepeats: 3,
  resolution: 0.1,
  leap: 5,
  kl: 0.2,
};

export const DEFAULT_RL_SETTINGS: RlSettings = {
  episodeLength: 32,
  primerLength: 8,
  batchSize: 16,
  iterations: 200,
  temperature: 1,
  learningRate: 0.0005,
  clipNorm: 1,
  baseline: 'batch-mean',
  baselineDecay: 0.9,
  discount: 1,
  rewards: DEFAULT_REWARDS,
  key: { kind: 'corpus' },
  discriminator: DEFAULT_DISCRIMINATOR,
  discriminatorSteps: 1,
  discriminatorWarmup: 50,
  discriminatorBatch: 32,
  seed: 1,
  maxSeconds: 0,
};

type Fail = (message: string) => never;

function checkWhole(fail: Fail, name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name} must be a whole number in ${min}..${max === Number.MAX_SAFE_INTEGER ? '∞' : max}, got ${value}.`);
}

function checkNumber(fail: Fail, name: string, value: number, min: number, max = Infinity, minOpen = false): void {
  const low = minOpen ? value > min : value >= min;
  if (typeof value !== 'number' || !Number.isFinite(value) || !low || value > max) {
    fail(`${name} must be a number ${minOpen ? '>' : '≥'} ${min}${max === Infinity ? '' : ` and ≤ ${max}`}, got ${value}.`);
  }
}

export function validateDiscriminatorConfig(config: DiscriminatorConfig, fail: Fail = (message) => { throw new RlError(`Discriminator: ${message}`); }): void {
  if (config.mode !== 'notes' && config.mode !== 'sixteenths') fail(`mode must be 'notes' or 'sixteenths', got ${String(config.mode)}.`);
  checkWhole(fail, 'windowLength', config.windowLength, 2, 4096);
  checkNumber(fail, 'tempoBpm', config.tempoBpm, 0, 1000, true);
  checkWhole(fail, 'filters', config.filters, 1, 1024);
  checkWhole(fail, 'kernelSize', config.kernelSize, 1, config.windowLength);
  checkWhole(fail, 'poolSize', config.poolSize, 1, config.windowLength);
  checkWhole(fail, 'hidden', config.hidden, 1, 4096);
  checkNumber(fail, 'learningRate', config.learningRate, 0, 1, true);
  checkWhole(fail, 'seed', config.seed, 0, 0xffffffff);
}

export function validateRlSettings(settings: RlSettings): void {
  const fail: Fail = (message) => {
    throw new RlError(`RL settings: ${message}`);
  };
  if (typeof settings !== 'object' || settings === null) fail('missing.');
  if (!(Number.isInteger(settings.episodeLength) && settings.episodeLength >= 1)) fail(`an episode must append at least one note (episodeLength ≥ 1), got ${settings.episodeLength}.`);
  checkWhole(fail, 'episodeLength', settings.episodeLength, 1, 4096);
  checkWhole(fail, 'primerLength', settings.primerLength, 0, 4096);
  checkWhole(fail, 'batchSize', settings.batchSize, 1, 4096);
  if (settings.baseline === 'batch-mean' && settings.batchSize < 2) fail('a batch-mean baseline needs at least 2 episodes per batch (it would make every advantage 0).');
  checkWhole(fail, 'iterations', settings.iterations, 1);
  checkNumber(fail, 'temperature', settings.temperature, 0, 100, true);
  checkNumber(fail, 'learningRate', settings.learningRate, 0, 1, true);
  checkNumber(fail, 'clipNorm', settings.clipNorm, 0);
  if (settings.baseline !== 'batch-mean' && settings.baseline !== 'moving-average') fail(`baseline must be 'batch-mean' or 'moving-average', got ${String(settings.baseline)}.`);
  checkNumber(fail, 'baselineDecay', settings.baselineDecay, 0, 0.9999);
  checkNumber(fail, 'discount', settings.discount, 0, 1);
  const rewards = settings.rewards;
  if (typeof rewards !== 'object' || rewards === null) fail('rewards missing.');
  for (const name of ['discriminator', 'inKey', 'repeats', 'resolution', 'kl'] as const) checkNumber(fail, `the ${name} reward weight`, rewards[name], 0, 1000);
  if (rewards.discriminatorAt !== 'end' && rewards.discriminatorAt !== 'spread') fail(`discriminatorAt must be 'end' or 'spread', got ${String(rewards.discriminatorAt)}.`);
  checkWhole(fail, 'maxRepeats', rewards.maxRepeats, 1, 128);
  checkWhole(fail, 'leap', rewards.leap, 2, 127);
  const key = settings.key;
  if (key?.kind === 'fixed') {
    checkWhole(fail, 'the key tonic', key.tonic, 0, 11);
    if (!Array.isArray(key.pitchClasses) || key.pitchClasses.length === 0) fail('a fixed key needs at least one pitch class in its scale.');
    for (const pc of key.pitchClasses) checkWhole(fail, 'a scale pitch class', pc, 0, 11);
  } else if (key?.kind !== 'corpus' && key?.kind !== 'primer') {
    fail(`key must be { kind: 'corpus' }, { kind: 'primer' } or { kind: 'fixed', tonic, pitchClasses }, got ${JSON.stringify(key)}.`);
  }
  if (key.kind === 'primer' && settings.primerLength === 0 && (rewards.inKey > 0 || rewards.resolution > 0)) fail("the key cannot come from the primer when there is none (primerLength 0): use the corpus's key.");
  validateDiscriminatorConfig(settings.discriminator, fail);
  checkWhole(fail, 'discriminatorSteps', settings.discriminatorSteps, 0, 1000);
  checkWhole(fail, 'discriminatorWarmup', settings.discriminatorWarmup, 0, 100_000);
  checkWhole(fail, 'discriminatorBatch', settings.discriminatorBatch, 1, 4096);
  if (rewards.discriminator > 0 && settings.discriminatorSteps === 0 && settings.discriminatorWarmup === 0) {
    fail('the discriminator reward is on but the discriminator never trains (discriminatorSteps and discriminatorWarmup are 0).');
  }
  checkWhole(fail, 'seed', settings.seed, 0, 0xffffffff);
  checkNumber(fail, 'maxSeconds', settings.maxSeconds, 0);
}
