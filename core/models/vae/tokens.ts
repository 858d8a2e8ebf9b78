/**
 * A segment's melody as MusicVAE's tokens and back: per grid step 0 = rest, 1 = hold, 2 + (p − low)
 * = a note of pitch p starts (config.ts). Decoding reads a hold that follows a rest (or opens the
 * segment) as a rest, as MusicVAE's melody decoding does, so any token sequence decodes.
 */
import { buildPiece, stepNotesToTicks, type DecodeOptions, type StepNote, type TickNote } from '../../music/representations/common';
import type { Piece } from '../../music/types';
import { HOLD_TOKEN, REST_TOKEN, SPECIAL_TOKENS, segmentSteps, vocabularySize, type PitchRange, type VaeConfig } from './config';
import { VaeError } from './errors';

export function pitchToken(pitch: number, range: PitchRange): number {
  if (!Number.isInteger(pitch) || pitch < range.low || pitch > range.high) {
    throw new VaeError(`Pitch ${pitch} is outside the model's range ${range.low}..${range.high}: transpose the music into the range, or train a model with a wider one.`);
  }
  return SPECIAL_TOKENS + pitch - range.low;
}

/** The pitch a note-on token starts; null for rest and hold. */
export function tokenPitch(token: number, range: PitchRange): number | null {
  return token >= SPECIAL_TOKENS ? range.low + token - SPECIAL_TOKENS : null;
}

/** Throws unless `tokens` is one segment of this model: the right length, every token in the vocabulary. */
export function validateSegmentTokens(tokens: ArrayLike<number>, config: VaeConfig, what = 'The segment'): void {
  const steps = segmentSteps(config);
  if (tokens.length !== steps) {
    throw new VaeError(`${what} has ${tokens.length} steps; this model takes segments of ${config.bars} bar${config.bars === 1 ? '' : 's'} of ${config.stepsPerBar} steps (${steps}).`);
  }
  const V = vocabularySize(config);
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (!Number.isInteger(token) || token < 0 || token >= V) throw new VaeError(`${what}: token ${token} at step ${k} is not in the vocabulary 0..${V - 1}.`);
  }
}

/** Note-on tokens in the segment (what "empty" and "note density" count). */
export function noteOnCount(tokens: ArrayLike<number>): number {
  let count = 0;
  for (let k = 0; k < tokens.length; k++) if (tokens[k]! >= SPECIAL_TOKENS) count++;
  return count;
}

/** The notes the tokens describe, on the step grid (onset and duration in steps). */
export function tokensToStepNotes(tokens: ArrayLike<number>, range: PitchRange, velocity = 80): StepNote[] {
  const notes: StepNote[] = [];
  let open: { onset: number; pitch: number } | null = null;
  const close = (step: number): void => {
    if (open) notes.push({ onset: open.onset, duration: step - open.onset, pitch: open.pitch, velocity });
    open = null;
  };
  for (let step = 0; step < tokens.length; step++) {
    const token = tokens[step]!;
    if (token === HOLD_TOKEN) continue;
    close(step);
    if (token !== REST_TOKEN) open = { onset: step, pitch: tokenPitch(token, range)! };
  }
  close(tokens.length);
  return notes;
}

/** The tokens of notes on the step grid (monophonic: a later onset cuts the sounding note), `steps` long. */
export function stepNotesToTokens(notes: readonly Pick<StepNote, 'onset' | 'duration' | 'pitch'>[], range: PitchRange, steps: number): number[] {
  const tokens = new Array<number>(steps).fill(REST_TOKEN);
  const sorted = [...notes].sort((a, b) => a.onset - b.onset || b.pitch - a.pitch);
  for (const note of sorted) {
    if (note.onset < 0 || note.onset >= steps) continue;
    tokens[note.onset] = pitchToken(note.pitch, range);
    for (let step = note.onset + 1; step < Math.min(steps, note.onset + note.duration); step++) tokens[step] = HOLD_TOKEN;
  }
  return tokens;
}

