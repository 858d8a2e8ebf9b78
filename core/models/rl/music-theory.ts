/**
 * The music-theory reward terms (three of the RL Tuner's, simplified), per appended note, and the
 * key they are measured in. Each term looks at the notes before it too, primer included, so a
 * repeat or a leap that began in the primer counts.
 *
 * - in key: 1 when the note's pitch class is in the key's scale, else 0 (the episode's mean is the
 *   share of notes in key).
 * - repeats: −1 for each note that makes a run of equal pitches longer than `maxRepeats`.
 * - resolution: +1 when the note resolves a leap (the previous interval ≥ `leap` semitones, this
 *   one a step of 1–2 semitones the other way), +1 when it is the tonic reached by a semitone up
 *   from the leading tone.
 *
 * The key: Krumhansl–Schmuckler (the pitch-class histogram correlated with the 24 rotated
 * Krumhansl–Kessler profiles, the best one wins; ties go to the lower tonic, major first). A major
 * key's scale is its major scale; a minor key's is the natural minor with the raised seventh (the
 * leading tone that the resolution term needs, as harmonic minor has it).
 */
import { RlError } from './errors';

export interface MusicalKey {
  /** Pitch class of the tonic, 0 = C. */
  readonly tonic: number;
  /** The scale's pitch classes (relative to C). */
  readonly pitchClasses: readonly number[];
}

const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];
const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10, 11];

function correlation(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const meanA = a.reduce((sum, value) => sum + value, 0) / n;
  const meanB = b.reduce((sum, value) => sum + value, 0) / n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < n; k++) {
    ab += (a[k]! - meanA) * (b[k]! - meanB);
    aa += (a[k]! - meanA) ** 2;
    bb += (b[k]! - meanB) ** 2;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Pitch-class counts of some pitches. */
export function pitchClassHistogram(pitches: ArrayLike<number>): number[] {
  const counts = new Array<number>(12).fill(0);
  for (let k = 0; k < pitches.length; k++) counts[pitches[k]! % 12]!++;
  return counts;
}

/** The key of a pitch-class histogram (Krumhansl–Schmuckler); C major for an empty one. */
export function estimateKey(histogram: readonly number[]): MusicalKey {
  if (histogram.length !== 12) throw new RlError(`A pitch-class histogram has 12 entries, got ${histogram.length}.`);
  let best = { score: -Infinity, tonic: 0, minor: false };
  for (const minor of [false, true]) {
    const profile = minor ? MINOR_PROFILE : MAJOR_PROFILE;
    for (let tonic = 0; tonic < 12; tonic++) {
      const rotated = Array.from({ length: 12 }, (_, pc) => profile[(pc - tonic + 12) % 12]!);
      const score = correlation(histogram, rotated);
      if (score > best.score + 1e-12) best = { score, tonic, minor };
    }
  }
  const scale = best.minor ? MINOR_SCALE : MAJOR_SCALE;
  return { tonic: best.tonic, pitchClasses: scale.map((degree) => (degree + best.tonic) % 12) };
}

export interface TheoryOptions {
  readonly maxRepeats: number;
  readonly leap: number;
}

/** The unweighted terms of each appended note. */
export interface TheoryTerms {
  readonly inKey: Float32Array;
  readonly repeats: Float32Array;
  readonly resolution: Float32Array;
}

/**
 * The terms for `appended`, the notes after `context` (the primer), in `key`. Each array has one
 * value per appended note.
 */
export function theoryTerms(context: ArrayLike<number>, appended: ArrayLike<number>, key: MusicalKey, options: TheoryOptions): TheoryTerms {
  const inScale = new Uint8Array(12);
  for (const pc of key.pitchClasses) inScale[pc] = 1;
  const leadingTone = (key.tonic + 11) % 12;
  const P = context.length;
  const at = (k: number): number => (k < P ? context[k]! : appended[k - P]!);
  const L = appended.length;
  const terms = { inKey: new Float32Array(L), repeats: new Float32Array(L), resolution: new Float32Array(L) };
  let run = 0;
  for (let k = 0; k < P + L; k++) {
    const pitch = at(k);
    run = k > 0 && at(k - 1) === pitch ? run + 1 : 1;
    if (k < P) continue;
    const t = k - P;
    terms.inKey[t] = inScale[pitch % 12]!;
    terms.repeats[t] = run > options.maxRepeats ? -1 : 0;
    let resolution = 0;
    if (k >= 2) {
      const leap = at(k - 1) - at(k - 2);
      const step = pitch - at(k - 1);
      if (Math.abs(leap) >= options.leap && Math.abs(step) >= 1 && Math.abs(step) <= 2 && Math.sign(step) === -Math.sign(leap)) resolution++;
    }
    if (k >= 1 && at(k - 1) % 12 === leadingTone && pitch === at(k - 1) + 1) resolution++;
    terms.resolution[t] = resolution;
  }
  return terms;
}
