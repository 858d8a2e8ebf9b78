/**
 * Statistics of a set of pieces (a corpus, or generated pieces for the comparison view), as a plain
 * JSON-able object so that it crosses IPC as it is (schema.ts checks it there).
 *
 * What is counted where, deliberately:
 * - `notes` counts every note, drums included; `drums.notes` says how many of them are drum notes.
 * - Pitch, pitch class, duration, inter-onset and polyphony leave drum notes out (a drum "pitch" names
 *   an instrument, and drum durations mean nothing). Velocity counts every note.
 * - Durations and inter-onset intervals are in quarter notes (ticks / ppq), so tempo does not change
 *   them; their bins are note values (lower edges 1/16, 1/8, 1/4, ... of a quarter).
 * - An inter-onset interval is the gap between consecutive distinct onsets of a piece, all its
 *   non-drum tracks merged.
 * - Polyphony is the number of notes sounding at each distinct onset (a note sounds on [onset, end);
 *   a zero-length note sounds at its own onset), averaged over all onsets of all pieces, and its max.
 * - The tempo histogram counts tempo changes: a piece with one tempo counts once.
 * - Programs count non-drum tracks that have notes; control changes count events and pieces per
 *   controller.
 */
import { RepresentationError } from '../errors';
import { DRUM_CHANNEL, type Note, type Piece, type Track } from '../types';

export interface Histogram {
  /** Lower edge of each bin: bin i is [lowerEdges[i], lowerEdges[i + 1]); the last bin is open above. */
  readonly lowerEdges: readonly number[];
  readonly counts: readonly number[];
}

export interface ProgramUse {
  readonly program: number;
  readonly tracks: number;
  readonly notes: number;
}

export interface ControllerUse {
  readonly controller: number;
  readonly events: number;
  readonly pieces: number;
}

export interface CorpusStatistics {
  readonly pieces: number;
  readonly notes: number;
  readonly totalDurationSeconds: number;
  readonly notesPerPiece: { readonly values: readonly number[]; readonly mean: number };
  /** Beats per minute. */
  readonly tempo: Histogram;
  /** 128 counts, by MIDI pitch. */
  readonly pitch: readonly number[];
  /** 12 counts, C = 0. */
  readonly pitchClass: readonly number[];
  /** Note durations in quarter notes. */
  readonly duration: Histogram;
  /** Inter-onset intervals in quarter notes. */
  readonly interOnset: Histogram;
  readonly velocity: Histogram;
  readonly polyphony: { readonly mean: number; readonly max: number; readonly onsets: number };
  /** Sorted by program. */
  readonly programs: readonly ProgramUse[];
  readonly drums: { readonly piecesWithDrums: number; readonly tracks: number; readonly notes: number };
  /** Sorted by controller. */
  readonly controlChanges: readonly ControllerUse[];
}

export const TEMPO_BIN_EDGES: readonly number[] = [0, ...Array.from({ length: 21 }, (_, index) => 40 + index * 10)];
export const NOTE_VALUE_BIN_EDGES: readonly number[] = [0, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8];
export const VELOCITY_BIN_EDGES: readonly number[] = Array.from({ length: 16 }, (_, index) => index * 8);

/** Values a hair under an edge (0.24999999 quarters from float ticks) belong to the bin of that edge. */
const EDGE_TOLERANCE = 1e-9;

class HistogramCounter {
  readonly counts: number[];
  constructor(readonly lowerEdges: readonly number[]) {
    this.counts = new Array<number>(lowerEdges.length).fill(0);
  }
  add(value: number): void {
    const edges = this.lowerEdges;
    let low = 0;
    let high = edges.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (edges[middle]! <= value + EDGE_TOLERANCE) low = middle;
      else high = middle - 1;
    }
    this.counts[low]!++;
  }
  toJSON(): Histogram {
    return { lowerEdges: [...this.lowerEdges], counts: [...this.counts] };
  }
}

function isDrum(track: Track): boolean {
  return track.isDrum || track.channel === DRUM_CHANNEL;
}

