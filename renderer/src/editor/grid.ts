/**
 * Time in the piano roll: the piece's meters as segments (a time signature change starts a new bar
 * where it happens), bar and beat lines for the ruler, and the snap grid (straight 1/2 … 1/32,
 * triplets, or off), which is anchored at the start of the meter segment a time falls in so that a
 * 7/8 bar after a 4/4 one still snaps to its own beats.
 */
import type { TimeSignatureChange } from '../../../core/music/types';

export interface MeterSegment {
  readonly startTicks: number;
  readonly numerator: number;
  readonly denominator: number;
  readonly barTicks: number;
  readonly beatTicks: number;
  /** The number (0-based) of the bar that starts this segment. */
  readonly firstBar: number;
}

export interface MeterMap {
  readonly ppq: number;
  readonly segments: readonly MeterSegment[];
}

export function buildMeterMap(timeSignatures: readonly TimeSignatureChange[], ppq: number): MeterMap {
  if (!Number.isFinite(ppq) || ppq <= 0) throw new RangeError(`ppq must be a positive number of ticks per quarter (got ${ppq}).`);
  const sorted = [...timeSignatures]
    .filter((signature) => signature.numerator > 0 && signature.denominator > 0 && signature.ticks >= 0)
    .sort((a, b) => a.ticks - b.ticks);
  // The last of several changes at one tick wins; 4/4 until the first change.
  const changes: TimeSignatureChange[] = [];
  for (const change of sorted) {
    if (changes.length > 0 && changes[changes.length - 1]!.ticks === change.ticks) changes[changes.length - 1] = change;
    else changes.push(change);
  }
  if (changes.length === 0 || changes[0]!.ticks > 0) changes.unshift({ ticks: 0, numerator: 4, denominator: 4 });
  const segments: MeterSegment[] = [];
  for (const change of changes) {
    const beatTicks = (ppq * 4) / change.denominator;
    const barTicks = beatTicks * change.numerator;
    const previous = segments[segments.length - 1];
    let firstBar = 0;
    if (previous) {
      // A change inside a bar cuts that bar short: the new meter's first bar starts at the change.
      firstBar = previous.firstBar + Math.ceil((change.ticks - previous.startTicks) / previous.barTicks - 1e-9);
    }
    const segment = { startTicks: change.ticks, numerator: change.numerator, denominator: change.denominator, barTicks, beatTicks, firstBar };
    if (previous && previous.numerator === segment.numerator && previous.denominator === segment.denominator && isOnBar(previous, change.ticks)) continue;
    segments.push(segment);
  }
  return { ppq, segments };
}

function isOnBar(segment: MeterSegment, ticks: number): boolean {
  const bars = (ticks - segment.startTicks) / segment.barTicks;
  return Math.abs(bars - Math.round(bars)) < 1e-9;
}

export function segmentAt(meter: MeterMap, ticks: number): MeterSegment {
  const { segments } = meter;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (segments[middle]!.startTicks <= ticks) low = middle;
    else high = middle - 1;
  }
  return segments[low]!;
}

export interface BarPosition {
  /** 0-based bar number. */
  readonly bar: number;
  readonly barStart: number;
  /** 0-based beat within the bar. */
  readonly beat: number;
  /** Ticks after that beat. */
  readonly ticksIntoBeat: number;
  readonly segment: MeterSegment;
}

export function barPosition(meter: MeterMap, ticks: number): BarPosition {
  const segment = segmentAt(meter, Math.max(0, ticks));
  const offset = Math.max(0, ticks - segment.startTicks);
  const barsIn = Math.floor(offset / segment.barTicks + 1e-9);
  const barStart = segment.startTicks + barsIn * segment.barTicks;
  const intoBar = ticks - barStart;
  const beat = Math.floor(intoBar / segment.beatTicks + 1e-9);
  return { bar: segment.firstBar + barsIn, barStart, beat, ticksIntoBeat: intoBar - beat * segment.beatTicks, segment };
}

/** "5.3" for the third beat of bar 5 (both 1-based, as a musician counts). */
export function formatBarBeat(meter: MeterMap, ticks: number): string {
  const position = barPosition(meter, ticks);
  return `${position.bar + 1}.${position.beat + 1}`;
}

export interface GridLine {
  readonly ticks: number;
  readonly kind: 'bar' | 'beat' | 'step';
  /** 0-based bar number, for bar lines. */
  readonly bar: number;
  readonly segment: MeterSegment;
}

