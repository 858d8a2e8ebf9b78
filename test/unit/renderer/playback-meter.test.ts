/** Metronome beats and the position display from the meter map; the MIDI bytes playback builds. */
import { describe, expect, it } from 'vitest';
import { barStartTicks, beatsInRange, formatBarsBeatsTicks, meterMap } from '../../../renderer/src/playback/meter';
import { noteOn, panicMessages, programChange, songPosition } from '../../../renderer/src/playback/midi-bytes';
import { baseBpm, tempoMapping } from '../../../renderer/src/playback/timeline';

const PPQ = 480;
// 4/4 for two bars, then 6/8 from tick 3840, then 3/4 from a change inside a 6/8 bar (tick 5280).
const MAP = meterMap(
  [
    { ticks: 0, numerator: 4, denominator: 4 },
    { ticks: 3840, numerator: 6, denominator: 8 },
    { ticks: 5280, numerator: 3, denominator: 4 },
  ],
  PPQ,
);

describe('meter map', () => {
  it('clicks each beat, accenting downbeats, across meter changes (eighths in 6/8)', () => {
    const beats = beatsInRange(MAP, 3360, 6240).map((beat) => `${beat.ticks}${beat.accent ? '!' : ''}`);
    expect(beats).toEqual(['3360', '3840!', '4080', '4320', '4560', '4800', '5040', '5280!', '5760']);
  });

  it('never gives one beat to two adjacent windows', () => {
    const windows = [0, 333.3, 480, 959.99, 960, 1500.5, 1920];
    const joined = windows.slice(1).flatMap((to, index) => beatsInRange(MAP, windows[index]!, to).map((beat) => beat.ticks));
    expect(joined).toEqual([0, 480, 960, 1440]);
  });

  it('counts in before bar 1 in the first meter', () => {
    expect(beatsInRange(MAP, -1920, 0).map((beat) => [beat.ticks, beat.accent])).toEqual([
      [-1920, true],
      [-1440, false],
      [-960, false],
      [-480, false],
    ]);
  });

  it('reads a tick as bars:beats:ticks', () => {
    expect(formatBarsBeatsTicks(MAP, 0)).toBe('1:1:000');
    expect(formatBarsBeatsTicks(MAP, 1000)).toBe('1:3:040');
    expect(formatBarsBeatsTicks(MAP, 3840)).toBe('3:1:000');
    expect(formatBarsBeatsTicks(MAP, 4100)).toBe('3:2:020');
    // The 3/4 change cuts bar 3 short: bar 4 starts at the change.
    expect(formatBarsBeatsTicks(MAP, 5280)).toBe('4:1:000');
    expect(barStartTicks(MAP, 4)).toBe(5280);
    expect(barStartTicks(MAP, 5)).toBe(5280 + 1440);
  });
});

describe('tempo mapping and MIDI bytes', () => {
  it('scales the tempo map by an override, including the default tempo before the first change', () => {
    expect(baseBpm([{ ticks: 960, bpm: 90 }])).toBe(120);
    const mapping = tempoMapping([{ ticks: 960, bpm: 60 }], PPQ, 60);
    expect(mapping.factor).toBe(0.5);
    expect(mapping.secondsAt(960)).toBeCloseTo(2, 9); // 2 quarters at 60 (120 halved)
    expect(mapping.secondsAt(1440)).toBeCloseTo(4, 9); // then 1 quarter at 30
    expect(() => tempoMapping([], PPQ, 5000)).toThrow('A tempo is 10 to 999');
  });

  it('builds the bytes by the MIDI spec', () => {
    expect(programChange(9, 0)).toEqual([0xc9, 0]);
    expect(programChange(0, 127)).toEqual([0xc0, 127]);
    expect(noteOn(15, 60, 0)).toEqual([0x9f, 60, 1]);
    expect(songPosition(300)).toEqual([0xf2, 300 & 0x7f, 300 >> 7]);
    expect(songPosition(1e9)).toEqual([0xf2, 0x7f, 0x7f]);
    expect(panicMessages()).toHaveLength(48);
    expect(() => programChange(0, 128)).toThrow('A MIDI program is 0..127 (got 128).');
    expect(() => noteOn(16, 60, 100)).toThrow('A MIDI channel is 0..15 (got 16).');
  });
});
