/**
 * A take from a MIDI keyboard: note-on/note-off messages with their timestamps become notes in ticks.
 *
 * Where a message lands in the music:
 * - while the transport plays (or counts in), at the transport's position at that moment (so a
 *   loop records into the loop, a tempo override is honoured);
 * - otherwise in "free time": the first note lands at the playhead and the rest follow at the
 *   piece's tempo from there.
 * With `quantize` (a snap in ticks), starts and ends go to the nearest step (a note is at least one step).
 */
import type { MidiBytes } from './midi-bytes';
import type { TempoMapping } from './timeline';

export interface RecordedNote {
  readonly ticks: number;
  readonly durationTicks: number;
  readonly pitch: number;
  readonly velocity: number;
  /** The channel the keyboard sent on, 0..15. */
  readonly channel: number;
}

export type InputEvent = { readonly kind: 'on' | 'off'; readonly channel: number; readonly pitch: number; readonly velocity: number };

/** A note-on or note-off in a MIDI message, or null for anything else. */
export function parseNoteMessage(data: MidiBytes): InputEvent | null {
  if (data.length < 3) return null;
  const status = data[0]!;
  const type = status & 0xf0;
  const channel = status & 0x0f;
  const pitch = data[1]! & 0x7f;
  const velocity = data[2]! & 0x7f;
  if (type === 0x90 && velocity > 0) return { kind: 'on', channel, pitch, velocity };
  if (type === 0x80 || type === 0x90) return { kind: 'off', channel, pitch, velocity };
  return null;
}

export interface TakeOptions {
  /** Snap in ticks; null or 0 for none. */
  readonly quantize: number | null;
  /** The playhead when recording started (free time starts here). */
  readonly positionTicks: number;
  readonly tempo: TempoMapping;
  /** The transport's position at a clock time, or null when it is stopped. */
  readonly transportTicksAt: (ms: number) => number | null;
}

interface Held {
  readonly onMs: number;
  readonly ticks: number;
  readonly velocity: number;
}

export class Take {
  readonly #options: TakeOptions;
  readonly #held = new Map<number, Held>();
  readonly #notes: RecordedNote[] = [];
  /** Free time: the first note's clock time and the seconds of the playhead in the tempo map. */
  #freeAnchor: { readonly ms: number; readonly seconds: number } | null = null;

  constructor(options: TakeOptions) {
    if (options.quantize !== null && (!Number.isFinite(options.quantize) || options.quantize < 0)) {
      throw new RangeError(`Quantize is a snap in ticks, 0 or more (got ${options.quantize}).`);
    }
    this.#options = options;
  }

  /** Notes finished so far. */
  get count(): number {
    return this.#notes.length;
  }

  #ticksAt(ms: number): number {
    const transport = this.#options.transportTicksAt(ms);
    if (transport !== null) return transport;
    const { tempo, positionTicks } = this.#options;
    this.#freeAnchor ??= { ms, seconds: tempo.secondsAt(positionTicks) };
    return tempo.ticksAt(this.#freeAnchor.seconds + (ms - this.#freeAnchor.ms) / 1000);
  }

  /** Takes one MIDI message; returns the note event in it (for monitoring), or null. */
  handle(data: MidiBytes, timestampMs: number): InputEvent | null {
    const event = parseNoteMessage(data);
    if (!event) return null;
    const key = event.channel * 128 + event.pitch;
    if (event.kind === 'on') {
      // A second note-on of a held key ends the first.
      if (this.#held.has(key)) this.#close(key, timestampMs);
      this.#held.set(key, { onMs: timestampMs, ticks: this.#ticksAt(timestampMs), velocity: event.velocity });
    } else {
      this.#close(key, timestampMs);
    }
    return event;
  }

  #close(key: number, offMs: number): void {
    const held = this.#held.get(key);
    if (!held) return;
    this.#held.delete(key);
    let end = this.#ticksAt(offMs);
    // A loop wrapped while the key was down: keep the note's length in time instead.
    if (end <= held.ticks) {
      const { tempo } = this.#options;
      end = tempo.ticksAt(tempo.secondsAt(held.ticks) + Math.max(0, offMs - held.onMs) / 1000);
    }
    const note = this.#snap(held.ticks, end);
    this.#notes.push({ ...note, pitch: key % 128, channel: Math.floor(key / 128), velocity: Math.max(1, held.velocity) });
  }

  #snap(start: number, end: number): { ticks: number; durationTicks: number } {
    const step = this.#options.quantize;
    if (!step) {
      const ticks = Math.max(0, Math.round(start));
      return { ticks, durationTicks: Math.max(1, Math.round(end) - ticks) };
    }
    const ticks = Math.max(0, Math.round(start / step) * step);
    const snappedEnd = Math.round(end / step) * step;
    return { ticks, durationTicks: Math.max(step, snappedEnd - ticks) };
  }

  /** Ends the take: keys still down end now. Notes sorted by time, then pitch. */
  finish(nowMs: number): RecordedNote[] {
    for (const key of [...this.#held.keys()]) this.#close(key, nowMs);
    return [...this.#notes].sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch);
  }
}
