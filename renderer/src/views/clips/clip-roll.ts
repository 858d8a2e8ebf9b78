/**
 * The mini piano roll of a clip, apart from the canvas: which pitches and how much time it shows,
 * and where each note, bar line and key row goes, in CSS pixels. Simple and linear in the notes, so
 * a long clip still draws in a frame.
 */
import type { Clip } from '../../../../core/ipc/schemas';

type RollMusic = Pick<Clip, 'ppq' | 'durationTicks' | 'timeSignatures' | 'tracks'>;

export interface RollNote {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly pitch: number;
  readonly velocity: number;
  readonly track: number;
}

export interface RollRow {
  readonly pitch: number;
  readonly y: number;
  readonly height: number;
  /** A black key (C#, D#, F#, G#, A#): drawn darker, as in a piano roll. */
  readonly black: boolean;
}

export interface RollLayout {
  readonly lowPitch: number;
  readonly highPitch: number;
  readonly endTicks: number;
  readonly notes: readonly RollNote[];
  readonly rows: readonly RollRow[];
  /** x of every bar line after the first. */
  readonly bars: readonly number[];
  readonly noteCount: number;
}

const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);
/** Pitches shown above and below the used range, so the highest and lowest notes are not at the edge. */
const PITCH_MARGIN = 2;
/** At least this many semitones (an octave and a half): a clip of three notes should not be three huge bars. */
const MIN_PITCH_SPAN = 18;
/** A note is at least this wide, so a 1/32 note in a long clip still shows. */
const MIN_NOTE_WIDTH = 1.5;

export function isBlackKey(pitch: number): boolean {
  return BLACK_KEYS.has(((pitch % 12) + 12) % 12);
}

/** The pitch range to show: the used range with a margin, widened around its middle to MIN_PITCH_SPAN. */
export function pitchWindow(low: number, high: number): [number, number] {
  let from = low - PITCH_MARGIN;
  let to = high + PITCH_MARGIN;
  const missing = MIN_PITCH_SPAN - (to - from + 1);
  if (missing > 0) {
    from -= Math.floor(missing / 2);
    to += Math.ceil(missing / 2);
  }
  if (from < 0) {
    to = Math.min(127, to - from);
    from = 0;
  }
  if (to > 127) {
    from = Math.max(0, from - (to - 127));
    to = 127;
  }
  return [from, to];
}

/** Ticks in one bar of the clip's first time signature (4/4 when it has none). */
export function ticksPerBar(music: Pick<Clip, 'ppq' | 'timeSignatures'>): number {
  const signature = music.timeSignatures[0] ?? { numerator: 4, denominator: 4 };
  return Math.max(1, Math.round((music.ppq * 4 * signature.numerator) / signature.denominator));
}

export function rollLayout(music: RollMusic, width: number, height: number): RollLayout {
  let low = 128;
  let high = -1;
  let lastEnd = 0;
  let noteCount = 0;
  for (const track of music.tracks) {
    for (const note of track.notes) {
      low = Math.min(low, note.pitch);
      high = Math.max(high, note.pitch);
      lastEnd = Math.max(lastEnd, note.ticks + note.durationTicks);
      noteCount += 1;
    }
  }
  const [lowPitch, highPitch] = noteCount === 0 ? pitchWindow(60, 72) : pitchWindow(low, high);
  const barTicks = ticksPerBar(music);
  // Show whole bars: the clip's length (or its last note's end) rounded up to a bar line.
  const endTicks = Math.max(barTicks, Math.ceil(Math.max(music.durationTicks, lastEnd) / barTicks) * barTicks);
  const rowHeight = height / (highPitch - lowPitch + 1);
  const xOf = (ticks: number) => (ticks / endTicks) * width;
  const yOf = (pitch: number) => (highPitch - pitch) * rowHeight;

  const rows: RollRow[] = [];
  for (let pitch = lowPitch; pitch <= highPitch; pitch++) rows.push({ pitch, y: yOf(pitch), height: rowHeight, black: isBlackKey(pitch) });
  const bars: number[] = [];
  for (let ticks = barTicks; ticks < endTicks; ticks += barTicks) bars.push(xOf(ticks));
  const notes: RollNote[] = [];
  music.tracks.forEach((track, trackIndex) => {
    for (const note of track.notes) {
      notes.push({
        x: xOf(note.ticks),
        y: yOf(note.pitch),
        width: Math.max(MIN_NOTE_WIDTH, xOf(note.ticks + note.durationTicks) - xOf(note.ticks)),
        height: rowHeight,
        pitch: note.pitch,
        velocity: note.velocity,
        track: trackIndex,
      });
    }
  });
  return { lowPitch, highPitch, endTicks, notes, rows, bars, noteCount };
}

/** The lowest and highest pitch a clip uses, or null when it has no notes. */
export function usedPitches(music: Pick<Clip, 'tracks'>): { low: number; high: number } | null {
  let low = 128;
  let high = -1;
  for (const track of music.tracks) {
    for (const note of track.notes) {
      low = Math.min(low, note.pitch);
      high = Math.max(high, note.pitch);
    }
  }
  return high < 0 ? null : { low, high };
}
