/**
 * Writes the studio's built-in demo corpus (resources/demo), which is imported on first run so that a
 * new user can train and hear something at once.
 *
 * Every piece is composed here, by our own seeded algorithms: the corpus holds no third-party
 * material. Nothing depends on the clock or Math.random, so running the script twice writes the same
 * bytes; the files are committed, and test/unit/demo-corpus.test.ts regenerates them and compares.
 *
 *   melodies/  monophonic period-form melodies: an antecedent phrase that ends on the dominant (half
 *              cadence) answered by a consequent that repeats its opening and ends on the tonic.
 *   chorales/  four-voice (SATB) chorale-like pieces: a diatonic progression with half cadence and
 *              authentic cadence, voiced by a small Viterbi search that penalises what a harmony
 *              teacher would (parallel fifths and octaves, unresolved leading tones, big leaps).
 *   extras/    pieces that make the importer's edge cases visible: tempo changes, meter changes,
 *              a drum track on channel 10 with a bass line, and a piano part with sustain pedal.
 *
 * Run: npx tsx scripts/make-demo-corpus.ts [outDir]    (default: resources/demo)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';

/** @tonejs/midi writes 480 ticks per quarter note; every time below is in those ticks. */
const PPQ = 480;
const EIGHTH = PPQ / 2;
const SUSTAIN = 64;
const DRUM_CHANNEL = 9;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: tiny, and identical on every platform because it uses 32-bit integer arithmetic only. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: nothing to pick from');
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(total > 0)) throw new Error('SeededRandom.weighted: no option has a positive weight');
    let threshold = this.next() * total;
    for (const [value, weight] of options) {
      threshold -= weight;
      if (threshold < 0) return value;
    }
    return options[options.length - 1]![0];
  }
}

// ---------------------------------------------------------------------------------------------
// Keys and scales

type Mode = 'major' | 'minor';

interface Key {
  /** Spelled tonic, e.g. "Bb", "F#". */
  readonly tonic: string;
  readonly mode: Mode;
  /** Pitch class of the tonic, 0 = C. */
  readonly pitchClass: number;
  /** Sharps (positive) or flats (negative) in the key signature. */
  readonly accidentals: number;
}

const KEY_TABLE: Record<Mode, Record<string, readonly [pitchClass: number, accidentals: number]>> = {
  major: { C: [0, 0], G: [7, 1], D: [2, 2], A: [9, 3], E: [4, 4], F: [5, -1], Bb: [10, -2], Eb: [3, -3], Ab: [8, -4] },
  minor: { A: [9, 0], E: [4, 1], B: [11, 2], 'F#': [6, 3], D: [2, -1], G: [7, -2], C: [0, -3], F: [5, -4] },
};

function key(tonic: string, mode: Mode): Key {
  const entry = KEY_TABLE[mode][tonic];
  if (!entry) throw new Error(`make-demo-corpus: no key ${tonic} ${mode}`);
  return { tonic, mode, pitchClass: entry[0], accidentals: entry[1] };
}

/** "Bb" major → "b-flat-major", "F#" minor → "f-sharp-minor": file names without symbols. */
function keySlug(k: Key): string {
  const letter = k.tonic[0]!.toLowerCase();
  const accidental = k.tonic.endsWith('#') ? '-sharp' : k.tonic.length > 1 && k.tonic.endsWith('b') ? '-flat' : '';
  return `${letter}${accidental}-${k.mode}`;
}

/**
 * @tonejs/midi encodes a key signature from the name of the MAJOR key with the same accidentals
 * (its table is indexed by sharps/flats), so a minor key is written as its relative major + "minor".
 */
const MAJOR_KEY_BY_ACCIDENTALS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];

const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11] as const;
const NATURAL_MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10] as const;
/** Over the dominant, minor raises its 7th (leading tone) and, to avoid the augmented second, its 6th. */
const MELODIC_MINOR_SCALE = [0, 2, 3, 5, 7, 9, 11] as const;

/** Scale degrees are 0-based: 0 = tonic, 4 = dominant; a chord is named by its root degree. */
const TONIC = 0;
const DOMINANT = 4;

function scaleOver(k: Key, chordRoot: number): readonly number[] {
  if (k.mode === 'major') return MAJOR_SCALE;
  return chordRoot === DOMINANT ? MELODIC_MINOR_SCALE : NATURAL_MINOR_SCALE;
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/** Semitones above the tonic of a diatonic degree that may leave the octave (-1 = leading tone below). */
function degreeSemitones(scale: readonly number[], degree: number): number {
  return 12 * Math.floor(degree / 7) + scale[mod(degree, 7)]!;
}

function isChordTone(degree: number, chordRoot: number): boolean {
  const fromRoot = mod(degree - chordRoot, 7);
  return fromRoot === 0 || fromRoot === 2 || fromRoot === 4;
}

/** Root, third and fifth of a diatonic triad as pitch classes. */
function triadPitchClasses(k: Key, chordRoot: number): readonly [number, number, number] {
  const scale = scaleOver(k, chordRoot);
  const at = (offset: number) => mod(k.pitchClass + scale[mod(chordRoot + offset, 7)]!, 12);
  return [at(0), at(2), at(4)];
}

// ---------------------------------------------------------------------------------------------
// Pieces as plain data, and their encoding with @tonejs/midi

interface NoteSpec {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity: number;
}

interface ControlSpec {
  readonly ticks: number;
  readonly controller: number;
  readonly value: number;
}

interface TrackSpec {
  readonly name: string;
  readonly channel: number;
  readonly program: number;
  readonly notes: readonly NoteSpec[];
  readonly controlChanges?: readonly ControlSpec[];
}

interface PieceSpec {
  /** Path inside the corpus folder, with forward slashes. */
  readonly file: string;
  readonly title: string;
  readonly key: Key;
  readonly tempos: readonly { readonly ticks: number; readonly bpm: number }[];
  readonly meters: readonly { readonly ticks: number; readonly numerator: number; readonly denominator: number }[];
  readonly tracks: readonly TrackSpec[];
}

/**
 * @tonejs/midi stores velocities and controller values as 0..1 and writes floor(x * 127); half a
 * step up makes that floor land exactly on the integer we mean.
 */
function toUnit(midiValue: number): number {
  return (midiValue + 0.5) / 127;
}

function clampVelocity(value: number): number {
  return Math.max(1, Math.min(127, Math.round(value)));
}

export function encodePiece(piece: PieceSpec): Uint8Array {
  const midi = new Midi();
  midi.header.name = piece.title;
  for (const tempo of piece.tempos) midi.header.tempos.push({ ticks: tempo.ticks, bpm: tempo.bpm });
  for (const meter of piece.meters) {
    midi.header.timeSignatures.push({ ticks: meter.ticks, timeSignature: [meter.numerator, meter.denominator] });
  }
  midi.header.keySignatures.push({
    ticks: 0,
    key: MAJOR_KEY_BY_ACCIDENTALS[piece.key.accidentals + 7]!,
    scale: piece.key.mode,
  });
  midi.header.update();
  for (const spec of piece.tracks) {
    const track = midi.addTrack();
    track.name = spec.name;
    track.channel = spec.channel;
    track.instrument.number = spec.program;
    // Time order matters: for a repeated pitch the writer must emit note-off before the next note-on.
    const notes = [...spec.notes].sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch);
    for (const note of notes) {
      if (note.pitch < 0 || note.pitch > 127 || note.durationTicks <= 0) {
        throw new Error(`make-demo-corpus: bad note in ${piece.file}/${spec.name}: ${JSON.stringify(note)}`);
      }
      track.addNote({ midi: note.pitch, ticks: note.ticks, durationTicks: note.durationTicks, velocity: toUnit(note.velocity) });
    }
    for (const change of spec.controlChanges ?? []) {
      track.addCC({ number: change.controller, ticks: change.ticks, value: toUnit(change.value) });
    }
  }
  return withKeySignatureFixed(midi.toArray(), piece.key.accidentals);
}

