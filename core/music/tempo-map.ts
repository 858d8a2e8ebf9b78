/**
 * Ticks ↔ seconds through a tempo map. Representations live in quarter-based steps, so tempo never
 * moves a step; seconds are rebuilt from the tempo map the caller passes when music is decoded.
 */
import { RepresentationError } from './errors';
import type { TempoChange } from './types';

export const DEFAULT_TEMPO_BPM = 120;
export const DEFAULT_TEMPOS: readonly TempoChange[] = [{ ticks: 0, bpm: DEFAULT_TEMPO_BPM }];

interface Segment {
  readonly ticks: number;
  readonly seconds: number;
  readonly secondsPerTick: number;
}

/** The tempo map as segments with their start in seconds; 120 bpm before the first change. */
function segmentsOf(tempos: readonly TempoChange[], ppq: number): Segment[] {
  if (!Number.isFinite(ppq) || ppq <= 0) throw new RepresentationError(`ppq must be a positive number of ticks per quarter (got ${ppq}).`);
  const sorted = [...tempos].sort((a, b) => a.ticks - b.ticks);
  for (const tempo of sorted) {
    if (!Number.isFinite(tempo.bpm) || tempo.bpm <= 0) throw new RepresentationError(`A tempo must be a positive bpm (got ${tempo.bpm} at tick ${tempo.ticks}).`);
    if (!Number.isFinite(tempo.ticks) || tempo.ticks < 0) throw new RepresentationError(`A tempo change must be at tick 0 or later (got ${tempo.ticks}).`);
  }
  if (sorted.length === 0 || sorted[0]!.ticks > 0) sorted.unshift({ ticks: 0, bpm: DEFAULT_TEMPO_BPM });
  const segments: Segment[] = [];
  let seconds = 0;
  for (let index = 0; index < sorted.length; index++) {
    const tempo = sorted[index]!;
    const previous = segments[segments.length - 1];
    if (previous) seconds = previous.seconds + (tempo.ticks - previous.ticks) * previous.secondsPerTick;
    segments.push({ ticks: tempo.ticks, seconds, secondsPerTick: 60 / (tempo.bpm * ppq) });
  }
  return segments;
}

/** The last segment starting at or before `value` on the chosen axis (segments are sorted on both). */
function segmentAt(segments: readonly Segment[], value: number, axis: 'ticks' | 'seconds'): Segment {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (segments[middle]![axis] <= value) low = middle;
    else high = middle - 1;
  }
  return segments[low]!;
}

/** A converter from ticks to seconds for this tempo map (built once, then O(log tempo changes) a call). */
export function ticksToSeconds(tempos: readonly TempoChange[], ppq: number): (ticks: number) => number {
  const segments = segmentsOf(tempos, ppq);
  return (ticks) => {
    const segment = segmentAt(segments, ticks, 'ticks');
    return segment.seconds + (ticks - segment.ticks) * segment.secondsPerTick;
  };
}

/** The inverse: seconds to (fractional) ticks; callers round when they need whole ticks. */
export function secondsToTicks(tempos: readonly TempoChange[], ppq: number): (seconds: number) => number {
  const segments = segmentsOf(tempos, ppq);
  return (seconds) => {
    const segment = segmentAt(segments, seconds, 'seconds');
    return segment.ticks + (seconds - segment.seconds) / segment.secondsPerTick;
  };
}
