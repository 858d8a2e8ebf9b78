import { describe, expect, it } from 'vitest';
import { RepresentationError } from '../../../core/music/errors';
import { secondsToTicks, ticksToSeconds } from '../../../core/music/tempo-map';

describe('tempo map', () => {
  const tempos = [
    { ticks: 960, bpm: 60 },
    { ticks: 0, bpm: 120 },
  ];

  it('converts ticks to seconds across tempo changes, whatever their order', () => {
    const seconds = ticksToSeconds(tempos, 480);
    expect(seconds(0)).toBe(0);
    expect(seconds(480)).toBe(0.5);
    expect(seconds(960)).toBe(1);
    expect(seconds(1440)).toBe(2);
  });

  it('inverts', () => {
    const ticks = secondsToTicks(tempos, 480);
    expect(ticks(0.5)).toBe(480);
    expect(ticks(2)).toBe(1440);
  });

  it('plays 120 bpm before the first change and when there is none', () => {
    expect(ticksToSeconds([{ ticks: 480, bpm: 60 }], 480)(480)).toBe(0.5);
    expect(ticksToSeconds([], 96)(96)).toBe(0.5);
  });

  it('refuses a tempo or ppq that cannot be', () => {
    expect(() => ticksToSeconds([{ ticks: 0, bpm: 0 }], 480)).toThrow(RepresentationError);
    expect(() => ticksToSeconds([], 0)).toThrow(/ppq must be a positive number/);
  });
});
