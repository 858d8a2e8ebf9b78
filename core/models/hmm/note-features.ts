/**
 * The note HMM's observations from notes and back: pitch category = MIDI pitch (P = 128), and
 * three continuous features per note, in the order of NOTE_FEATURES:
 * - logDuration: ln(duration in quarter notes);
 * - logStep:     ln(onset distance from the previous note in quarters + STEP_EPSILON_QUARTERS),
 *                the epsilon making simultaneous notes (step 0, chords) finite;
 * - velocity:    velocity / 127.
 * Notes are ordered by onset, then pitch. The first note's step is its distance from tick 0.
 */
import type { NoteSequenceSet } from './note-hmm';

export const NOTE_FEATURES = ['logDuration', 'logStep', 'velocity'] as const;
export const NOTE_PITCHES = 128;
export const STEP_EPSILON_QUARTERS = 1 / 64;

export interface NoteLike {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity: number;
}

export interface NoteSequenceInput {
  readonly notes: readonly NoteLike[];
  /** Ticks per quarter note. */
  readonly ppq: number;
}

export function noteObservations(sequences: readonly NoteSequenceInput[]): NoteSequenceSet {
  const d = NOTE_FEATURES.length;
  let total = 0;
  for (const sequence of sequences) total += sequence.notes.length;
  const pitches = new Int32Array(total);
  const features = new Float64Array(total * d);
  const offsets = new Int32Array(sequences.length + 1);
  let at = 0;
  sequences.forEach((sequence, index) => {
    const notes = [...sequence.notes].sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch);
    let previousTicks = 0;
    for (const note of notes) {
      pitches[at] = Math.round(note.pitch);
      features[at * d] = Math.log(Math.max(note.durationTicks, 1) / sequence.ppq);
      features[at * d + 1] = Math.log(Math.max(note.ticks - previousTicks, 0) / sequence.ppq + STEP_EPSILON_QUARTERS);
      features[at * d + 2] = note.velocity / 127;
      previousTicks = note.ticks;
      at += 1;
    }
    offsets[index + 1] = at;
  });
  return { pitches, features, nFeatures: d, offsets };
}

/** Notes from sampled pitches and features (length×3), at `ppq` ticks per quarter. */
export function notesFromObservations(pitches: Int32Array, features: Float64Array, ppq: number): NoteLike[] {
  const d = NOTE_FEATURES.length;
  const notes: NoteLike[] = [];
  let ticks = 0;
  for (let t = 0; t < pitches.length; t++) {
    const step = Math.max(0, Math.exp(features[t * d + 1]!) - STEP_EPSILON_QUARTERS);
    ticks += Math.round(step * ppq);
    notes.push({
      ticks,
      durationTicks: Math.max(1, Math.round(Math.exp(features[t * d]!) * ppq)),
      pitch: Math.min(127, Math.max(0, pitches[t]!)),
      velocity: Math.min(127, Math.max(1, Math.round(features[t * d + 2]! * 127))),
    });
  }
  return notes;
}
