/**
 * The studio's Piece → Standard MIDI File bytes (format 1), through @tonejs/midi: the inverse of
 * parse-midi.ts, so that parse → write → parse gives the same notes, tempos, meters, keys, track names,
 * programs and channels.
 *
 * Decisions made here, deliberately:
 * - One MIDI track per studio track, after a conductor track (tempo map, meters, key signatures, the
 *   piece's name). A drum track is written on channel 10 (index 9) whatever its stored channel.
 * - Notes are written sorted by (tick, duration, pitch): where notes of one pitch overlap, MIDI readers
 *   pair each note-off with the earliest open note-on, and writing the shorter note first keeps that
 *   pairing faithful. Velocities are clamped to 1..127, since a note-on of velocity 0 is a note-off.
 * - A tempo is written as the whole number of microseconds per quarter nearest to it (MIDI has nothing
 *   finer), so tempos read from a file come back exactly.
 * - @tonejs/midi 2.0.28 writes key signatures wrongly (the key byte is its table index + 7, which no
 *   reader understands) and silently skips controller 127. Key signatures are therefore not given to
 *   it: they are spliced into the conductor track here. Controller 127 (poly mode on) is rare enough
 *   to be left out, and is: its events are dropped on export.
 */
import { Midi } from '@tonejs/midi';
import { DRUM_CHANNEL, type KeySignatureChange, type Piece } from '../music/types';

export class MidiWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MidiWriteError';
  }
}

const MAJOR_TONICS_BY_SHARPS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'];
const MINOR_TONICS_BY_SHARPS = ['Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#', 'A#'];
const MICROSECONDS_PER_MINUTE = 60_000_000;

export function writeMidi(piece: Piece): Uint8Array {
  if (!Number.isInteger(piece.ppq) || piece.ppq <= 0 || piece.ppq > 0x7fff) {
    throw new MidiWriteError(`"${piece.name}" cannot be written: its ppq (${piece.ppq}) is not 1..32767 ticks per quarter.`);
  }
  const midi = new Midi();
  midi.header.fromJSON({
    name: piece.name,
    ppq: piece.ppq,
    meta: [],
    tempos: piece.tempos.map((tempo) => ({ ticks: tempo.ticks, bpm: writableBpm(tempo.bpm) })),
    timeSignatures: piece.timeSignatures.map((signature) => {
      if (!isPowerOfTwo(signature.denominator) || !Number.isInteger(signature.numerator) || signature.numerator < 1) {
        throw new MidiWriteError(`"${piece.name}": the meter ${signature.numerator}/${signature.denominator} at tick ${signature.ticks} cannot be written in MIDI.`);
      }
      return { ticks: signature.ticks, timeSignature: [signature.numerator, signature.denominator] };
    }),
    keySignatures: [],
  });

  for (const track of piece.tracks) {
    const out = midi.addTrack();
    out.name = track.name;
    out.channel = track.isDrum ? DRUM_CHANNEL : track.channel;
    if (!Number.isInteger(out.channel) || out.channel < 0 || out.channel > 15) {
      throw new MidiWriteError(`"${piece.name}", track "${track.name}": channel ${track.channel} is not 0..15.`);
    }
    out.instrument.number = clamp(track.program, 0, 127);
    const notes = [...track.notes].sort((a, b) => a.ticks - b.ticks || a.durationTicks - b.durationTicks || a.pitch - b.pitch);
    for (const note of notes) {
      if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch > 127) {
        throw new MidiWriteError(`"${piece.name}", track "${track.name}": pitch ${note.pitch} at tick ${note.ticks} is outside MIDI's 0..127.`);
      }
      out.addNote({
        midi: note.pitch,
        ticks: Math.max(0, Math.round(note.ticks)),
        durationTicks: Math.max(0, Math.round(note.durationTicks)),
        velocity: clamp(note.velocity, 1, 127) / 127,
      });
    }
    for (const change of track.controlChanges) {
      out.addCC({ number: clamp(change.controller, 0, 127), ticks: Math.max(0, Math.round(change.ticks)), value: clamp(change.value, 0, 127) / 127 });
    }
  }

  const bytes = midi.toArray();
  return piece.keySignatures.length === 0 ? bytes : withKeySignatures(bytes, piece);
}

