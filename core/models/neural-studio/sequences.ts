/**
 * From a corpus's pieces to what the neural models read, one sequence per piece:
 * - lstm: encodeNoteSteps of the merged non-drum tracks (pitch, step, duration in seconds, velocity);
 * - transformer: encodeEvents of the merged non-drum tracks at the settings' resolution (388 tokens),
 *   the tokens the event HMM reads.
 * Pieces with nothing to encode are skipped and named; a split with none left is an error that
 * says so (the same messages as the HMMs').
 */
import type { NeuralSettings } from '../../ipc/schemas';
import { RepresentationError } from '../../music/errors';
import { encodeEvents, encodeNoteSteps } from '../../music/representations';
import type { Piece } from '../../music/types';
import { emptySplitError, hasEncodableNotes, type SequenceSource } from '../hmm-studio/sequences';
import { noteStepSet, type NoteStepSet } from '../neural/note-step-data';
import type { TokenSequenceSet } from '../neural/token-windows';

interface SequencesBase {
  readonly pieces: number;
  readonly skipped: readonly string[];
}

export type NeuralSequences =
  | (SequencesBase & { readonly kind: 'note-steps'; readonly data: NoteStepSet })
  | (SequencesBase & { readonly kind: 'events'; readonly data: TokenSequenceSet });

function usablePieces(pieces: readonly Piece[], source: SequenceSource): { usable: Piece[]; skipped: string[] } {
  if (pieces.length === 0) throw emptySplitError(source);
  const usable = pieces.filter(hasEncodableNotes);
  const skipped = pieces.filter((piece) => !hasEncodableNotes(piece)).map((piece) => piece.name);
  if (usable.length === 0) {
    const corpus = source.corpusName === undefined ? 'The corpus' : `The corpus “${source.corpusName}”`;
    throw new RepresentationError(
      `${corpus} has no notes to learn from in its ${source.split ?? 'train'} split: its ${pieces.length} piece${pieces.length === 1 ? ' is' : 's are'} empty or drums only.`,
    );
  }
  return { usable, skipped };
}

export function tokenSequenceSet(sequences: readonly ArrayLike<number>[]): TokenSequenceSet {
  const total = sequences.reduce((sum, sequence) => sum + sequence.length, 0);
  const tokens = new Int32Array(total);
  const offsets = new Int32Array(sequences.length + 1);
  let at = 0;
  sequences.forEach((sequence, index) => {
    tokens.set(sequence, at);
    at += sequence.length;
    offsets[index + 1] = at;
  });
  return { tokens, offsets };
}

export function neuralSequencesFor(pieces: readonly Piece[], settings: NeuralSettings, source: SequenceSource = {}): NeuralSequences {
  const { usable, skipped } = usablePieces(pieces, source);
  if (settings.family === 'lstm') {
    return { kind: 'note-steps', data: noteStepSet(usable.map((piece) => encodeNoteSteps(piece))), pieces: usable.length, skipped };
  }
  const data = tokenSequenceSet(usable.map((piece) => encodeEvents(piece, { resolution: settings.resolution })));
  return { kind: 'events', data, pieces: usable.length, skipped };
}

/** Notes (lstm) or event tokens (transformer) in the sequences. */
export function neuralTokenCount(sequences: NeuralSequences): number {
  return sequences.kind === 'note-steps' ? sequences.data.pitch.length : sequences.data.tokens.length;
}

/** The buffers to transfer (not copy) when the sequences go to a worker. */
export function neuralSequenceBuffers(sequences: NeuralSequences): ArrayBuffer[] {
  const arrays =
    sequences.kind === 'note-steps'
      ? [sequences.data.pitch, sequences.data.step, sequences.data.duration, sequences.data.velocity, sequences.data.offsets]
      : [sequences.data.tokens, sequences.data.offsets];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}