export function describePieces(pieces: readonly Piece[]): CorpusStatistics {
  const tempo = new HistogramCounter(TEMPO_BIN_EDGES);
  const duration = new HistogramCounter(NOTE_VALUE_BIN_EDGES);
  const interOnset = new HistogramCounter(NOTE_VALUE_BIN_EDGES);
  const velocity = new HistogramCounter(VELOCITY_BIN_EDGES);
  const pitch = new Array<number>(128).fill(0);
  const pitchClass = new Array<number>(12).fill(0);
  const programs = new Map<number, { tracks: number; notes: number }>();
  const controllers = new Map<number, { events: number; pieces: number }>();
  const notesPerPiece: number[] = [];
  const drums = { piecesWithDrums: 0, tracks: 0, notes: 0 };
  let notes = 0;
  let totalDurationSeconds = 0;
  let polyphonySum = 0;
  let polyphonyMax = 0;
  let onsetCount = 0;

  for (const piece of pieces) {
    if (!Number.isFinite(piece.ppq) || piece.ppq <= 0) throw new RepresentationError(`"${piece.name}" has no usable ppq (${piece.ppq}): it cannot be described.`);
    let pieceNotes = 0;
    let pieceDrumNotes = 0;
    const melodic: Note[] = [];
    const controllersHere = new Set<number>();
    for (const tempoChange of piece.tempos) tempo.add(tempoChange.bpm);
    for (const track of piece.tracks) {
      pieceNotes += track.notes.length;
      for (const note of track.notes) velocity.add(note.velocity);
      for (const change of track.controlChanges) {
        const use = controllers.get(change.controller) ?? { events: 0, pieces: 0 };
        use.events++;
        controllers.set(change.controller, use);
        controllersHere.add(change.controller);
      }
      if (track.notes.length === 0) continue;
      if (isDrum(track)) {
        drums.tracks++;
        pieceDrumNotes += track.notes.length;
        continue;
      }
      const use = programs.get(track.program) ?? { tracks: 0, notes: 0 };
      use.tracks++;
      use.notes += track.notes.length;
      programs.set(track.program, use);
      for (const note of track.notes) {
        if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch > 127) {
          throw new RepresentationError(`"${piece.name}", track "${track.name}": pitch ${note.pitch} at tick ${note.ticks} is outside MIDI's 0..127.`);
        }
        pitch[note.pitch]!++;
        pitchClass[note.pitch % 12]!++;
        duration.add(note.durationTicks / piece.ppq);
        melodic.push(note);
      }
    }
    for (const controller of controllersHere) controllers.get(controller)!.pieces++;
    if (pieceDrumNotes > 0) drums.piecesWithDrums++;
    drums.notes += pieceDrumNotes;
    notes += pieceNotes;
    notesPerPiece.push(pieceNotes);
    totalDurationSeconds += piece.duration;

    const polyphony = polyphonyAtOnsets(melodic);
    for (let index = 0; index < polyphony.onsets.length; index++) {
      if (index > 0) interOnset.add((polyphony.onsets[index]! - polyphony.onsets[index - 1]!) / piece.ppq);
      polyphonySum += polyphony.sounding[index]!;
      polyphonyMax = Math.max(polyphonyMax, polyphony.sounding[index]!);
    }
    onsetCount += polyphony.onsets.length;
  }

  return {
    pieces: pieces.length,
    notes,
    totalDurationSeconds,
    notesPerPiece: { values: notesPerPiece, mean: pieces.length === 0 ? 0 : notes / pieces.length },
    tempo: tempo.toJSON(),
    pitch,
    pitchClass,
    duration: duration.toJSON(),
    interOnset: interOnset.toJSON(),
    velocity: velocity.toJSON(),
    polyphony: { mean: onsetCount === 0 ? 0 : polyphonySum / onsetCount, max: polyphonyMax, onsets: onsetCount },
    programs: [...programs.entries()].sort(([a], [b]) => a - b).map(([program, use]) => ({ program, ...use })),
    drums,
    controlChanges: [...controllers.entries()].sort(([a], [b]) => a - b).map(([controller, use]) => ({ controller, ...use })),
  };
}

/**
 * Distinct onsets (ticks, ascending) and how many notes sound at each:
 * #(onset ≤ t) − #(end ≤ t) + #(zero-length notes at t).
 */
function polyphonyAtOnsets(notes: readonly Note[]): { onsets: number[]; sounding: number[] } {
  const starts = notes.map((note) => note.ticks).sort((a, b) => a - b);
  const ends = notes.map((note) => note.ticks + note.durationTicks).sort((a, b) => a - b);
  const zeroLength = new Map<number, number>();
  for (const note of notes) if (note.durationTicks === 0) zeroLength.set(note.ticks, (zeroLength.get(note.ticks) ?? 0) + 1);
  const onsets: number[] = [];
  const sounding: number[] = [];
  let startsUpTo = 0;
  let endsUpTo = 0;
  for (let index = 0; index < starts.length; index++) {
    const onset = starts[index]!;
    if (onsets.length > 0 && onsets[onsets.length - 1] === onset) continue;
    while (startsUpTo < starts.length && starts[startsUpTo]! <= onset) startsUpTo++;
    while (endsUpTo < ends.length && ends[endsUpTo]! <= onset) endsUpTo++;
    onsets.push(onset);
    sounding.push(startsUpTo - endsUpTo + (zeroLength.get(onset) ?? 0));
  }
  return { onsets, sounding };
}
