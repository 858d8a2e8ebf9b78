/**
 * Training data for the polyphonic models: frames from the studio's pieces (through the piano-roll
 * representation, binary, at the model's resolution) or from the JSB chorales' JSON (the standard
 * quarter-note split of Boulanger-Lewandowski et al. 2012: `{train, valid, test}`, each a list of
 * pieces, each a list of steps, each a list of MIDI pitches).
 */
import { encodePianoRoll } from '../../music/representations/pianoroll';
import type { SelectionOptions } from '../../music/representations/common';
import type { Piece } from '../../music/types';
import { PolyphonicError } from './errors';
import { framesFromPianoRoll, framesFromPitchLists, PIANO_RANGE, pianoRollSpan, type Frames, type PitchRange } from './frames';

const MIDI_RANGE: PitchRange = { low: 0, high: 127 };

/** A piece's notes as frames over `range` at `resolution` steps per quarter; throws when a note lies outside the range. */
export function framesFromPiece(piece: Piece, range: PitchRange, resolution: number, selection: SelectionOptions = {}): Frames {
  return framesFromPianoRoll(encodePianoRoll(piece, { ...selection, resolution, mode: 'binary' }), range, `"${piece.name}"`);
}

/** The smallest range holding every note of the pieces (to choose a model's range), or null when all are silent. */
export function rangeOfPieces(pieces: readonly Piece[], selection: SelectionOptions = {}): PitchRange | null {
  let low = 128;
  let high = -1;
  for (const piece of pieces) {
    const span = pianoRollSpan(encodePianoRoll(piece, { ...selection, resolution: 1, mode: 'binary' }));
    if (!span) continue;
    low = Math.min(low, span.low);
    high = Math.max(high, span.high);
  }
  return high < 0 ? null : { low, high };
}

/**
 * The range a model trained on `trainPieces` covers: their span widened by `transpose` semitones on
 * each side (room for transposition augmentation) within the piano's keys, or MIDI's range when the
 * music leaves the piano; null when the pieces have no notes.
 */
export function trainingRangeOf(trainPieces: readonly Piece[], transpose: number): PitchRange | null {
  const span = rangeOfPieces(trainPieces);
  if (!span) return null;
  const bounds = span.low >= PIANO_RANGE.low && span.high <= PIANO_RANGE.high ? PIANO_RANGE : MIDI_RANGE;
  return { low: Math.max(bounds.low, span.low - transpose), high: Math.min(bounds.high, span.high + transpose) };
}

export interface FrameSplits {
  readonly train: Frames[];
  readonly valid: Frames[];
  readonly test: Frames[];
}

/** The JSB chorales' JSON (`{train, valid, test}` of pieces of steps of pitches) as frames over `range`. */
export function framesFromSplitJson(json: unknown, range: PitchRange): FrameSplits {
  if (typeof json !== 'object' || json === null) throw new PolyphonicError('The corpus JSON must be an object with train, valid and test lists.');
  const read = (name: 'train' | 'valid' | 'test'): Frames[] => {
    const pieces = (json as Record<string, unknown>)[name];
    if (!Array.isArray(pieces)) throw new PolyphonicError(`The corpus JSON has no "${name}" list.`);
    return pieces.map((piece: unknown, k) => {
      if (!Array.isArray(piece) || !piece.every((step: unknown) => Array.isArray(step))) {
        throw new PolyphonicError(`The corpus JSON's ${name}[${k}] is not a list of steps (lists of pitches).`);
      }
      return framesFromPitchLists(piece as number[][], range, `${name}[${k}]`);
    });
  };
  return { train: read('train'), valid: read('valid'), test: read('test') };
}
