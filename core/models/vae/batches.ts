/**
 * Segments as the arrays the model reads. Every segment of a model has the same length T = bars ×
 * stepsPerBar, so a batch is B segments side by side, no padding.
 *
 * Layouts (time-major, as the LSTM op): the encoder reads one-hot tokens [T, B, V] (and the same
 * reversed in time for its backward direction). The decoder runs S segments of L steps each (S =
 * bars, L = stepsPerBar when hierarchical; S = 1, L = T when flat), with the S bars of a segment in
 * the batch dimension (they are independent once the conductor has given each its embedding, since
 * the decoder's state is reset per bar): decoder row n = s·B + b, step l ⇔ time t = s·L + l; its
 * output row l·(S·B) + n is time t of segment b.
 */
import { segmentSteps, vocabularySize, type VaeConfig } from './config';
import { VaeError } from './errors';
import { validateSegmentTokens } from './tokens';

export interface VaeBatch {
  readonly size: number;
  readonly steps: number;
  /** [B, T] batch-major tokens. */
  readonly tokens: Int32Array;
}

export function makeBatch(segments: readonly (readonly number[])[], config: VaeConfig): VaeBatch {
  if (segments.length === 0) throw new VaeError('A batch needs at least one segment.');
  const T = segmentSteps(config);
  const tokens = new Int32Array(segments.length * T);
  segments.forEach((segment, b) => {
    validateSegmentTokens(segment, config, `Segment ${b + 1} of the batch`);
    tokens.set(segment, b * T);
  });
  return { size: segments.length, steps: T, tokens };
}

export interface DecoderShape {
  /** Decoder segments per sequence (bars, or 1 when flat). */
  readonly segments: number;
  /** Steps per decoder segment. */
  readonly length: number;
}

export function decoderShape(config: VaeConfig): DecoderShape {
  return config.hierarchical ? { segments: config.bars, length: config.stepsPerBar } : { segments: 1, length: segmentSteps(config) };
}

/** One-hot encoder inputs [T, B, V], forward and reversed in time. */
export function encoderInputs(batch: VaeBatch, config: VaeConfig): { forward: Float32Array; backward: Float32Array } {
  const { size: B, steps: T, tokens } = batch;
  const V = vocabularySize(config);
  const forward = new Float32Array(T * B * V);
  const backward = new Float32Array(T * B * V);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const token = tokens[b * T + t]!;
      forward[(t * B + b) * V + token] = 1;
      backward[((T - 1 - t) * B + b) * V + token] = 1;
    }
  }
  return { forward, backward };
}

/** Decoder output row of (time t, segment b). */
export function decoderRow(t: number, b: number, B: number, shape: DecoderShape): number {
  const s = Math.floor(t / shape.length);
  const l = t - s * shape.length;
  return l * (shape.segments * B) + s * B + b;
}

/**
 * The decoder's input tokens as one-hot rows [L, S·B, V]: the previous token of each step (`previous`
 * [B, T] batch-major, the token fed before time t; −1 feeds zeros, as at the very first step).
 */
export function decoderInputs(previous: Int32Array, B: number, config: VaeConfig): Float32Array {
  const V = vocabularySize(config);
  const T = segmentSteps(config);
  const shape = decoderShape(config);
  const out = new Float32Array(T * B * V);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const token = previous[b * T + t]!;
      if (token >= 0) out[decoderRow(t, b, B, shape) * V + token] = 1;
    }
  }
  return out;
}

/** Teacher forcing: the token before each step is the true one (−1 before the first). */
export function teacherForcedPrevious(batch: VaeBatch): Int32Array {
  const { size: B, steps: T, tokens } = batch;
  const previous = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    previous[b * T] = -1;
    for (let t = 1; t < T; t++) previous[b * T + t] = tokens[b * T + t - 1]!;
  }
  return previous;
}

/** Labels in decoder row order (int32 [T·B]). */
export function decoderLabels(batch: VaeBatch, config: VaeConfig): Int32Array {
  const { size: B, steps: T, tokens } = batch;
  const shape = decoderShape(config);
  const labels = new Int32Array(T * B);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) labels[decoderRow(t, b, B, shape)] = tokens[b * T + t]!;
  return labels;
}
