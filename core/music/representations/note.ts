/**
 * Note representation (MusPy's "note"): one row per note, (onset, pitch, duration, velocity), sorted by
 * (onset, pitch, duration, velocity). Onset and duration are in the piece's ticks (`unit: 'ticks'`, the
 * default: lossless) or in steps at a resolution (`unit: 'steps'`: quantised as every representation is,
 * see common.ts). Decoding ticks needs the ppq they were counted in (`ppq`, default 480).
 *
 * Also the "step" view that TensorFlow's music_generation tutorial feeds its LSTM (and that the LSTM
 * seeds use): rows (pitch, step, duration, velocity) in seconds, where step is the time from the previous
 * note's onset. Choices made here, after the tutorial:
 * - Notes of all selected tracks are merged and sorted by (start, pitch); the first row's step is 0, so
 *   silence before the first note is not kept.
 * - Seconds come from the piece's tempo map; decoding turns them back into ticks through the tempo map
 *   passed (default 120 bpm), rounded to whole ticks.
 */
import { RepresentationError } from '../errors';
import { DEFAULT_TEMPOS, secondsToTicks, ticksToSeconds } from '../tempo-map';
import type { Piece } from '../types';
import {
  assertDecodedVelocity,
  assertPitch,
  assertResolution,
  buildPiece,
  collectNotes,
  decodePpq,
  stepNotesToTicks,
  toStepNotes,
  type DecodeOptions,
  type SelectionOptions,
  type TickNote,
} from './common';

export type NoteRow = readonly [onset: number, pitch: number, duration: number, velocity: number];

export type NoteUnitOptions = { readonly unit?: 'ticks' } | { readonly unit: 'steps'; readonly resolution: number };

export type NoteEncodeOptions = SelectionOptions & NoteUnitOptions;
export type NoteDecodeOptions = DecodeOptions & NoteUnitOptions;

/** One row of the step-from-previous-onset view, in seconds. */
export interface NoteStepRow {
  readonly pitch: number;
  /** Seconds from the previous note's onset (0 for the first note). */
  readonly step: number;
  readonly duration: number;
  readonly velocity: number;
}

export function encodeNoteRows(piece: Piece, options: NoteEncodeOptions = {}): NoteRow[] {
  const notes = collectNotes(piece, options, 'note representation');
  if (options.unit === 'steps') {
    assertResolution(options.resolution);
    return sortRows(toStepNotes(notes, piece.ppq, options.resolution).map((note) => [note.onset, note.pitch, note.duration, note.velocity]));
  }
  return notes.map((note) => [note.ticks, note.pitch, note.durationTicks, note.velocity]);
}

export function decodeNoteRows(rows: readonly NoteRow[], options: NoteDecodeOptions = {}): Piece {
  const ppq = decodePpq(options);
  if (options.unit === 'steps') assertResolution(options.resolution);
  const checked = rows.map(([onset, pitch, duration, velocity], index) => {
    const where = `Note representation row ${index}`;
    assertPitch(pitch, where);
    assertDecodedVelocity(velocity, where);
    if (!Number.isInteger(onset) || onset < 0 || !Number.isInteger(duration) || duration < 0) {
      throw new RepresentationError(`${where}: onset and duration must be whole numbers ≥ 0 (got ${onset}, ${duration}).`);
    }
    return { onset, duration, pitch, velocity };
  });
  const notes: TickNote[] =
    options.unit === 'steps'
      ? stepNotesToTicks(checked, ppq, options.resolution)
      : checked.map((note) => ({ ticks: note.onset, durationTicks: note.duration, pitch: note.pitch, velocity: note.velocity }));
  return buildPiece(notes, options);
}

export function encodeNoteSteps(piece: Piece, options: SelectionOptions = {}): NoteStepRow[] {
  const seconds = ticksToSeconds(piece.tempos, piece.ppq);
  const notes = collectNotes(piece, options, 'note-step view')
    .map((note) => {
      const start = seconds(note.ticks);
      return { start, duration: seconds(note.ticks + note.durationTicks) - start, pitch: note.pitch, velocity: note.velocity };
    })
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  let previous = notes[0]!.start;
  return notes.map((note) => {
    const row = { pitch: note.pitch, step: note.start - previous, duration: note.duration, velocity: note.velocity };
    previous = note.start;
    return row;
  });
}

export function decodeNoteSteps(rows: readonly NoteStepRow[], options: DecodeOptions = {}): Piece {
  const ppq = decodePpq(options);
  const toTicks = secondsToTicks(options.tempos ?? DEFAULT_TEMPOS, ppq);
  let start = 0;
  const notes = rows.map((row, index): TickNote => {
    const where = `Note-step row ${index}`;
    assertPitch(row.pitch, where);
    assertDecodedVelocity(row.velocity, where);
    if (!Number.isFinite(row.step) || row.step < 0 || !Number.isFinite(row.duration) || row.duration < 0) {
      throw new RepresentationError(`${where}: step and duration must be seconds ≥ 0 (got ${row.step}, ${row.duration}).`);
    }
    start += row.step;
    const ticks = Math.round(toTicks(start));
    return { ticks, durationTicks: Math.round(toTicks(start + row.duration)) - ticks, pitch: row.pitch, velocity: row.velocity };
  });
  return buildPiece(notes, options);
}

function sortRows(rows: NoteRow[]): NoteRow[] {
  return rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
}