/**
 * Bar, beat and (when `stepTicks` is given) sub-beat lines between `from` and `to`, in order. The
 * caller chooses which kinds to ask for by zoom, so a zoomed-out view does not get a line per pixel.
 */
export function gridLines(meter: MeterMap, from: number, to: number, options: { beats: boolean; stepTicks: number | null }): GridLine[] {
  const lines: GridLine[] = [];
  const { segments } = meter;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    const segmentEnd = segments[index + 1]?.startTicks ?? Infinity;
    if (segmentEnd <= from || segment.startTicks > to) continue;
    const step = options.stepTicks !== null ? options.stepTicks : options.beats ? segment.beatTicks : segment.barTicks;
    const first = Math.max(0, Math.floor((Math.max(from, segment.startTicks) - segment.startTicks) / step));
    for (let count = first; ; count++) {
      const ticks = segment.startTicks + count * step;
      if (ticks >= segmentEnd || ticks > to) break;
      if (ticks < from) continue;
      const intoSegment = ticks - segment.startTicks;
      const barsIn = intoSegment / segment.barTicks;
      const onBar = Math.abs(barsIn - Math.round(barsIn)) < 1e-6;
      const beatsIn = intoSegment / segment.beatTicks;
      const onBeat = Math.abs(beatsIn - Math.round(beatsIn)) < 1e-6;
      const kind = onBar ? 'bar' : onBeat ? 'beat' : 'step';
      if (kind === 'beat' && !options.beats && options.stepTicks === null) continue;
      lines.push({ ticks: Math.round(ticks), kind, bar: segment.firstBar + Math.floor(barsIn + 1e-6), segment });
    }
  }
  return lines;
}

// ---- snap ----------------------------------------------------------------------------------

export const SNAP_OPTIONS = ['1/2', '1/4', '1/8', '1/16', '1/32', '1/4T', '1/8T', '1/16T', 'off'] as const;
export type SnapSetting = (typeof SNAP_OPTIONS)[number];

/** As the snap menu shows them: "T" marks triplets, as DAWs write it. */
export const SNAP_LABELS: Readonly<Record<SnapSetting, string>> = {
  '1/2': '1/2',
  '1/4': '1/4',
  '1/8': '1/8',
  '1/16': '1/16',
  '1/32': '1/32',
  '1/4T': '1/4T',
  '1/8T': '1/8T',
  '1/16T': '1/16T',
  off: 'Off',
};

export function isSnapSetting(value: string): value is SnapSetting {
  return (SNAP_OPTIONS as readonly string[]).includes(value);
}

/** The grid step in ticks (fractional for triplets at some resolutions), or null when snap is off. */
export function snapStepTicks(snap: SnapSetting, ppq: number): number | null {
  if (snap === 'off') return null;
  const triplet = snap.endsWith('T');
  const denominator = Number(snap.slice(2, triplet ? -1 : undefined));
  const straight = (ppq * 4) / denominator;
  return triplet ? (straight * 2) / 3 : straight;
}

/** The step a note drawn or nudged uses: the grid step, or a 1/16 when snap is off. */
export function editStepTicks(snap: SnapSetting, ppq: number): number {
  return Math.max(1, Math.round(snapStepTicks(snap, ppq) ?? ppq / 4));
}

export type SnapMode = 'nearest' | 'floor' | 'ceil';

/** `ticks` on the grid of `step` anchored at its meter segment's start; integer ticks, never < 0. */
export function snapTicks(meter: MeterMap, ticks: number, step: number | null, mode: SnapMode = 'nearest'): number {
  if (step === null || step <= 0) return Math.max(0, Math.round(ticks));
  const segment = segmentAt(meter, Math.max(0, ticks));
  const steps = (ticks - segment.startTicks) / step;
  const rounded = mode === 'floor' ? Math.floor(steps + 1e-9) : mode === 'ceil' ? Math.ceil(steps - 1e-9) : Math.round(steps);
  let snapped = segment.startTicks + rounded * step;
  // The next segment may start before the next grid point of this one: its start is on the grid too.
  const next = meter.segments[meter.segments.indexOf(segment) + 1];
  if (next && snapped > next.startTicks && mode !== 'floor') snapped = next.startTicks;
  return Math.max(0, Math.round(snapped));
}
