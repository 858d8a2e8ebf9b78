/**
 * What the four representations share: which notes of a piece they see, how ticks become steps, and
 * how decoded notes become a Piece again.
 *
 * Deliberate choices, the same for every representation:
 * - Steps are quarter-based: `resolution` steps per quarter note, and a tick becomes
 *   `round(ticks × resolution / ppq)`. Tempo therefore never moves a step; seconds are rebuilt on decode
 *   from the tempo map the caller passes (120 bpm by default). Meters and keys are not encoded: the
 *   caller passes them back on decode if it wants them.
 * - A note's onset and its end are rounded to the grid separately (so notes that touched still touch);
 *   a note that would shrink to zero steps keeps one step, so quantising never silently drops a note.
 * - Drum tracks (isDrum, or channel 10 = index 9) are left out unless `includeDrums` is true, because
 *   their "pitches" name instruments, not pitches. A track chosen explicitly by index or name is used
 *   even when it is a drum track.
 * - `tracks: 'all'` (the default) merges every selected track into one stream; pass `{ index }` or
 *   `{ name }` to encode one track, and `encodableTrackIndexes` to encode track by track.
 * - Decoding gives a piece with one track.
 */
import { RepresentationError } from '../errors';
import { DEFAULT_TEMPOS, ticksToSeconds } from '../tempo-map';
import {
  DRUM_CHANNEL,
  type KeySignatureChange,
  type Note,
  type Piece,
  type TempoChange,
  type TimeSignatureChange,
  type Track,
} from '../types';

/** MusPy's default velocity for decoded notes that carry none. */
export const DEFAULT_VELOCITY = 64;
/** Ticks per quarter of decoded pieces unless the caller asks otherwise: divisible by 1..6, 8, 10, 12, 16... */
export const DEFAULT_DECODE_PPQ = 480;

export type TrackSelection = 'all' | { readonly index: number } | { readonly name: string };

export interface SelectionOptions {
  /** Which tracks to encode; default 'all' (merged). */
  readonly tracks?: TrackSelection;
  /** Include drum tracks when `tracks` is 'all'; default false. */
  readonly includeDrums?: boolean;
}

/** A note on the step grid: onset and duration in steps (duration ≥ 1). */
export interface StepNote {
  readonly onset: number;
  readonly duration: number;
  readonly pitch: number;
  readonly velocity: number;
}

/** A note in ticks, before seconds are derived from the tempo map. */
export interface TickNote {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity: number;
}

export interface DecodeOptions {
  readonly name?: string;
  /** Ticks per quarter of the decoded piece; default 480. */
  readonly ppq?: number;
  /** Tempo map used to rebuild seconds; default 120 bpm. */
  readonly tempos?: readonly TempoChange[];
  /** Default 4/4 at tick 0. */
  readonly timeSignatures?: readonly TimeSignatureChange[];
  readonly keySignatures?: readonly KeySignatureChange[];
  readonly trackName?: string;
  /** General MIDI program 0..127; default 0. */
  readonly program?: number;
  /** MIDI channel 0..15; default 0, or 9 when `isDrum`. */
  readonly channel?: number;
  readonly isDrum?: boolean;
}

export function isDrumTrack(track: Track): boolean {
  return track.isDrum || track.channel === DRUM_CHANNEL;
}

export function assertResolution(resolution: number): void {
  if (!Number.isInteger(resolution) || resolution <= 0) {
    throw new RepresentationError(`The resolution must be a whole number of steps per quarter note, at least 1 (got ${resolution}).`);
  }
}

export function assertPitch(pitch: number, where: string): void {
  if (!Number.isInteger(pitch) || pitch < 0 || pitch > 127) {
    throw new RepresentationError(`${where}: pitch ${pitch} is outside MIDI's 0..127.`);
  }
}

export function assertVelocity(velocity: number, where: string): void {
  if (!Number.isInteger(velocity) || velocity < 0 || velocity > 127) {
    throw new RepresentationError(`${where}: velocity ${velocity} is outside MIDI's 0..127.`);
  }
}

/** Velocity of a decoded note: 1..127, since a MIDI note-on of velocity 0 is a note-off. */
export function assertDecodedVelocity(velocity: number, where: string): void {
  if (!Number.isInteger(velocity) || velocity < 1 || velocity > 127) {
    throw new RepresentationError(`${where}: a note's velocity must be a whole number from 1 to 127 (got ${velocity}).`);
  }
}

function assertPpq(ppq: number): void {
  if (!Number.isInteger(ppq) || ppq <= 0) throw new RepresentationError(`ppq must be a whole number of ticks per quarter, at least 1 (got ${ppq}).`);
}

/** Indexes of the tracks that 'all' would merge: tracks with notes, drums only when asked. */
export function encodableTrackIndexes(piece: Piece, options: Pick<SelectionOptions, 'includeDrums'> = {}): number[] {
  const indexes: number[] = [];
  piece.tracks.forEach((track, index) => {
    if (track.notes.length > 0 && (options.includeDrums === true || !isDrumTrack(track))) indexes.push(index);
  });
  return indexes;
}

