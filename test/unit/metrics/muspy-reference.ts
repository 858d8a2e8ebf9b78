/**
 * A line-by-line port of MusPy's muspy/metrics/metrics.py (and of `Music.adjust_resolution` for the
 * groove grid), written the slow, obvious way: a tick-by-tick piano roll, Python's `round`, np.roll. The
 * tests hold core/metrics/muspy.ts to it on random pieces. Where MusPy raises (no tracks: `max()` of an
 * empty list) this returns NaN, as the studio does.
 */
import type { Piece } from '../../../core/music/types';

interface RefNote {
  readonly time: number;
  readonly duration: number;
  readonly pitch: number;
}
interface RefTrack {
  readonly isDrum: boolean;
  readonly notes: readonly RefNote[];
}
interface RefMusic {
  readonly resolution: number;
  readonly tracks: readonly RefTrack[];
  readonly meter: readonly [number, number];
}

export function toMusic(piece: Piece): RefMusic {
  const first = [...piece.timeSignatures].sort((a, b) => a.ticks - b.ticks)[0];
  return {
    resolution: piece.ppq,
    meter: first ? [first.numerator, first.denominator] : [4, 4],
    tracks: piece.tracks.map((track) => ({
      isDrum: track.isDrum || track.channel === 9,
      notes: track.notes.map((note) => ({ time: note.ticks, duration: note.durationTicks, pitch: note.pitch })),
    })),
  };
}

const end = (note: RefNote): number => note.time + note.duration;
const trackEnd = (track: RefTrack): number => Math.max(0, ...track.notes.map(end));
const musicLength = (music: RefMusic): number => (music.tracks.length === 0 ? Number.NaN : Math.max(...music.tracks.map(trackEnd)));

export function pitchRange(music: RefMusic): number {
  if (music.tracks.length === 0) return 0;
  if (!music.tracks.some((track) => track.notes.length > 0)) return 0;
  let highest = 0;
  let lowest = 127;
  for (const track of music.tracks) {
    if (track.isDrum) continue;
    for (const note of track.notes) {
      if (note.pitch > highest) highest = note.pitch;
      if (note.pitch < lowest) lowest = note.pitch;
    }
  }
  return highest - lowest;
}

export function nPitchesUsed(music: RefMusic): number {
  const used = new Set<number>();
  for (const track of music.tracks) if (!track.isDrum) for (const note of track.notes) used.add(note.pitch);
  return used.size;
}

export function nPitchClassesUsed(music: RefMusic): number {
  const used = new Set<number>();
  for (const track of music.tracks) if (!track.isDrum) for (const note of track.notes) used.add(note.pitch % 12);
  return used.size;
}

function emptyRate(music: RefMusic, unit: number): number {
  const length = musicLength(music);
  if (!(length >= 1)) return Number.NaN;
  const n = Math.floor(length / unit) + 1;
  const isEmpty = new Array<boolean>(n).fill(true);
  let count = 0;
  for (const track of music.tracks) {
    for (const note of track.notes) {
      for (let index = Math.floor(note.time / unit); index <= Math.floor(end(note) / unit); index++) {
        if (isEmpty[index]) {
          isEmpty[index] = false;
          count++;
        }
      }
    }
  }
  return 1 - count / n;
}

export const emptyBeatRate = (music: RefMusic): number => emptyRate(music, music.resolution);
export const emptyMeasureRate = (music: RefMusic): number => emptyRate(music, (music.resolution * 4 * music.meter[0]) / music.meter[1]);

/** `_get_pianoroll`: length × 128, 1 where a non-drum note sounds. */
function pianoroll(music: RefMusic): { rows: number; data: Uint8Array } {
  const length = musicLength(music);
  const rows = Number.isNaN(length) ? 0 : length;
  const data = new Uint8Array(rows * 128);
  for (const track of music.tracks) {
    if (track.isDrum) continue;
    for (const note of track.notes) for (let t = note.time; t < end(note); t++) data[t * 128 + note.pitch] = 1;
  }
  return { rows, data };
}

