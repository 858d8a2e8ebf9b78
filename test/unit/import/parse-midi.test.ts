import { Midi } from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { MidiParseError, parseMidi } from '../../../core/midi/parse-midi';
import { splitFromRelativePath } from '../../../core/music/splits';
import { looksLikeMidiFileName } from '../../../core/jobs/import-midi';
import { makeMidiBytes } from '../../support/midi-fixtures';

describe('parseMidi', () => {
  it('reads tempo map, meters, keys, tracks, drums, notes and control changes', () => {
    const midi = new Midi();
    midi.header.setTempo(100);
    midi.header.tempos.push({ ticks: 1920, bpm: 60 });
    midi.header.timeSignatures.push({ ticks: 0, timeSignature: [6, 8] }, { ticks: 1920, timeSignature: [2, 4] });
    // @tonejs/midi's writer stores indexOf(key) + 7 as the sharps count (a bug), so "Cb" (index 0)
    // is how to make it write 7 sharps; with the minor flag, that is A# minor.
    midi.header.keySignatures.push({ ticks: 0, key: 'Cb', scale: 'minor' });
    midi.header.update();
    midi.addTrack(); // A conductor track with no notes: dropped.
    const lead = midi.addTrack();
    lead.name = 'Lead';
    lead.channel = 2;
    lead.instrument.number = 73;
    lead.addNote({ midi: 74, ticks: 480, durationTicks: 240, velocity: 100 / 127 });
    lead.addNote({ midi: 72, ticks: 0, durationTicks: 480, velocity: 1 });
    lead.addCC({ number: 64, value: 1, ticks: 0 });
    lead.addCC({ number: 64, value: 0, ticks: 900 });
    const drums = midi.addTrack();
    drums.name = 'Kit';
    drums.channel = 9;
    drums.addNote({ midi: 36, ticks: 0, durationTicks: 120, velocity: 0.8 });

    const piece = parseMidi(midi.toArray(), 'song');
    expect(piece.name).toBe('song');
    expect(piece.ppq).toBe(480);
    expect(piece.tempos.map((t) => [t.ticks, Math.round(t.bpm)])).toEqual([
      [0, 100],
      [1920, 60],
    ]);
    expect(piece.timeSignatures).toEqual([
      { ticks: 0, numerator: 6, denominator: 8 },
      { ticks: 1920, numerator: 2, denominator: 4 },
    ]);
    expect(piece.keySignatures).toEqual([{ ticks: 0, key: 'A#', scale: 'minor' }]);
    expect(piece.tracks.map((t) => [t.name, t.channel, t.program, t.isDrum])).toEqual([
      ['Lead', 2, 73, false],
      ['Kit', 9, 0, true],
    ]);
    const lead0 = piece.tracks[0]!;
    // Sorted by onset, velocities back in MIDI integers.
    expect(lead0.notes.map((n) => [n.ticks, n.pitch, n.durationTicks, n.velocity])).toEqual([
      [0, 72, 480, 127],
      [480, 74, 240, 100],
    ]);
    expect(lead0.notes[1]!.time).toBeCloseTo(0.6, 6); // one quarter at 100 bpm
    expect(lead0.controlChanges.map((c) => [c.ticks, c.controller, c.value])).toEqual([
      [0, 64, 127],
      [900, 64, 0],
    ]);
    // The last note ends at 720; the pedal is released at 900.
    expect(piece.durationTicks).toBe(900);
    expect(piece.duration).toBeCloseTo((900 / 480) * 0.6, 6);
  });

  it('gives a file without tempo or meter the MIDI defaults', () => {
    const midi = new Midi();
    midi.addTrack().addNote({ midi: 60, ticks: 0, durationTicks: 10 });
    const piece = parseMidi(midi.toArray(), 'bare');
    expect(piece.tempos).toEqual([{ ticks: 0, bpm: 120 }]);
    expect(piece.timeSignatures).toEqual([{ ticks: 0, numerator: 4, denominator: 4 }]);
  });

  it.each([
    ['empty', new Uint8Array(), /Not a MIDI file/],
    ['text', new TextEncoder().encode('hello, this is a text file, not music'), /Not a MIDI file/],
    ['truncated', makeMidiBytes(1).slice(0, 40), /truncated/],
    ['missing track', makeMidiBytes(1).slice(0, 14), /announces \d+ tracks but it holds 0/],
  ])('refuses a %s file with a clear MidiParseError', (_name, bytes, message) => {
    expect(() => parseMidi(bytes, 'x')).toThrow(MidiParseError);
    expect(() => parseMidi(bytes, 'x')).toThrow(message);
  });
});

describe('split from folders', () => {
  it.each([
    ['train/a.mid', 'train'],
    ['jsb/valid/b.mid', 'valid'],
    ['Validation/c.mid', 'valid'],
    ['x/TEST/y/d.mid', 'test'],
    ['test/train/e.mid', 'train'],
    ['songs/test.mid', null],
    ['f.mid', null],
  ])('%s → %s', (relativePath, split) => {
    expect(splitFromRelativePath(relativePath)).toBe(split);
  });
});

describe('MIDI file endings taken from folders', () => {
  it.each([
    ['a.mid', true],
    ['B.MIDI', true],
    ['song.kar', true],
    ['notes.txt', false],
    ['mid', false],
  ])('%s → %s', (name, expected) => {
    expect(looksLikeMidiFileName(name)).toBe(expected);
  });
});
