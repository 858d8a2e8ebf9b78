/**
 * Cutting training (and query) segments out of pieces, on the bar grid.
 *
 * - The melody is the pitch representation of core/music/representations/pitch.ts at the model's
 *   grid (config.stepsPerQuarter): the highest sounding note per step across the selected tracks
 *   ("skyline"; `tracks: 'all'`, the default, merges every non-drum track), or one chosen track.
 * - Bars come from the piece's time signatures (4/4 from tick 0 where there are none; a change starts
 *   a new bar, as in MIDI). A segment is `config.bars` consecutive bars that each span exactly
 *   `config.stepsPerBar` steps: a 4/4 model (16 steps) skips 3/4 passages, a 3/4 model (12 steps)
 *   takes only those. Segments start every `hopBars` bars (MusicVAE slides by one bar).
 * - A note sounding across a segment's start becomes a note-on at its first step (a hold cannot open
 *   a segment); steps past the piece's last note are rests.
 * - Segments with fewer than `minNotes` note-ons are skipped as (mostly) empty; segments holding a
 *   pitch outside the model's range are skipped (counted), or refused with `outOfRange: 'error'`.
 */
import { encodePitch, PITCH_HOLD, PITCH_REST } from '../../music/representations/pitch';
import { ticksToStep, type TrackSelection } from '../../music/representations/common';
import type { Piece } from '../../music/types';
import { HOLD_TOKEN, REST_TOKEN, segmentSteps, SPECIAL_TOKENS, type VaeConfig } from './config';
import { VaeError } from './errors';
import { noteOnCount } from './tokens';

export interface SegmentOptions {
  /** 'all' (default): the highest note across the non-drum tracks; or one track by index or name. */
  readonly tracks?: TrackSelection;
  readonly includeDrums?: boolean;
  /** Skip segments with fewer note-ons than this (default 1). */
  readonly minNotes?: number;
  /** Bars between two segments' starts (default 1). */
  readonly hopBars?: number;
  /** 'skip' (default, for corpora) or 'error' (for a clip the composer chose). */
  readonly outOfRange?: 'skip' | 'error';
  /** Only the segment starting at this bar (0-based), as clipSegment asks. */
  readonly onlyAtBar?: number;
}

/** One segment: its tokens and where it came from. */
export interface VaeSegment {
  readonly tokens: readonly number[];
  readonly source?: { readonly piece: string; readonly bar: number; readonly ticks: number };
}

export interface SegmentCounts {
  /** Segments cut. */
  readonly segments: number;
  /** Segment positions skipped because a bar does not span the model's bar length (another meter, a cut bar). */
  readonly otherMeter: number;
  readonly empty: number;
  readonly outOfRange: number;
  /** Pieces (or track selections) with no notes at all. */
  readonly silentPieces: number;
}

export interface SegmentResult {
  readonly segments: VaeSegment[];
  readonly counts: SegmentCounts;
}

export interface Bar {
  /** First step of the bar on the grid. */
  readonly step: number;
  readonly steps: number;
  readonly ticks: number;
}

/** The piece's bars, on the grid of `stepsPerQuarter` steps per quarter, from tick 0 to its end. */
export function barGrid(piece: Piece, stepsPerQuarter: number, endTicks = pieceEndTicks(piece)): Bar[] {
  const changes = [...piece.timeSignatures].sort((a, b) => a.ticks - b.ticks);
  if (changes.length === 0 || changes[0]!.ticks > 0) changes.unshift({ ticks: 0, numerator: 4, denominator: 4 });
  const bars: Bar[] = [];
  changes.forEach((change, k) => {
    const regionEnd = Math.min(endTicks, k + 1 < changes.length ? changes[k + 1]!.ticks : endTicks);
    if (!(change.numerator > 0 && change.denominator > 0)) throw new VaeError(`"${piece.name}" has an invalid time signature ${change.numerator}/${change.denominator} at tick ${change.ticks}.`);
    const barTicks = (change.numerator * piece.ppq * 4) / change.denominator;
    for (let ticks = change.ticks; ticks < regionEnd; ticks += barTicks) {
      const step = ticksToStep(ticks, piece.ppq, stepsPerQuarter);
      const end = ticksToStep(Math.min(ticks + barTicks, k + 1 < changes.length ? changes[k + 1]!.ticks : Infinity), piece.ppq, stepsPerQuarter);
      bars.push({ step, steps: end - step, ticks: Math.round(ticks) });
    }
  });
  return bars;
}

