/**
 * Training batches of whole pieces, time-major, for the recurrent models: the input at step t is the
 * frame before it (silence at t = 0), the target is frame t, so every frame of a piece is predicted,
 * the first from the initial state alone. Shorter pieces are padded at the end with rows of weight
 * 0, which the losses skip (the recurrence is causal, so padding after a piece never reaches it).
 */
import { PolyphonicError } from './errors';
import { transposeFrames, type Frames } from './frames';

export interface FrameBatch {
  /** Time steps (the longest piece's length). */
  readonly steps: number;
  /** Pieces. */
  readonly size: number;
  readonly pitches: number;
  /** steps × size × pitches: the previous frame. */
  readonly inputs: Float32Array;
  /** (steps · size) × pitches, row n = t·size + b: the frame to predict. */
  readonly targets: Uint8Array;
  /** steps · size: 1 for a real frame, 0 for padding. */
  readonly rowWeights: Float32Array;
  /** The number of real frames (Σ rowWeights). */
  readonly frames: number;
}

/** A batch of `pieces` (each transposed by shifts[k] semitones when given). */
export function makeFrameBatch(pieces: readonly Frames[], shifts?: readonly number[]): FrameBatch {
  if (pieces.length === 0) throw new PolyphonicError('A batch needs at least one piece.');
  const D = pieces[0]!.pitches;
  const B = pieces.length;
  let T = 0;
  for (const piece of pieces) {
    if (piece.pitches !== D) throw new PolyphonicError(`The pieces of a batch must have the same pitch range (${piece.pitches} vs ${D} pitches).`);
    T = Math.max(T, piece.steps);
  }
  if (T === 0) throw new PolyphonicError('A batch needs at least one piece with at least one step.');
  const inputs = new Float32Array(T * B * D);
  const targets = new Uint8Array(T * B * D);
  const rowWeights = new Float32Array(T * B);
  let frames = 0;
  pieces.forEach((original, b) => {
    const piece = shifts ? transposeFrames(original, shifts[b] ?? 0) : original;
    for (let t = 0; t < piece.steps; t++) {
      const row = t * B + b;
      const frame = piece.data.subarray(t * D, (t + 1) * D);
      targets.set(frame, row * D);
      rowWeights[row] = 1;
      frames++;
      if (t + 1 < T) {
        const next = ((t + 1) * B + b) * D;
        for (let i = 0; i < D; i++) inputs[next + i] = frame[i]!;
      }
    }
  });
  return { steps: T, size: B, pitches: D, inputs, targets, rowWeights, frames };
}

/**
 * Groups piece indices into batches of about `batchSize` pieces with similar lengths (less padding):
 * the order given is cut into chunks of 8·batchSize, each sorted by length and cut into batches.
 */
export function batchIndices(order: readonly number[], lengths: readonly number[], batchSize: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new PolyphonicError(`batchSize must be a whole number ≥ 1, got ${batchSize}.`);
  const batches: number[][] = [];
  const chunk = 8 * batchSize;
  for (let start = 0; start < order.length; start += chunk) {
    const sorted = order.slice(start, start + chunk).sort((x, y) => lengths[x]! - lengths[y]! || x - y);
    for (let k = 0; k < sorted.length; k += batchSize) batches.push(sorted.slice(k, k + batchSize));
  }
  return batches;
}