function selectTracks(piece: Piece, options: SelectionOptions): readonly Track[] {
  const selection = options.tracks ?? 'all';
  if (selection === 'all') return encodableTrackIndexes(piece, options).map((index) => piece.tracks[index]!);
  if ('index' in selection) {
    const track = piece.tracks[selection.index];
    if (!Number.isInteger(selection.index) || !track) {
      throw new RepresentationError(`"${piece.name}" has ${piece.tracks.length} track(s): there is no track ${selection.index}.`);
    }
    return [track];
  }
  const track = piece.tracks.find((candidate) => candidate.name === selection.name);
  if (!track) {
    const names = piece.tracks.map((candidate) => JSON.stringify(candidate.name)).join(', ');
    throw new RepresentationError(`"${piece.name}" has no track named ${JSON.stringify(selection.name)} (its tracks: ${names || 'none'}).`);
  }
  return [track];
}

/** The selected notes, checked, sorted by (onset, pitch, duration, velocity) as MusPy sorts them. */
export function collectNotes(piece: Piece, options: SelectionOptions, representation: string): Note[] {
  assertPpq(piece.ppq);
  const notes: Note[] = [];
  for (const track of selectTracks(piece, options)) {
    for (const note of track.notes) {
      const where = `${representation} of "${piece.name}", track "${track.name}", tick ${note.ticks}`;
      assertPitch(note.pitch, where);
      assertVelocity(note.velocity, where);
      if (!Number.isFinite(note.ticks) || note.ticks < 0 || !Number.isFinite(note.durationTicks) || note.durationTicks < 0) {
        throw new RepresentationError(`${where}: a note needs a tick ≥ 0 and a duration ≥ 0.`);
      }
      notes.push(note);
    }
  }
  if (notes.length === 0) {
    const drumsOnly = options.includeDrums !== true && piece.tracks.some((track) => track.notes.length > 0 && isDrumTrack(track));
    throw new RepresentationError(
      `The ${representation} of "${piece.name}" cannot be made: the piece has no notes to encode` +
        (drumsOnly ? ' (it has only drum notes; pass includeDrums to encode them).' : '.'),
    );
  }
  notes.sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch || a.durationTicks - b.durationTicks || a.velocity - b.velocity);
  return notes;
}

export function ticksToStep(ticks: number, ppq: number, resolution: number): number {
  return Math.round((ticks * resolution) / ppq);
}

export function stepToTicks(step: number, ppq: number, resolution: number): number {
  return Math.round((step * ppq) / resolution);
}

/** Notes on the grid: onset and end rounded separately, at least one step long. Order is kept. */
export function toStepNotes(notes: readonly Note[], ppq: number, resolution: number): StepNote[] {
  assertResolution(resolution);
  return notes.map((note) => {
    const onset = ticksToStep(note.ticks, ppq, resolution);
    const end = ticksToStep(note.ticks + note.durationTicks, ppq, resolution);
    return { onset, duration: Math.max(1, end - onset), pitch: note.pitch, velocity: note.velocity };
  });
}

export function stepNotesToTicks(notes: readonly StepNote[], ppq: number, resolution: number): TickNote[] {
  return notes.map((note) => {
    const ticks = stepToTicks(note.onset, ppq, resolution);
    return {
      ticks,
      durationTicks: stepToTicks(note.onset + note.duration, ppq, resolution) - ticks,
      pitch: note.pitch,
      velocity: note.velocity,
    };
  });
}

export function decodePpq(options: DecodeOptions): number {
  const ppq = options.ppq ?? DEFAULT_DECODE_PPQ;
  assertPpq(ppq);
  return ppq;
}

/** A one-track piece from notes in ticks, with seconds rebuilt from the tempo map. */
export function buildPiece(notes: readonly TickNote[], options: DecodeOptions): Piece {
  const ppq = decodePpq(options);
  const tempos = options.tempos ?? DEFAULT_TEMPOS;
  const isDrum = options.isDrum ?? false;
  const program = options.program ?? 0;
  const channel = options.channel ?? (isDrum ? DRUM_CHANNEL : 0);
  if (!Number.isInteger(program) || program < 0 || program > 127) throw new RepresentationError(`The program must be 0..127 (got ${program}).`);
  if (!Number.isInteger(channel) || channel < 0 || channel > 15) throw new RepresentationError(`The channel must be 0..15 (got ${channel}).`);
  const seconds = ticksToSeconds(tempos, ppq);
  const sorted = [...notes].sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch || a.durationTicks - b.durationTicks || a.velocity - b.velocity);
  let durationTicks = 0;
  const pieceNotes: Note[] = sorted.map((note) => {
    const end = note.ticks + note.durationTicks;
    durationTicks = Math.max(durationTicks, end);
    const time = seconds(note.ticks);
    return { ticks: note.ticks, durationTicks: note.durationTicks, time, duration: seconds(end) - time, pitch: note.pitch, velocity: note.velocity };
  });
  return {
    name: options.name ?? 'decoded',
    ppq,
    tempos: [...tempos],
    timeSignatures: [...(options.timeSignatures ?? [{ ticks: 0, numerator: 4, denominator: 4 }])],
    keySignatures: [...(options.keySignatures ?? [])],
    tracks: [{ name: options.trackName ?? '', program, channel, isDrum: isDrum || channel === DRUM_CHANNEL, notes: pieceNotes, controlChanges: [] }],
    durationTicks,
    duration: seconds(durationTicks),
  };
}

/** Tokens must be whole numbers in [0, size): the first that is not is reported with its position. */
export function assertTokens(tokens: ArrayLike<number>, size: number, representation: string): void {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (!Number.isInteger(token) || token < 0 || token >= size) {
      throw new RepresentationError(`${representation} token ${token} at position ${index} is not in the vocabulary 0..${size - 1}.`);
    }
  }
}
