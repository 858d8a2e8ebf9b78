/**
 * From what an HMM samples back to music: a one-track Piece (track "HMM", program 0, channel 0),
 * at `ppq` ticks per quarter and one tempo, that the studio stores as a clip.
 */
import { RepresentationError } from '../../music/errors';
import { DEFAULT_DECODE_PPQ, buildPiece, decodeEvents, decodePitch, type DecodeOptions } from '../../music/representations';
import { DEFAULT_TEMPO_BPM } from '../../music/tempo-map';
import type { Piece } from '../../music/types';
import { notesFromObservations } from '../hmm/note-features';
import type { RepresentationSettings } from './sequences';

export const GENERATED_TRACK_NAME = 'HMM';

/** Tokens of the pitch or event representation, or notes of the note representation. */
export type HmmSample =
  | { readonly kind: 'tokens'; readonly tokens: ArrayLike<number> }
  | { readonly kind: 'notes'; readonly pitches: Int32Array; readonly features: Float64Array };

export interface DecodeSampleOptions {
  readonly name: string;
  /** Ticks per quarter of the piece; default 480. */
  readonly ppq?: number;
  /** Quarter notes per minute; default 120. */
  readonly tempo?: number;
}

export function decodeSample(sample: HmmSample, settings: RepresentationSettings, options: DecodeSampleOptions): Piece {
  const tempo = options.tempo ?? DEFAULT_TEMPO_BPM;
  if (!Number.isFinite(tempo) || tempo <= 0) throw new RepresentationError(`A generated piece needs a positive tempo (got ${tempo}).`);
  const decode: DecodeOptions = {
    name: options.name,
    ppq: options.ppq ?? DEFAULT_DECODE_PPQ,
    tempos: [{ ticks: 0, bpm: tempo }],
    trackName: GENERATED_TRACK_NAME,
    program: 0,
    channel: 0,
  };
  if (settings.representation === 'note') {
    if (sample.kind !== 'notes') throw new RepresentationError('The note representation decodes notes, not tokens.');
    return buildPiece(notesFromObservations(sample.pitches, sample.features, decode.ppq!), decode);
  }
  if (sample.kind !== 'tokens') throw new RepresentationError(`The ${settings.representation} representation decodes tokens, not notes.`);
  return settings.representation === 'pitch'
    ? decodePitch(sample.tokens, { ...decode, resolution: settings.resolution })
    : decodeEvents(sample.tokens, { ...decode, resolution: settings.resolution });
}
