/**
 * Training windows for the studio's LSTM over the note-step view (core/music/representations/note.ts,
 * encodeNoteSteps): each note is (pitch, step, duration, velocity), step and duration in seconds,
 * velocity as velocity/127. A window is `windowLength` consecutive notes of one piece, its label the
 * note that follows. Batches are time-major (the LSTM ops' layout): pitches [T·B] for the embedding
 * (or pitch/128 as a number, the seeds' input) and the numeric features [T·B·F].
 *
 * Augmentation, per window, drawn from the random stream it is given: transposition by k semitones
 * (|k| ≤ `transpose`, only so far as every pitch of the window and its label stays in 0..127), and
 * time-stretch (steps and durations of the window and its label times 1 ± `timeStretch`).
 */
import type { Random } from '../hmm/random';
import type { NoteStepRow } from '../../music/representations/note';
import { NoteWindowError, PITCH_CLASSES, windowStarts } from './note-windows';

export { windowStarts };

/** Pieces' notes back to back, as columns. */
export interface NoteStepSet {
  readonly pitch: Int32Array;
  readonly step: Float32Array;
  readonly duration: Float32Array;
  /** velocity / 127 */
  readonly velocity: Float32Array;
  /** Piece p is notes offsets[p]..offsets[p+1]. */
  readonly offsets: Int32Array;
}

export type NoteStepInput = Pick<NoteStepRow, 'pitch' | 'step' | 'duration' | 'velocity'>;

export function noteStepSet(pieces: readonly (readonly NoteStepInput[])[]): NoteStepSet {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const set = {
    pitch: new Int32Array(total),
    step: new Float32Array(total),
    duration: new Float32Array(total),
    velocity: new Float32Array(total),
    offsets: new Int32Array(pieces.length + 1),
  };
  let at = 0;
  pieces.forEach((piece, p) => {
    set.offsets[p] = at;
    piece.forEach((note, k) => {
      if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch >= PITCH_CLASSES) {
        throw new NoteWindowError(`Piece ${p}, note ${k}: pitch must be an integer in 0..127, got ${note.pitch}.`);
      }
      if (!(note.step >= 0) || !(note.duration >= 0) || !Number.isFinite(note.step) || !Number.isFinite(note.duration)) {
        throw new NoteWindowError(`Piece ${p}, note ${k}: step and duration must be finite numbers ≥ 0.`);
      }
      if (!(note.velocity >= 0 && note.velocity <= 127)) throw new NoteWindowError(`Piece ${p}, note ${k}: velocity must be in 0..127, got ${note.velocity}.`);
      set.pitch[at] = note.pitch;
      set.step[at] = note.step;
      set.duration[at] = note.duration;
      set.velocity[at] = note.velocity / 127;
      at++;
    });
  });
  set.offsets[pieces.length] = at;
  return set;
}

/** The notes of piece p as rows again (velocity back in 0..127). */
export function noteStepRows(set: NoteStepSet, piece: number): NoteStepRow[] {
  const rows: NoteStepRow[] = [];
  for (let n = set.offsets[piece]!; n < set.offsets[piece + 1]!; n++) {
    rows.push({ pitch: set.pitch[n]!, step: set.step[n]!, duration: set.duration[n]!, velocity: Math.round(set.velocity[n]! * 127) });
  }
  return rows;
}

/** What a window's notes feed the model: the pitch embedded (or as pitch/128), and velocity or not. */
export interface NoteStepLayout {
  readonly pitchEmbedding: boolean;
  readonly velocity: boolean;
}

/** Numeric features per note: [pitch/128], step, duration, [velocity]. */
export function numericFeatures(layout: NoteStepLayout): number {
  return (layout.pitchEmbedding ? 0 : 1) + 2 + (layout.velocity ? 1 : 0);
}

