import { describe, expect, it } from 'vitest';
import { NOTE_VALUE_BIN_EDGES, TEMPO_BIN_EDGES, VELOCITY_BIN_EDGES } from '../../../core/music/stats/describe';
import {
  binValues,
  compactCount,
  histogramSeries,
  modeIndex,
  niceBinWidth,
  notesPerPieceSeries,
  noteValueSeries,
  pitchClassSeries,
  pitchDisplayRange,
  pitchSeries,
  shareOf,
  tempoSeries,
  thinTicks,
  usedPitchRange,
} from '../../../renderer/src/views/statistics/statistics-model';

function pitchCounts(used: Record<number, number>): number[] {
  const counts = new Array<number>(128).fill(0);
  for (const [pitch, count] of Object.entries(used)) counts[Number(pitch)] = count;
  return counts;
}

describe('binning notes per piece', () => {
  it('picks round widths: 1, 2, 5 × 10^k', () => {
    expect(niceBinWidth(294, 16)).toBe(20);
    expect(niceBinWidth(10, 16)).toBe(1);
    expect(niceBinWidth(70, 16)).toBe(5);
    expect(niceBinWidth(1600, 16)).toBe(100);
    expect(niceBinWidth(0, 16)).toBe(1);
    expect(() => niceBinWidth(10, 0)).toThrow(/At least one bin/);
  });

  it('bins JSB-like counts from a multiple of the width, every value counted once', () => {
    const values = [37, 151, 208, 183, 242, 247, 252, 303, 331, 99, 100, 119];
    const binned = binValues(values, 16);
    expect(binned.width).toBe(20);
    expect(binned.lowerEdges[0]).toBe(20);
    expect(binned.lowerEdges.at(-1)).toBe(320);
    expect(binned.counts.reduce((sum, count) => sum + count, 0)).toBe(values.length);
    // 99 in [80,100), 100 and 119 in [100,120).
    expect(binned.counts[binned.lowerEdges.indexOf(80)]).toBe(1);
    expect(binned.counts[binned.lowerEdges.indexOf(100)]).toBe(2);
    expect(binned.counts[binned.lowerEdges.indexOf(320)]).toBe(1);
  });

  it('handles one value, equal values and nothing', () => {
    expect(binValues([42])).toEqual({ lowerEdges: [42], counts: [1], width: 1 });
    expect(binValues([5, 5, 5])).toEqual({ lowerEdges: [5], counts: [3], width: 1 });
    expect(binValues([])).toEqual({ lowerEdges: [], counts: [], width: 1 });
    expect(() => binValues([1, Number.NaN])).toThrow(/finite/);
  });

  it('labels bins as closed ranges of whole notes', () => {
    const series = notesPerPieceSeries([0, 9, 10, 25]);
    expect(series.labels).toEqual(['0–1 notes', '2–3 notes', '4–5 notes', '6–7 notes', '8–9 notes', '10–11 notes', '12–13 notes', '14–15 notes', '16–17 notes', '18–19 notes', '20–21 notes', '22–23 notes', '24–25 notes']);
    expect(series.tickLabels[0]).toBe('0');
    expect(series.counts.reduce((sum, count) => sum + count, 0)).toBe(4);
  });
});