function rowSums(roll: { rows: number; data: Uint8Array }): number[] {
  return Array.from({ length: roll.rows }, (_, row) => roll.data.subarray(row * 128, row * 128 + 128).reduce((a, b) => a + b, 0));
}

export function polyphony(music: RefMusic): number {
  const sums = rowSums(pianoroll(music));
  const denominator = sums.filter((sum) => sum > 0).length;
  if (denominator < 1) return Number.NaN;
  return sums.reduce((a, b) => a + b, 0) / denominator;
}

export function polyphonyRate(music: RefMusic, threshold = 2): number {
  const sums = rowSums(pianoroll(music));
  if (sums.length < 1) return Number.NaN;
  return sums.filter((sum) => sum > threshold).length / sums.length;
}

function getScale(root: number, mode: 'major' | 'minor'): boolean[] {
  const c = mode === 'major' ? [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1] : [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0];
  // np.roll(a, k)[i] = a[(i - k) mod n]
  return c.map((_, index) => c[(((index - root) % 12) + 12) % 12] === 1);
}

export function pitchInScaleRate(music: RefMusic, root: number, mode: 'major' | 'minor'): number {
  const scale = getScale(root, mode);
  let noteCount = 0;
  let inScale = 0;
  for (const track of music.tracks) {
    if (track.isDrum) continue;
    for (const note of track.notes) {
      noteCount++;
      if (scale[note.pitch % 12]) inScale++;
    }
  }
  return noteCount < 1 ? Number.NaN : inScale / noteCount;
}

export function scaleConsistency(music: RefMusic): number {
  let best = 0;
  for (const mode of ['major', 'minor'] as const) {
    for (let root = 0; root < 12; root++) {
      const rate = pitchInScaleRate(music, root, mode);
      if (Number.isNaN(rate)) return Number.NaN;
      if (rate > best) best = rate;
    }
  }
  return best;
}

function entropy(counter: number[]): number {
  const total = counter.reduce((a, b) => a + b, 0);
  if (total < 1) return Number.NaN;
  // -np.nansum(p * log2(p)): 0 × -inf is NaN and dropped.
  return -counter.map((count) => count / total).reduce((sum, p) => (p > 0 ? sum + p * Math.log2(p) : sum), 0);
}

export function pitchEntropy(music: RefMusic): number {
  const counter = new Array<number>(128).fill(0);
  for (const track of music.tracks) if (!track.isDrum) for (const note of track.notes) counter[note.pitch]!++;
  return entropy(counter);
}

export function pitchClassEntropy(music: RefMusic): number {
  const counter = new Array<number>(12).fill(0);
  for (const track of music.tracks) if (!track.isDrum) for (const note of track.notes) counter[note.pitch % 12]!++;
  return entropy(counter);
}

/** Python 3's round(): ties to even. */
function pythonRound(value: number): number {
  const floor = Math.floor(value);
  if (value - floor !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** music.adjust_resolution(target): time and duration of every note rounded separately. */
export function adjustResolution(music: RefMusic, target: number): RefMusic {
  const factor = target / music.resolution;
  return {
    ...music,
    resolution: target,
    tracks: music.tracks.map((track) => ({
      ...track,
      notes: track.notes.map((note) => ({ ...note, time: pythonRound(note.time * factor), duration: pythonRound(note.duration * factor) })),
    })),
  };
}

export function grooveConsistency(music: RefMusic, measureResolution: number): number {
  const length = musicLength(music);
  if (Number.isNaN(length)) return Number.NaN;
  const nMeasures = Math.floor(length / measureResolution) + 1;
  if (nMeasures < 2) return Number.NaN;
  const patterns = Array.from({ length: nMeasures }, () => new Array<boolean>(measureResolution).fill(false));
  for (const track of music.tracks) {
    for (const note of track.notes) {
      const measure = Math.floor(note.time / measureResolution);
      const position = note.time % measureResolution;
      patterns[measure]![position] = true;
    }
  }
  let hamming = 0;
  for (let m = 0; m + 1 < nMeasures; m++) for (let p = 0; p < measureResolution; p++) if (patterns[m]![p] !== patterns[m + 1]![p]) hamming++;
  return 1 - hamming / (measureResolution * (nMeasures - 1));
}
