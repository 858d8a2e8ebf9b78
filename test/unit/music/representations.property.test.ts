// Round trips, music → representation → music, on random pieces whose notes lie on the step grid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from '../../../core/music/representations/event';
import { decodeNoteRows, decodeNoteSteps, encodeNoteRows, encodeNoteSteps } from '../../../core/music/representations/note';
import { decodePianoRoll, encodePianoRoll } from '../../../core/music/representations/pianoroll';
import { decodePitch, encodePitch } from '../../../core/music/representations/pitch';
import { gridPiece } from './arbitraries';
import { makePiece, noteRows } from './support';

const RUNS = { numRuns: 200 };

function withVelocity(rows: number[][], velocity: number): number[][] {
  return rows.map(([ticks, pitch, duration]) => [ticks!, pitch!, duration!, velocity]);
}

describe('note representation', () => {
  it('round-trips any notes exactly in ticks, all tracks merged', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'free', tracks: 3 }), ({ piece }) => {
        const decoded = decodeNoteRows(encodeNoteRows(piece), { ppq: piece.ppq });
        expect(noteRows(decoded)).toEqual(noteRows(piece));
        expect(decoded.ppq).toBe(piece.ppq);
      }),
      RUNS,
    );
  });

  it('round-trips on-grid notes exactly in steps', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'free', tracks: 2 }), ({ piece, resolution }) => {
        const rows = encodeNoteRows(piece, { unit: 'steps', resolution });
        const decoded = decodeNoteRows(rows, { unit: 'steps', resolution, ppq: piece.ppq });
        expect(noteRows(decoded)).toEqual(noteRows(piece));
      }),
      RUNS,
    );
  });

  it('round-trips the step-from-previous-onset view (seconds) through the tempo map', () => {
    const tempos = [
      { ticks: 0, bpm: 90 },
      { ticks: 960, bpm: 150 },
    ];
    fc.assert(
      fc.property(gridPiece({ overlap: 'free' }), ({ piece }) => {
        const timed = makePiece({
          ppq: piece.ppq,
          tempos,
          tracks: [{ notes: [{ ticks: 0, durationTicks: 1, pitch: 0 }, ...piece.tracks[0]!.notes] }],
        });
        const decoded = decodeNoteSteps(encodeNoteSteps(timed), { ppq: piece.ppq, tempos });
        expect(noteRows(decoded)).toEqual(noteRows(timed));
        expect(decoded.duration).toBeCloseTo(timed.duration, 9);
      }),
      RUNS,
    );
  });
});

describe('event representation', () => {
  // Velocities on the bin grid (multiples of 4 with 32 bins) come back exactly.
  const binVelocity = fc.integer({ min: 1, max: 31 }).map((bin) => bin * 4);

  it('round-trips on-grid music exactly, including gaps longer than one time-shift', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch', velocity: binVelocity, maxOnset: 400, tracks: 2 }), ({ piece, resolution }) => {
        const tokens = encodeEvents(piece, { resolution });
        expect(Math.max(...tokens)).toBeLessThan(388);
        const decoded = decodeEvents(tokens, { resolution, ppq: piece.ppq });
        expect(noteRows(decoded)).toEqual(noteRows(piece));
      }),
      RUNS,
    );
  });

  it('round-trips without velocity events, giving the default velocity', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch' }), ({ piece, resolution }) => {
        const tokens = encodeEvents(piece, { resolution, encodeVelocity: false });
        expect(tokens.every((token) => token < 356)).toBe(true);
        const decoded = decodeEvents(tokens, { resolution, ppq: piece.ppq });
        expect(noteRows(decoded)).toEqual(withVelocity(noteRows(piece), 64));
      }),
      RUNS,
    );
  });

  it('keeps velocities up to the bin width for any velocity', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch' }), ({ piece, resolution }) => {
        const decoded = noteRows(decodeEvents(encodeEvents(piece, { resolution }), { resolution, ppq: piece.ppq }));
        const original = noteRows(piece);
        expect(decoded.map((row) => row.slice(0, 3))).toEqual(original.map((row) => row.slice(0, 3)));
        // Decoded rows are sorted like the originals; a bin decodes to its lower edge (at least 1).
        original.forEach((row, index) => {
          const velocity = decoded[index]![3]!;
          expect(velocity).toBe(Math.max(1, Math.floor((row[3]! * 32) / 128) * 4));
        });
      }),
      RUNS,
    );
  });
});

describe('pitch representation', () => {
  it('round-trips monophonic on-grid music exactly', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'mono', tracks: 2 }), ({ piece, resolution }) => {
        const tokens = encodePitch(piece, { resolution });
        const decoded = decodePitch(tokens, { resolution, ppq: piece.ppq, velocity: 64 });
        expect(noteRows(decoded)).toEqual(withVelocity(noteRows(piece), 64));
      }),
      RUNS,
    );
  });

  it('gives one token per step up to the last note end', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'free', tracks: 2 }), ({ piece, resolution }) => {
        const tokens = encodePitch(piece, { resolution });
        expect(tokens.length).toBe((piece.durationTicks * resolution) / piece.ppq);
        expect(tokens.every((token) => token <= 129)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('piano roll', () => {
  it('round-trips on-grid music exactly when notes of a pitch never touch', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch-gap', tracks: 2 }), ({ piece, resolution }) => {
        const roll = encodePianoRoll(piece, { resolution });
        expect(roll.data.length).toBe(roll.steps * 128);
        expect(noteRows(decodePianoRoll(roll, { ppq: piece.ppq }))).toEqual(noteRows(piece));
      }),
      RUNS,
    );
  });

  it('round-trips touching notes of one pitch when the onset matrix is kept', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch' }), ({ piece, resolution }) => {
        const roll = encodePianoRoll(piece, { resolution, withOnsets: true });
        expect(noteRows(decodePianoRoll(roll, { ppq: piece.ppq }))).toEqual(noteRows(piece));
      }),
      RUNS,
    );
  });

  it('round-trips binary rolls with the default velocity', () => {
    fc.assert(
      fc.property(gridPiece({ overlap: 'per-pitch-gap' }), ({ piece, resolution }) => {
        const roll = encodePianoRoll(piece, { resolution, mode: 'binary' });
        expect(roll.data.every((cell) => cell <= 1)).toBe(true);
        expect(noteRows(decodePianoRoll(roll, { ppq: piece.ppq }))).toEqual(withVelocity(noteRows(piece), 64));
      }),
      RUNS,
    );
  });
});