/**
 * @tonejs/midi 2.0.28 writes a key signature's sharps/flats byte as (index in its key table + 7),
 * i.e. 7..21 instead of -7..7, which no reader understands. Its encoder always puts the event right
 * after the first track's name at delta 0, so the byte is found by walking those two events and is
 * set to the count the Standard MIDI File format defines.
 */
function withKeySignatureFixed(bytes: Uint8Array, accidentals: number): Uint8Array {
  const headerLength = 14;
  const fail = (why: string): never => {
    throw new Error(`make-demo-corpus: unexpected @tonejs/midi output (${why}); check its key-signature encoding`);
  };
  const text = (at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
  if (text(headerLength, 4) !== 'MTrk') fail('no first track');
  let at = headerLength + 8;
  if (bytes[at] !== 0x00 || bytes[at + 1] !== 0xff || bytes[at + 2] !== 0x03) fail('no track name first');
  const nameLength = bytes[at + 3]!;
  if (nameLength >= 0x80) fail('track name too long for a one-byte length');
  at += 4 + nameLength;
  if (bytes[at] !== 0x00 || bytes[at + 1] !== 0xff || bytes[at + 2] !== 0x59 || bytes[at + 3] !== 0x02) fail('no key signature after the name');
  const fixed = bytes.slice();
  fixed[at + 4] = accidentals & 0xff; // signed byte: -2 (two flats) is 0xfe
  return fixed;
}

// ---------------------------------------------------------------------------------------------
// Melodies: period form over an implied harmony, one chord per bar

/** Quarter-note beats per bar; every meter in the corpus has a quarter-note denominator. */
type Meter = 2 | 3 | 4;
type PhraseKind = 'antecedent' | 'consequent' | 'contrast';

interface PhrasePlan {
  readonly kind: PhraseKind;
  readonly meter: Meter;
}

interface MelodyBar {
  readonly startTick: number;
  readonly meter: Meter;
  readonly chordRoot: number;
}

interface MelodyEvent {
  readonly degree: number;
  readonly startTick: number;
  readonly durationTicks: number;
  readonly bar: number;
  /** Onset inside its bar, in eighths. */
  readonly onset: number;
  /** 0..1 through its phrase, for the dynamic arch. */
  readonly progress: number;
}

interface ComposedMelody {
  readonly bars: readonly MelodyBar[];
  readonly events: readonly MelodyEvent[];
  readonly durationTicks: number;
}

/** Chord roots for the four bars of a phrase. Consequents reuse the antecedent's first two bars. */
const ANTECEDENT_HARMONY = [
  [0, 3, 1, 4],
  [0, 5, 3, 4],
  [0, 3, 0, 4],
  [0, 5, 1, 4],
  [0, 0, 3, 4],
] as const;
const CONTRAST_HARMONY = [
  [5, 3, 0, 4],
  [3, 0, 1, 4],
  [5, 1, 3, 4],
  [3, 3, 5, 4],
] as const;

/** Bar rhythms in eighths. `inner` for free bars, `halfCadence` ends long on the dominant. */
const RHYTHMS: Record<Meter, { readonly inner: readonly (readonly number[])[]; readonly halfCadence: readonly (readonly number[])[] }> = {
  2: { inner: [[2, 2], [1, 1, 2], [3, 1], [2, 1, 1]], halfCadence: [[4], [2, 2]] },
  3: {
    inner: [[2, 2, 2], [4, 2], [3, 1, 2], [1, 1, 2, 2], [2, 1, 1, 2], [1, 1, 1, 1, 2]],
    halfCadence: [[2, 4], [6], [3, 1, 2]],
  },
  4: {
    inner: [[2, 2, 2, 2], [1, 1, 2, 2, 2], [3, 1, 2, 2], [2, 1, 1, 4], [4, 2, 2], [2, 2, 4], [1, 1, 1, 1, 2, 2], [3, 1, 4], [2, 2, 1, 1, 2]],
    halfCadence: [[2, 2, 4], [4, 4], [3, 1, 4], [1, 1, 2, 4]],
  },
};

/** Final bars: a held tonic, or a 3-2-1 descent. Degrees are relative to the final tonic. */
const FINAL_BARS: Record<Meter, readonly { readonly rhythm: readonly number[]; readonly degrees: readonly number[] }[]> = {
  2: [{ rhythm: [4], degrees: [0] }, { rhythm: [1, 1, 2], degrees: [2, 1, 0] }],
  3: [{ rhythm: [6], degrees: [0] }, { rhythm: [2, 2, 2], degrees: [2, 1, 0] }],
  4: [{ rhythm: [8], degrees: [0] }, { rhythm: [2, 2, 4], degrees: [2, 1, 0] }],
};

/** The melody's compass in scale degrees around the tonic: from the dominant below to the 10th above. */
const LOWEST_DEGREE = -3;
const HIGHEST_DEGREE = 9;
/** How likely a step of 0, 1, 2, 3, 4 degrees is: mostly steps, some skips, few leaps. */
const STEP_WEIGHTS = [0.4, 5, 2.5, 0.9, 0.6] as const;

interface Opening {
  readonly meter: Meter;
  readonly harmony: readonly number[];
  readonly rhythms: readonly (readonly number[])[];
  readonly degrees: readonly (readonly number[])[];
}

function chooseDegree(
  k: Key,
  previous: number,
  lastStep: number,
  strongBeat: boolean,
  chordRoot: number,
  goal: number,
  rng: SeededRandom,
): number {
  const scale = scaleOver(k, chordRoot);
  const options: [number, number][] = [];
  for (let step = -4; step <= 4; step++) {
    const degree = previous + step;
    if (degree < LOWEST_DEGREE || degree > HIGHEST_DEGREE) continue;
    let weight: number = STEP_WEIGHTS[Math.abs(step)]!;
    if (step === 0 && lastStep === 0) weight *= 0.1;
    if (strongBeat) weight *= isChordTone(degree, chordRoot) ? 3 : 0.2;
    // After a leap, turn back by step: the oldest rule for a singable line.
    if (Math.abs(lastStep) >= 3 && (Math.abs(step) > 2 || Math.sign(step) === Math.sign(lastStep))) weight *= 0.15;
    if (step !== 0 && Math.sign(step) === Math.sign(goal - previous)) weight *= 2;
    if (Math.abs(degreeSemitones(scale, degree) - degreeSemitones(scale, previous)) === 6) weight *= 0.05;
    options.push([degree, weight]);
  }
  return rng.weighted(options);
}

/** The dominant-chord tone nearest to `previous` (but not equal to it) for a half cadence. */
function halfCadenceDegree(previous: number): number {
  let best = previous;
  let bestDistance = Infinity;
  for (let degree = LOWEST_DEGREE; degree <= HIGHEST_DEGREE; degree++) {
    const fromRoot = mod(degree - DOMINANT, 7);
    if ((fromRoot !== 0 && fromRoot !== 4) || degree === previous) continue; // the dominant or the 2nd
    const distance = Math.abs(degree - previous);
    if (distance < bestDistance) {
      best = degree;
      bestDistance = distance;
    }
  }
  return best;
}

function composeMelody(k: Key, plans: readonly PhrasePlan[], rng: SeededRandom): ComposedMelody {
  const bars: MelodyBar[] = [];
  const events: MelodyEvent[] = [];
  let tick = 0;
  let degree = rng.pick([0, 2, 4]);
  let lastStep = 0;
  let first = true;
  let opening: Opening | undefined;

  for (const plan of plans) {
    const meter = plan.meter;
    const barEighths = meter * 2;
    const reuseOpening = plan.kind === 'consequent' && opening !== undefined && opening.meter === meter ? opening : undefined;
    const harmony: readonly number[] =
      plan.kind === 'antecedent'
        ? rng.pick(ANTECEDENT_HARMONY)
        : plan.kind === 'contrast'
          ? rng.pick(CONTRAST_HARMONY)
          : [...(reuseOpening?.harmony.slice(0, 2) ?? rng.pick(ANTECEDENT_HARMONY).slice(0, 2)), DOMINANT, TONIC];
    const peak = plan.kind === 'contrast' ? rng.int(5, 8) : rng.int(3, 6);
    const finalBar = plan.kind === 'consequent' ? rng.pick(FINAL_BARS[meter]) : undefined;
    let finalTonic = 0;
    let penultimate = 0;
    const phraseRhythms: (readonly number[])[] = [];
    const phraseDegrees: number[][] = [];

    for (let bar = 0; bar < 4; bar++) {
      const chordRoot = harmony[bar]!;
      const barIndex = bars.length;
      bars.push({ startTick: tick, meter, chordRoot });
      let rhythm: readonly number[];
      let fixed: readonly number[] | undefined;
      if (reuseOpening && bar < 2) {
        rhythm = reuseOpening.rhythms[bar]!;
        fixed = reuseOpening.degrees[bar]!;
      } else if (bar === 3 && finalBar) {
        rhythm = finalBar.rhythm;
        fixed = finalBar.degrees.map((offset) => finalTonic + offset);
      } else if (bar === 3) {
        rhythm = rng.pick(RHYTHMS[meter].halfCadence);
      } else {
        rhythm = rng.pick(RHYTHMS[meter].inner);
      }
      if (bar === 2 && finalBar) {
        // Plan the authentic cadence: the last note of this (dominant) bar leads into the tonic.
        if (finalBar.degrees.length > 1) {
          finalTonic = 0;
          penultimate = DOMINANT;
        } else {
          finalTonic = Math.abs(degree - 7) < Math.abs(degree) ? 7 : 0;
          penultimate = finalTonic + rng.pick([1, -1]);
        }
      }

      const barDegrees: number[] = [];
      let onset = 0;
      rhythm.forEach((eighths, slot) => {
        const lastInBar = slot === rhythm.length - 1;
        const progress = (bar + onset / barEighths) / 4;
        let next: number;
        if (fixed) {
          next = fixed[slot]!;
        } else if (first) {
          next = degree;
        } else if (lastInBar && bar === 3) {
          next = halfCadenceDegree(degree);
        } else if (lastInBar && bar === 2 && finalBar) {
          next = penultimate;
        } else {
          const goal = bar === 2 && finalBar ? penultimate : progress < 0.55 ? peak : plan.kind === 'consequent' ? 2 : DOMINANT;
          const strong = onset === 0 || (meter === 4 && onset === 4);
          next = chooseDegree(k, degree, lastStep, strong, chordRoot, goal, rng);
        }
        lastStep = first ? 0 : next - degree;
        degree = next;
        first = false;
        barDegrees.push(next);
        events.push({ degree: next, startTick: tick + onset * EIGHTH, durationTicks: eighths * EIGHTH, bar: barIndex, onset, progress });
        onset += eighths;
      });
      if (onset !== barEighths) throw new Error(`make-demo-corpus: a ${meter}/4 bar got ${onset} eighths`);
      phraseRhythms.push(rhythm);
      phraseDegrees.push(barDegrees);
      tick += barEighths * EIGHTH;
    }
    if (plan.kind === 'antecedent' && opening === undefined) {
      opening = { meter, harmony, rhythms: phraseRhythms, degrees: phraseDegrees };
    }
  }
  return { bars, events, durationTicks: tick };
}

/** Degrees → MIDI notes, with phrase-shaped dynamics and a slight detaché between notes. */
function renderMelody(k: Key, melody: ComposedMelody, tonicMidi: number, baseVelocity: number): NoteSpec[] {
  const notes: NoteSpec[] = [];
  melody.events.forEach((event, index) => {
    const bar = melody.bars[event.bar]!;
    const pitch = tonicMidi + degreeSemitones(scaleOver(k, bar.chordRoot), event.degree);
    const accent = event.onset === 0 ? 14 : bar.meter === 4 && event.onset === 4 ? 6 : event.onset % 2 === 0 ? 2 : 0;
    const arch = Math.round(10 * Math.sin(Math.PI * event.progress));
    const isLast = index === melody.events.length - 1;
    const gap = isLast ? 0 : PPQ / 16;
    notes.push({
      ticks: event.startTick,
      durationTicks: event.durationTicks - gap,
      pitch,
      velocity: clampVelocity(baseVelocity + accent + arch - (isLast ? 8 : 0)),
    });
  });
  return notes;
}

/** The tonic's MIDI pitch for a melody: around middle C, an octave up for the flute. */
function melodyTonic(k: Key, program: number): number {
  const tonic = k.pitchClass <= 7 ? 60 + k.pitchClass : 48 + k.pitchClass;
  return program === FLUTE ? tonic + 12 : tonic;
}

function metersOf(bars: readonly MelodyBar[]): PieceSpec['meters'] {
  const meters: { ticks: number; numerator: number; denominator: number }[] = [];
  for (const bar of bars) {
    if (meters.at(-1)?.numerator !== bar.meter) meters.push({ ticks: bar.startTick, numerator: bar.meter, denominator: 4 });
  }
  return meters;
}

function phrasePlans(bars: number, meter: Meter): PhrasePlan[] {
  const kinds: readonly PhraseKind[] =
    bars === 8 ? ['antecedent', 'consequent'] : bars === 12 ? ['antecedent', 'contrast', 'consequent'] : ['antecedent', 'consequent', 'contrast', 'consequent'];
  return kinds.map((kind) => ({ kind, meter }));
}

const PIANO = 0;
const FLUTE = 73;
const OBOE = 68;

interface MelodySpec {
  readonly key: Key;
  readonly meter: Meter;
  readonly bars: 8 | 12 | 16;
  readonly bpm: number;
  readonly program: number;
}

const MELODIES: readonly MelodySpec[] = [
  { key: key('C', 'major'), meter: 4, bars: 8, bpm: 100, program: PIANO },
  { key: key('G', 'major'), meter: 3, bars: 8, bpm: 120, program: FLUTE },
  { key: key('A', 'minor'), meter: 4, bars: 8, bpm: 90, program: PIANO },
  { key: key('F', 'major'), meter: 4, bars: 12, bpm: 110, program: FLUTE },
  { key: key('D', 'minor'), meter: 3, bars: 12, bpm: 96, program: OBOE },
  { key: key('D', 'major'), meter: 4, bars: 16, bpm: 128, program: FLUTE },
  { key: key('E', 'minor'), meter: 4, bars: 8, bpm: 84, program: PIANO },
  { key: key('Bb', 'major'), meter: 3, bars: 16, bpm: 132, program: PIANO },
  { key: key('G', 'minor'), meter: 4, bars: 12, bpm: 80, program: OBOE },
  { key: key('A', 'major'), meter: 4, bars: 8, bpm: 140, program: PIANO },
  { key: key('C', 'minor'), meter: 3, bars: 8, bpm: 104, program: FLUTE },
  { key: key('Eb', 'major'), meter: 4, bars: 16, bpm: 116, program: PIANO },
  { key: key('B', 'minor'), meter: 4, bars: 8, bpm: 92, program: FLUTE },
  { key: key('E', 'major'), meter: 3, bars: 12, bpm: 124, program: PIANO },
];

function melodyPiece(spec: MelodySpec, index: number): PieceSpec {
  const rng = new SeededRandom(0x6d656c00 + index);
  const melody = composeMelody(spec.key, phrasePlans(spec.bars, spec.meter), rng);
  const number = String(index + 1).padStart(2, '0');
  return {
    file: `melodies/melody-${number}-${keySlug(spec.key)}.mid`,
    title: `Demo melody ${number} in ${spec.key.tonic} ${spec.key.mode}`,
    key: spec.key,
    tempos: [{ ticks: 0, bpm: spec.bpm }],
    meters: metersOf(melody.bars),
    tracks: [
      {
        name: 'Melody',
        channel: 0,
        program: spec.program,
        notes: renderMelody(spec.key, melody, melodyTonic(spec.key, spec.program), rng.int(62, 74)),
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Chorales: a diatonic progression voiced in four parts

/** S, A, T, B; ranges as a choir sings them. */
const VOICES = [
  { name: 'Soprano', low: 60, high: 81, comfortLow: 65, comfortHigh: 77 },
  { name: 'Alto', low: 55, high: 74, comfortLow: 57, comfortHigh: 72 },
  { name: 'Tenor', low: 48, high: 69, comfortLow: 50, comfortHigh: 65 },
  { name: 'Bass', low: 36, high: 62, comfortLow: 40, comfortHigh: 57 },
] as const;

type Voicing = readonly [soprano: number, alto: number, tenor: number, bass: number];

/** Which chord may follow which (roots as degrees), with weights: functional harmony in miniature. */
const MAJOR_MOVES: Record<number, readonly (readonly [number, number])[]> = {
  0: [[3, 3], [4, 3], [5, 2], [1, 2]],
  1: [[4, 5]],
  3: [[4, 4], [0, 2], [1, 2]],
  4: [[0, 5], [5, 2]],
  5: [[1, 3], [3, 3], [4, 1]],
};
/** Minor avoids the diminished ii and uses the relative major (III). */
const MINOR_MOVES: Record<number, readonly (readonly [number, number])[]> = {
  0: [[3, 3], [4, 3], [5, 2], [2, 1]],
  2: [[5, 2], [3, 3]],
  3: [[4, 4], [0, 2]],
  4: [[0, 5], [5, 2]],
  5: [[3, 3], [4, 2]],
};

/** 8 bars of half-note chords, the last a whole note: 15 chords, two 4-bar phrases. */
const CHORALE_CHORDS = 15;
const HALF_CADENCE_AT = 7;

function chooseProgression(k: Key, rng: SeededRandom): number[] {
  const moves = k.mode === 'major' ? MAJOR_MOVES : MINOR_MOVES;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const chords = [TONIC];
    while (chords.length < CHORALE_CHORDS) chords.push(rng.weighted(moves[chords.at(-1)!]!));
    const last = CHORALE_CHORDS - 1;
    if (
      chords[HALF_CADENCE_AT] === DOMINANT &&
      chords[last - 1] === DOMINANT &&
      chords[last] === TONIC &&
      chords[last - 2] !== TONIC &&
      new Set(chords).size >= 4 &&
      !isRepetitive(chords)
    ) {
      return chords;
    }
  }
  throw new Error(`make-demo-corpus: no progression found for ${k.tonic} ${k.mode}`);
}

/** True when the progression goes round in circles: V VI V VI, or the same three chords thrice. */
function isRepetitive(chords: readonly number[]): boolean {
  const triples = new Map<string, number>();
  for (let index = 2; index < chords.length; index++) {
    if (index >= 3 && chords[index] === chords[index - 2] && chords[index - 1] === chords[index - 3]) return true;
    const triple = chords.slice(index - 2, index + 1).join(' ');
    const seen = (triples.get(triple) ?? 0) + 1;
    if (seen >= 3) return true;
    triples.set(triple, seen);
  }
  return false;
}

/** Every root-position voicing of a triad within the ranges, without crossing, with its own cost. */
function voicingsOf(k: Key, chordRoot: number, position: number, sopranoTarget: number): { voicing: Voicing; cost: number }[] {
  const [root, third, fifth] = triadPitchClasses(k, chordRoot);
  const leadingTone = mod(k.pitchClass + 11, 12);
  const isFinal = position === CHORALE_CHORDS - 1;
  const inChord = (pitch: number) => {
    const pc = mod(pitch, 12);
    return pc === root || pc === third || pc === fifth;
  };
  const [soprano, alto, tenor, bass] = VOICES;
  const result: { voicing: Voicing; cost: number }[] = [];
  for (let b = bass.low; b <= bass.high; b++) {
    if (mod(b, 12) !== root) continue;
    for (let t = Math.max(tenor.low, b + 1); t <= Math.min(tenor.high, b + 19); t++) {
      if (!inChord(t)) continue;
      for (let a = Math.max(alto.low, t + 1); a <= Math.min(alto.high, t + 12); a++) {
        if (!inChord(a)) continue;
        for (let s = Math.max(soprano.low, a + 1); s <= Math.min(soprano.high, a + 12); s++) {
          if (!inChord(s)) continue;
          const voicing: Voicing = [s, a, t, b];
          const count = (pc: number) => voicing.filter((pitch) => mod(pitch, 12) === pc).length;
          const thirds = count(third);
          const fifths = count(fifth);
          if (thirds === 0) continue;
          if (thirds > 1 && third === leadingTone) continue; // never double the leading tone
          if (fifths === 0 && count(root) !== 3) continue;
          if (isFinal && mod(s, 12) !== k.pitchClass) continue; // end with the tonic on top
          let cost = 0;
          if (thirds > 1) cost += 3;
          if (fifths > 1) cost += 1;
          if (fifths === 0) cost += isFinal ? 0.5 : 3;
          voicing.forEach((pitch, voice) => {
            const range = VOICES[voice]!;
            if (pitch < range.comfortLow || pitch > range.comfortHigh) cost += voice === 0 ? 1 : 0.5;
          });
          if (position === 0 && mod(s, 12) === fifth) cost += 0.5;
          cost += 0.3 * Math.abs(s - sopranoTarget);
          result.push({ voicing, cost });
        }
      }
    }
  }
  if (result.length === 0) throw new Error(`make-demo-corpus: no voicing for degree ${chordRoot} in ${k.tonic} ${k.mode}`);
  return result;
}

function isPerfect(interval: number): boolean {
  const pc = mod(interval, 12);
  return pc === 0 || pc === 7;
}

/** What moving from one voicing to the next costs, in a harmony teacher's red ink. */
function transitionCost(k: Key, fromRoot: number, toRoot: number, from: Voicing, to: Voicing): number {
  let cost = 0;
  for (let voice = 0; voice < 4; voice++) {
    const leap = Math.abs(to[voice]! - from[voice]!);
    if (voice === 3) {
      cost += leap * 0.15 + (leap > 7 ? 3 : 0);
    } else {
      // The soprano is the tune: steps are cheap for it, only its leaps cost.
      cost += leap * (voice === 0 ? 0.4 : 1) + (leap > 4 ? 3 : 0) + (leap > 7 ? 50 : 0);
    }
    if (leap === 6) cost += 6; // no tritone leaps
  }
  for (let upper = 0; upper < 4; upper++) {
    for (let lower = upper + 1; lower < 4; lower++) {
      const before = from[upper]! - from[lower]!;
      const after = to[upper]! - to[lower]!;
      const moved = from[upper] !== to[upper] || from[lower] !== to[lower];
      if (moved && isPerfect(before) && mod(before, 12) === mod(after, 12)) cost += 100; // parallel 5ths/8ves
    }
  }
  const sopranoMove = to[0] - from[0];
  const bassMove = to[3] - from[3];
  if (sopranoMove !== 0 && Math.sign(sopranoMove) === Math.sign(bassMove) && isPerfect(to[0] - to[3]) && Math.abs(sopranoMove) > 2) {
    cost += 8; // hidden octaves or fifths between the outer voices
  }
  for (let voice = 0; voice < 3; voice++) {
    if (to[voice + 1]! > from[voice]! || to[voice]! < from[voice + 1]!) cost += 10; // overlapping voices
  }
  if (fromRoot === DOMINANT && (toRoot === TONIC || toRoot === 5)) {
    const leadingTone = mod(k.pitchClass + 11, 12);
    for (let voice = 0; voice < 3; voice++) {
      if (mod(from[voice]!, 12) === leadingTone && to[voice] !== from[voice]! + 1) cost += voice === 0 ? 30 : 4;
    }
  }
  if (sopranoMove === 0) cost += 2; // keep the tune moving
  return cost;
}

/** The cheapest voicing path through the progression (Viterbi), with seeded noise for variety. */
function voiceProgression(k: Key, chords: readonly number[], rng: SeededRandom): Voicing[] {
  // Each phrase's tune arches: it rises towards the phrase's middle and settles for the cadence.
  const sopranoHome = 66 + rng.int(-1, 2);
  const sopranoTarget = (position: number) => {
    const inPhrase = position <= HALF_CADENCE_AT ? position / HALF_CADENCE_AT : (position - 8) / (CHORALE_CHORDS - 9);
    return sopranoHome + 6 * Math.sin(Math.PI * inPhrase);
  };
  const options = chords.map((chordRoot, position) =>
    voicingsOf(k, chordRoot, position, sopranoTarget(position)).map(({ voicing, cost }) => ({ voicing, cost: cost + rng.next() * 1.5 })),
  );
  let totals = options[0]!.map((option) => option.cost);
  const backPointers: number[][] = [];
  for (let position = 1; position < chords.length; position++) {
    const previous = options[position - 1]!;
    const current = options[position]!;
    const pointers: number[] = [];
    const nextTotals = current.map((option) => {
      let best = Infinity;
      let bestIndex = 0;
      previous.forEach((from, index) => {
        const total = totals[index]! + transitionCost(k, chords[position - 1]!, chords[position]!, from.voicing, option.voicing);
        if (total < best) {
          best = total;
          bestIndex = index;
        }
      });
      pointers.push(bestIndex);
      return best + option.cost;
    });
    backPointers.push(pointers);
    totals = nextTotals;
  }
  let index = totals.indexOf(Math.min(...totals));
  const path: Voicing[] = [options[chords.length - 1]![index]!.voicing];
  for (let position = chords.length - 1; position > 0; position--) {
    index = backPointers[position - 1]![index]!;
    path.unshift(options[position - 1]![index]!.voicing);
  }
  return path;
}

/**
 * A passing tone fills a melodic third in one voice with the scale step between, as a quarter note
 * on the second half of the chord; it is skipped whenever it would cross a neighbouring voice or
 * make parallel fifths or octaves into the next chord.
 */
function passingTone(k: Key, chords: readonly number[], voicings: readonly Voicing[], position: number, voice: number): number | undefined {
  const from = voicings[position]![voice]!;
  const to = voicings[position + 1]![voice]!;
  // In both chords' scales, so that minor's raised 6th and 7th never clash with the natural ones.
  const scales = [scaleOver(k, chords[position]!), scaleOver(k, chords[position + 1]!)];
  const inScale = (pitch: number) => scales.every((scale) => scale.includes(mod(pitch - k.pitchClass, 12)));
  const low = Math.min(from, to);
  const high = Math.max(from, to);
  const between: number[] = [];
  for (let pitch = low + 1; pitch < high; pitch++) if (inScale(pitch)) between.push(pitch);
  if (between.length !== 1) return undefined;
  const passing = between[0]!;
  if (passing - low > 2 || high - passing > 2) return undefined; // no augmented seconds
  const here = voicings[position]!;
  const next = voicings[position + 1]!;
  if (voice > 0 && passing >= here[voice - 1]!) return undefined;
  if (voice < 3 && passing <= here[voice + 1]!) return undefined;
  for (let other = 0; other < 4; other++) {
    if (other === voice) continue;
    const before = Math.abs(passing - here[other]!);
    const after = Math.abs(to - next[other]!);
    if (isPerfect(before) && mod(before, 12) === mod(after, 12) && to !== passing) return undefined;
  }
  return passing;
}

interface ChoraleSpec {
  readonly key: Key;
  readonly bpm: number;
  readonly program: number;
}

const CHOIR_AAHS = 52;
const CHURCH_ORGAN = 19;

const CHORALES: readonly ChoraleSpec[] = [
  { key: key('C', 'major'), bpm: 80, program: CHOIR_AAHS },
  { key: key('G', 'major'), bpm: 72, program: CHURCH_ORGAN },
  { key: key('A', 'minor'), bpm: 76, program: CHOIR_AAHS },
  { key: key('F', 'major'), bpm: 88, program: CHURCH_ORGAN },
  { key: key('D', 'major'), bpm: 84, program: CHOIR_AAHS },
  { key: key('E', 'minor'), bpm: 70, program: CHURCH_ORGAN },
  { key: key('Bb', 'major'), bpm: 92, program: CHOIR_AAHS },
  { key: key('D', 'minor'), bpm: 78, program: CHURCH_ORGAN },
  { key: key('A', 'major'), bpm: 96, program: CHOIR_AAHS },
  { key: key('G', 'minor'), bpm: 74, program: CHURCH_ORGAN },
  { key: key('Eb', 'major'), bpm: 86, program: CHOIR_AAHS },
  { key: key('B', 'minor'), bpm: 100, program: CHURCH_ORGAN },
];

function choralePiece(spec: ChoraleSpec, index: number): PieceSpec {
  const rng = new SeededRandom(0x63686f00 + index);
  const chords = chooseProgression(spec.key, rng);
  const voicings = voiceProgression(spec.key, chords, rng);
  const half = 2 * PPQ;
  const voiceNotes: NoteSpec[][] = VOICES.map(() => []);
  voicings.forEach((voicing, position) => {
    const isFinal = position === CHORALE_CHORDS - 1;
    const start = position * half;
    const length = isFinal ? 2 * half : half;
    const phrasePosition = (position % 8) / 7;
    const dynamics = (position % 2 === 0 ? 6 : 0) + Math.round(6 * Math.sin(Math.PI * phrasePosition)) - (isFinal ? 4 : 0);
    // At most one passing tone per chord, and none on the cadences' held chords.
    let passingVoice = -1;
    let passingPitch: number | undefined;
    if (!isFinal && position !== HALF_CADENCE_AT && rng.chance(0.45)) {
      passingVoice = rng.int(0, 3);
      passingPitch = passingTone(spec.key, chords, voicings, position, passingVoice);
    }
    voicing.forEach((pitch, voice) => {
      const velocity = (voice === 0 ? 82 : 70) + dynamics;
      if (voice === passingVoice && passingPitch !== undefined) {
        voiceNotes[voice]!.push({ ticks: start, durationTicks: PPQ, pitch, velocity: clampVelocity(velocity) });
        voiceNotes[voice]!.push({ ticks: start + PPQ, durationTicks: PPQ, pitch: passingPitch, velocity: clampVelocity(velocity - 8) });
      } else {
        voiceNotes[voice]!.push({ ticks: start, durationTicks: length, pitch, velocity: clampVelocity(velocity) });
      }
    });
  });
  const number = String(index + 1).padStart(2, '0');
  return {
    file: `chorales/chorale-${number}-${keySlug(spec.key)}.mid`,
    title: `Demo chorale ${number} in ${spec.key.tonic} ${spec.key.mode}`,
    key: spec.key,
    tempos: [{ ticks: 0, bpm: spec.bpm }],
    meters: [{ ticks: 0, numerator: 4, denominator: 4 }],
    tracks: VOICES.map((voice, channel) => ({ name: voice.name, channel, program: spec.program, notes: voiceNotes[channel]! })),
  };
}

// ---------------------------------------------------------------------------------------------
// Extras: what the importer must get right beyond a single tempo and meter

function tempoChangesPiece(): PieceSpec {
  const k = key('D', 'major');
  const rng = new SeededRandom(0x74656d70);
  const melody = composeMelody(k, phrasePlans(16, 4), rng);
  const bar = 4 * PPQ;
  return {
    file: `extras/tempo-changes-${keySlug(k)}.mid`,
    title: 'Demo: tempo changes (faster middle, ritardando at the end)',
    key: k,
    // A livelier second period, then a written-out ritardando over the last two bars.
    tempos: [
      { ticks: 0, bpm: 96 },
      { ticks: 8 * bar, bpm: 112 },
      { ticks: 12 * bar, bpm: 100 },
      { ticks: 14 * bar, bpm: 92 },
      { ticks: 14 * bar + 2 * PPQ, bpm: 84 },
      { ticks: 15 * bar, bpm: 76 },
      { ticks: 15 * bar + 2 * PPQ, bpm: 66 },
    ],
    meters: metersOf(melody.bars),
    tracks: [{ name: 'Melody', channel: 0, program: PIANO, notes: renderMelody(k, melody, melodyTonic(k, PIANO), 70) }],
  };
}

function meterChangesPiece(): PieceSpec {
  const k = key('F', 'major');
  const rng = new SeededRandom(0x6d657472);
  const plans: PhrasePlan[] = [
    { kind: 'antecedent', meter: 4 },
    { kind: 'contrast', meter: 3 },
    { kind: 'contrast', meter: 2 },
    { kind: 'consequent', meter: 4 },
  ];
  const melody = composeMelody(k, plans, rng);
  return {
    file: `extras/meter-changes-${keySlug(k)}.mid`,
    title: 'Demo: meter changes (4/4, 3/4, 2/4, 4/4)',
    key: k,
    tempos: [{ ticks: 0, bpm: 104 }],
    meters: metersOf(melody.bars),
    tracks: [{ name: 'Melody', channel: 0, program: FLUTE, notes: renderMelody(k, melody, melodyTonic(k, FLUTE), 72) }],
  };
}

const KICK = 36;
const SNARE = 38;
const CLOSED_HAT = 42;
const OPEN_HAT = 46;
const CRASH = 49;
const FINGERED_BASS = 33;
const ELECTRIC_PIANO = 4;

function drumsAndBassPiece(): PieceSpec {
  const k = key('A', 'minor');
  const rng = new SeededRandom(0x64727573);
  const bar = 4 * PPQ;
  const sixteenth = PPQ / 4;
  // i VI III VII | i VI iv V, in natural minor except the final dominant.
  const roots = [0, 5, 2, 6, 0, 5, 3, 4];
  const drums: NoteSpec[] = [];
  const bass: NoteSpec[] = [];
  const keys: NoteSpec[] = [];
  const bassPatterns = [
    [0, 0, 12, 0, 7, 0, 12, 7],
    [0, 12, 0, 7, 0, 12, 7, 12],
    [0, 0, 7, 7, 12, 12, 7, 0],
  ];
  roots.forEach((root, index) => {
    const start = index * bar;
    const fill = index % 4 === 3;
    for (let eighth = 0; eighth < 8; eighth++) {
      const at = start + eighth * EIGHTH;
      const crash = eighth === 0 && index % 4 === 0;
      const hat = crash ? CRASH : eighth === 7 && fill ? OPEN_HAT : CLOSED_HAT;
      drums.push({ ticks: at, durationTicks: sixteenth, pitch: hat, velocity: crash ? 100 : eighth % 2 === 0 ? 84 : 62 });
      if (eighth === 0 || eighth === 4 || (eighth === 5 && rng.chance(0.5))) {
        drums.push({ ticks: at, durationTicks: sixteenth, pitch: KICK, velocity: eighth === 0 ? 110 : 96 });
      }
      if (eighth === 2 || (eighth === 6 && !fill)) drums.push({ ticks: at, durationTicks: sixteenth, pitch: SNARE, velocity: 100 });
    }
    if (fill) {
      for (let step = 12; step < 16; step++) {
        drums.push({ ticks: start + step * sixteenth, durationTicks: sixteenth, pitch: SNARE, velocity: 72 + (step - 12) * 10 });
      }
    }
    const scale = scaleOver(k, root);
    const rootPc = mod(k.pitchClass + scale[root]!, 12);
    const bassRoot = 36 + (rootPc > 7 ? rootPc - 12 : rootPc);
    const pattern = rng.pick(bassPatterns);
    pattern.forEach((offset, eighth) => {
      bass.push({ ticks: start + eighth * EIGHTH, durationTicks: EIGHTH - PPQ / 16, pitch: bassRoot + offset, velocity: eighth % 2 === 0 ? 96 : 80 });
    });
    const triad = triadPitchClasses(k, root);
    for (const stab of [0, 2 * PPQ]) {
      for (const pc of triad) {
        keys.push({ ticks: start + stab, durationTicks: 2 * PPQ - PPQ / 8, pitch: 55 + mod(pc - 7, 12), velocity: stab === 0 ? 76 : 66 });
      }
    }
  });
  return {
    file: `extras/drums-and-bass-${keySlug(k)}.mid`,
    title: 'Demo: drums on channel 10 with bass and keys',
    key: k,
    tempos: [{ ticks: 0, bpm: 112 }],
    meters: [{ ticks: 0, numerator: 4, denominator: 4 }],
    tracks: [
      { name: 'Drums', channel: DRUM_CHANNEL, program: 0, notes: drums },
      { name: 'Bass', channel: 1, program: FINGERED_BASS, notes: bass },
      { name: 'Keys', channel: 2, program: ELECTRIC_PIANO, notes: keys },
    ],
  };
}

function pianoPedalPiece(): PieceSpec {
  const k = key('E', 'minor');
  const rng = new SeededRandom(0x7065646c);
  const melody = composeMelody(k, phrasePlans(8, 4), rng);
  // The right hand sits an octave up so that it never shares a pitch with the left hand's arpeggios.
  const rightHand = renderMelody(k, melody, melodyTonic(k, PIANO) + 12, 74);
  const leftHand: NoteSpec[] = [];
  const pedal: ControlSpec[] = [];
  for (const bar of melody.bars) {
    const [root, third] = triadPitchClasses(k, bar.chordRoot);
    const bassRoot = 36 + root;
    const thirdAbove = mod(third - root, 12);
    const shape = [0, 7, 12, 12 + thirdAbove, 12, 7, 12 + thirdAbove, 7];
    shape.forEach((offset, eighth) => {
      leftHand.push({ ticks: bar.startTick + eighth * EIGHTH, durationTicks: EIGHTH, pitch: bassRoot + offset, velocity: eighth === 0 ? 70 : 54 });
    });
    // Change the pedal with the harmony: up just before the bar line, down just after it.
    pedal.push({ ticks: bar.startTick + PPQ / 16, controller: SUSTAIN, value: 127 });
    pedal.push({ ticks: bar.startTick + 4 * PPQ - PPQ / 16, controller: SUSTAIN, value: 0 });
  }
  return {
    file: `extras/piano-sustain-pedal-${keySlug(k)}.mid`,
    title: 'Demo: piano with sustain pedal',
    key: k,
    tempos: [{ ticks: 0, bpm: 76 }],
    meters: metersOf(melody.bars),
    tracks: [{ name: 'Piano', channel: 0, program: PIANO, notes: [...rightHand, ...leftHand], controlChanges: pedal }],
  };
}

// ---------------------------------------------------------------------------------------------
// The corpus

export interface DemoCorpusFile {
  /** Path inside the corpus folder, with forward slashes, e.g. "melodies/melody-01-c-major.mid". */
  readonly relativePath: string;
  readonly bytes: Uint8Array;
  readonly notes: number;
}

/** The sub-folders the generator owns; stale .mid files in them are removed on regeneration. */
export const DEMO_FOLDERS = ['melodies', 'chorales', 'extras'] as const;

/** Every piece of the demo corpus, encoded, in a fixed order (no file system access). */
export function buildDemoCorpus(): DemoCorpusFile[] {
  const pieces = [
    ...MELODIES.map(melodyPiece),
    ...CHORALES.map(choralePiece),
    tempoChangesPiece(),
    meterChangesPiece(),
    drumsAndBassPiece(),
    pianoPedalPiece(),
  ];
  return pieces.map((piece) => ({
    relativePath: piece.file,
    bytes: encodePiece(piece),
    notes: piece.tracks.reduce((sum, track) => sum + track.notes.length, 0),
  }));
}

/** Writes the corpus into `outDir` (created if needed) and returns what it wrote. */
export function generateDemoCorpus(outDir: string): DemoCorpusFile[] {
  const files = buildDemoCorpus();
  const wanted = new Set(files.map((file) => file.relativePath));
  for (const folder of DEMO_FOLDERS) {
    const dir = path.join(outDir, folder);
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.mid') && !wanted.has(`${folder}/${name}`)) fs.rmSync(path.join(dir, name));
    }
  }
  for (const file of files) fs.writeFileSync(path.join(outDir, ...file.relativePath.split('/')), file.bytes);
  return files;
}

export const DEFAULT_DEMO_DIR = path.resolve(__dirname, '..', 'resources', 'demo');

/** True when this file is the program tsx (or node) was asked to run, false when it is imported. */
function isMainModule(): boolean {
  const invoked = process.argv[1];
  if (invoked === undefined) return false;
  const withoutExtension = (file: string) => path.resolve(file).replace(/\.[cm]?[jt]s$/, '');
  return withoutExtension(invoked) === withoutExtension(__filename);
}

if (isMainModule()) {
  const outDir = path.resolve(process.argv[2] ?? DEFAULT_DEMO_DIR);
  const files = generateDemoCorpus(outDir);
  const bytes = files.reduce((sum, file) => sum + file.bytes.length, 0);
  const notes = files.reduce((sum, file) => sum + file.notes, 0);
  for (const folder of DEMO_FOLDERS) {
    const inFolder = files.filter((file) => file.relativePath.startsWith(`${folder}/`));
    console.log(`${folder}: ${inFolder.length} pieces, ${inFolder.reduce((sum, file) => sum + file.notes, 0)} notes`);
  }
  console.log(`wrote ${files.length} pieces, ${notes} notes, ${bytes} bytes to ${outDir}`);
}
