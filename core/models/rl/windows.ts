/**
 * Piano-roll windows for the discriminator: a note sequence as rows × 128 (pitch multi-hot), one
 * row per note ('notes': the melody's pitches in order, rhythm ignored) or per 16th note
 * ('sixteenths': onsets and durations in seconds at the configured tempo, a note sounding in every
 * row it covers, as core/music/representations/pianoroll.ts's binary roll). A window is
 * `windowLength` consecutive rows ending at some row; rows before the sequence are silence.
 *
 * Real windows are drawn uniformly from every full window of the corpus (every end row from the
 * window length on; a piece shorter than a window gives one, padded); a policy episode's windows end
 * at its last row and every windowLength rows before, as long as they reach into the episode.
 */
import type { Random } from '../hmm/random';
import type { NoteStepSet } from '../neural/note-step-data';
import { RlError } from './errors';
import type { DiscriminatorConfig } from './settings';

export const ROLL_PITCHES = 128;

/** Shortest note in 'sixteenths' mode: one row. The longest a note may cover (rows), so one odd duration cannot blow up a roll. */
const MAX_NOTE_ROWS = 64;

export interface Roll {
  readonly rows: number;
  /** rows × 128, 1 where a pitch sounds. */
  readonly data: Uint8Array;
  /** The row of each note's onset. */
  readonly noteRow: Int32Array;
}

export interface NoteColumns {
  readonly count: number;
  pitch(k: number): number;
  /** Seconds since the previous onset (ignored for the first note). */
  step(k: number): number;
  duration(k: number): number;
}

export function rollOf(notes: NoteColumns, config: Pick<DiscriminatorConfig, 'mode' | 'tempoBpm'>): Roll {
  const { count } = notes;
  const noteRow = new Int32Array(count);
  if (config.mode === 'notes') {
    const data = new Uint8Array(count * ROLL_PITCHES);
    for (let k = 0; k < count; k++) {
      noteRow[k] = k;
      data[k * ROLL_PITCHES + notes.pitch(k)] = 1;
    }
    return { rows: count, data, noteRow };
  }
  const sixteenth = 60 / config.tempoBpm / 4;
  const lengths = new Int32Array(count);
  let onset = 0;
  let rows = 0;
  for (let k = 0; k < count; k++) {
    if (k > 0) onset += Math.max(0, notes.step(k));
    noteRow[k] = Math.round(onset / sixteenth);
    lengths[k] = Math.min(MAX_NOTE_ROWS, Math.max(1, Math.round(notes.duration(k) / sixteenth)));
    rows = Math.max(rows, noteRow[k]! + lengths[k]!);
  }
  const data = new Uint8Array(rows * ROLL_PITCHES);
  for (let k = 0; k < count; k++) {
    const pitch = notes.pitch(k);
    for (let row = noteRow[k]!; row < noteRow[k]! + lengths[k]!; row++) data[row * ROLL_PITCHES + pitch] = 1;
  }
  return { rows, data, noteRow };
}

/** Copies the window of `windowLength` rows ending before row `end` into out at window index `slot`. */
export function copyWindow(roll: Roll, end: number, windowLength: number, out: Uint8Array, slot: number): void {
  const base = slot * windowLength * ROLL_PITCHES;
  const start = end - windowLength;
  out.fill(0, base, base + windowLength * ROLL_PITCHES);
  const from = Math.max(0, start);
  out.set(roll.data.subarray(from * ROLL_PITCHES, end * ROLL_PITCHES), base + (from - start) * ROLL_PITCHES);
}

/** The end rows of an episode's windows: the roll's end, and every windowLength rows before while they reach into the episode (from row `episodeStart`). */
export function episodeWindowEnds(roll: Roll, episodeStart: number, windowLength: number): number[] {
  const ends: number[] = [];
  const first = Math.min(windowLength, roll.rows);
  for (let end = roll.rows; end > episodeStart && end >= first; end -= windowLength) ends.push(end);
  if (ends.length === 0) ends.push(roll.rows);
  return ends;
}

/** The corpus's pieces as rolls, and a uniform draw over their full windows. */
export class CorpusWindows {
  private readonly rolls: Roll[] = [];
  /** cumulative[p] = windows in pieces before p. */
  private readonly cumulative: number[] = [0];

  constructor(
    corpus: NoteStepSet,
    readonly config: Pick<DiscriminatorConfig, 'mode' | 'tempoBpm' | 'windowLength'>,
  ) {
    const pieces = corpus.offsets.length - 1;
    for (let p = 0; p < pieces; p++) {
      const from = corpus.offsets[p]!;
      const count = corpus.offsets[p + 1]! - from;
      if (count === 0) continue;
      const roll = rollOf(
        { count, pitch: (k) => corpus.pitch[from + k]!, step: (k) => corpus.step[from + k]!, duration: (k) => corpus.duration[from + k]! },
        config,
      );
      this.rolls.push(roll);
      this.cumulative.push(this.cumulative.at(-1)! + roll.rows - Math.min(config.windowLength, roll.rows) + 1);
    }
    if (this.rolls.length === 0) throw new RlError('The corpus has no notes: the discriminator needs real music to compare the policy with.');
  }

  get windowCount(): number {
    return this.cumulative.at(-1)!;
  }

  /** `count` windows drawn uniformly (with replacement) into a new [count × windowLength × 128] array. */
  sample(random: Random, count: number): Uint8Array {
    const W = this.config.windowLength;
    const out = new Uint8Array(count * W * ROLL_PITCHES);
    for (let slot = 0; slot < count; slot++) {
      const index = Math.floor(random() * this.windowCount);
      let low = 0;
      let high = this.rolls.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (this.cumulative[mid]! <= index) low = mid;
        else high = mid - 1;
      }
      const roll = this.rolls[low]!;
      copyWindow(roll, Math.min(W, roll.rows) + index - this.cumulative[low]!, W, out, slot);
    }
    return out;
  }
}