export interface TokensToNotesOptions {
  /** Ticks per quarter of the notes (the clip's or piece's ppq). */
  readonly ppq: number;
  /** Where the segment starts, in ticks (default 0). */
  readonly startTicks?: number;
  /** Velocity of every note (the tokens carry none); default 80. */
  readonly velocity?: number;
}

/** The segment's notes in ticks at `ppq`, from `startTicks` (for placing it into a clip or track). */
export function tokensToNotes(tokens: ArrayLike<number>, config: Pick<VaeConfig, 'range' | 'stepsPerQuarter'>, options: TokensToNotesOptions): TickNote[] {
  if (!Number.isInteger(options.ppq) || options.ppq < 1) throw new VaeError(`ppq must be a whole number ≥ 1, got ${options.ppq}.`);
  const start = options.startTicks ?? 0;
  return stepNotesToTicks(tokensToStepNotes(tokens, config.range, options.velocity ?? 80), options.ppq, config.stepsPerQuarter).map((note) => ({ ...note, ticks: note.ticks + start }));
}

/**
 * Segments one after another as a one-track piece (a clip): `gapBars` bars of silence between two
 * (interpolation's steps side by side, or several samples), with the model's meter.
 */
export function tokensToPiece(segments: readonly (readonly number[])[], config: VaeConfig, options: DecodeOptions & { readonly velocity?: number; readonly gapBars?: number } = {}): Piece {
  const ppq = options.ppq ?? 480;
  const gapBars = options.gapBars ?? 0;
  if (!Number.isInteger(gapBars) || gapBars < 0) throw new VaeError(`gapBars must be a whole number ≥ 0, got ${gapBars}.`);
  const stride = segmentSteps(config) + gapBars * config.stepsPerBar;
  const notes: TickNote[] = [];
  segments.forEach((tokens, k) => {
    validateSegmentTokens(tokens, config, `Segment ${k + 1}`);
    const startTicks = Math.round((k * stride * ppq) / config.stepsPerQuarter);
    notes.push(...tokensToNotes(tokens, config, { ppq, startTicks, velocity: options.velocity }));
  });
  const quarters = config.stepsPerBar / config.stepsPerQuarter;
  // The model's bar as a time signature: quarters per bar over 4 when whole, else eighths over 8.
  const timeSignature = Number.isInteger(quarters) ? { ticks: 0, numerator: quarters, denominator: 4 } : { ticks: 0, numerator: Math.round(quarters * 2), denominator: 8 };
  return buildPiece(notes, { timeSignatures: [timeSignature], ...options, ppq });
}

/** The segment moved by `shift` semitones; null when a note would leave the range. */
export function transposeTokens(tokens: readonly number[], shift: number, range: PitchRange): number[] | null {
  if (shift === 0) return [...tokens];
  const highest = SPECIAL_TOKENS + range.high - range.low;
  const out = new Array<number>(tokens.length);
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token < SPECIAL_TOKENS) {
      out[k] = token;
      continue;
    }
    const moved = token + shift;
    if (moved < SPECIAL_TOKENS || moved > highest) return null;
    out[k] = moved;
  }
  return out;
}

/** The shifts in ±maxShift semitones that keep every note of the segment in range: [lowest, highest]. */
export function allowedShifts(tokens: readonly number[], maxShift: number, range: PitchRange): [number, number] {
  let lowest = Infinity;
  let highest = -Infinity;
  for (const token of tokens) {
    if (token < SPECIAL_TOKENS) continue;
    lowest = Math.min(lowest, token - SPECIAL_TOKENS);
    highest = Math.max(highest, token - SPECIAL_TOKENS);
  }
  if (lowest === Infinity) return [0, 0];
  const top = range.high - range.low;
  return [Math.max(-maxShift, -lowest), Math.min(maxShift, top - highest)];
}