function pieceEndTicks(piece: Piece): number {
  let end = piece.durationTicks;
  for (const track of piece.tracks) for (const note of track.notes) end = Math.max(end, note.ticks + note.durationTicks);
  return end;
}

/** The segments of one piece (see the module's notes). */
export function segmentPiece(piece: Piece, config: VaeConfig, options: SegmentOptions = {}): SegmentResult {
  const minNotes = options.minNotes ?? 1;
  const hopBars = options.hopBars ?? 1;
  if (!Number.isInteger(minNotes) || minNotes < 0) throw new VaeError(`minNotes must be a whole number ≥ 0, got ${minNotes}.`);
  if (!Number.isInteger(hopBars) || hopBars < 1) throw new VaeError(`hopBars must be a whole number ≥ 1, got ${hopBars}.`);
  const counts = { segments: 0, otherMeter: 0, empty: 0, outOfRange: 0, silentPieces: 0 };
  const hasNotes = piece.tracks.some((track) => track.notes.length > 0);
  let melody: Uint8Array;
  try {
    melody = hasNotes ? encodePitch(piece, { resolution: config.stepsPerQuarter, tracks: options.tracks, includeDrums: options.includeDrums }) : new Uint8Array(0);
  } catch (error) {
    // A track selection that names nothing is the caller's mistake; a selection with no notes is just silent.
    if (error instanceof Error && /no notes to encode/.test(error.message)) melody = new Uint8Array(0);
    else throw new VaeError(error instanceof Error ? error.message : String(error));
  }
  if (melody.length === 0) return { segments: [], counts: { ...counts, silentPieces: 1 } };
  const bars = barGrid(piece, config.stepsPerQuarter);
  const T = segmentSteps(config);
  const { low, high } = config.range;
  const segments: VaeSegment[] = [];
  for (let first = 0; first + config.bars <= bars.length; first += hopBars) {
    if (options.onlyAtBar !== undefined && first !== options.onlyAtBar) continue;
    let meterOk = true;
    for (let b = first; b < first + config.bars; b++) {
      const bar = bars[b]!;
      if (bar.steps !== config.stepsPerBar || (b > first && bar.step !== bars[b - 1]!.step + bars[b - 1]!.steps)) meterOk = false;
    }
    if (!meterOk) {
      counts.otherMeter++;
      continue;
    }
    const start = bars[first]!.step;
    const tokens = new Array<number>(T);
    let outside: number | null = null;
    for (let k = 0; k < T; k++) {
      const step = start + k;
      let raw = step < melody.length ? melody[step]! : PITCH_REST;
      if (raw === PITCH_HOLD && k === 0) raw = soundingPitch(melody, step);
      if (raw === PITCH_REST) tokens[k] = REST_TOKEN;
      else if (raw === PITCH_HOLD) tokens[k] = HOLD_TOKEN;
      else if (raw < low || raw > high) {
        outside ??= raw;
        tokens[k] = REST_TOKEN;
      } else tokens[k] = SPECIAL_TOKENS + raw - low;
    }
    if (outside !== null) {
      if (options.outOfRange === 'error') {
        throw new VaeError(`"${piece.name}", bar ${first + 1}: pitch ${outside} is outside the model's range ${low}..${high}. Transpose it into the range, or use a model trained on a wider one.`);
      }
      counts.outOfRange++;
      continue;
    }
    if (noteOnCount(tokens) < minNotes) {
      counts.empty++;
      continue;
    }
    segments.push({ tokens, source: { piece: piece.name, bar: first, ticks: bars[first]!.ticks } });
    counts.segments++;
  }
  return { segments, counts };
}