describe('histogram labels', () => {
  it('tempo: an open first and last bin', () => {
    const series = histogramSeries({ lowerEdges: TEMPO_BIN_EDGES, counts: TEMPO_BIN_EDGES.map(() => 0) }, { openFirst: true, unit: 'bpm' });
    expect(series.labels[0]).toBe('<40 bpm');
    expect(series.labels[1]).toBe('40–50 bpm');
    expect(series.labels.at(-1)).toBe('240+ bpm');
    expect(series.tickLabels.slice(0, 3)).toEqual(['<40', '40', '50']);
  });

  it('tempo: axis labels on round tempi', () => {
    const series = tempoSeries({ lowerEdges: TEMPO_BIN_EDGES, counts: TEMPO_BIN_EDGES.map(() => 0) });
    expect(series.ticks!.map((index) => series.tickLabels[index])).toEqual(['40', '60', '80', '100', '120', '140', '160', '180', '200', '220', '240']);
    expect(series.labels[7]).toBe('100–110 bpm');
  });

  it('velocity: closed whole-number ranges up to 127', () => {
    const series = histogramSeries({ lowerEdges: VELOCITY_BIN_EDGES, counts: VELOCITY_BIN_EDGES.map(() => 1) }, { integers: true, maxValue: 127 });
    expect(series.labels[0]).toBe('0–7');
    expect(series.labels.at(-1)).toBe('120–127');
    expect(series.labels).toHaveLength(16);
  });

  it('refuses a histogram whose edges and counts disagree', () => {
    expect(() => histogramSeries({ lowerEdges: [0, 1], counts: [1] })).toThrow(/one count per bin/);
  });

  it('note values for durations and inter-onset intervals', () => {
    const series = noteValueSeries({ lowerEdges: NOTE_VALUE_BIN_EDGES, counts: NOTE_VALUE_BIN_EDGES.map(() => 0) });
    expect(series.tickLabels).toEqual(['<1/64', '1/64', '1/32', '1/16', '1/8', '1/4', '1/2', '1', '≥2']);
    expect(series.labels[5]).toBe('1/4 to < 1/2');
    expect(series.labels.at(-1)).toBe('≥ 2');
    expect(series.ticks).toHaveLength(NOTE_VALUE_BIN_EDGES.length);
  });
});

describe('pitch plots', () => {
  it('shows whole octaves around the used pitches, labelled on every C', () => {
    // A choir: C2 (36) to A5 (81).
    const counts = pitchCounts({ 36: 4, 60: 100, 81: 2 });
    expect(pitchDisplayRange(counts)).toEqual({ low: 36, high: 83 });
    const series = pitchSeries(counts);
    expect(series.firstPitch).toBe(36);
    expect(series.counts).toHaveLength(48);
    expect(series.counts[60 - 36]).toBe(100);
    expect(series.ticks!.map((index) => series.tickLabels[index])).toEqual(['C2', 'C3', 'C4', 'C5']);
    expect(series.labels[1]).toBe('C#2');
  });

  it('widens a narrow range to two octaves and keeps inside 0..127', () => {
    expect(pitchDisplayRange(pitchCounts({ 64: 1 }))).toEqual({ low: 60, high: 83 });
    expect(pitchDisplayRange(pitchCounts({ 127: 1 }))).toEqual({ low: 108, high: 127 });
    expect(pitchDisplayRange(pitchCounts({}))).toEqual({ low: 0, high: 127 });
    expect(() => pitchSeries([1, 2, 3])).toThrow(/128 counts/);
  });

  it('pitch classes C..B', () => {
    const series = pitchClassSeries([1, 0, 2, 0, 3, 4, 0, 5, 0, 6, 0, 7]);
    expect(series.tickLabels).toEqual(['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B']);
    expect(() => pitchClassSeries([1])).toThrow(/12 counts/);
  });

  it('names the used range', () => {
    expect(usedPitchRange(pitchCounts({ 36: 1, 81: 1 }))).toBe('C2–A5');
    expect(usedPitchRange(pitchCounts({ 60: 1 }))).toBe('C4');
    expect(usedPitchRange(pitchCounts({}))).toBe('—');
  });
});

describe('plot helpers', () => {
  it('thins axis labels to fit the width', () => {
    expect(thinTicks(16, 800, 40)).toEqual([...Array(16).keys()]);
    expect(thinTicks(16, 320, 40)).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    expect(thinTicks(30, 300, 45)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(thinTicks(0, 300, 40)).toEqual([]);
  });

  it('formats counts compactly for the y axis', () => {
    expect(compactCount(0)).toBe('0');
    expect(compactCount(950)).toBe('950');
    expect(compactCount(1200)).toBe('1.2k');
    expect(compactCount(2000)).toBe('2k');
    expect(compactCount(49_300)).toBe('49k');
    expect(compactCount(1_500_000)).toBe('1.5M');
  });

  it('gives shares and the tallest bar', () => {
    expect(shareOf(1, [1, 3])).toBe('25%');
    expect(shareOf(1, [1, 199])).toBe('0.5%');
    expect(shareOf(0, [0, 0])).toBe('0%');
    expect(modeIndex([0, 3, 5, 5, 1])).toBe(2);
    expect(modeIndex([0, 0])).toBeNull();
  });
});
