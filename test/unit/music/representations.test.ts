// Known encodings, the documented choices (polyphony, drums, tracks, tempo) and the errors.
import { describe, expect, it } from 'vitest';
import { RepresentationError } from '../../../core/music/errors';
import { encodableTrackIndexes } from '../../../core/music/representations/common';
import {
  EVENT_VOCAB_SIZE,
  binToVelocity,
  decodeEvents,
  encodeEvents,
  eventVocabulary,
  velocityToBin,
} from '../../../core/music/representations/event';
import { decodeNoteRows, decodeNoteSteps, encodeNoteRows, encodeNoteSteps } from '../../../core/music/representations/note';
import { decodePianoRoll, encodePianoRoll } from '../../../core/music/representations/pianoroll';
import { PITCH_HOLD, PITCH_REST, decodePitch, encodePitch } from '../../../core/music/representations/pitch';
import { makePiece, noteRows } from './support';

// ppq 4 and resolution 4: one tick per step keeps the expected tokens readable.
const scale = makePiece({
  ppq: 4,
  tracks: [
    {
      name: 'melody',
      notes: [
        { ticks: 0, durationTicks: 4, pitch: 60, velocity: 64 },
        { ticks: 4, durationTicks: 2, pitch: 62, velocity: 64 },
        { ticks: 8, durationTicks: 2, pitch: 64, velocity: 100 },
      ],
    },
  ],
});

describe('pitch representation', () => {
  it('writes pitch, hold and rest tokens step by step', () => {
    expect([...encodePitch(scale, { resolution: 4 })]).toEqual([60, PITCH_HOLD, PITCH_HOLD, PITCH_HOLD, 62, PITCH_HOLD, PITCH_REST, PITCH_REST, 64, PITCH_HOLD]);
    expect([...encodePitch(scale, { resolution: 2 })]).toEqual([60, PITCH_HOLD, 62, PITCH_REST, 64]);
  });

  it('keeps the highest voice across tracks and re-strikes a lower note when the higher one ends', () => {
    const piece = makePiece({
      ppq: 1,
      tracks: [
        { name: 'bass', notes: [{ ticks: 0, durationTicks: 4, pitch: 48 }] },
        { name: 'soprano', notes: [{ ticks: 1, durationTicks: 2, pitch: 72 }] },
      ],
    });
    expect([...encodePitch(piece, { resolution: 1 })]).toEqual([48, 72, PITCH_HOLD, 48]);
    expect([...encodePitch(piece, { resolution: 1, tracks: { name: 'bass' } })]).toEqual([48, PITCH_HOLD, PITCH_HOLD, PITCH_HOLD]);
    expect([...encodePitch(piece, { resolution: 1, tracks: { index: 1 } })]).toEqual([PITCH_REST, 72, PITCH_HOLD]);
  });

  it('resolves a chord inside one track to its top note', () => {
    const chord = makePiece({ ppq: 1, tracks: [{ notes: [60, 64, 67].map((pitch) => ({ ticks: 0, durationTicks: 2, pitch })) }] });
    expect([...encodePitch(chord, { resolution: 1 })]).toEqual([67, PITCH_HOLD]);
  });

  it('reads a hold after a rest as a rest and gives decoded notes the chosen velocity', () => {
    const piece = decodePitch([PITCH_HOLD, 60, PITCH_HOLD, PITCH_REST, PITCH_HOLD, 62], { resolution: 1, ppq: 10, velocity: 90 });
    expect(noteRows(piece)).toEqual([
      [10, 60, 20, 90],
      [50, 62, 10, 90],
    ]);
  });
});

