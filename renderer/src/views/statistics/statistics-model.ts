/**
 * Turning CorpusStatistics into what the plots draw: bars with a long label (for the readout) and a
 * short one (for the axis), which bars get an axis label, and the binning of notes per piece, which
 * the API returns as raw values. No DOM here, so all of it is unit-tested.
 */
import type { Histogram } from '../../../../core/music/stats/describe';
import { formatCount } from '../../lib/format';
import { noteValueLabel, PITCH_CLASS_NAMES, pitchName } from '../../lib/music-labels';

export interface BarSeries {
  /** One per bar, for the hover readout: "C#4", "100–110 bpm". */
  readonly labels: readonly string[];
  /** One per bar, for the x axis: short. */
  readonly tickLabels: readonly string[];
  readonly counts: readonly number[];
  /** Bars that get an axis label; null lets the plot thin them to fit its width. */
  readonly ticks: readonly number[] | null;
}

const integerFormat = (value: number): string => formatCount(value);

/**
 * Bin i of `histogram` is [edge i, edge i+1); the last one is open above. A first bin starting at 0 in
 * front of a larger edge reads "<40"; with `integers`, bins read as closed ranges ("8–15") and
 * `maxValue` closes the last one ("120–127").
 */
export function histogramSeries(
  histogram: Histogram,
  options: { format?: (value: number) => string; unit?: string; integers?: boolean; maxValue?: number; openFirst?: boolean } = {},
): BarSeries {
  const format = options.format ?? integerFormat;
  const unit = options.unit ? ` ${options.unit}` : '';
  const { lowerEdges, counts } = histogram;
  if (lowerEdges.length !== counts.length) throw new RangeError(`A histogram needs one count per bin (${lowerEdges.length} edges, ${counts.length} counts).`);
  const labels = lowerEdges.map((low, index) => {
    const high = lowerEdges[index + 1];
    if (high === undefined) {
      if (options.integers && options.maxValue !== undefined) return low === options.maxValue ? `${format(low)}${unit}` : `${format(low)}–${format(options.maxValue)}${unit}`;
      return `${format(low)}+${unit}`;
    }
    if (index === 0 && options.openFirst) return `<${format(high)}${unit}`;
    if (options.integers) return high - 1 === low ? `${format(low)}${unit}` : `${format(low)}–${format(high - 1)}${unit}`;
    return `${format(low)}–${format(high)}${unit}`;
  });
  const tickLabels = lowerEdges.map((low, index) => (index === 0 && options.openFirst && lowerEdges[1] !== undefined ? `<${format(lowerEdges[1])}` : format(low)));
  return { labels, tickLabels, counts: [...counts], ticks: null };
}

/** Tempo marks in 10-bpm bins, the axis labelled on round tempi (40, 60, 80, …) rather than every other bin. */
export function tempoSeries(histogram: Histogram): BarSeries {
  const series = histogramSeries(histogram, { openFirst: true, unit: 'bpm' });
  const ticks = histogram.lowerEdges.flatMap((edge, index) => (edge > 0 && edge % 20 === 0 ? [index] : []));
  return { ...series, ticks: ticks.length > 0 ? ticks : null };
}

/** Durations and inter-onset intervals: bins of note values, from their lower edges in quarters. */
export function noteValueSeries(histogram: Histogram): BarSeries {
  const { lowerEdges, counts } = histogram;
  const labels = lowerEdges.map((low, index) => {
    const high = lowerEdges[index + 1];
    if (high === undefined) return `≥ ${noteValueLabel(low)}`;
    if (low === 0) return `< ${noteValueLabel(high)}`;
    return `${noteValueLabel(low)} to < ${noteValueLabel(high)}`;
  });
  const tickLabels = lowerEdges.map((low, index) => {
    const high = lowerEdges[index + 1];
    if (low === 0 && high !== undefined) return `<${noteValueLabel(high)}`;
    return high === undefined ? `≥${noteValueLabel(low)}` : noteValueLabel(low);
  });
  return { labels, tickLabels, counts: [...counts], ticks: lowerEdges.map((_, index) => index) };
}

/**
 * The pitches worth drawing: whole octaves (C to B) around the used ones, at least two octaves, so a
 * choir's range is not lost in 128 mostly empty bars. All of 0..127 when nothing is used.
 */
export function pitchDisplayRange(pitchCounts: readonly number[]): { readonly low: number; readonly high: number } {
  const used = pitchCounts.flatMap((count, pitch) => (count > 0 ? [pitch] : []));
  if (used.length === 0) return { low: 0, high: 127 };
  let low = Math.floor(used[0]! / 12) * 12;
  let high = Math.min(127, Math.floor(used[used.length - 1]! / 12) * 12 + 11);
  if (high - low < 23) {
    if (high + 12 <= 127) high += 12;
    else low = Math.max(0, low - 12);
  }
  return { low, high };
}

