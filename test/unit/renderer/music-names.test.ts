import { describe, expect, it } from 'vitest';
import { controllerName, gmFamily, gmNumber, gmProgramName } from '../../../renderer/src/lib/general-midi';
import { noteValueLabel, pitchName } from '../../../renderer/src/lib/music-labels';

describe('General MIDI names', () => {
  it('names all 128 programs, in families of eight', () => {
    expect(gmProgramName(0)).toBe('Acoustic Grand Piano');
    expect(gmProgramName(40)).toBe('Violin');
    expect(gmProgramName(52)).toBe('Choir Aahs');
    expect(gmProgramName(73)).toBe('Flute');
    expect(gmProgramName(127)).toBe('Gunshot');
    expect(gmFamily(40)).toBe('Strings');
    expect(gmFamily(0)).toBe('Piano');
    expect(gmFamily(127)).toBe('Sound Effects');
    expect(gmNumber(0)).toBe(1);
    const names = Array.from({ length: 128 }, (_, program) => gmProgramName(program));
    expect(new Set(names).size).toBe(128);
  });

  it('names common controllers and numbers the rest', () => {
    expect(controllerName(1)).toBe('Modulation');
    expect(controllerName(7)).toBe('Volume');
    expect(controllerName(10)).toBe('Pan');
    expect(controllerName(11)).toBe('Expression');
    expect(controllerName(64)).toBe('Sustain Pedal');
    expect(controllerName(20)).toBe('Controller 20');
  });

  it('refuses numbers outside 0..127', () => {
    expect(() => gmProgramName(128)).toThrow(/0 to 127/);
    expect(() => gmFamily(-1)).toThrow(/0 to 127/);
    expect(() => controllerName(1.5)).toThrow(/0 to 127/);
  });
});

describe('pitch and note-value names', () => {
  it('uses scientific pitch notation, C4 = 60', () => {
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(61)).toBe('C#4');
    expect(pitchName(0)).toBe('C-1');
    expect(pitchName(127)).toBe('G9');
    expect(pitchName(69)).toBe('A4');
    expect(() => pitchName(128)).toThrow(/0 to 127/);
  });

  it('reads quarters as note values', () => {
    expect(noteValueLabel(1)).toBe('1/4');
    expect(noteValueLabel(0.25)).toBe('1/16');
    expect(noteValueLabel(1 / 16)).toBe('1/64');
    expect(noteValueLabel(4)).toBe('1');
    expect(noteValueLabel(8)).toBe('2');
    expect(noteValueLabel(1.5)).toBe('3/8');
    expect(noteValueLabel(0)).toBe('0');
    expect(noteValueLabel(1 / 3)).toBe('0.083');
    expect(() => noteValueLabel(-1)).toThrow(/quarters/);
  });
});