describe('event representation', () => {
  it('encodes velocity changes, note-ons, time-shifts and note-offs as MusPy does', () => {
    // bin(64) = 16 → 356 + 16; bin(100) = 25 → 381; a shift of k steps is 256 + k - 1.
    expect([...encodeEvents(scale, { resolution: 4 })]).toEqual([372, 60, 259, 188, 62, 257, 190, 257, 381, 64, 257, 192]);
  });

  it('repeats the velocity event before every note when forced, and writes none when asked', () => {
    const forced = [...encodeEvents(scale, { resolution: 4, forceVelocityEvent: true })];
    expect(forced.filter((token) => token >= 356)).toEqual([372, 372, 381]);
    expect([...encodeEvents(scale, { resolution: 4, encodeVelocity: false })]).toEqual([60, 259, 188, 62, 257, 190, 257, 64, 257, 192]);
  });

  it('splits a long gap into several time-shifts', () => {
    const piece = makePiece({ ppq: 1, tracks: [{ notes: [{ ticks: 250, durationTicks: 1, pitch: 60, velocity: 64 }] }] });
    expect([...encodeEvents(piece, { resolution: 1 })]).toEqual([355, 355, 305, 372, 60, 256, 188]);
  });

  it('closes a repeated pitch before striking it again at the same step', () => {
    const piece = makePiece({
      ppq: 1,
      tracks: [{ notes: [{ ticks: 0, durationTicks: 2, pitch: 60, velocity: 64 }, { ticks: 2, durationTicks: 1, pitch: 60, velocity: 64 }] }],
    });
    expect([...encodeEvents(piece, { resolution: 1 })]).toEqual([372, 60, 257, 188, 60, 256, 188]);
  });

  it('pairs note-offs FIFO, ignores stray note-offs and closes or drops dangling notes', () => {
    // on 60, on 60 (1 step later), off 60 (2 steps later), stray off 61, then the sequence ends 1 step later.
    const tokens = [60, 256, 60, 256, 188, 189, 256];
    expect(noteRows(decodeEvents(tokens, { resolution: 1, ppq: 1 }))).toEqual([
      [0, 60, 2, 64],
      [1, 60, 2, 64],
    ]);
    expect(noteRows(decodeEvents(tokens, { resolution: 1, ppq: 1, danglingNotes: 'drop' }))).toEqual([[0, 60, 2, 64]]);
    // A note-off in the note-on's own step still gives a one-step note.
    expect(noteRows(decodeEvents([60, 188], { resolution: 1, ppq: 1 }))).toEqual([[0, 60, 1, 64]]);
  });

  it('has 388 tokens and quantises velocity into 32 bins', () => {
    expect(EVENT_VOCAB_SIZE).toBe(388);
    expect(eventVocabulary().size).toBe(388);
    expect(eventVocabulary({ maxTimeShift: 50, velocityBins: 16 }).size).toBe(256 + 50 + 16);
    expect([velocityToBin(1), velocityToBin(4), velocityToBin(127)]).toEqual([0, 1, 31]);
    expect([binToVelocity(0), binToVelocity(16), binToVelocity(31)]).toEqual([1, 64, 124]);
  });
});

describe('note representation', () => {
  it('gives (onset, pitch, duration, velocity) rows in ticks or steps', () => {
    expect(encodeNoteRows(scale)).toEqual([
      [0, 60, 4, 64],
      [4, 62, 2, 64],
      [8, 64, 2, 100],
    ]);
    expect(encodeNoteRows(scale, { unit: 'steps', resolution: 2 })).toEqual([
      [0, 60, 2, 64],
      [2, 62, 1, 64],
      [4, 64, 1, 100],
    ]);
  });

  it('rounds onsets and ends to the grid separately and keeps at least one step', () => {
    const offGrid = makePiece({ ppq: 480, tracks: [{ notes: [{ ticks: 100, durationTicks: 10, pitch: 60, velocity: 64 }, { ticks: 130, durationTicks: 400, pitch: 62, velocity: 64 }] }] });
    expect(encodeNoteRows(offGrid, { unit: 'steps', resolution: 4 })).toEqual([
      [1, 60, 1, 64],
      [1, 62, 3, 64],
    ]);
  });

  it('gives the LSTM view in seconds from the previous onset', () => {
    // ppq 4 at 120 bpm: a tick is 1/8 s.
    const rows = encodeNoteSteps(scale);
    expect(rows).toEqual([
      { pitch: 60, step: 0, duration: 0.5, velocity: 64 },
      { pitch: 62, step: 0.5, duration: 0.25, velocity: 64 },
      { pitch: 64, step: 0.5, duration: 0.25, velocity: 100 },
    ]);
    const decoded = decodeNoteSteps(rows, { ppq: 4 });
    expect(noteRows(decoded)).toEqual(noteRows(scale));
    // At 60 bpm the same seconds are half as many ticks.
    expect(noteRows(decodeNoteSteps(rows, { ppq: 4, tempos: [{ ticks: 0, bpm: 60 }] }))[1]).toEqual([2, 62, 1, 64]);
  });
});

