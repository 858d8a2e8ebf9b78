/**
 * The most likely hidden-state path of a model under one piece, computed in main: one piece is small
 * (a chorale is a few hundred tokens), and the piano roll asks for it interactively.
 */
import { StudioError } from '../../../../core/ipc/envelope';
import type { HmmSettings } from '../../../../core/ipc/schemas';
import { encodePieceFor, loadSavedHmm } from '../../../../core/models/hmm-studio';
import { viterbiNotes } from '../../../../core/models/hmm/note-hmm';
import { viterbiCategorical } from '../../../../core/models/hmm/viterbi';
import { RepresentationError } from '../../../../core/music/errors';
import type { Piece } from '../../../../core/music/types';

export interface StatePath {
  readonly states: number[];
  /** The tick at which each token starts, in the piece's ticks. */
  readonly ticks: number[];
}

export function viterbiOfPiece(state: unknown, settings: HmmSettings, piece: Piece): StatePath {
  const model = loadSavedHmm(state, settings);
  let encoded;
  try {
    encoded = encodePieceFor(piece, settings);
  } catch (error) {
    if (error instanceof RepresentationError) throw new StudioError(error.message, 'invalid-input');
    throw error;
  }
  const path =
    model.kind === 'note' && encoded.kind === 'note'
      ? viterbiNotes(model.params, encoded.data, 0)
      : model.kind === 'categorical' && encoded.kind === 'categorical'
        ? viterbiCategorical(model.params, encoded.symbols)
        : null;
  if (!path) throw new StudioError('The model and the piece’s encoding do not match.');
  return { states: Array.from(path.states), ticks: encoded.ticks };
}
