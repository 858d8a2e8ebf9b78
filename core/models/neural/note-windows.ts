/**
 * Training windows for the next-note models, after TensorFlow's music_generation tutorial: the
 * input is `windowLength` consecutive notes, each (pitch/128, step, duration) (the "step" view of
 * core/music/representations/note.ts, encodeNoteSteps), and the label is the note that follows.
 * Windows never cross from one piece into the next. Batches are time-major ([T, B, 3]), the layout
 * the LSTM ops take.
 */
import type { NoteStepRow } from '../../music/representations/note';

export const NOTE_FEATURES = 3;
export const PITCH_CLASSES = 128;

export class NoteWindowError extends Error {
  override readonly name = 'NoteWindowError';
}

/** Pieces' notes back to back, as columns. */
export interface NoteSequenceSet {
  readonly pitch: Int32Array;
  readonly step: Float32Array;
  readonly duration: Float32Array;
  /** Piece p is notes offsets[p]..offsets[p+1]. */
  readonly offsets: Int32Array;
}

export type NoteStep = Pick<NoteStepRow, 'pitch' | 'step' | 'duration'>;

export function noteSequenceSet(pieces: readonly (readonly NoteStep[])[]): NoteSequenceSet {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const pitch = new Int32Array(total);
  const step = new Float32Array(total);
  const duration = new Float32Array(total);
  const offsets = new Int32Array(pieces.length + 1);
  let at = 0;
  pieces.forEach((piece, p) => {
    offsets[p] = at;
    piece.forEach((note, k) => {
      if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch >= PITCH_CLASSES) {
        throw new NoteWindowError(`Piece ${p}, note ${k}: pitch must be an integer in 0..127, got ${note.pitch}.`);
      }
      if (!Number.isFinite(note.step) || !Number.isFinite(note.duration)) {
        throw new NoteWindowError(`Piece ${p}, note ${k}: step and duration must be finite numbers.`);
      }
      pitch[at] = note.pitch;
      step[at] = note.step;
      duration[at] = note.duration;
      at++;
    });
  });
  offsets[pieces.length] = at;
  return { pitch, step, duration, offsets };
}

/** The first note of every window of `windowLength` notes followed by a label note in the same piece. */
export function windowStarts(set: NoteSequenceSet, windowLength: number): Int32Array {
  if (!Number.isInteger(windowLength) || windowLength < 1) throw new NoteWindowError(`The window length must be a whole number ≥ 1, got ${windowLength}.`);
  const starts: number[] = [];
  let longest = 0;
  for (let p = 0; p + 1 < set.offsets.length; p++) {
    const from = set.offsets[p]!;
    const to = set.offsets[p + 1]!;
    longest = Math.max(longest, to - from);
    for (let s = from; s + windowLength < to; s++) starts.push(s);
  }
  if (starts.length === 0) {
    throw new NoteWindowError(`No piece is long enough for a window of ${windowLength} notes plus the note to predict (the longest has ${longest} notes).`);
  }
  return Int32Array.from(starts);
}

/** One batch: inputs [T, B, 3] time-major, labels [B]. */
export interface NoteBatch {
  readonly batchSize: number;
  readonly windowLength: number;
  readonly inputs: Float32Array;
  readonly pitch: Int32Array;
  readonly step: Float32Array;
  readonly duration: Float32Array;
}

export function allocateNoteBatch(batchSize: number, windowLength: number): NoteBatch {
  return {
    batchSize,
    windowLength,
    inputs: new Float32Array(windowLength * batchSize * NOTE_FEATURES),
    pitch: new Int32Array(batchSize),
    step: new Float32Array(batchSize),
    duration: new Float32Array(batchSize),
  };
}

/** Fills `batch` with the windows starting at starts[indices[b]] (b < batch.batchSize). */
export function fillNoteBatch(set: NoteSequenceSet, starts: Int32Array, indices: ArrayLike<number>, batch: NoteBatch): void {
  const { batchSize: B, windowLength: T, inputs } = batch;
  if (indices.length < B) throw new NoteWindowError(`fillNoteBatch: ${indices.length} window indices for a batch of ${B}.`);
  for (let b = 0; b < B; b++) {
    const index = indices[b]!;
    const start = starts[index];
    if (start === undefined) throw new NoteWindowError(`fillNoteBatch: window ${index} does not exist (${starts.length} windows).`);
    for (let t = 0; t < T; t++) {
      const note = start + t;
      const at = (t * B + b) * NOTE_FEATURES;
      inputs[at] = set.pitch[note]! / PITCH_CLASSES;
      inputs[at + 1] = set.step[note]!;
      inputs[at + 2] = set.duration[note]!;
    }
    const label = start + T;
    batch.pitch[b] = set.pitch[label]!;
    batch.step[b] = set.step[label]!;
    batch.duration[b] = set.duration[label]!;
  }
}
