/**
 * Stand-ins for the playback tests: a clock the test moves, a timer the test fires, a MIDI port
 * that records [bytes, timestamp, clock time when sent], a Web MIDI backend with ports the test can
 * plug, unplug, make busy and play into, and the known clip the tests play.
 */
import type { Note, Piece, Track } from '../../../core/music/types';
import type { SchedulerTimer } from '../../../renderer/src/playback/engine';
import type { MidiBytes } from '../../../renderer/src/playback/midi-bytes';
import type { BackendPort, MidiBackend, PortChange } from '../../../renderer/src/playback/midi-devices';
import type { MidiPortLike } from '../../../renderer/src/playback/midi-sink';
import type { OutputSink } from '../../../renderer/src/playback/output-sink';

export class FakeClock {
  constructor(public ms = 1000) {}
  readonly now = (): number => this.ms;
}

export class ManualTimer implements SchedulerTimer {
  tick: (() => void) | null = null;
  intervalMs = 0;
  start(tick: () => void, intervalMs: number): void {
    this.tick = tick;
    this.intervalMs = intervalMs;
  }
  stop(): void {
    this.tick = null;
  }
  get running(): boolean {
    return this.tick !== null;
  }
}

/** Moves the clock forward `ms` in timer steps, firing the timer at each (as the app's timer would). */
export function advance(clock: FakeClock, timer: ManualTimer, ms: number, step = 25): void {
  const end = clock.ms + ms;
  while (clock.ms < end) {
    clock.ms = Math.min(end, clock.ms + step);
    timer.tick?.();
  }
}

export interface SentMessage {
  readonly bytes: number[];
  readonly at: number;
  /** The clock when the message was handed to the port. */
  readonly sentAt: number;
}

export class RecordingPort implements MidiPortLike {
  readonly sent: SentMessage[] = [];
  failWith: Error | null = null;
  constructor(
    private readonly clock: FakeClock,
    readonly id = 'out-1',
    readonly name = 'Fake Synth',
  ) {}
  send(data: MidiBytes, timestampMs: number): void {
    if (this.failWith) throw this.failWith;
    this.sent.push({ bytes: [...data], at: timestampMs, sentAt: this.clock.ms });
  }
}

