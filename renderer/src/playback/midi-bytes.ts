/**
 * The MIDI 1.0 messages playback sends, as bytes. Channels are 0..15 and programs 0..127 here, as on
 * the wire: webmidi 3.3.1's OutputChannel.sendProgramChange also takes 0..127 (older 3.0 releases
 * took 1..128), and its sendSongPosition writes the two data bytes MSB first where the MIDI spec
 * says LSB first, so playback builds every message itself and hands webmidi raw bytes.
 */

export const NOTE_OFF = 0x80;
export const NOTE_ON = 0x90;
export const CONTROL_CHANGE = 0xb0;
export const PROGRAM_CHANGE = 0xc0;
export const SONG_POSITION = 0xf2;
export const TIMING_CLOCK = 0xf8;
export const START = 0xfa;
export const CONTINUE = 0xfb;
export const STOP = 0xfc;

export const ALL_SOUND_OFF = 120;
export const RESET_ALL_CONTROLLERS = 121;
export const ALL_NOTES_OFF = 123;
export const SUSTAIN = 64;

/** MIDI clock: 24 pulses per quarter note. */
export const CLOCKS_PER_QUARTER = 24;
/** Song position counts "MIDI beats": sixteenth notes, 6 clocks each, 14 bits. */
export const MAX_SONG_POSITION = 0x3fff;
/** The release velocity of our note-offs (the MIDI default when a sender has none). */
export const NOTE_OFF_VELOCITY = 64;

export type MidiBytes = readonly number[];

function checkChannel(channel: number): void {
  if (!Number.isInteger(channel) || channel < 0 || channel > 15) throw new RangeError(`A MIDI channel is 0..15 (got ${channel}).`);
}

function checkData(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 127) throw new RangeError(`A MIDI ${what} is 0..127 (got ${value}).`);
}

export function noteOn(channel: number, pitch: number, velocity: number): MidiBytes {
  checkChannel(channel);
  checkData(pitch, 'pitch');
  checkData(velocity, 'velocity');
  // Velocity 0 would be read as a note-off.
  return [NOTE_ON | channel, pitch, Math.max(1, velocity)];
}

export function noteOff(channel: number, pitch: number): MidiBytes {
  checkChannel(channel);
  checkData(pitch, 'pitch');
  return [NOTE_OFF | channel, pitch, NOTE_OFF_VELOCITY];
}

export function controlChange(channel: number, controller: number, value: number): MidiBytes {
  checkChannel(channel);
  checkData(controller, 'controller');
  checkData(value, 'controller value');
  return [CONTROL_CHANGE | channel, controller, value];
}

/** `program` is General MIDI's 0..127 (GM charts print it as 1..128). */
export function programChange(channel: number, program: number): MidiBytes {
  checkChannel(channel);
  checkData(program, 'program');
  return [PROGRAM_CHANGE | channel, program];
}

/** Song Position Pointer in sixteenth notes, LSB then MSB (clamped to 14 bits). */
export function songPosition(sixteenths: number): MidiBytes {
  const value = Math.min(MAX_SONG_POSITION, Math.max(0, Math.floor(sixteenths)));
  return [SONG_POSITION, value & 0x7f, (value >> 7) & 0x7f];
}

/** All sound off, all notes off and reset all controllers, on each of the 16 channels. */
export function panicMessages(): MidiBytes[] {
  const messages: MidiBytes[] = [];
  for (let channel = 0; channel < 16; channel++) {
    messages.push(controlChange(channel, ALL_SOUND_OFF, 0), controlChange(channel, ALL_NOTES_OFF, 0), controlChange(channel, RESET_ALL_CONTROLLERS, 0));
  }
  return messages;
}
