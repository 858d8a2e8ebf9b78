/**
 * Settings of a polyphonic model and its initial weights.
 *
 *   rnn-nade       (Boulanger-Lewandowski et al. 2012, with LSTM layers): stacked LSTMs read the
 *                  previous frames; a dense layer turns the top layer's state into the biases of a
 *                  NADE over the current frame's pitches (a proper joint over simultaneous notes).
 *   rnn-bernoulli  the BASELINE: the same LSTMs, then one independent sigmoid per pitch (the usual
 *                  "LSTM" of Bai et al. 2018's table): 88 coin flips, no joint.
 */
import { PolyphonicError } from './errors';
import { pitchCount, validateRange, type PitchRange } from './frames';
import { denseLayerWeights, glorotUniform, lstmLayerWeights, type WeightArray } from '../neural/init';
import { SeededRandom } from './random';

export type PolyphonicKind = 'rnn-nade' | 'rnn-bernoulli';

export interface PolyphonicConfig {
  readonly kind: PolyphonicKind;
  /** The pitches a frame covers (inclusive); a roll with a note outside is refused. */
  readonly range: PitchRange;
  /** Steps per quarter note of the frames it was trained on (quarters: 1; the studio's 16ths: 4). */
  readonly resolution: number;
  /** Units of each stacked LSTM layer, first to last. */
  readonly units: readonly number[];
  /** NADE hidden units (rnn-nade only; ignored by the baseline). */
  readonly nadeHidden: number;
  /** Dropout rate on each LSTM layer's output while training (0 = none). */
  readonly dropout: number;
  /** Dropout rate on the input frame while training (0 = none). */
  readonly inputDropout: number;
  /**
   * The previous frame also feeds the output layer directly (beside the top LSTM's state), so "this
   * pitch sounded a step ago" reaches the NADE's biases without going through the recurrence.
   */
  readonly skipInput: boolean;
  readonly learningRate: number;
  /** Seeds the initial weights. */
  readonly seed: number;
}

/** The settings that reached 5.01 nats on JSB (bench/jsb-frame-nll.bench.ts), at the studio's 16ths over the piano's keys. */
export const DEFAULT_POLYPHONIC_CONFIG: PolyphonicConfig = {
  kind: 'rnn-nade',
  range: { low: 21, high: 108 },
  resolution: 4,
  units: [256, 256],
  nadeHidden: 128,
  dropout: 0.3,
  inputDropout: 0.1,
  skipInput: true,
  learningRate: 0.002,
  seed: 1,
};

export function validatePolyphonicConfig(config: PolyphonicConfig): void {
  const fail = (message: string): never => {
    throw new PolyphonicError(`Polyphonic model settings: ${message}`);
  };
  if (config.kind !== 'rnn-nade' && config.kind !== 'rnn-bernoulli') fail(`kind must be 'rnn-nade' or 'rnn-bernoulli', got ${String(config.kind)}.`);
  validateRange(config.range, 'Polyphonic model settings: the pitch range');
  if (!Number.isInteger(config.resolution) || config.resolution < 1) fail(`resolution must be a whole number of steps per quarter ≥ 1, got ${config.resolution}.`);
  if (config.units.length === 0) fail('units must list at least one LSTM layer.');
  config.units.forEach((units, layer) => {
    if (!Number.isInteger(units) || units < 1) fail(`units[${layer}] must be a whole number ≥ 1, got ${units}.`);
  });
  if (config.kind === 'rnn-nade' && (!Number.isInteger(config.nadeHidden) || config.nadeHidden < 1)) fail(`nadeHidden must be a whole number ≥ 1, got ${config.nadeHidden}.`);
  for (const name of ['dropout', 'inputDropout'] as const) {
    if (!(config[name] >= 0 && config[name] < 1)) fail(`${name} must be in [0, 1), got ${config[name]}.`);
  }
  if (typeof config.skipInput !== 'boolean') fail(`skipInput must be true or false, got ${String(config.skipInput)}.`);
  if (!Number.isFinite(config.learningRate) || config.learningRate <= 0) fail(`learningRate must be a positive number, got ${config.learningRate}.`);
  if (!Number.isInteger(config.seed)) fail(`seed must be an integer, got ${config.seed}.`);
}

/** Width of the dense layer's output: bv (D) and bh (H) for the NADE, D logits for the baseline. */
export function outputWidth(config: PolyphonicConfig): number {
  const D = pitchCount(config.range);
  return config.kind === 'rnn-nade' ? D + config.nadeHidden : D;
}

/** A named weight array (row-major): the neural family's. */
export type { WeightArray };

/**
 * The initial weights, in the model's variable order: per LSTM layer kernel (I×4H, glorot), recurrent
 * kernel (H×4H, orthogonal), bias (4H, forget gate 1: Keras's unit_forget_bias); the output layer
 * (U×width, glorot; bias 0) and with skipInput its kernel from the previous frame (D×width, glorot);
 * for the NADE W and V (D×H, glorot). Seeded.
 */
export function initialPolyphonicWeights(config: PolyphonicConfig): WeightArray[] {
  validatePolyphonicConfig(config);
  // The shared initialisers draw from a function; this one is the seeded generator's stream.
  const seeded = new SeededRandom(config.seed);
  const random = (): number => seeded.next();
  const D = pitchCount(config.range);
  const weights: WeightArray[] = [];
  let inputs = D;
  config.units.forEach((H, layer) => {
    weights.push(...lstmLayerWeights(random, `lstm_${layer}`, inputs, H));
    inputs = H;
  });
  const width = outputWidth(config);
  weights.push(...denseLayerWeights(random, 'output', inputs, width));
  if (config.skipInput) weights.push({ name: 'output/skip', shape: [D, width], values: glorotUniform(random, D, width) });
  if (config.kind === 'rnn-nade') {
    const H = config.nadeHidden;
    weights.push(
      { name: 'nade/W', shape: [D, H], values: glorotUniform(random, D, H) },
      { name: 'nade/V', shape: [D, H], values: glorotUniform(random, D, H) },
    );
  }
  return weights;
}