export function hex(bytes: readonly number[]): string {
  return bytes.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** Everything but timing clock (F8), as "hex @ ms" relative to `origin`, rounded to 0.001 ms. */
export function lines(sent: readonly SentMessage[], origin: number): string[] {
  return sent.filter((message) => message.bytes[0] !== 0xf8).map((message) => `${hex(message.bytes)} @${Number((message.at - origin).toFixed(3))}`);
}

export function clockTimes(sent: readonly SentMessage[], origin: number): number[] {
  return sent.filter((message) => message.bytes[0] === 0xf8).map((message) => message.at - origin);
}

/** Calls to an internal-style sink, as text. */
export function recordingSink(clock: FakeClock, log: string[]): OutputSink {
  const at = (ms: number) => Number((ms - clock.ms).toFixed(3));
  return {
    kind: 'internal',
    label: 'the test synth',
    sendsClock: false,
    program: (channel, program, ms) => log.push(`program ${channel} ${program} @${ms}`),
    noteOn: (voice, pitch, velocity, ms) => log.push(`on ${voice.channel} ${pitch} ${velocity} @${ms}`),
    noteOff: (voice, pitch, ms) => log.push(`off ${voice.channel} ${pitch} @${ms}`),
    control: (channel, controller, value, ms) => log.push(`cc ${channel} ${controller} ${value} @${ms}`),
    click: (accent, ms) => log.push(`click ${accent ? 'accent' : 'beat'} @${ms}`),
    transport: (message, ms) => log.push(`${message} @${ms}`),
    songPosition: (sixteenths, ms) => log.push(`spp ${sixteenths} @${ms}`),
    clock: (ms) => log.push(`clock @${ms}`),
    allOff: (ms) => log.push(`all-off @${ms}`),
    latencyMs: () => 0,
    close: () => log.push(`close @${at(clock.ms)}`),
  };
}

function note(ticks: number, durationTicks: number, pitch: number, velocity: number): Note {
  // Seconds are not used by playback (it derives them from the tempo map); 120 bpm for completeness.
  return { ticks, durationTicks, pitch, velocity, time: ticks / 960, duration: durationTicks / 960 };
}

function track(name: string, channel: number, program: number, notes: Note[]): Track {
  return { name, channel, program, isDrum: channel === 9, notes, controlChanges: [] };
}

/**
 * The known clip: ppq 480, 120 bpm then 60 bpm from tick 1920 (bar 2), 4/4.
 * Piano (channel 0, program 0): C4 at 0, E4 at 960, G4 at 1920, a quarter each.
 * Bass (channel 1, program 33): C3 from 0 for a whole bar.
 * At 120 bpm a tick is 500/480 ms, so 480 → 500 ms, 960 → 1000, 1920 → 2000; then 480 ticks take 1000 ms.
 */
export function knownClip(): Piece {
  return {
    name: 'Known clip',
    ppq: 480,
    tempos: [
      { ticks: 0, bpm: 120 },
      { ticks: 1920, bpm: 60 },
    ],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: [
      track('Piano', 0, 0, [note(0, 480, 60, 100), note(960, 480, 64, 90), note(1920, 480, 67, 80)]),
      track('Bass', 1, 33, [note(0, 1920, 48, 70)]),
    ],
    durationTicks: 2400,
    duration: 3,
  };
}

export interface FakePort extends BackendPort {
  state: BackendPort['state'];
  connection: BackendPort['connection'];
}

/** A Web MIDI backend in memory: ports can be added, removed, made busy; inputs can be played. */
export class FakeBackend implements MidiBackend {
  supported = true;
  enabled = false;
  sysexRequested: boolean[] = [];
  refuseAccess: Error | null = null;
  readonly outputPorts: FakePort[] = [];
  readonly inputPorts: FakePort[] = [];
  /** Ports whose open() fails (held by another program). */
  readonly busy = new Set<string>();
  readonly recordingPorts = new Map<string, RecordingPort>();
  readonly #portListeners = new Set<(change: PortChange) => void>();
  readonly #inputListeners = new Map<string, Set<(data: MidiBytes, ms: number) => void>>();

  constructor(private readonly clock: FakeClock) {}

  addOutput(id: string, name: string): void {
    this.outputPorts.push({ id, name, manufacturer: 'Test', state: 'connected', connection: this.enabled && !this.busy.has(id) ? 'open' : 'closed' });
    if (!this.recordingPorts.has(id)) this.recordingPorts.set(id, new RecordingPort(this.clock, id, name));
    if (this.enabled) this.#emit({ kind: 'connected', type: 'output', id });
  }

  addInput(id: string, name: string): void {
    this.inputPorts.push({ id, name, manufacturer: 'Test', state: 'connected', connection: this.enabled ? 'open' : 'closed' });
    if (this.enabled) this.#emit({ kind: 'connected', type: 'input', id });
  }

  unplug(type: 'input' | 'output', id: string): void {
    const ports = type === 'output' ? this.outputPorts : this.inputPorts;
    const index = ports.findIndex((port) => port.id === id);
    if (index >= 0) ports.splice(index, 1);
    this.#emit({ kind: 'disconnected', type, id });
  }

  /** A message from a keyboard on input `id`, stamped `ms`. */
  play(id: string, data: number[], ms: number): void {
    for (const listener of this.#inputListeners.get(id) ?? []) listener(data, ms);
  }

  #emit(change: PortChange): void {
    for (const listener of [...this.#portListeners]) listener(change);
  }

  async enable(sysex: boolean): Promise<void> {
    this.sysexRequested.push(sysex);
    if (this.refuseAccess) throw this.refuseAccess;
    this.enabled = true;
    let failure: Error | null = null;
    for (const port of [...this.outputPorts, ...this.inputPorts]) {
      if (this.busy.has(port.id)) failure = Object.assign(new Error('Port is not available'), { name: 'InvalidAccessError' });
      else port.connection = 'open';
    }
    if (failure) throw failure;
  }

  async disable(): Promise<void> {
    this.enabled = false;
    for (const port of [...this.outputPorts, ...this.inputPorts]) port.connection = 'closed';
  }

  outputs(): BackendPort[] {
    return this.outputPorts.map((port) => ({ ...port }));
  }

  inputs(): BackendPort[] {
    return this.inputPorts.map((port) => ({ ...port }));
  }

  async openOutput(id: string): Promise<void> {
    if (this.busy.has(id)) throw Object.assign(new Error('Port is not available'), { name: 'InvalidAccessError' });
    const port = this.outputPorts.find((candidate) => candidate.id === id);
    if (port) port.connection = 'open';
  }

  async openInput(id: string): Promise<void> {
    const port = this.inputPorts.find((candidate) => candidate.id === id);
    if (port) port.connection = 'open';
  }

  output(id: string): MidiPortLike | undefined {
    return this.outputPorts.some((port) => port.id === id) ? this.recordingPorts.get(id) : undefined;
  }

  listen(inputId: string, listener: (data: MidiBytes, ms: number) => void): () => void {
    const set = this.#inputListeners.get(inputId) ?? new Set();
    set.add(listener);
    this.#inputListeners.set(inputId, set);
    return () => {
      set.delete(listener);
    };
  }

  onPortsChanged(listener: (change: PortChange) => void): () => void {
    this.#portListeners.add(listener);
    return () => {
      this.#portListeners.delete(listener);
    };
  }
}
