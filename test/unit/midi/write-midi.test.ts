import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../../core/midi/parse-midi';
import { MidiWriteError, writeMidi } from '../../../core/midi/write-midi';
import type { Piece } from '../../../core/music/types';
import { hasJsb, JSB_MISSING, jsbMidiRoot } from '../../support/paths';
import { gridPiece } from '../music/arbitraries';
import { makePiece, noteRows } from '../music/support';

function trackFacts(piece: Piece): unknown[] {
  return piece.tracks.map((track) => ({
    name: track.name,
    program: track.program,
    channel: track.channel,
    isDrum: track.isDrum,
    notes: noteRows({ ...piece, tracks: [track] }),
    controlChanges: track.controlChanges.map(({ ticks, controller, value }) => [ticks, controller, value]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!),
  }));
}

function expectSameMusic(back: Piece, piece: Piece, exactTempos: boolean): void {
  expect(back.ppq).toBe(piece.ppq);
  expect(trackFacts(back)).toEqual(trackFacts(piece));
  expect(back.timeSignatures).toEqual(piece.timeSignatures);
  expect(back.keySignatures).toEqual(piece.keySignatures);
  expect(back.tempos.map((tempo) => tempo.ticks)).toEqual(piece.tempos.map((tempo) => tempo.ticks));
  back.tempos.forEach((tempo, index) => {
    if (exactTempos) expect(tempo.bpm).toBe(piece.tempos[index]!.bpm);
    else expect(tempo.bpm).toBeCloseTo(piece.tempos[index]!.bpm, 3);
  });
}

const handMade = makePiece({
  name: 'hand made',
  ppq: 480,
  tempos: [
    { ticks: 0, bpm: 120 },
    { ticks: 1920, bpm: 90 },
  ],
  timeSignatures: [
    { ticks: 0, numerator: 4, denominator: 4 },
    { ticks: 1920, numerator: 6, denominator: 8 },
  ],
  keySignatures: [
    { ticks: 0, key: 'D', scale: 'minor' },
    { ticks: 1920, key: 'F#', scale: 'major' },
  ],
  tracks: [
    {
      name: 'Piano',
      program: 0,
      channel: 0,
      notes: [
        { ticks: 0, durationTicks: 480, pitch: 60, velocity: 1 },
        { ticks: 480, durationTicks: 480, pitch: 60, velocity: 127 }, // touches the note before
        { ticks: 0, durationTicks: 960, pitch: 64, velocity: 77 },
        { ticks: 0, durationTicks: 240, pitch: 64, velocity: 50 }, // same onset and pitch, shorter
        { ticks: 2000, durationTicks: 0, pitch: 0, velocity: 3 },
        { ticks: 2000, durationTicks: 1, pitch: 127, velocity: 64 },
      ],
      controlChanges: [
        { ticks: 0, controller: 64, value: 127 },
        { ticks: 900, controller: 64, value: 0 },
        { ticks: 10, controller: 0, value: 1 },
      ],
    },
    {
      name: 'Strings',
      program: 48,
      channel: 3,
      notes: [{ ticks: 120, durationTicks: 3000, pitch: 55, velocity: 90 }],
      controlChanges: [{ ticks: 0, controller: 7, value: 100 }],
    },
    { name: 'Drums', program: 25, isDrum: true, notes: [{ ticks: 0, durationTicks: 60, pitch: 36, velocity: 110 }] },
  ],
});

describe('writeMidi', () => {
  it('writes a Standard MIDI File that reads back with the same music', () => {
    const bytes = writeMidi(handMade);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('MThd');
    const back = parseMidi(bytes, 'hand made');
    expectSameMusic(back, handMade, false);
    expect(back.tracks[2]).toMatchObject({ channel: 9, isDrum: true, program: 25 });
  });

  it('round-trips random multi-track pieces', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch', tracks: 4, maxOnset: 300 }), ({ piece }) => {
        const withNotes = { ...piece, tracks: piece.tracks.filter((track) => track.notes.length > 0) };
        expectSameMusic(parseMidi(writeMidi(withNotes), 'random'), withNotes, true);
      }),
      { numRuns: 100 },
    );
  });

  it('is stable: writing what it read gives the same bytes', () => {
    const once = writeMidi(handMade);
    expect(writeMidi(parseMidi(once, 'again'))).toEqual(writeMidi(parseMidi(writeMidi(parseMidi(once, 'again')), 'again')));
  });

  it('writes a drum track on channel 10 whatever its stored channel', () => {
    const piece = makePiece({ tracks: [{ isDrum: true, notes: [{ ticks: 0, durationTicks: 10, pitch: 42 }] }] });
    const wrongChannel: Piece = { ...piece, tracks: [{ ...piece.tracks[0]!, channel: 2 }] };
    expect(parseMidi(writeMidi(wrongChannel), 'x').tracks[0]).toMatchObject({ channel: 9, isDrum: true });
  });

  it('refuses what MIDI cannot hold, with a clear message', () => {
    const badPitch = makePiece({ tracks: [{ notes: [{ ticks: 0, durationTicks: 1, pitch: 128 }] }] });
    expect(() => writeMidi(badPitch)).toThrow(MidiWriteError);
    expect(() => writeMidi(badPitch)).toThrow(/pitch 128 at tick 0 is outside MIDI's 0..127/);
    const badMeter = makePiece({ timeSignatures: [{ ticks: 0, numerator: 3, denominator: 3 }], tracks: [] });
    expect(() => writeMidi(badMeter)).toThrow(/the meter 3\/3 at tick 0 cannot be written/);
    const badKey = makePiece({ keySignatures: [{ ticks: 0, key: 'H', scale: 'major' }], tracks: [] });
    expect(() => writeMidi(badKey)).toThrow(/"H major" at tick 0 is not a key MIDI can write/);
    expect(() => writeMidi({ ...handMade, ppq: 0 })).toThrow(/ppq \(0\) is not 1..32767/);
  });

  it.skipIf(!hasJsb)(`round-trips JSB chorales: parse → write → parse${hasJsb ? '' : ` (${JSB_MISSING})`}`, () => {
    for (const split of ['train', 'valid', 'test']) {
      const folder = path.join(jsbMidiRoot, split);
      for (const file of fs.readdirSync(folder).sort().slice(0, 4)) {
        const piece = parseMidi(fs.readFileSync(path.join(folder, file)), file);
        expect(piece.tracks.length).toBeGreaterThan(0);
        expectSameMusic(parseMidi(writeMidi(piece), file), piece, true);
      }
    }
  });
});
