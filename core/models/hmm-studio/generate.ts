/**
 * Sampling a piece from a trained HMM, with its length in steps or in bars.
 *
 * What a length means, per representation:
 * - unit 'steps' counts what the model emits: grid steps for pitch, events for event (a note-on, a
 *   note-off, a time-shift and a velocity change are one event each), notes for note.
 * - unit 'bars' is musical time in 4/4 (four quarter notes a bar, `resolution` steps a quarter):
 *   pitch samples exactly bars × 4 × resolution steps; event and note sample until their time has
 *   reached the end of the last bar (doubling the sample, which keeps the same prefix for a seed,
 *   up to MAX_SAMPLED_TOKENS), and notes are cut at that end.
 * Sample k of a request uses seed + k, so every clip can be made again.
 */
import { sampleNoteHmm } from '../hmm/note-hmm';
import { sampleCategoricalHmm, type TemperatureSetting } from '../hmm/sample';
import { ticksToSeconds } from '../../music/tempo-map';
import { DEFAULT_DECODE_PPQ } from '../../music/representations';
import { EVENT_TIME_SHIFT, EVENT_VELOCITY } from '../../music/representations';
import type { Note, Piece } from '../../music/types';
import { decodeSample, type DecodeSampleOptions, type HmmSample } from './decode';
import type { LoadedHmm } from './saved-model';
import type { RepresentationSettings } from './sequences';

/** Generation assumes 4/4: a bar is four quarter notes. */
export const QUARTERS_PER_BAR = 4;
/** The most events or notes sampled to fill a length given in bars. */
export const MAX_SAMPLED_TOKENS = 2_000_000;

export interface GenerationLength {
  readonly unit: 'steps' | 'bars';
  readonly value: number;
}

export interface GenerationRequest {
  readonly length: GenerationLength;
  readonly temperature?: TemperatureSetting;
  readonly seed: number;
}

/** Grid steps in `bars` bars of 4/4 at `resolution` steps per quarter. */
export function barsToSteps(bars: number, resolution: number): number {
  return bars * QUARTERS_PER_BAR * resolution;
}

export function generatePiece(model: LoadedHmm, settings: RepresentationSettings, request: GenerationRequest, options: DecodeSampleOptions): Piece {
  const ppq = options.ppq ?? DEFAULT_DECODE_PPQ;
  const decodeOptions = { ...options, ppq };
  const draw = (length: number): HmmSample => {
    const sampleSettings = { length, seed: request.seed, temperature: request.temperature };
    if (model.kind === 'note') {
      const sample = sampleNoteHmm(model.params, sampleSettings);
      return { kind: 'notes', pitches: sample.pitches, features: sample.features };
    }
    return { kind: 'tokens', tokens: sampleCategoricalHmm(model.params, sampleSettings).symbols };
  };
  const { unit, value } = request.length;
  if (unit === 'steps') return decodeSample(draw(value), settings, decodeOptions);

  const endSteps = barsToSteps(value, settings.resolution);
  if (settings.representation === 'pitch') return decodeSample(draw(endSteps), settings, decodeOptions);

  const endTicks = value * QUARTERS_PER_BAR * ppq;
  // A first guess of how many tokens fill the bars; the loop doubles it when it falls short.
  let length = settings.representation === 'event' ? Math.max(64, endSteps * 2) : Math.max(16, value * 8);
  length = Math.min(length, MAX_SAMPLED_TOKENS);
  for (;;) {
    const sample = draw(length);
    const piece = decodeSample(sample, settings, decodeOptions);
    const reached = sample.kind === 'tokens' ? eventSteps(sample.tokens) >= endSteps : lastOnset(piece) >= endTicks;
    if (reached || length >= MAX_SAMPLED_TOKENS) return cutAt(piece, endTicks);
    length = Math.min(MAX_SAMPLED_TOKENS, length * 2);
  }
}

/** How far the time-shifts of an event sequence move, in steps. */
function eventSteps(tokens: ArrayLike<number>): number {
  let steps = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token >= EVENT_TIME_SHIFT && token < EVENT_VELOCITY) steps += token - EVENT_TIME_SHIFT + 1;
  }
  return steps;
}

function lastOnset(piece: Piece): number {
  let last = -1;
  for (const track of piece.tracks) for (const note of track.notes) last = Math.max(last, note.ticks);
  return last;
}

/** The piece without the notes that start at or after `endTicks`, and with the others ending by then. */
export function cutAt(piece: Piece, endTicks: number): Piece {
  const seconds = ticksToSeconds(piece.tempos, piece.ppq);
  let durationTicks = 0;
  const tracks = piece.tracks.map((track) => {
    const notes: Note[] = [];
    for (const note of track.notes) {
      if (note.ticks >= endTicks) continue;
      const end = Math.min(note.ticks + note.durationTicks, endTicks);
      durationTicks = Math.max(durationTicks, end);
      notes.push({ ...note, durationTicks: end - note.ticks, duration: seconds(end) - note.time });
    }
    return { ...track, notes };
  });
  return { ...piece, tracks, durationTicks, duration: seconds(durationTicks) };
}
