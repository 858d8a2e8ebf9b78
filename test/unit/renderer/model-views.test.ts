import { HmmSettingsSchema } from '../../../core/ipc/schemas';
import { describe, expect, it } from 'vitest';
import { rollLayout, pitchWindow, ticksPerBar, usedPitches } from '../../../renderer/src/views/clips/clip-roll';
import {
  describeSettings,
  formatDuration,
  formatGain,
  formatLogLikelihood,
  formatPerplexity,
  formatTolerance,
  parseLogLikelihood,
  perplexity,
  resumePlan,
  trainingProgress,
} from '../../../renderer/src/views/models/model-format';
import { curveData, curveRange, iterationRange, lastGain, toAlignedData } from '../../../renderer/src/views/models/training-curve-model';
import { makeClip, makeModel } from './fake-studio';

describe('model figures', () => {
  it('writes log-likelihoods with a true minus sign and reads them back', () => {
    expect(formatLogLikelihood(-2.41349)).toBe('\u22122.413');
    expect(formatLogLikelihood(-2.41349, 2)).toBe('\u22122.41');
    expect(formatLogLikelihood(0.5)).toBe('0.500');
    expect(formatLogLikelihood(-0.0001)).toBe('0.000');
    expect(formatLogLikelihood(null)).toBe('—');
    expect(formatLogLikelihood(Number.NaN)).toBe('—');
    expect(parseLogLikelihood('\u22122.413')).toBe(-2.413);
  });

  it('gives the perplexity exp(−LL) for token models only', () => {
    expect(perplexity(-Math.log(12), 'pitch')).toBeCloseTo(12, 10);
    expect(perplexity(-1, 'event')).toBeCloseTo(Math.E, 12);
    expect(perplexity(-1, 'note')).toBeNull();
    expect(formatPerplexity(2.71828)).toBe('2.72');
    expect(formatPerplexity(12.345)).toBe('12.3');
    expect(formatPerplexity(4321.4)).toBe('4,321');
    expect(formatPerplexity(3.2e9)).toBe('3.20e9');
    expect(formatPerplexity(null)).toBe('—');
  });

  it('shows tolerances and settings the way a composer types them', () => {
    expect(formatTolerance(1e-4)).toBe('1e-4');
    expect(formatTolerance(0.001)).toBe('0.001');
    expect(formatTolerance(0.05)).toBe('0.05');
    expect(formatTolerance(2.5e-7)).toBe('2.5e-7');
    const settings = HmmSettingsSchema.parse(makeModel({ id: 1 }).settings);
    expect(describeSettings(settings)).toBe('16 states · k-means init · seed 1 · tol 1e-4 · 4 steps/quarter');
    expect(describeSettings({ ...settings, representation: 'note', states: 1, init: 'random' })).toBe('1 state · random init · seed 1 · tol 1e-4');
  });

  it('formats training time', () => {
    expect(formatDuration(0.0081)).toBe('8 ms');
    expect(formatDuration(0.42)).toBe('420 ms');
    expect(formatDuration(4.25)).toBe('4.3 s');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(Number.NaN)).toBe('0 ms');
  });

  it('reads training progress from the job while it runs, else from the iterations', () => {
    const model = makeModel({ id: 1, status: 'training', iterations: 25 });
    expect(trainingProgress(model, undefined)).toBe(0.25);
    expect(trainingProgress(model, { status: 'running', progress: 0.4 })).toBe(0.4);
    expect(trainingProgress(model, { status: 'queued', progress: 0 })).toBe(0.25);
    expect(trainingProgress({ ...model, status: 'trained', iterations: 12 }, undefined)).toBe(1);
  });

  it('plans Resume: continue to the maximum, or beyond it once reached, never while training', () => {
    expect(resumePlan(makeModel({ id: 1, status: 'training', iterations: 3 }))).toEqual({ kind: 'none' });
    expect(resumePlan(makeModel({ id: 1, status: 'stopped', iterations: 3 }))).toEqual({ kind: 'resume' });
    expect(resumePlan(makeModel({ id: 1, status: 'trained', iterations: 100 }))).toEqual({ kind: 'extend', maxIterations: 150 });
    const atLimit = makeModel({ id: 1, status: 'trained', iterations: 10_000 });
    expect(resumePlan({ ...atLimit, settings: { ...atLimit.settings, maxIterations: 10_000 } })).toEqual({ kind: 'none' });
  });
});

