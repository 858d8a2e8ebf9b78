/** fast-check generators of pieces whose notes lie on a step grid. */
import fc from 'fast-check';
import type { Piece } from '../../../core/music/types';
import { makePiece, type NoteSpec } from './support';

export interface GridPiece {
  readonly piece: Piece;
  readonly resolution: number;
}

export interface GridOptions {
  /** 'free': anything; 'per-pitch': notes of one pitch never overlap (they may touch);
   *  'per-pitch-gap': notes of one pitch leave at least one silent step; 'mono': no two notes overlap. */
  readonly overlap: 'free' | 'per-pitch' | 'per-pitch-gap' | 'mono';
  readonly velocity?: fc.Arbitrary<number>;
  readonly maxOnset?: number;
  readonly tracks?: number;
}

interface StepSpec {
  onset: number;
  duration: number;
  pitch: number;
  velocity: number;
}

function keep(notes: StepSpec[], overlap: GridOptions['overlap']): StepSpec[] {
  const sorted = [...notes].sort((a, b) => a.onset - b.onset || a.pitch - b.pitch);
  const kept: StepSpec[] = [];
  const lastEnd = new Map<number, number>();
  let monoEnd = 0;
  for (const note of sorted) {
    const key = overlap === 'mono' ? -1 : note.pitch;
    const previousEnd = overlap === 'mono' ? monoEnd : (lastEnd.get(key) ?? -Infinity);
    const gap = overlap === 'per-pitch-gap' ? 1 : 0;
    if (overlap !== 'free' && note.onset < previousEnd + gap) continue;
    kept.push(note);
    lastEnd.set(key, note.onset + note.duration);
    monoEnd = note.onset + note.duration;
  }
  return kept;
}

export function gridPiece(options: GridOptions): fc.Arbitrary<GridPiece> {
  const note = fc.record({
    onset: fc.integer({ min: 0, max: options.maxOnset ?? 64 }),
    duration: fc.integer({ min: 1, max: 16 }),
    // A few pitches most of the time, so repeated and touching notes of one pitch are common.
    pitch: fc.oneof({ arbitrary: fc.integer({ min: 60, max: 62 }), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 127 }), weight: 1 }),
    velocity: options.velocity ?? fc.integer({ min: 1, max: 127 }),
  });
  return fc
    .record({
      resolution: fc.constantFrom(1, 2, 3, 4, 12, 24),
      ticksPerStep: fc.constantFrom(1, 5, 40),
      tracks: fc.array(fc.array(note, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: options.tracks ?? 1 }),
    })
    .map(({ resolution, ticksPerStep, tracks }) => {
      // Overlap rules apply across tracks too, since 'all' merges them.
      const all = keep(
        tracks.flatMap((notes, track) => notes.map((spec) => ({ ...spec, track }))),
        options.overlap,
      ) as (StepSpec & { track: number })[];
      const ppq = resolution * ticksPerStep;
      const toSpec = (spec: StepSpec): NoteSpec => ({
        ticks: spec.onset * ticksPerStep,
        durationTicks: spec.duration * ticksPerStep,
        pitch: spec.pitch,
        velocity: spec.velocity,
      });
      return {
        resolution,
        piece: makePiece({ ppq, tracks: tracks.map((_, track) => ({ notes: all.filter((spec) => spec.track === track).map(toSpec) })) }),
      };
    })
    .filter(({ piece }) => piece.tracks.some((track) => track.notes.length > 0));
}