/** One batch: time-major inputs, labels [B]. */
export interface NoteStepBatch {
  readonly batchSize: number;
  readonly windowLength: number;
  readonly layout: NoteStepLayout;
  /** [T·B], index t·B + b */
  readonly pitches: Int32Array;
  /** [T·B·F] */
  readonly features: Float32Array;
  readonly pitch: Int32Array;
  readonly step: Float32Array;
  readonly duration: Float32Array;
  readonly velocity: Float32Array;
}

export function allocateNoteStepBatch(batchSize: number, windowLength: number, layout: NoteStepLayout): NoteStepBatch {
  const F = numericFeatures(layout);
  return {
    batchSize,
    windowLength,
    layout,
    pitches: new Int32Array(windowLength * batchSize),
    features: new Float32Array(windowLength * batchSize * F),
    pitch: new Int32Array(batchSize),
    step: new Float32Array(batchSize),
    duration: new Float32Array(batchSize),
    velocity: new Float32Array(batchSize),
  };
}

export interface NoteStepAugmentation {
  /** Largest transposition either way, in semitones (0: none). */
  readonly transpose: number;
  /** Largest relative change of steps and durations (0: none). */
  readonly timeStretch: number;
  readonly random: Random;
}

/** Writes note `note`, moved by `shift` semitones and scaled by `stretch`, as the features of (t, b). */
function writeNote(set: NoteStepSet, note: number, batch: NoteStepBatch, t: number, b: number, shift: number, stretch: number): void {
  const { batchSize: B, layout, features } = batch;
  const F = numericFeatures(layout);
  const pitch = set.pitch[note]! + shift;
  batch.pitches[t * B + b] = pitch;
  let at = (t * B + b) * F;
  if (!layout.pitchEmbedding) features[at++] = pitch / PITCH_CLASSES;
  features[at++] = set.step[note]! * stretch;
  features[at++] = set.duration[note]! * stretch;
  if (layout.velocity) features[at] = set.velocity[note]!;
}

/** Fills `batch` with the windows starting at starts[indices[b]] (b < batch.batchSize), augmented if asked. */
export function fillNoteStepBatch(set: NoteStepSet, starts: Int32Array, indices: ArrayLike<number>, batch: NoteStepBatch, augmentation?: NoteStepAugmentation): void {
  const { batchSize: B, windowLength: T } = batch;
  if (indices.length < B) throw new NoteWindowError(`fillNoteStepBatch: ${indices.length} window indices for a batch of ${B}.`);
  for (let b = 0; b < B; b++) {
    const index = indices[b]!;
    const start = starts[index];
    if (start === undefined) throw new NoteWindowError(`fillNoteStepBatch: window ${index} does not exist (${starts.length} windows).`);
    let shift = 0;
    let stretch = 1;
    if (augmentation) {
      if (augmentation.transpose > 0) {
        let low = PITCH_CLASSES;
        let high = -1;
        for (let n = start; n <= start + T; n++) {
          low = Math.min(low, set.pitch[n]!);
          high = Math.max(high, set.pitch[n]!);
        }
        const from = Math.max(-augmentation.transpose, -low);
        const to = Math.min(augmentation.transpose, PITCH_CLASSES - 1 - high);
        shift = from + Math.floor(augmentation.random() * (to - from + 1));
      }
      if (augmentation.timeStretch > 0) stretch = 1 + (2 * augmentation.random() - 1) * augmentation.timeStretch;
    }
    for (let t = 0; t < T; t++) writeNote(set, start + t, batch, t, b, shift, stretch);
    const label = start + T;
    batch.pitch[b] = set.pitch[label]! + shift;
    batch.step[b] = set.step[label]! * stretch;
    batch.duration[b] = set.duration[label]! * stretch;
    batch.velocity[b] = set.velocity[label]!;
  }
}

/** The longest piece's note count (what a window must be shorter than). */
export function longestPiece(set: Pick<NoteStepSet, 'offsets'>): number {
  let longest = 0;
  for (let p = 0; p + 1 < set.offsets.length; p++) longest = Math.max(longest, set.offsets[p + 1]! - set.offsets[p]!);
  return longest;
}
