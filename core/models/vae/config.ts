/**
 * Settings of a MusicVAE-style recurrent VAE (Roberts et al. 2018, "A Hierarchical Latent Vector
 * Model for Learning Long-Term Structure in Music") and its initial weights.
 *
 *   encoder     a bidirectional LSTM over the segment's tokens (one-hot); the final states of both
 *               directions, concatenated, give μ and log σ² of z through two dense layers.
 *   conductor   (hierarchical) z → tanh dense → the initial state of an LSTM that runs one step per
 *               bar on a zero input and emits one embedding per bar.
 *   decoder     per bar: the bar's embedding → tanh dense → the initial state of the bar-level LSTM
 *               (reset every bar: it cannot carry the melody past the bar on its own, so it has to
 *               use the latent code, which is what keeps the posterior from collapsing); its input at
 *               each step is [previous token one-hot, bar embedding]; a dense layer gives the token
 *               logits. Flat (hierarchical: false, MusicVAE's 2-bar models): z plays the embedding's
 *               part for one "bar" spanning the whole segment.
 *
 * Tokens (MusicVAE's melody encoding) per grid step: 0 = rest (note off / silence), 1 = hold (the
 * sounding note continues), 2 + (p − low) = a note of pitch p starts, for p in [low, high].
 */
import { denseLayerWeights, lstmLayerWeights, type WeightArray } from '../neural/init';
import { mulberry32 } from '../hmm/random';
import { VaeError } from './errors';

export interface PitchRange {
  /** Lowest and highest MIDI pitch a segment may hold (inclusive). */
  readonly low: number;
  readonly high: number;
}

export interface VaeConfig {
  readonly range: PitchRange;
  /** Grid steps per quarter note (4: sixteenth notes). */
  readonly stepsPerQuarter: number;
  /** Steps per bar: 16 is 4/4 at sixteenths, 12 is 3/4. Only bars of this length are cut into segments. */
  readonly stepsPerBar: number;
  /** Bars per segment (2 and 16 are MusicVAE's). */
  readonly bars: number;
  /** Conductor + bar-level decoder (true), or one flat decoder over the whole segment (false). */
  readonly hierarchical: boolean;
  /** Units of each direction of the bidirectional encoder LSTM. */
  readonly encoderUnits: number;
  /** Size of z. */
  readonly latentSize: number;
  /** Units of the conductor LSTM (the size of a bar's embedding); hierarchical only. */
  readonly conductorUnits: number;
  readonly decoderUnits: number;
  readonly learningRate: number;
  /** Seeds the initial weights. */
  readonly seed: number;
}

/** MusicVAE's melody range (21..108, the piano), 2 bars of 4/4 at sixteenths, z of 256, sized for a CPU. */
export const DEFAULT_VAE_CONFIG: VaeConfig = {
  range: { low: 21, high: 108 },
  stepsPerQuarter: 4,
  stepsPerBar: 16,
  bars: 2,
  hierarchical: true,
  encoderUnits: 256,
  latentSize: 256,
  conductorUnits: 256,
  decoderUnits: 256,
  learningRate: 0.001,
  seed: 1,
};

export const REST_TOKEN = 0;
export const HOLD_TOKEN = 1;
/** Tokens before the first note-on token. */
export const SPECIAL_TOKENS = 2;

export function pitchCount(range: PitchRange): number {
  return range.high - range.low + 1;
}

/** Token classes: rest, hold and one note-on per pitch of the range. */
export function vocabularySize(config: Pick<VaeConfig, 'range'>): number {
  return SPECIAL_TOKENS + pitchCount(config.range);
}

/** Tokens per segment. */
export function segmentSteps(config: Pick<VaeConfig, 'bars' | 'stepsPerBar'>): number {
  return config.bars * config.stepsPerBar;
}

export function validateRange(range: PitchRange, what = 'The pitch range'): void {
  const { low, high } = range ?? ({} as PitchRange);
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high > 127 || low > high) {
    throw new VaeError(`${what} must be whole MIDI pitches with 0 ≤ low ≤ high ≤ 127, got ${String(low)}..${String(high)}.`);
  }
}

export function validateVaeConfig(config: VaeConfig): void {
  const fail = (message: string): never => {
    throw new VaeError(`VAE settings: ${message}`);
  };
  validateRange(config.range, 'VAE settings: the pitch range');
  const whole = (name: 'stepsPerQuarter' | 'stepsPerBar' | 'bars' | 'encoderUnits' | 'latentSize' | 'conductorUnits' | 'decoderUnits', min: number): void => {
    const value = config[name];
    if (!Number.isInteger(value) || value < min) fail(`${name} must be a whole number ≥ ${min}, got ${String(value)}.`);
  };
  whole('stepsPerQuarter', 1);
  whole('stepsPerBar', 1);
  if (!Number.isInteger(config.bars) || config.bars < 1) fail(`a segment needs at least one bar (bars must be a whole number ≥ 1, got ${String(config.bars)}).`);
  whole('encoderUnits', 1);
  whole('latentSize', 1);
  whole('decoderUnits', 1);
  if (typeof config.hierarchical !== 'boolean') fail('hierarchical must be true or false.');
  if (config.hierarchical) whole('conductorUnits', 1);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) fail(`learningRate must be a positive number, got ${String(config.learningRate)}.`);
  if (!Number.isInteger(config.seed)) fail(`seed must be an integer, got ${String(config.seed)}.`);
}

/** Width of the vector that conditions the bar-level decoder: a bar embedding, or z itself (flat). */
export function conditioningSize(config: VaeConfig): number {
  return config.hierarchical ? config.conductorUnits : config.latentSize;
}

/**
 * The initial weights in the model's variable order (seeded; Keras's initialisers: glorot-uniform
 * kernels, orthogonal recurrent kernels, forget-gate bias 1, other biases 0). The conductor reads a
 * zero input (MusicVAE's): its one-column kernel never learns but keeps the LSTM op's layout.
 */
export function initialVaeWeights(config: VaeConfig): WeightArray[] {
  validateVaeConfig(config);
  const random = mulberry32(config.seed);
  const V = vocabularySize(config);
  const { encoderUnits: He, latentSize: Z, decoderUnits: Hd } = config;
  const C = conditioningSize(config);
  const weights: WeightArray[] = [
    ...lstmLayerWeights(random, 'encoder_fw', V, He),
    ...lstmLayerWeights(random, 'encoder_bw', V, He),
    ...denseLayerWeights(random, 'mu', 2 * He, Z),
    ...denseLayerWeights(random, 'logvar', 2 * He, Z),
  ];
  if (config.hierarchical) {
    const Hc = config.conductorUnits;
    weights.push(...denseLayerWeights(random, 'conductor_init', Z, 2 * Hc), ...lstmLayerWeights(random, 'conductor', 1, Hc));
  }
  weights.push(...denseLayerWeights(random, 'decoder_init', C, 2 * Hd), ...lstmLayerWeights(random, 'decoder', V + C, Hd), ...denseLayerWeights(random, 'output', Hd, V));
  return weights;
}
