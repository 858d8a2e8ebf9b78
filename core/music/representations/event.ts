/**
 * Event representation (MusPy's MIDI-like "event"; 388 tokens with the defaults):
 *   0..127   note-on of pitch p
 *   128..255 note-off of pitch p
 *   256..355 time-shift of 1..100 steps (token 256 + k - 1 moves k steps)
 *   356..387 set velocity bin 0..31 (bin = floor(velocity × bins / 128), MusPy's quantisation)
 *
 * Choices made here:
 * - Events are ordered as MusPy orders them: notes sorted by (onset, pitch, duration, velocity), each
 *   giving [velocity], note-on, note-off, then a stable sort by time. At one step the note-offs of
 *   earlier notes therefore come before new note-ons, so a repeated pitch closes before it is struck.
 * - A gap longer than `maxTimeShift` steps is written as several time-shifts (100 + 100 + rest).
 * - Velocity events are written only when the bin changes (MusPy's `encode_velocity` with
 *   `force_velocity_event=False`); `forceVelocityEvent` writes one before every note-on,
 *   `encodeVelocity: false` writes none. A velocity bin decodes to `bin × 128 / bins` (at least 1),
 *   so velocities survive up to the bin width (4 with 32 bins).
 * - Decoding pairs each note-off with the earliest open note-on of its pitch (FIFO). A note-off with
 *   no open note is ignored. A note-off in the same step as its note-on gives a one-step note. Notes
 *   still open at the end ("dangling") are closed where the sequence ends (`danglingNotes: 'close'`, the
 *   default; at least one step) or dropped (`'drop'`, as MusPy does). Before any velocity event,
 *   notes get `defaultVelocity` (64).
 */
import { RepresentationError } from '../errors';
import type { Piece } from '../types';
import {
  DEFAULT_VELOCITY,
  assertResolution,
  assertDecodedVelocity,
  assertTokens,
  assertVelocity,
  buildPiece,
  collectNotes,
  decodePpq,
  stepNotesToTicks,
  toStepNotes,
  type DecodeOptions,
  type SelectionOptions,
  type StepNote,
} from './common';

export const EVENT_NOTE_ON = 0;
export const EVENT_NOTE_OFF = 128;
export const EVENT_TIME_SHIFT = 256;
export const DEFAULT_MAX_TIME_SHIFT = 100;
export const DEFAULT_VELOCITY_BINS = 32;
export const EVENT_VELOCITY = EVENT_TIME_SHIFT + DEFAULT_MAX_TIME_SHIFT;
export const EVENT_VOCAB_SIZE = EVENT_VELOCITY + DEFAULT_VELOCITY_BINS;

export interface EventVocabularyOptions {
  /** Longest single time-shift, in steps; default 100. */
  readonly maxTimeShift?: number;
  /** Number of velocity bins, 1..128; default 32. */
  readonly velocityBins?: number;
}

export interface EventVocabulary {
  readonly noteOn: number;
  readonly noteOff: number;
  readonly timeShift: number;
  readonly velocity: number;
  readonly maxTimeShift: number;
  readonly velocityBins: number;
  readonly size: number;
}

export interface EventEncodeOptions extends SelectionOptions, EventVocabularyOptions {
  /** Steps per quarter note. */
  readonly resolution: number;
  /** Write velocity events; default true. */
  readonly encodeVelocity?: boolean;
  /** Write a velocity event before every note-on, not only when the bin changes; default false. */
  readonly forceVelocityEvent?: boolean;
}

export interface EventDecodeOptions extends DecodeOptions, EventVocabularyOptions {
  readonly resolution: number;
  /** Velocity of notes before the first velocity event; default 64. */
  readonly defaultVelocity?: number;
  /** What to do with note-ons never closed; default 'close'. */
  readonly danglingNotes?: 'close' | 'drop';
}

export function eventVocabulary(options: EventVocabularyOptions = {}): EventVocabulary {
  const maxTimeShift = options.maxTimeShift ?? DEFAULT_MAX_TIME_SHIFT;
  const velocityBins = options.velocityBins ?? DEFAULT_VELOCITY_BINS;
  if (!Number.isInteger(maxTimeShift) || maxTimeShift < 1) {
    throw new RepresentationError(`maxTimeShift must be a whole number of steps, at least 1 (got ${maxTimeShift}).`);
  }
  if (!Number.isInteger(velocityBins) || velocityBins < 1 || velocityBins > 128) {
    throw new RepresentationError(`velocityBins must be a whole number from 1 to 128 (got ${velocityBins}).`);
  }
  const velocity = EVENT_TIME_SHIFT + maxTimeShift;
  return { noteOn: EVENT_NOTE_ON, noteOff: EVENT_NOTE_OFF, timeShift: EVENT_TIME_SHIFT, velocity, maxTimeShift, velocityBins, size: velocity + velocityBins };
}

