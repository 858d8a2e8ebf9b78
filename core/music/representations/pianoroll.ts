/**
 * Piano-roll representation (MusPy's "pianoroll"): a time × 128 matrix, row-major in a Uint8Array
 * (`data[step * 128 + pitch]`), at a resolution in steps per quarter. In 'velocity' mode a cell holds
 * the velocity of the note sounding there (1..127), in 'binary' mode 1; 0 is silence.
 *
 * Choices made here:
 * - The roll has as many steps as the last note's end (MusPy adds one empty step; nothing needs it).
 * - Where notes of one pitch overlap, the later one (in (onset, pitch, duration, velocity) order) writes
 *   its velocity over the earlier one.
 * - Decoding merges consecutive active steps of a pitch into one note, so two notes of the same pitch
 *   that touch become one, unless an onset matrix is given: `withOnsets` on encode returns `onsets`
 *   (1 where a note starts, the role of MusPy's `encode_durations`-style onset channel), and decode
 *   starts a new note at every marked step of a run. Onset marks on silent steps are ignored.
 * - A decoded note takes the velocity of its first step ('velocity' mode) or `velocity` (default 64,
 *   'binary' mode).
 */
import { RepresentationError } from '../errors';
import type { Piece } from '../types';
import {
  DEFAULT_VELOCITY,
  assertDecodedVelocity,
  assertResolution,
  buildPiece,
  collectNotes,
  decodePpq,
  stepNotesToTicks,
  toStepNotes,
  type DecodeOptions,
  type SelectionOptions,
  type StepNote,
} from './common';

export const PIANO_ROLL_PITCHES = 128;

export type PianoRollMode = 'velocity' | 'binary';

export interface PianoRoll {
  readonly steps: number;
  readonly resolution: number;
  readonly mode: PianoRollMode;
  /** steps × 128, row-major. */
  readonly data: Uint8Array;
  /** steps × 128, 1 where a note starts; null unless asked for. */
  readonly onsets: Uint8Array | null;
}

export interface PianoRollEncodeOptions extends SelectionOptions {
  readonly resolution: number;
  /** Default 'velocity'. */
  readonly mode?: PianoRollMode;
  /** Also return the onset matrix; default false. */
  readonly withOnsets?: boolean;
}

export interface PianoRollDecodeOptions extends DecodeOptions {
  /** Velocity of decoded notes in 'binary' mode; default 64. */
  readonly velocity?: number;
}

export function encodePianoRoll(piece: Piece, options: PianoRollEncodeOptions): PianoRoll {
  assertResolution(options.resolution);
  const mode = options.mode ?? 'velocity';
  const notes = toStepNotes(collectNotes(piece, options, 'piano roll'), piece.ppq, options.resolution);
  let steps = 0;
  for (const note of notes) steps = Math.max(steps, note.onset + note.duration);
  const data = new Uint8Array(steps * PIANO_ROLL_PITCHES);
  const onsets = options.withOnsets === true ? new Uint8Array(steps * PIANO_ROLL_PITCHES) : null;
  for (const note of notes) {
    // A velocity of 0 would read as silence: such a note is written at the quietest audible velocity.
    const value = mode === 'binary' ? 1 : Math.max(1, note.velocity);
    for (let step = note.onset; step < note.onset + note.duration; step++) data[step * PIANO_ROLL_PITCHES + note.pitch] = value;
    if (onsets) onsets[note.onset * PIANO_ROLL_PITCHES + note.pitch] = 1;
  }
  return { steps, resolution: options.resolution, mode, data, onsets };
}

export function decodePianoRoll(roll: PianoRoll, options: PianoRollDecodeOptions = {}): Piece {
  assertResolution(roll.resolution);
  const { steps, data, onsets } = roll;
  if (!Number.isInteger(steps) || steps < 0 || data.length !== steps * PIANO_ROLL_PITCHES) {
    throw new RepresentationError(`A piano roll of ${steps} steps needs ${steps} × 128 cells (got ${data.length}).`);
  }
  if (onsets && onsets.length !== data.length) {
    throw new RepresentationError(`The onset matrix has ${onsets.length} cells, the piano roll ${data.length}: they must match.`);
  }
  const binaryVelocity = options.velocity ?? DEFAULT_VELOCITY;
  assertDecodedVelocity(binaryVelocity, 'Decoding a piano roll');

  const notes: StepNote[] = [];
  for (let pitch = 0; pitch < PIANO_ROLL_PITCHES; pitch++) {
    let onset = -1;
    const close = (step: number): void => {
      if (onset < 0) return;
      const first = data[onset * PIANO_ROLL_PITCHES + pitch]!;
      if (roll.mode === 'velocity' && first > 127) {
        throw new RepresentationError(`Piano roll cell (step ${onset}, pitch ${pitch}) holds ${first}: velocities are 1..127.`);
      }
      notes.push({ onset, duration: step - onset, pitch, velocity: roll.mode === 'binary' ? binaryVelocity : first });
      onset = -1;
    };
    for (let step = 0; step < steps; step++) {
      const cell = step * PIANO_ROLL_PITCHES + pitch;
      if (data[cell] === 0) close(step);
      else if (onset < 0) onset = step;
      else if (onsets && onsets[cell] !== 0) {
        close(step);
        onset = step;
      }
    }
    close(steps);
  }
  return buildPiece(stepNotesToTicks(notes, decodePpq(options), roll.resolution), options);
}
