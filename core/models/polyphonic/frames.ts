/**
 * What the polyphonic models read and write: a sequence of frames, each the set of pitches sounding
 * at one time step, as a multi-hot row over the model's pitch range (`low..high`, inclusive).
 * `data[step * pitches + (pitch - low)]` is 1 when the pitch sounds at that step.
 *
 * Conversions to and from the studio's piano roll (core/music/representations/pianoroll.ts, 128
 * pitches wide) and from the JSB corpus's lists of pitches, and the transposition used to augment
 * training data. A note outside the range is an error, never silently dropped.
 */
import { PIANO_ROLL_PITCHES, type PianoRoll } from '../../music/representations/pianoroll';
import { PolyphonicError } from './errors';

export interface PitchRange {
  /** Lowest MIDI pitch the model covers. */
  readonly low: number;
  /** Highest MIDI pitch the model covers (inclusive). */
  readonly high: number;
}

/** The 88 keys of a piano, A0..C8. */
export const PIANO_RANGE: PitchRange = { low: 21, high: 108 };
/** Every pitch of the JSB chorales' quarter-note split (train, valid and test): 43..96. */
export const JSB_RANGE: PitchRange = { low: 43, high: 96 };

export function pitchCount(range: PitchRange): number {
  return range.high - range.low + 1;
}

export function validateRange(range: PitchRange, what = 'The pitch range'): void {
  const { low, high } = range;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high > 127 || low > high) {
    throw new PolyphonicError(`${what} must be whole MIDI pitches with 0 ≤ low ≤ high ≤ 127, got ${low}..${high}.`);
  }
}

export function formatRange(range: PitchRange): string {
  return `${range.low}..${range.high}`;
}

export interface Frames {
  readonly steps: number;
  /** Pitches per frame (the range's size). */
  readonly pitches: number;
  /** steps × pitches, 1 where a pitch sounds. */
  readonly data: Uint8Array;
}

export function emptyFrames(steps: number, range: PitchRange): Frames {
  const pitches = pitchCount(range);
  return { steps, pitches, data: new Uint8Array(steps * pitches) };
}

/** The lowest and highest pitch sounding anywhere in the frames (relative to the range), or null. */
export function activeSpan(frames: Frames): { lowest: number; highest: number } | null {
  let lowest = Infinity;
  let highest = -Infinity;
  const { data, pitches } = frames;
  for (let k = 0; k < data.length; k++) {
    if (data[k] === 0) continue;
    const pitch = k % pitches;
    if (pitch < lowest) lowest = pitch;
    if (pitch > highest) highest = pitch;
  }
  return lowest === Infinity ? null : { lowest, highest };
}

/**
 * Frames from lists of MIDI pitches per step (the JSB JSON's layout: `[[60, 64, 67], [], ...]`).
 * Throws when a pitch is not a whole number or lies outside the range.
 */
export function framesFromPitchLists(steps: readonly (readonly number[])[], range: PitchRange, what = 'The piece'): Frames {
  validateRange(range);
  const frames = emptyFrames(steps.length, range);
  steps.forEach((pitches, step) => {
    for (const pitch of pitches) {
      if (!Number.isInteger(pitch)) throw new PolyphonicError(`${what}: step ${step} holds ${String(pitch)}, not a MIDI pitch.`);
      if (pitch < range.low || pitch > range.high) {
        throw new PolyphonicError(`${what}: step ${step} has pitch ${pitch}, outside the model's range ${formatRange(range)}.`);
      }
      frames.data[step * frames.pitches + pitch - range.low] = 1;
    }
  });
  return frames;
}

export function framesToPitchLists(frames: Frames, range: PitchRange): number[][] {
  const lists: number[][] = [];
  for (let step = 0; step < frames.steps; step++) {
    const list: number[] = [];
    for (let p = 0; p < frames.pitches; p++) if (frames.data[step * frames.pitches + p]) list.push(range.low + p);
    lists.push(list);
  }
  return lists;
}

/** The lowest and highest pitch sounding in a piano roll, or null when it is silent. */
export function pianoRollSpan(roll: PianoRoll): PitchRange | null {
  let low = 128;
  let high = -1;
  for (let k = 0; k < roll.data.length; k++) {
    if (roll.data[k] === 0) continue;
    const pitch = k % PIANO_ROLL_PITCHES;
    if (pitch < low) low = pitch;
    if (pitch > high) high = pitch;
  }
  return high < 0 ? null : { low, high };
}

function checkRoll(roll: PianoRoll, what: string): void {
  if (!Number.isInteger(roll.steps) || roll.steps < 0 || roll.data.length !== roll.steps * PIANO_ROLL_PITCHES) {
    throw new PolyphonicError(`${what}: a piano roll of ${roll.steps} steps needs ${roll.steps} × 128 cells, got ${roll.data.length}.`);
  }
}

/**
 * Frames from a piano roll (any mode: a non-zero cell sounds). Throws when the roll has notes
 * outside the model's range, naming both, so the composer can transpose or pick another model.
 */
export function framesFromPianoRoll(roll: PianoRoll, range: PitchRange, what = 'The piano roll'): Frames {
  validateRange(range);
  checkRoll(roll, what);
  const span = pianoRollSpan(roll);
  if (span && (span.low < range.low || span.high > range.high)) {
    throw new PolyphonicError(
      `${what} has notes from pitch ${span.low} to ${span.high}, wider than the model's trained range ${formatRange(range)}: transpose it or use a model trained on a wider range.`,
    );
  }
  const frames = emptyFrames(roll.steps, range);
  for (let step = 0; step < roll.steps; step++) {
    for (let p = 0; p < frames.pitches; p++) {
      if (roll.data[step * PIANO_ROLL_PITCHES + range.low + p] !== 0) frames.data[step * frames.pitches + p] = 1;
    }
  }
  return frames;
}

/** A binary piano roll (128 wide) at `resolution` steps per quarter from frames over `range`. */
export function framesToPianoRoll(frames: Frames, range: PitchRange, resolution: number): PianoRoll {
  const data = new Uint8Array(frames.steps * PIANO_ROLL_PITCHES);
  for (let step = 0; step < frames.steps; step++) {
    for (let p = 0; p < frames.pitches; p++) {
      if (frames.data[step * frames.pitches + p]) data[step * PIANO_ROLL_PITCHES + range.low + p] = 1;
    }
  }
  return { steps: frames.steps, resolution, mode: 'binary', data, onsets: null };
}

/**
 * The transpositions (in semitones) that keep every note of `frames` inside the range, limited to
 * ±maxShift: [lowest, highest] (0 is always allowed).
 */
export function allowedShifts(frames: Frames, maxShift: number): [number, number] {
  const span = activeSpan(frames);
  if (!span) return [-maxShift, maxShift];
  return [Math.max(-maxShift, 0 - span.lowest), Math.min(maxShift, frames.pitches - 1 - span.highest)];
}

/** Every note moved by `shift` semitones; throws when one would leave the range. */
export function transposeFrames(frames: Frames, shift: number): Frames {
  if (shift === 0) return frames;
  const { steps, pitches, data } = frames;
  const out = new Uint8Array(data.length);
  for (let k = 0; k < data.length; k++) {
    if (data[k] === 0) continue;
    const pitch = (k % pitches) + shift;
    if (pitch < 0 || pitch >= pitches) throw new PolyphonicError(`Transposing by ${shift} semitones moves a note outside the model's range.`);
    out[k + shift] = 1;
  }
  return { steps, pitches, data: out };
}
