/**
 * Keys and scales for "transpose in scale": the key comes from the piece's key signature in force at
 * each note (C major when the piece has none), the scale is its major or natural minor scale.
 */
import type { KeySignatureChange } from '../../../core/music/types';

const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];
const MINOR_STEPS = [0, 2, 3, 5, 7, 8, 10];
const LETTERS: Readonly<Record<string, number>> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

export interface Key {
  /** Pitch class of the tonic, 0 (C) .. 11 (B). */
  readonly tonic: number;
  readonly scale: 'major' | 'minor';
}

export const C_MAJOR: Key = { tonic: 0, scale: 'major' };

/** "C", "F#", "Bb", "Cb", "E♭" → pitch class; throws on anything else. */
export function tonicPitchClass(name: string): number {
  const match = /^\s*([A-Ga-g])\s*(#|♯|b|♭|##|bb)?\s*$/.exec(name);
  if (!match) throw new RangeError(`“${name}” is not a key name (e.g. C, F#, Bb).`);
  const letter = LETTERS[match[1]!.toUpperCase()]!;
  const accidental = match[2] ?? '';
  const shift = accidental === '#' || accidental === '♯' ? 1 : accidental === '##' ? 2 : accidental === 'b' || accidental === '♭' ? -1 : accidental === 'bb' ? -2 : 0;
  return (((letter + shift) % 12) + 12) % 12;
}

/** The key in force at `ticks`: the last key signature at or before it, else the first one, else C major. */
export function keyAt(keySignatures: readonly KeySignatureChange[], ticks: number): Key {
  let chosen: KeySignatureChange | undefined;
  for (const signature of keySignatures) {
    if (signature.ticks <= ticks && (chosen === undefined || signature.ticks >= chosen.ticks)) chosen = signature;
  }
  chosen ??= [...keySignatures].sort((a, b) => a.ticks - b.ticks)[0];
  if (!chosen) return C_MAJOR;
  try {
    return { tonic: tonicPitchClass(chosen.key), scale: chosen.scale };
  } catch {
    return C_MAJOR;
  }
}

/** The pitch classes of the key's scale, ascending from the tonic. */
export function scalePitchClasses(key: Key): number[] {
  return (key.scale === 'major' ? MAJOR_STEPS : MINOR_STEPS).map((step) => (key.tonic + step) % 12);
}

export function isInScale(pitch: number, key: Key): boolean {
  return scalePitchClasses(key).includes(((pitch % 12) + 12) % 12);
}

/**
 * `pitch` moved by `steps` degrees of the key's scale: the |steps|-th scale tone strictly above
 * (steps > 0) or below (steps < 0). A note outside the scale lands on the nearest scale tone in
 * that direction first, so +1 then -1 brings every in-scale note back where it was. Null when the
 * result would leave 0..127.
 */
export function transposeInScale(pitch: number, steps: number, key: Key): number | null {
  if (!Number.isInteger(steps)) throw new RangeError(`Scale steps are whole numbers (got ${steps}).`);
  const classes = new Set(scalePitchClasses(key));
  let current = pitch;
  const direction = Math.sign(steps);
  for (let moved = 0; moved < Math.abs(steps); moved++) {
    do {
      current += direction;
      if (current < 0 || current > 127) return null;
    } while (!classes.has(((current % 12) + 12) % 12));
  }
  return current;
}

const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

export function describeKey(key: Key): string {
  return `${SHARP_NAMES[key.tonic]} ${key.scale}`;
}