/** The pitch histogram over its display range, with an axis label on every C. */
export function pitchSeries(pitchCounts: readonly number[]): BarSeries & { readonly firstPitch: number } {
  if (pitchCounts.length !== 128) throw new RangeError(`A pitch histogram has 128 counts (got ${pitchCounts.length}).`);
  const { low, high } = pitchDisplayRange(pitchCounts);
  const pitches = Array.from({ length: high - low + 1 }, (_, offset) => low + offset);
  const labels = pitches.map(pitchName);
  return {
    firstPitch: low,
    labels,
    tickLabels: labels,
    counts: pitches.map((pitch) => pitchCounts[pitch]!),
    ticks: pitches.flatMap((pitch, index) => (pitch % 12 === 0 ? [index] : [])),
  };
}

export function pitchClassSeries(pitchClassCounts: readonly number[]): BarSeries {
  if (pitchClassCounts.length !== 12) throw new RangeError(`A pitch-class histogram has 12 counts (got ${pitchClassCounts.length}).`);
  return { labels: PITCH_CLASS_NAMES, tickLabels: PITCH_CLASS_NAMES, counts: [...pitchClassCounts], ticks: PITCH_CLASS_NAMES.map((_, index) => index) };
}

/** 1, 2, 5, 10, 20, 50, ...: the smallest such width giving at most `targetBins` bins over `span`. */
export function niceBinWidth(span: number, targetBins: number): number {
  if (!(targetBins >= 1)) throw new RangeError(`At least one bin is needed (got ${targetBins}).`);
  if (!(span > 0)) return 1;
  const rough = span / targetBins;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  for (const step of [1, 2, 5, 10]) {
    const width = step * magnitude;
    if (width >= rough - 1e-9) return Math.max(1, width);
  }
  return Math.max(1, 10 * magnitude);
}

/**
 * Whole-number values (notes per piece) in bins of a round width, starting at a multiple of it, at
 * most `targetBins` of them (plus one when the largest value falls on an edge).
 */
export function binValues(values: readonly number[], targetBins = 16): Histogram & { readonly width: number } {
  if (values.length === 0) return { lowerEdges: [], counts: [], width: 1 };
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) throw new RangeError(`Only finite numbers can be binned (got ${value}).`);
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  const width = niceBinWidth(max - min, targetBins);
  const start = Math.floor(min / width) * width;
  const binCount = Math.floor((max - start) / width) + 1;
  const counts = new Array<number>(binCount).fill(0);
  for (const value of values) counts[Math.min(binCount - 1, Math.floor((value - start) / width))]!++;
  return { lowerEdges: counts.map((_, index) => start + index * width), counts, width };
}

/** Notes per piece, binned: "200–249 notes" for the readout, "200" on the axis. */
export function notesPerPieceSeries(values: readonly number[]): BarSeries {
  const binned = binValues(values);
  return {
    ...histogramSeries({ lowerEdges: binned.lowerEdges, counts: binned.counts }, { integers: true, maxValue: binned.lowerEdges.at(-1)! + binned.width - 1, unit: 'notes' }),
    ticks: null,
  };
}

/**
 * Which bars get an axis label when the plot is `plotWidth` px wide and a label needs `labelWidth` px:
 * every k-th bar from the first, k the smallest that fits.
 */
export function thinTicks(barCount: number, plotWidth: number, labelWidth: number): number[] {
  if (barCount <= 0) return [];
  const perBar = plotWidth / barCount;
  const stride = perBar <= 0 ? barCount : Math.max(1, Math.ceil(labelWidth / perBar));
  return Array.from({ length: Math.ceil(barCount / stride) }, (_, index) => index * stride);
}

/** Axis numbers: "950", "1.2k", "12k", "1.5M". */
export function compactCount(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6) return `${trimZeros((value / 1e6).toFixed(magnitude >= 1e7 ? 0 : 1))}M`;
  if (magnitude >= 1e3) return `${trimZeros((value / 1e3).toFixed(magnitude >= 1e4 ? 0 : 1))}k`;
  return `${Math.round(value)}`;
}

function trimZeros(text: string): string {
  return text.replace(/\.0$/, '');
}

/** The share of one bar in the whole, for the readout: "12.3%". */
export function shareOf(count: number, counts: readonly number[]): string {
  const total = counts.reduce((sum, value) => sum + value, 0);
  if (total === 0) return '0%';
  const percent = (count / total) * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

/** The tallest bar (the first of equals), or null when all are empty. */
export function modeIndex(counts: readonly number[]): number | null {
  let best: number | null = null;
  for (let index = 0; index < counts.length; index++) {
    if (counts[index]! > 0 && (best === null || counts[index]! > counts[best]!)) best = index;
  }
  return best;
}

/** The lowest and highest used pitch, "C2–A5", or "—". */
export function usedPitchRange(pitchCounts: readonly number[]): string {
  const first = pitchCounts.findIndex((count) => count > 0);
  if (first === -1) return '—';
  let last = pitchCounts.length - 1;
  while (pitchCounts[last] === 0) last--;
  return first === last ? pitchName(first) : `${pitchName(first)}–${pitchName(last)}`;
}