describe('training curve data', () => {
  it('orders points by iteration, keeps the last report of an iteration and drops non-finite values', () => {
    const curve = curveData(
      [
        { iteration: 2, logLikelihoodPerToken: -2.5 },
        { iteration: 1, logLikelihoodPerToken: -3 },
        { iteration: 2, logLikelihoodPerToken: -2.4 },
        { iteration: 3, logLikelihoodPerToken: Number.NaN },
      ],
      -2.6,
    );
    expect(curve).toEqual({ iterations: [1, 2], train: [-3, -2.4], valid: [-2.6, -2.6] });
    expect(toAlignedData(curve)).toEqual([
      [1, 2],
      [-3, -2.4],
      [-2.6, -2.6],
    ]);
    expect(curveData([{ iteration: 1, logLikelihoodPerToken: -1 }], null).valid).toEqual([null]);
    expect(lastGain(curve)).toBeCloseTo(0.6, 12);
    expect(lastGain(curveData([], null))).toBeNull();
  });

  it('pads the y range, keeps a flat curve readable, and includes the held-out line', () => {
    const [low, high] = curveRange(curveData([{ iteration: 1, logLikelihoodPerToken: -3 }, { iteration: 2, logLikelihoodPerToken: -2 }], -3.5))!;
    expect(low).toBeCloseTo(-3.5 - 0.12, 10);
    expect(high).toBeCloseTo(-2 + 0.12, 10);
    const [flatLow, flatHigh] = curveRange(curveData([{ iteration: 1, logLikelihoodPerToken: -2 }], null))!;
    expect(flatHigh - flatLow).toBeGreaterThanOrEqual(0.02);
    expect(flatLow).toBeLessThan(-2);
    expect(flatHigh).toBeGreaterThan(-2);
    expect(curveRange(curveData([], null))).toBeNull();
  });

  it('shows a short run against room for ten iterations, a long one to its last point', () => {
    const short = curveData([{ iteration: 1, logLikelihoodPerToken: -3 }, { iteration: 2, logLikelihoodPerToken: -2 }], null);
    expect(iterationRange(short, 100)).toEqual([1, 10]);
    expect(iterationRange(short, 5)).toEqual([1, 5]);
    const long = curveData(Array.from({ length: 40 }, (_, i) => ({ iteration: i + 1, logLikelihoodPerToken: -3 + i / 100 })), null);
    expect(iterationRange(long, 100)).toEqual([1, 40]);
    expect(iterationRange(curveData([], null), 100)).toEqual([1, 10]);
  });
});

describe('mini piano roll layout', () => {
  it('puts each note at its time and pitch, with whole bars and key rows', () => {
    // 8 quarter notes, C4 up to G4, at 480 ppq in 4/4: two bars.
    const clip = makeClip({ id: 1 }, 8);
    const layout = rollLayout(clip, 800, 180);
    expect(layout.noteCount).toBe(8);
    expect(layout.endTicks).toBe(2 * 4 * 480);
    expect(layout.bars).toEqual([400]);
    // Used 60..67 with a margin of 2, widened to 18 semitones around the middle.
    expect([layout.lowPitch, layout.highPitch]).toEqual(pitchWindow(60, 67));
    expect(layout.highPitch - layout.lowPitch + 1).toBe(18);
    expect(layout.rows).toHaveLength(18);
    const rowHeight = 180 / 18;
    const first = layout.notes[0]!;
    expect(first).toMatchObject({ x: 0, width: 100, pitch: 60, height: rowHeight });
    expect(first.y).toBeCloseTo((layout.highPitch - 60) * rowHeight, 10);
    const fourth = layout.notes[3]!;
    expect(fourth.x).toBe(300);
    expect(fourth.y).toBeLessThan(first.y);
    expect(layout.rows.filter((row) => row.black).map((row) => row.pitch % 12)).toEqual(expect.arrayContaining([1, 3, 6, 8, 10]));
    expect(layout.rows.find((row) => row.pitch === 61)?.black).toBe(true);
    expect(layout.rows.find((row) => row.pitch === 60)?.black).toBe(false);
  });

  it('keeps the pitch window inside MIDI and reads the bar from the time signature', () => {
    expect(pitchWindow(0, 2)).toEqual([0, 17]);
    expect(pitchWindow(125, 127)).toEqual([110, 127]);
    expect(pitchWindow(40, 90)).toEqual([38, 92]);
    expect(ticksPerBar({ ppq: 480, timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }] })).toBe(1440);
    expect(ticksPerBar({ ppq: 96, timeSignatures: [] })).toBe(384);
  });

  it('draws an empty clip as one empty bar, and gives very short notes a visible width', () => {
    const empty = makeClip({ id: 1 }, 0);
    const layout = rollLayout(empty, 400, 100);
    expect(layout.notes).toEqual([]);
    expect(layout.endTicks).toBe(1920);
    expect(usedPitches(empty)).toBeNull();
    const long = makeClip({ id: 2 }, 400);
    long.tracks[0]!.notes[0] = { ...long.tracks[0]!.notes[0]!, durationTicks: 1 };
    expect(rollLayout(long, 300, 100).notes[0]!.width).toBeGreaterThanOrEqual(1.5);
    expect(usedPitches(long)).toEqual({ low: 60, high: 71 });
  });
});

describe('iteration gain', () => {
  it('writes gains with a sign, exponential once tiny', () => {
    expect(formatGain(0.0301)).toBe('+0.030');
    expect(formatGain(-0.002)).toBe('\u22120.002');
    expect(formatGain(1.23e-5)).toBe('+1.2e-5');
    expect(formatGain(0)).toBe('±0');
  });
});
