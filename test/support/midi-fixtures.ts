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
