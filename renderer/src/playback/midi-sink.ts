/**
 * A Web MIDI output as a sink: every event becomes its bytes (midi-bytes.ts), sent with its
 * timestamp, on the channel the editor gave the track. The metronome plays General MIDI percussion
 * on channel 10 (index 9): high wood block on downbeats, low wood block on other beats.
 */
import {
  CONTINUE,
  controlChange,
  noteOff,
  noteOn,
  panicMessages,
  programChange,
  songPosition,
  START,
  STOP,
  TIMING_CLOCK,
  type MidiBytes,
} from './midi-bytes';
import type { ClickNote, OutputSink, TransportMessage } from './output-sink';

/** The one thing the sink needs of a port (a webmidi Output, or a recording fake in tests). */
export interface MidiPortLike {
  readonly id: string;
  readonly name: string;
  send(data: MidiBytes, timestampMs: number): void;
}

export const CLICK_CHANNEL = 9;
export const CLICK_ACCENT_PITCH = 76;
export const CLICK_PITCH = 77;
export const CLICK_ACCENT_VELOCITY = 110;
export const CLICK_VELOCITY = 80;
export const CLICK_LENGTH_MS = 30;

/** The engine schedules the click's note-off like any note's, within the lookahead. */
export function midiClickNote(accent: boolean): ClickNote {
  return {
    voice: { channel: CLICK_CHANNEL, program: 0 },
    pitch: accent ? CLICK_ACCENT_PITCH : CLICK_PITCH,
    velocity: accent ? CLICK_ACCENT_VELOCITY : CLICK_VELOCITY,
    lengthMs: CLICK_LENGTH_MS,
  };
}

const TRANSPORT_BYTES: Record<TransportMessage, number> = { start: START, continue: CONTINUE, stop: STOP };

export function createMidiSink(port: MidiPortLike): OutputSink {
  return {
    kind: 'midi',
    label: `“${port.name}”`,
    sendsClock: true,
    program: (channel, program, atMs) => port.send(programChange(channel, program), atMs),
    noteOn: (voice, pitch, velocity, atMs) => port.send(noteOn(voice.channel, pitch, velocity), atMs),
    noteOff: (voice, pitch, atMs) => port.send(noteOff(voice.channel, pitch), atMs),
    control: (channel, controller, value, atMs) => port.send(controlChange(channel, controller, value), atMs),
    click(accent, atMs) {
      const note = midiClickNote(accent);
      port.send(noteOn(note.voice.channel, note.pitch, note.velocity), atMs);
    },
    clickNote: midiClickNote,
    transport: (message, atMs) => port.send([TRANSPORT_BYTES[message]], atMs),
    songPosition: (sixteenths, atMs) => port.send(songPosition(sixteenths), atMs),
    clock: (atMs) => port.send([TIMING_CLOCK], atMs),
    allOff(atMs) {
      for (const message of panicMessages()) port.send(message, atMs);
    },
    latencyMs: () => 0,
    close() {
      // The port stays open (webmidi opened it); choosing it again is instant.
    },
  };
}
