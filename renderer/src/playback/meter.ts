/**
 * The piece's meters as playback needs them: where the metronome clicks (accenting each downbeat)
 * and how a tick reads as bars:beats:ticks. A time signature change starts a new bar where it
 * happens (as the piano roll's grid does); 4/4 holds before the first change.
 *
 * The first segment also extends backwards (negative ticks), so a count-in before bar 1 clicks in
 * the first meter.
 */
import type { TimeSignatureChange } from '../../../core/music/types';

export interface MeterSegment {
  readonly startTicks: number;
  readonly numerator: number;
  readonly denominator: number;
  /** One beat: a quarter for x/4, an eighth for x/8. */
  readonly beatTicks: number;
  readonly barTicks: number;
  /** Bars before this segment (0 for the first). */
  readonly barsBefore: number;
}

export type MeterMap = readonly MeterSegment[];

export interface Beat {
  readonly ticks: number;
  /** The first beat of a bar. */
  readonly accent: boolean;
}

export interface BarsBeatsTicks {
  /** 1-based, as musicians count; bar 0 and below are before the piece (a count-in). */
  readonly bar: number;
  /** 1-based. */
  readonly beat: number;
  /** Ticks into the beat. */
  readonly ticks: number;
}

const EPSILON = 1e-9;

function checkMeter(change: TimeSignatureChange): void {
  if (!Number.isInteger(change.numerator) || change.numerator < 1) throw new RangeError(`A time signature needs a positive numerator (got ${change.numerator}).`);
  if (!Number.isInteger(change.denominator) || change.denominator < 1) throw new RangeError(`A time signature needs a positive denominator (got ${change.denominator}).`);
}

export function meterMap(timeSignatures: readonly TimeSignatureChange[], ppq: number): MeterMap {
  const sorted = [...timeSignatures].sort((a, b) => a.ticks - b.ticks);
  sorted.forEach(checkMeter);
  if (sorted.length === 0 || sorted[0]!.ticks > 0) sorted.unshift({ ticks: 0, numerator: 4, denominator: 4 });
  const segments: MeterSegment[] = [];
  for (const change of sorted) {
    const previous = segments[segments.length - 1];
    // Two changes at one tick: the later one wins.
    if (previous && previous.startTicks === change.ticks) segments.pop();
    const before = segments[segments.length - 1];
    const barsBefore = before ? before.barsBefore + Math.ceil((change.ticks - before.startTicks) / before.barTicks - EPSILON) : 0;
    const beatTicks = (ppq * 4) / change.denominator;
    segments.push({ startTicks: change.ticks, numerator: change.numerator, denominator: change.denominator, beatTicks, barTicks: beatTicks * change.numerator, barsBefore });
  }
  return segments;
}

function segmentIndexAt(map: MeterMap, ticks: number): number {
  let low = 0;
  let high = map.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (map[middle]!.startTicks <= ticks + EPSILON) low = middle;
    else high = middle - 1;
  }
  return low;
}

export function meterAt(map: MeterMap, ticks: number): MeterSegment {
  return map[segmentIndexAt(map, ticks)]!;
}

function modulo(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/**
 * The beats in [from, to), in order, each marked when it starts a bar. A beat's tick is always
 * computed the same way (segment start + n beats) and compared exactly, so consecutive windows
 * [a, b) and [b, c) never both hold one beat.
 */
export function beatsInRange(map: MeterMap, from: number, to: number): Beat[] {
  const beats: Beat[] = [];
  for (let index = segmentIndexAt(map, from); index < map.length; index++) {
    const segment = map[index]!;
    const segmentEnd = index + 1 < map.length ? map[index + 1]!.startTicks : Infinity;
    const start = index === 0 ? from : Math.max(from, segment.startTicks);
    const end = Math.min(to, segmentEnd);
    if (start >= to) break;
    const at = (beat: number) => segment.startTicks + beat * segment.beatTicks;
    let beat = Math.ceil((start - segment.startTicks) / segment.beatTicks);
    while (at(beat - 1) >= start) beat--;
    while (at(beat) < start) beat++;
    for (; at(beat) < end; beat++) beats.push({ ticks: at(beat), accent: modulo(beat, segment.numerator) === 0 });
  }
  return beats;
}

export function barsBeatsTicks(map: MeterMap, ticks: number): BarsBeatsTicks {
  const segment = meterAt(map, ticks);
  const offset = ticks - segment.startTicks;
  const barsIn = Math.floor(offset / segment.barTicks + EPSILON);
  const intoBar = offset - barsIn * segment.barTicks;
  const beat = Math.min(segment.numerator - 1, Math.floor(intoBar / segment.beatTicks + EPSILON));
  return { bar: segment.barsBefore + barsIn + 1, beat: beat + 1, ticks: Math.max(0, Math.floor(intoBar - beat * segment.beatTicks + EPSILON)) };
}

/** "5:3:120" (bar 5, beat 3, 120 ticks in); ticks padded to the width of a beat's ticks. */
export function formatBarsBeatsTicks(map: MeterMap, ticks: number): string {
  const position = barsBeatsTicks(map, ticks);
  const width = String(Math.max(1, Math.ceil(meterAt(map, ticks).beatTicks) - 1)).length;
  return `${position.bar}:${position.beat}:${String(position.ticks).padStart(width, '0')}`;
}

/** The tick where bar `bar` (1-based) starts. */
export function barStartTicks(map: MeterMap, bar: number): number {
  const barsBefore = bar - 1;
  let segment = map[0]!;
  for (const candidate of map) if (candidate.barsBefore <= barsBefore) segment = candidate;
  return segment.startTicks + (barsBefore - segment.barsBefore) * segment.barTicks;
}