/** The pitch whose note is sounding at `step` (a hold there): the last note-on before it. */
function soundingPitch(melody: Uint8Array, step: number): number {
  for (let k = step - 1; k >= 0; k--) {
    const token = melody[k]!;
    if (token === PITCH_REST) return PITCH_REST;
    if (token !== PITCH_HOLD) return token;
  }
  return PITCH_REST;
}

/**
 * The segments of every piece, with the skipped ones counted; throws when none is usable (saying
 * why), since nothing can be trained on or encoded then.
 */
export function segmentCorpus(pieces: readonly Piece[], config: VaeConfig, options: SegmentOptions = {}): SegmentResult {
  const segments: VaeSegment[] = [];
  const counts = { segments: 0, otherMeter: 0, empty: 0, outOfRange: 0, silentPieces: 0 };
  for (const piece of pieces) {
    const result = segmentPiece(piece, config, options);
    segments.push(...result.segments);
    for (const key of Object.keys(counts) as (keyof SegmentCounts)[]) counts[key] += result.counts[key];
  }
  if (segments.length === 0) {
    const bars = `${config.bars} bar${config.bars === 1 ? '' : 's'} of ${config.stepsPerBar} steps`;
    throw new VaeError(
      `No segment of ${bars} could be cut from ${pieces.length} piece${pieces.length === 1 ? '' : 's'}: ` +
        `${counts.otherMeter} position(s) in another meter or too short, ${counts.empty} with fewer than ${options.minNotes ?? 1} note(s), ` +
        `${counts.outOfRange} with a pitch outside ${config.range.low}..${config.range.high}, ${counts.silentPieces} piece(s) without notes. ` +
        'Use longer pieces, fewer bars per segment, or a model whose bar length matches the music.',
    );
  }
  return { segments, counts };
}

export interface ClipSegmentOptions {
  /** The bar the segment starts at (0-based, on the piece's bar grid); default 0. */
  readonly startBar?: number;
  readonly tracks?: TrackSelection;
  readonly includeDrums?: boolean;
}

/**
 * The one segment of a clip (or piece) the composer chose, from `startBar`: empty bars allowed, a
 * pitch outside the range or a clip too short or in another meter refused with the reason.
 */
export function clipSegment(piece: Piece, config: VaeConfig, options: ClipSegmentOptions = {}): number[] {
  const startBar = options.startBar ?? 0;
  if (!Number.isInteger(startBar) || startBar < 0) throw new VaeError(`startBar must be a whole number ≥ 0, got ${startBar}.`);
  const bars = barGrid(piece, config.stepsPerQuarter);
  if (bars.length < startBar + config.bars) {
    throw new VaeError(`"${piece.name}" has ${bars.length} bar${bars.length === 1 ? '' : 's'}; a segment of this model needs ${config.bars} from bar ${startBar + 1}.`);
  }
  const wrong = bars.slice(startBar, startBar + config.bars).find((bar) => bar.steps !== config.stepsPerBar);
  if (wrong) {
    throw new VaeError(`"${piece.name}": the bar at tick ${wrong.ticks} spans ${wrong.steps} steps; this model's bars span ${config.stepsPerBar} (another meter).`);
  }
  const result = segmentPiece(piece, config, { tracks: options.tracks, includeDrums: options.includeDrums, minNotes: 0, outOfRange: 'error', onlyAtBar: startBar });
  const found = result.segments.find((segment) => segment.source?.bar === startBar);
  if (found) return [...found.tokens];
  if (result.counts.silentPieces > 0) return new Array<number>(segmentSteps(config)).fill(REST_TOKEN);
  throw new VaeError(`"${piece.name}": no segment of ${config.bars} bar(s) starts at bar ${startBar + 1}.`);
}
