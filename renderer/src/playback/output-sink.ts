/**
 * What the scheduler sends to: the internal Tone.js synth or a Web MIDI output. Every time is in
 * milliseconds on the page's performance.now() clock (the clock Web MIDI timestamps use); the
 * internal synth converts to its audio clock. The scheduler never asks for anything later than its
 * lookahead (about 100 ms), because queued Web MIDI messages cannot be taken back.
 */

export interface SinkVoice {
  readonly channel: number;
  /** General MIDI program 0..127 (the internal synth picks its sound from it). */
  readonly program: number;
}

/** A metronome click played as a note (hardware): the engine sends its note-off like any other. */
export interface ClickNote {
  readonly voice: SinkVoice;
  readonly pitch: number;
  readonly velocity: number;
  readonly lengthMs: number;
}

export type TransportMessage = 'start' | 'continue' | 'stop';

export interface OutputSink {
  readonly kind: 'internal' | 'midi';
  /** For messages: "the internal synth", "“Model D” (MIDI)". */
  readonly label: string;
  /** True for hardware: MIDI clock, start/stop/continue and song position are sent. */
  readonly sendsClock: boolean;
  program(channel: number, program: number, atMs: number): void;
  noteOn(voice: SinkVoice, pitch: number, velocity: number, atMs: number): void;
  noteOff(voice: SinkVoice, pitch: number, atMs: number): void;
  control(channel: number, controller: number, value: number, atMs: number): void;
  /** A metronome click (used when `clickNote` is absent). */
  click(accent: boolean, atMs: number): void;
  /** Outputs that click with a note say which; the engine then schedules it with its note-off. */
  readonly clickNote?: (accent: boolean) => ClickNote;
  transport(message: TransportMessage, atMs: number): void;
  songPosition(sixteenths: number, atMs: number): void;
  clock(atMs: number): void;
  /** All sound off, all notes off, reset controllers on every channel. */
  allOff(atMs: number): void;
  /** How long after its time a sound is heard (audio output latency); 0 for MIDI. */
  latencyMs(): number;
  /** Stops using the output (the port stays open for the next time it is chosen). */
  close(): void;
}

/** Thrown by a sink factory when an output cannot be used; the message is for the composer. */
export class OutputUnavailableError extends Error {
  override readonly name = 'OutputUnavailableError';
}