describe('piano roll', () => {
  it('fills steps × 128 cells with velocities, or ones in binary mode', () => {
    const roll = encodePianoRoll(scale, { resolution: 4, withOnsets: true });
    expect(roll.steps).toBe(10);
    expect(roll.data[0 * 128 + 60]).toBe(64);
    expect(roll.data[3 * 128 + 60]).toBe(64);
    expect(roll.data[4 * 128 + 60]).toBe(0);
    expect(roll.data[9 * 128 + 64]).toBe(100);
    expect(roll.data.reduce((sum, cell) => sum + (cell > 0 ? 1 : 0), 0)).toBe(8);
    expect(roll.onsets!.reduce((sum, cell) => sum + cell, 0)).toBe(3);
    expect(encodePianoRoll(scale, { resolution: 4, mode: 'binary' }).data[9 * 128 + 64]).toBe(1);
  });

  it('merges touching notes of one pitch unless the onsets are given', () => {
    const repeated = makePiece({ ppq: 1, tracks: [{ notes: [{ ticks: 0, durationTicks: 1, pitch: 60, velocity: 64 }, { ticks: 1, durationTicks: 1, pitch: 60, velocity: 80 }] }] });
    const roll = encodePianoRoll(repeated, { resolution: 1, withOnsets: true });
    expect(noteRows(decodePianoRoll({ ...roll, onsets: null }, { ppq: 1 }))).toEqual([[0, 60, 2, 64]]);
    expect(noteRows(decodePianoRoll(roll, { ppq: 1 }))).toEqual([
      [0, 60, 1, 64],
      [1, 60, 1, 80],
    ]);
  });
});

