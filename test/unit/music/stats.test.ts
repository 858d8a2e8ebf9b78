import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMidi } from '../../../core/midi/parse-midi';
import { describePieces, NOTE_VALUE_BIN_EDGES, TEMPO_BIN_EDGES, VELOCITY_BIN_EDGES } from '../../../core/music/stats/describe';
import { CorpusStatisticsSchema } from '../../../core/music/stats/schema';
import { hasJsb, JSB_MISSING, jsbMidiRoot } from '../../support/paths';
import { makePiece } from './support';

const pieceA = makePiece({
  name: 'A',
  ppq: 4,
  tempos: [
    { ticks: 0, bpm: 120 },
    { ticks: 8, bpm: 60 },
  ],
  tracks: [
    {
      name: 'piano',
      program: 0,
      notes: [
        { ticks: 0, durationTicks: 4, pitch: 60, velocity: 64 },
        { ticks: 0, durationTicks: 2, pitch: 64, velocity: 80 },
        { ticks: 2, durationTicks: 2, pitch: 67, velocity: 100 },
        { ticks: 8, durationTicks: 0, pitch: 72, velocity: 127 },
      ],
      controlChanges: [
        { ticks: 0, controller: 64, value: 127 },
        { ticks: 8, controller: 64, value: 0 },
      ],
    },
    {
      name: 'kit',
      isDrum: true,
      notes: [
        { ticks: 0, durationTicks: 1, pitch: 36, velocity: 120 },
        { ticks: 4, durationTicks: 1, pitch: 38, velocity: 120 },
      ],
    },
  ],
});

const pieceB = makePiece({
  name: 'B',
  ppq: 2,
  tempos: [{ ticks: 0, bpm: 100 }],
  tracks: [
    {
      name: 'strings',
      program: 48,
      notes: [
        { ticks: 0, durationTicks: 2, pitch: 48, velocity: 10 },
        { ticks: 0, durationTicks: 4, pitch: 55, velocity: 10 },
      ],
      controlChanges: [{ ticks: 0, controller: 7, value: 100 }],
    },
  ],
});

function countsAt(length: number, entries: Record<number, number>): number[] {
  const counts = new Array<number>(length).fill(0);
  for (const [index, count] of Object.entries(entries)) counts[Number(index)] = count;
  return counts;
}

describe('describePieces', () => {
  const stats = describePieces([pieceA, pieceB]);

  it('counts pieces, notes and duration', () => {
    expect(stats.pieces).toBe(2);
    expect(stats.notes).toBe(8);
    expect(stats.notesPerPiece).toEqual({ values: [6, 2], mean: 4 });
    // A: 8 ticks at ppq 4 and 120 bpm = 1 s; B: 4 ticks at ppq 2 and 100 bpm = 1.2 s.
    expect(stats.totalDurationSeconds).toBeCloseTo(2.2, 12);
  });

  it('bins tempos by bpm, one count per tempo change', () => {
    expect(stats.tempo.lowerEdges).toEqual(TEMPO_BIN_EDGES);
    expect(stats.tempo.counts).toEqual(countsAt(TEMPO_BIN_EDGES.length, { 3: 1, 7: 1, 9: 1 }));
  });

  it('counts pitches and pitch classes of non-drum notes', () => {
    expect(stats.pitch).toEqual(countsAt(128, { 48: 1, 55: 1, 60: 1, 64: 1, 67: 1, 72: 1 }));
    expect(stats.pitchClass).toEqual(countsAt(12, { 0: 3, 4: 1, 7: 2 }));
  });

  it('bins durations and inter-onset intervals in quarter notes', () => {
    expect(stats.duration.lowerEdges).toEqual(NOTE_VALUE_BIN_EDGES);
    // 0 → [0, 1/16); 0.5 ×2 → [1/2, 1); 1 ×2 → [1, 2); 2 → [2, 4).
    expect(stats.duration.counts).toEqual([1, 0, 0, 0, 2, 2, 1, 0, 0]);
    // A's onsets 0, 2, 8 ticks at ppq 4: gaps of 0.5 and 1.5 quarters; B has one onset.
    expect(stats.interOnset.counts).toEqual([0, 0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('bins velocities of every note, drums included', () => {
    expect(stats.velocity.lowerEdges).toEqual(VELOCITY_BIN_EDGES);
    expect(stats.velocity.counts).toEqual(countsAt(16, { 1: 2, 8: 1, 10: 1, 12: 1, 15: 3 }));
  });

  it('measures polyphony at onsets', () => {
    // A: 2 at tick 0, 2 at tick 2, 1 (the zero-length note) at tick 8; B: 2 at tick 0.
    expect(stats.polyphony).toEqual({ mean: 7 / 4, max: 2, onsets: 4 });
  });

  it('lists programs, drums and controllers', () => {
    expect(stats.programs).toEqual([
      { program: 0, tracks: 1, notes: 4 },
      { program: 48, tracks: 1, notes: 2 },
    ]);
    expect(stats.drums).toEqual({ piecesWithDrums: 1, tracks: 1, notes: 2 });
    expect(stats.controlChanges).toEqual([
      { controller: 7, events: 1, pieces: 1 },
      { controller: 64, events: 2, pieces: 1 },
    ]);
  });

  it('is plain JSON that its schema accepts', () => {
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
    expect(CorpusStatisticsSchema.parse(stats)).toEqual(stats);
    expect(() => CorpusStatisticsSchema.parse({ ...stats, pitch: [1, 2] })).toThrow();
  });

  it('describes an empty set as zeros', () => {
    const empty = describePieces([]);
    expect(empty).toMatchObject({ pieces: 0, notes: 0, totalDurationSeconds: 0, notesPerPiece: { values: [], mean: 0 }, polyphony: { mean: 0, max: 0, onsets: 0 } });
    expect(CorpusStatisticsSchema.parse(empty)).toEqual(empty);
  });

  it('refuses a pitch outside 0..127', () => {
    const bad = makePiece({ tracks: [{ notes: [{ ticks: 0, durationTicks: 1, pitch: 130 }] }] });
    expect(() => describePieces([bad])).toThrow(/pitch 130 at tick 0 is outside MIDI's 0..127/);
  });

  it.skipIf(!hasJsb)(`gives the JSB chorales' known totals${hasJsb ? '' : ` (${JSB_MISSING})`}`, () => {
    const pieces = ['train', 'valid', 'test'].flatMap((split) => {
      const folder = path.join(jsbMidiRoot, split);
      return fs.readdirSync(folder).map((file) => parseMidi(fs.readFileSync(path.join(folder, file)), file));
    });
    const jsb = describePieces(pieces);
    expect(jsb.pieces).toBe(382);
    expect(jsb.notes).toBe(82_722);
    expect(jsb.pitch.reduce((sum, count) => sum + count, 0)).toBe(82_722);
    expect(jsb.drums.notes).toBe(0);
    // Four voices: a chorale rarely sounds more than four notes at once.
    expect(jsb.polyphony.max).toBeLessThanOrEqual(4);
    expect(jsb.polyphony.mean).toBeGreaterThan(3);
  });
});
