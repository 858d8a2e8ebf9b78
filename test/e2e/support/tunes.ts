/**
 * Seeded random two-voice tunes for the model tests: a melody that walks the C major scale between
 * C4 and G5 in eighths, quarters and halves, over a bass note per bar between C3 and G3. Varied
 * enough that an HMM keeps learning for many iterations (a rising scale is learned in a few).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';

const SCALE = [0, 2, 4, 5, 7, 9, 11];
/** The melody's range, C4..G5, and the bass's, C3..G3 (MIDI numbers). */
export const MELODY_RANGE = { low: 60, high: 79 } as const;
export const BASS_RANGE = { low: 48, high: 55 } as const;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function scalePitches(low: number, high: number): number[] {
  const pitches: number[] = [];
  for (let pitch = low; pitch <= high; pitch++) if (SCALE.includes(pitch % 12)) pitches.push(pitch);
  return pitches;
}

export function randomTuneBytes(seed: number, melodyNotes: number): Uint8Array {
  const random = mulberry32(seed * 7919 + 13);
  const midi = new Midi();
  midi.header.setTempo(100);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [4, 4] });
  const ppq = midi.header.ppq;
  const melody = midi.addTrack();
  melody.name = 'Melody';
  const steps = scalePitches(MELODY_RANGE.low, MELODY_RANGE.high);
  let index = Math.floor(random() * steps.length);
  let ticks = 0;
  for (let note = 0; note < melodyNotes; note++) {
    const move = Math.floor(random() * 5) - 2;
    index = Math.min(steps.length - 1, Math.max(0, index + move));
    const roll = random();
    const duration = roll < 0.4 ? ppq / 2 : roll < 0.85 ? ppq : ppq * 2;
    melody.addNote({ midi: steps[index]!, ticks, durationTicks: duration, velocity: 0.45 + random() * 0.4 });
    ticks += duration;
  }
  const bass = midi.addTrack();
  bass.name = 'Bass';
  const bassSteps = scalePitches(BASS_RANGE.low, BASS_RANGE.high);
  const bar = ppq * 4;
  // Bass notes only under the melody (whole bars that end by the melody's end).
  for (let start = 0; start + bar <= ticks; start += bar) {
    bass.addNote({ midi: bassSteps[Math.floor(random() * bassSteps.length)]!, ticks: start, durationTicks: bar, velocity: 0.5 });
  }
  return midi.toArray();
}

export function writeRandomTune(file: string, seed: number, melodyNotes: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, randomTuneBytes(seed, melodyNotes));
  return file;
}