describe('drums, tracks and tempo', () => {
  const band = makePiece({
    ppq: 2,
    tracks: [
      { name: 'piano', notes: [{ ticks: 0, durationTicks: 2, pitch: 60, velocity: 64 }] },
      { name: 'kit', isDrum: true, notes: [{ ticks: 0, durationTicks: 1, pitch: 36, velocity: 64 }] },
      { name: 'bass', notes: [{ ticks: 2, durationTicks: 2, pitch: 36, velocity: 64 }] },
    ],
  });

  it('leaves drum tracks out unless asked, and merges the other tracks', () => {
    expect(encodableTrackIndexes(band)).toEqual([0, 2]);
    expect(encodableTrackIndexes(band, { includeDrums: true })).toEqual([0, 1, 2]);
    expect(encodeNoteRows(band).map((row) => row[1])).toEqual([60, 36]);
    expect(encodeNoteRows(band, { includeDrums: true }).map((row) => row[1])).toEqual([36, 60, 36]);
    expect(encodeNoteRows(band, { tracks: { name: 'kit' } })).toEqual([[0, 36, 1, 64]]);
  });

  it('encodes in quarter-based steps, so a tempo change moves no step; decode rebuilds seconds', () => {
    const slow = { ...band, tempos: [{ ticks: 0, bpm: 60 }, { ticks: 1, bpm: 200 }] };
    expect([...encodeEvents(slow, { resolution: 2 })]).toEqual([...encodeEvents(band, { resolution: 2 })]);
    const decoded = decodePitch(encodePitch(band, { resolution: 2 }), { resolution: 2, ppq: 2, tempos: [{ ticks: 0, bpm: 60 }] });
    expect(decoded.tracks[0]!.notes.map((note) => [note.time, note.duration])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(decoded.duration).toBe(2);
  });

  it('decodes into one track with the program, channel and drum flag asked for', () => {
    const decoded = decodeNoteRows([[0, 38, 1, 90]], { ppq: 2, isDrum: true, trackName: 'kit', name: 'groove' });
    expect(decoded.name).toBe('groove');
    expect(decoded.tracks).toHaveLength(1);
    expect(decoded.tracks[0]).toMatchObject({ name: 'kit', channel: 9, isDrum: true, program: 0 });
  });
});

describe('errors', () => {
  const empty = makePiece({ tracks: [] });
  const drumsOnly = makePiece({ tracks: [{ isDrum: true, notes: [{ ticks: 0, durationTicks: 1, pitch: 36 }] }] });
  const badPitch = makePiece({ tracks: [{ notes: [{ ticks: 0, durationTicks: 1, pitch: 128 }] }] });

  it('refuses an empty piece with a clear message', () => {
    expect(() => encodePitch(empty, { resolution: 4 })).toThrow(RepresentationError);
    expect(() => encodeEvents(empty, { resolution: 4 })).toThrow(/has no notes to encode/);
    expect(() => encodePianoRoll(empty, { resolution: 4 })).toThrow(/has no notes to encode/);
    expect(() => encodeNoteRows(empty)).toThrow(/has no notes to encode/);
    expect(() => encodeNoteSteps(empty)).toThrow(/has no notes to encode/);
    expect(() => encodeNoteRows(drumsOnly)).toThrow(/only drum notes; pass includeDrums/);
  });

  it('refuses out-of-range pitches, in music and in tokens', () => {
    expect(() => encodeEvents(badPitch, { resolution: 4 })).toThrow(/pitch 128 is outside MIDI's 0..127/);
    expect(() => decodeNoteRows([[0, -1, 1, 64]])).toThrow(/pitch -1 is outside/);
    expect(() => decodeNoteSteps([{ pitch: 200, step: 0, duration: 1, velocity: 64 }])).toThrow(/pitch 200/);
    expect(() => decodePitch([60, 130], { resolution: 4 })).toThrow(/token 130 at position 1 is not in the vocabulary 0..129/);
    expect(() => decodeEvents([388], { resolution: 4 })).toThrow(/token 388 at position 0 is not in the vocabulary 0..387/);
    expect(() => decodeEvents([1.5], { resolution: 4 })).toThrow(RepresentationError);
  });

  it('refuses a resolution that is not a positive whole number', () => {
    for (const resolution of [0, -4, 1.5, Number.NaN]) {
      expect(() => encodePitch(scale, { resolution })).toThrow(/resolution must be a whole number/);
      expect(() => encodeEvents(scale, { resolution })).toThrow(/resolution must be a whole number/);
      expect(() => encodePianoRoll(scale, { resolution })).toThrow(/resolution must be a whole number/);
      expect(() => encodeNoteRows(scale, { unit: 'steps', resolution })).toThrow(/resolution must be a whole number/);
      expect(() => decodePitch([60], { resolution })).toThrow(/resolution must be a whole number/);
    }
  });

  it('refuses velocity bins that cannot be, and velocities that would be silent', () => {
    expect(() => encodeEvents(scale, { resolution: 4, velocityBins: 0 })).toThrow(/velocityBins must be a whole number from 1 to 128/);
    expect(() => encodeEvents(scale, { resolution: 4, velocityBins: 200 })).toThrow(/velocityBins/);
    expect(() => decodeEvents([60], { resolution: 4, velocityBins: 2.5 })).toThrow(/velocityBins/);
    expect(() => binToVelocity(32)).toThrow(/Velocity bin 32 does not exist: with 32 bins they are 0..31/);
    expect(() => velocityToBin(128)).toThrow(/velocity 128 is outside/);
    expect(() => encodeEvents(scale, { resolution: 4, maxTimeShift: 0 })).toThrow(/maxTimeShift/);
    expect(() => decodePitch([60], { resolution: 4, velocity: 0 })).toThrow(/velocity must be a whole number from 1 to 127/);
    expect(() => decodeNoteRows([[0, 60, 1, 0]])).toThrow(/velocity must be a whole number from 1 to 127/);
  });

  it('names the missing track', () => {
    expect(() => encodeNoteRows(scale, { tracks: { name: 'cello' } })).toThrow(/no track named "cello" \(its tracks: "melody"\)/);
    expect(() => encodeNoteRows(scale, { tracks: { index: 3 } })).toThrow(/has 1 track\(s\): there is no track 3/);
  });

  it('refuses a piano roll whose size does not match its steps', () => {
    expect(() => decodePianoRoll({ steps: 2, resolution: 4, mode: 'velocity', data: new Uint8Array(200), onsets: null })).toThrow(/needs 2 × 128 cells \(got 200\)/);
    const data = new Uint8Array(128);
    data[60] = 200;
    expect(() => decodePianoRoll({ steps: 1, resolution: 4, mode: 'velocity', data, onsets: null })).toThrow(/holds 200: velocities are 1..127/);
  });
});