export function velocityToBin(velocity: number, velocityBins = DEFAULT_VELOCITY_BINS): number {
  assertVelocity(velocity, 'Velocity binning');
  eventVocabulary({ velocityBins });
  return Math.floor((velocity * velocityBins) / 128);
}

export function binToVelocity(bin: number, velocityBins = DEFAULT_VELOCITY_BINS): number {
  eventVocabulary({ velocityBins });
  if (!Number.isInteger(bin) || bin < 0 || bin >= velocityBins) {
    throw new RepresentationError(`Velocity bin ${bin} does not exist: with ${velocityBins} bins they are 0..${velocityBins - 1}.`);
  }
  return Math.max(1, Math.min(127, Math.floor((bin * 128) / velocityBins)));
}

export function encodeEvents(piece: Piece, options: EventEncodeOptions): Uint16Array {
  assertResolution(options.resolution);
  const vocabulary = eventVocabulary(options);
  const encodeVelocity = options.encodeVelocity ?? true;
  const forceVelocity = options.forceVelocityEvent ?? false;
  const notes = toStepNotes(collectNotes(piece, options, 'event representation'), piece.ppq, options.resolution);

  const timed: { time: number; code: number }[] = [];
  let lastBin = -1;
  for (const note of notes) {
    if (encodeVelocity) {
      const bin = Math.floor((note.velocity * vocabulary.velocityBins) / 128);
      if (forceVelocity || bin !== lastBin) timed.push({ time: note.onset, code: vocabulary.velocity + bin });
      lastBin = bin;
    }
    timed.push({ time: note.onset, code: vocabulary.noteOn + note.pitch });
    timed.push({ time: note.onset + note.duration, code: vocabulary.noteOff + note.pitch });
  }
  timed.sort((a, b) => a.time - b.time); // stable: keeps MusPy's order within a step

  const tokens: number[] = [];
  let cursor = 0;
  for (const event of timed) {
    let gap = event.time - cursor;
    while (gap > 0) {
      const shift = Math.min(gap, vocabulary.maxTimeShift);
      tokens.push(vocabulary.timeShift + shift - 1);
      gap -= shift;
    }
    cursor = event.time;
    tokens.push(event.code);
  }
  return Uint16Array.from(tokens);
}

export function decodeEvents(tokens: ArrayLike<number>, options: EventDecodeOptions): Piece {
  assertResolution(options.resolution);
  const vocabulary = eventVocabulary(options);
  assertTokens(tokens, vocabulary.size, 'Event representation');
  let velocity = options.defaultVelocity ?? DEFAULT_VELOCITY;
  assertDecodedVelocity(velocity, 'Decoding the event representation');

  const notes: StepNote[] = [];
  const open = new Map<number, { onset: number; velocity: number }[]>();
  let time = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token < vocabulary.noteOff) {
      const pitch = token - vocabulary.noteOn;
      const queue = open.get(pitch) ?? [];
      queue.push({ onset: time, velocity });
      open.set(pitch, queue);
    } else if (token < vocabulary.timeShift) {
      const pitch = token - vocabulary.noteOff;
      const started = open.get(pitch)?.shift();
      if (started) notes.push({ onset: started.onset, duration: Math.max(1, time - started.onset), pitch, velocity: started.velocity });
    } else if (token < vocabulary.velocity) {
      time += token - vocabulary.timeShift + 1;
    } else {
      velocity = binToVelocity(token - vocabulary.velocity, vocabulary.velocityBins);
    }
  }
  if ((options.danglingNotes ?? 'close') === 'close') {
    for (const [pitch, queue] of open) {
      for (const started of queue) notes.push({ onset: started.onset, duration: Math.max(1, time - started.onset), pitch, velocity: started.velocity });
    }
  }
  return buildPiece(stepNotesToTicks(notes, decodePpq(options), options.resolution), options);
}
