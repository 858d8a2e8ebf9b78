/**
 * From a corpus's pieces to the sequences an HMM trains on, one sequence per piece:
 * - pitch: encodePitch at the settings' resolution, the highest voice across the non-drum tracks
 *   (the representation's skyline over merged tracks); 130 symbols.
 * - event: encodeEvents of the merged non-drum tracks at the settings' resolution; 388 symbols.
 * - note:  noteObservations of the merged non-drum notes (pitch + log-duration, log-step, velocity).
 * A piece with no notes to encode (empty, or drums only) is skipped and named in `skipped`; a split
 * with no pieces, or with none that has notes, is an error that says so before any training starts.
 */
import type { HmmSettings } from '../../ipc/schemas';
import { RepresentationError } from '../../music/errors';
import {
  EVENT_TIME_SHIFT,
  EVENT_VELOCITY,
  EVENT_VOCAB_SIZE,
  PITCH_VOCAB_SIZE,
  collectNotes,
  encodableTrackIndexes,
  encodeEvents,
  encodePitch,
  stepToTicks,
} from '../../music/representations';
import type { Piece, SplitName } from '../../music/types';
import { noteObservations, type NoteLike } from '../hmm/note-features';
import type { NoteSequenceSet } from '../hmm/note-hmm';
import type { SequenceSet } from '../hmm/types';

export type RepresentationSettings = Pick<HmmSettings, 'representation' | 'resolution'>;

interface SequencesBase {
  /** Pieces that gave a sequence. */
  readonly pieces: number;
  /** Names of pieces left out because they have no notes to encode. */
  readonly skipped: readonly string[];
}

export type CategoricalSequences = SequencesBase & {
  readonly kind: 'categorical';
  readonly representation: 'pitch' | 'event';
  readonly nSymbols: number;
  readonly data: SequenceSet;
};

export type NoteSequences = SequencesBase & {
  readonly kind: 'note';
  readonly representation: 'note';
  readonly data: NoteSequenceSet;
};

export type HmmSequences = CategoricalSequences | NoteSequences;

/** Where the pieces come from, for the error messages. */
export interface SequenceSource {
  readonly corpusName?: string;
  readonly split?: SplitName;
}

/** The vocabulary size of a categorical representation. */
export function symbolCount(representation: 'pitch' | 'event'): number {
  return representation === 'pitch' ? PITCH_VOCAB_SIZE : EVENT_VOCAB_SIZE;
}

export function tokenCount(sequences: HmmSequences): number {
  return sequences.kind === 'note' ? sequences.data.pitches.length : sequences.data.symbols.length;
}

/** The buffers to transfer (not copy) when the sequences go to a worker. */
export function sequenceBuffers(sequences: HmmSequences): ArrayBuffer[] {
  const arrays = sequences.kind === 'note' ? [sequences.data.pitches, sequences.data.features, sequences.data.offsets] : [sequences.data.symbols, sequences.data.offsets];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}

/** True when the piece has notes the representations read (drum tracks are left out). */
export function hasEncodableNotes(piece: Piece): boolean {
  return encodableTrackIndexes(piece).length > 0;
}

function describeSource(source: SequenceSource): { corpus: string; split: SplitName } {
  return { corpus: source.corpusName === undefined ? 'The corpus' : `The corpus “${source.corpusName}”`, split: source.split ?? 'train' };
}

/** Throws the composer-facing error for a split without pieces; used before any job starts, too. */
export function emptySplitError(source: SequenceSource): RepresentationError {
  const { corpus, split } = describeSource(source);
  return new RepresentationError(`${corpus} has no pieces in its ${split} split.`);
}

/** The sequences of `pieces` for an HMM of these settings. */
export function sequencesFor(pieces: readonly Piece[], settings: RepresentationSettings, source: SequenceSource = {}): HmmSequences {
  if (pieces.length === 0) throw emptySplitError(source);
  const usable = pieces.filter(hasEncodableNotes);
  const skipped = pieces.filter((piece) => !hasEncodableNotes(piece)).map((piece) => piece.name);
  if (usable.length === 0) {
    const { corpus, split } = describeSource(source);
    throw new RepresentationError(
      `${corpus} has no notes to learn from in its ${split} split: its ${pieces.length} piece${pieces.length === 1 ? ' is' : 's are'} empty or drums only.`,
    );
  }
  if (settings.representation === 'note') {
    return { kind: 'note', representation: 'note', data: noteObservations(usable.map(noteInput)), pieces: usable.length, skipped };
  }
  const encoded = usable.map((piece) => encodeCategorical(piece, settings));
  let total = 0;
  for (const sequence of encoded) total += sequence.length;
  const symbols = new Int32Array(total);
  const offsets = new Int32Array(encoded.length + 1);
  let at = 0;
  encoded.forEach((sequence, index) => {
    symbols.set(sequence, at);
    at += sequence.length;
    offsets[index + 1] = at;
  });
  return {
    kind: 'categorical',
    representation: settings.representation,
    nSymbols: symbolCount(settings.representation),
    data: { symbols, offsets },
    pieces: usable.length,
    skipped,
  };
}

function encodeCategorical(piece: Piece, settings: RepresentationSettings): Int32Array {
  const tokens = settings.representation === 'pitch' ? encodePitch(piece, { resolution: settings.resolution }) : encodeEvents(piece, { resolution: settings.resolution });
  return Int32Array.from(tokens);
}

/** The merged non-drum notes of a piece in the order the note HMM reads them (onset, then pitch). */
function noteInput(piece: Piece): { notes: NoteLike[]; ppq: number } {
  const notes = collectNotes(piece, {}, 'note representation').sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch);
  return { notes, ppq: piece.ppq };
}

/** One piece encoded for a model, with the tick at which each token starts (for Viterbi under the piano roll). */
export type EncodedPiece =
  | { readonly kind: 'categorical'; readonly symbols: Int32Array; readonly ticks: number[] }
  | { readonly kind: 'note'; readonly data: NoteSequenceSet; readonly ticks: number[] };

export function encodePieceFor(piece: Piece, settings: RepresentationSettings): EncodedPiece {
  if (!hasEncodableNotes(piece)) throw new RepresentationError(`“${piece.name}” has no notes to decode (it is empty or drums only).`);
  if (settings.representation === 'note') {
    const input = noteInput(piece);
    return { kind: 'note', data: noteObservations([input]), ticks: input.notes.map((note) => note.ticks) };
  }
  const symbols = encodeCategorical(piece, settings);
  const ticks: number[] = new Array<number>(symbols.length);
  if (settings.representation === 'pitch') {
    for (let step = 0; step < symbols.length; step++) ticks[step] = stepToTicks(step, piece.ppq, settings.resolution);
  } else {
    // An event happens where the time-shifts before it have moved the cursor; a shift starts there too.
    let step = 0;
    for (let index = 0; index < symbols.length; index++) {
      ticks[index] = stepToTicks(step, piece.ppq, settings.resolution);
      const token = symbols[index]!;
      if (token >= EVENT_TIME_SHIFT && token < EVENT_VELOCITY) step += token - EVENT_TIME_SHIFT + 1;
    }
  }
  return { kind: 'categorical', symbols, ticks };
}
