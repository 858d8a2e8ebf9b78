/**
 * Pitch representation (MusPy's "pitch" with its hold state): one token per time step.
 * Tokens 0..127 start a note of that pitch, 128 is a rest, 129 holds the sounding note.
 *
 * The representation is monophonic. Choices made here:
 * - Polyphony is resolved by keeping the highest sounding pitch at each step (the "skyline"), whether the
 *   notes come from one track or from several merged ones (`tracks: 'all'`, the default, is thus the
 *   highest voice across tracks). When a higher note ends while a lower one is still sounding, the lower
 *   one is re-struck at that step (its pitch token appears again), since a hold can only continue the
 *   note of the step before.
 * - The sequence starts at step 0 of the piece (leading silence is kept as rests) and ends where the
 *   last note ends.
 * - A hold that follows no note (at the start, or after a rest) is read as a rest, as MusPy does.
 * - Velocities are not encoded; decoded notes get `velocity` (default 64).
 */
import type { Piece } from '../types';
import {
  DEFAULT_VELOCITY,
  assertResolution,
  assertTokens,
  assertDecodedVelocity,
  buildPiece,
  collectNotes,
  decodePpq,
  stepNotesToTicks,
  toStepNotes,
  type DecodeOptions,
  type SelectionOptions,
  type StepNote,
} from './common';

export const PITCH_REST = 128;
export const PITCH_HOLD = 129;
export const PITCH_VOCAB_SIZE = 130;

export interface PitchEncodeOptions extends SelectionOptions {
  /** Steps per quarter note. */
  readonly resolution: number;
}

export interface PitchDecodeOptions extends DecodeOptions {
  readonly resolution: number;
  /** Velocity of every decoded note; default 64. */
  readonly velocity?: number;
}

export function encodePitch(piece: Piece, options: PitchEncodeOptions): Uint8Array {
  assertResolution(options.resolution);
  const notes = toStepNotes(collectNotes(piece, options, 'pitch representation'), piece.ppq, options.resolution);
  let length = 0;
  for (const note of notes) length = Math.max(length, note.onset + note.duration);

  // The note on top at each step; on equal pitch the later onset wins, so a re-struck note shows.
  const top = new Int32Array(length).fill(-1);
  notes.forEach((note, index) => {
    for (let step = note.onset; step < note.onset + note.duration; step++) {
      const current = top[step]!;
      const currentNote = current >= 0 ? notes[current]! : null;
      if (!currentNote || note.pitch > currentNote.pitch || (note.pitch === currentNote.pitch && note.onset >= currentNote.onset)) top[step] = index;
    }
  });

  const tokens = new Uint8Array(length);
  for (let step = 0; step < length; step++) {
    const index = top[step]!;
    if (index < 0) tokens[step] = PITCH_REST;
    else if (step > 0 && top[step - 1] === index) tokens[step] = PITCH_HOLD;
    else tokens[step] = notes[index]!.pitch;
  }
  return tokens;
}

export function decodePitch(tokens: ArrayLike<number>, options: PitchDecodeOptions): Piece {
  assertResolution(options.resolution);
  assertTokens(tokens, PITCH_VOCAB_SIZE, 'Pitch representation');
  const velocity = options.velocity ?? DEFAULT_VELOCITY;
  assertDecodedVelocity(velocity, 'Decoding the pitch representation');

  const notes: StepNote[] = [];
  let open: { onset: number; pitch: number } | null = null;
  const close = (step: number): void => {
    if (open) notes.push({ onset: open.onset, duration: step - open.onset, pitch: open.pitch, velocity });
    open = null;
  };
  for (let step = 0; step < tokens.length; step++) {
    const token = tokens[step]!;
    if (token === PITCH_HOLD) continue; // continues the open note, or stays silent after a rest
    close(step);
    if (token !== PITCH_REST) open = { onset: step, pitch: token };
  }
  close(tokens.length);
  return buildPiece(stepNotesToTicks(notes, decodePpq(options), options.resolution), options);
}