/** The bpm that @tonejs/midi (which floors 60e6 / bpm) writes as the nearest whole microseconds. */
function writableBpm(bpm: number): number {
  if (!Number.isFinite(bpm) || bpm <= 0) throw new MidiWriteError(`A tempo of ${bpm} bpm cannot be written.`);
  const microseconds = Math.min(0xffffff, Math.max(1, Math.round(MICROSECONDS_PER_MINUTE / bpm)));
  return MICROSECONDS_PER_MINUTE / (microseconds + 0.5);
}

function keySignatureBytes(signature: KeySignatureChange, pieceName: string): number[] {
  const tonics = signature.scale === 'minor' ? MINOR_TONICS_BY_SHARPS : MAJOR_TONICS_BY_SHARPS;
  const index = tonics.indexOf(signature.key);
  if (index < 0) throw new MidiWriteError(`"${pieceName}": "${signature.key} ${signature.scale}" at tick ${signature.ticks} is not a key MIDI can write.`);
  const sharps = index - 7;
  return [0xff, 0x59, 0x02, sharps & 0xff, signature.scale === 'minor' ? 1 : 0];
}

/** Splice key-signature meta events into the conductor track (the first MTrk), in time order. */
function withKeySignatures(bytes: Uint8Array, piece: Piece): Uint8Array {
  const headerLength = 8 + readUint32(bytes, 4);
  const conductorStart = headerLength;
  if (readAscii(bytes, conductorStart, 4) !== 'MTrk') throw new MidiWriteError('Internal: the written MIDI file has no conductor track.');
  const conductorLength = readUint32(bytes, conductorStart + 4);
  const eventsStart = conductorStart + 8;
  const eventsEnd = eventsStart + conductorLength;

  const events: { ticks: number; data: number[] }[] = [];
  let position = eventsStart;
  let ticks = 0;
  while (position < eventsEnd) {
    const delta = readVariableLength(bytes, position);
    position = delta.next;
    ticks += delta.value;
    if (bytes[position] !== 0xff) throw new MidiWriteError('Internal: the conductor track holds a non-meta event.');
    const type = bytes[position + 1]!;
    const length = readVariableLength(bytes, position + 2);
    const end = length.next + length.value;
    if (type !== 0x2f) events.push({ ticks, data: Array.from(bytes.subarray(position, end)) });
    position = end;
  }
  for (const signature of piece.keySignatures) {
    events.push({ ticks: Math.max(0, Math.round(signature.ticks)), data: keySignatureBytes(signature, piece.name) });
  }
  events.sort((a, b) => a.ticks - b.ticks); // stable: the name stays first

  const track: number[] = [];
  let previous = 0;
  for (const event of events) {
    track.push(...variableLength(event.ticks - previous), ...event.data);
    previous = event.ticks;
  }
  track.push(0x00, 0xff, 0x2f, 0x00);

  const out = new Uint8Array(bytes.length - conductorLength + track.length);
  out.set(bytes.subarray(0, eventsStart), 0);
  writeUint32(out, conductorStart + 4, track.length);
  out.set(track, eventsStart);
  out.set(bytes.subarray(eventsEnd), eventsStart + track.length);
  return out;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 24) & 0xff;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function readAscii(bytes: Uint8Array, at: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function readVariableLength(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let position = at;
  for (;;) {
    const byte = bytes[position++];
    if (byte === undefined) throw new MidiWriteError('Internal: the conductor track ends inside a number.');
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return { value, next: position };
  }
}

function variableLength(value: number): number[] {
  const out = [value & 0x7f];
  let rest = Math.floor(value / 128);
  while (rest > 0) {
    out.unshift((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  return out;
}

function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && (value & (value - 1)) === 0;
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, Math.round(value))) : low;
}
