/** Small MIDI files made in the test, so tests do not depend on files they cannot see. */
import fs from 'node:fs';
import path from 'node:path';
import { Midi } from '@tonejs/midi';

export function makeMidiBytes(seed: number, notes = 8): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(90 + seed);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [3, 4] });
  const track = midi.addTrack();
  track.name = `Voice ${seed}`;
  track.channel = 0;
  track.instrument.number = 40;
  for (let i = 0; i < notes; i++) {
    track.addNote({ midi: 60 + ((seed + i) % 12), ticks: i * midi.header.ppq, durationTicks: midi.header.ppq, velocity: 0.5 });
  }
  track.addCC({ number: 64, value: 1, ticks: 0 });
  return midi.toArray();
}

export function writeMidiFile(file: string, seed: number, notes = 8): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, makeMidiBytes(seed, notes));
  return file;
}

/** A one-track melody of `pitches`, a quarter note each at 120 bpm. */
export function melody(pitches: readonly number[]): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(120);
  const track = midi.addTrack();
  pitches.forEach((pitch, index) => track.addNote({ midi: pitch, time: index * 0.5, duration: 0.45, velocity: 0.8 }));
  return midi.toArray();
}

/** A folder with three valid melodies and `broken.mid`: a MIDI header followed by garbage. */
export function writeFolderWithOneCorruptFile(root: string, name: string): string {
  const folder = path.join(root, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'one.mid'), melody([60, 62, 64, 65]));
  fs.writeFileSync(path.join(folder, 'two.mid'), melody([67, 65, 64, 62, 60]));
  fs.writeFileSync(path.join(folder, 'three.mid'), melody([72, 71, 69, 67, 65, 64]));
  const garbage = Buffer.alloc(64);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 37 + 11) & 0xff;
  fs.writeFileSync(path.join(folder, 'broken.mid'), Buffer.concat([Buffer.from('MThd'), garbage]));
  return folder;
}

/** C major, one octave up from middle C: the pattern the model tests' corpora repeat. */
export const C_MAJOR_SCALE = [60, 62, 64, 65, 67, 69, 71, 72] as const;

/** One track named `trackName` at 120 bpm holding `notes` (times in seconds), written to `file`. */
export function writeTrackFile(file: string, trackName: string, notes: readonly { midi: number; time: number; duration: number; velocity: number }[]): void {
  const midi = new Midi();
  midi.header.setTempo(120);
  const track = midi.addTrack();
  track.name = trackName;
  for (const note of notes) track.addNote(note);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, midi.toArray());
}

/** `count` notes of the C major scale from position `offset`, one every `stepSeconds` lasting `durationSeconds`. */
export function scaleNotes(offset: number, count: number, velocity: number, stepSeconds: number, durationSeconds = stepSeconds): { midi: number; time: number; duration: number; velocity: number }[] {
  return Array.from({ length: count }, (_, k) => ({ midi: C_MAJOR_SCALE[(offset + k) % C_MAJOR_SCALE.length]!, time: k * stepSeconds, duration: durationSeconds, velocity }));
}
