/**
 * Everything playback needs, wired together without React: the engine, the MIDI devices, and
 * recording from a MIDI input. PlaybackProvider makes one per window; tests make one with a fake
 * backend, clock and timer.
 */
import { Store } from '../state/store';
import { createPlayback, type PlaybackClock, type PlaybackEngine, type SchedulerTimer } from './engine';
import { MidiDevices, type MidiBackend, type MidiSettingsAccess } from './midi-devices';
import { OutputUnavailableError, type OutputSink } from './output-sink';
import type { PlaybackOutput, TrackPlayback } from './playback-api';
import { Take, type RecordedNote } from './recorder';

export type NoticeTone = 'info' | 'warning' | 'error';

export interface SessionDeps {
  readonly backend: MidiBackend;
  readonly settings: MidiSettingsAccess;
  readonly clock: PlaybackClock;
  readonly timer: SchedulerTimer;
  /** The internal synth's sink (Tone.js in the app). */
  readonly internalSink: () => OutputSink;
  readonly notify: (message: string, tone: NoticeTone) => void;
  readonly lookaheadMs?: number;
  readonly intervalMs?: number;
}

export interface RecordingOptions {
  /** The input to record from; by default the one chosen in the MIDI settings (or the first). */
  readonly inputId?: string;
  /** Snap starts and ends to this many ticks (e.g. the editor's grid); null or absent: as played. */
  readonly quantize?: number | null;
  /** Start the transport after this many bars of metronome (when it is not already playing). */
  readonly countInBars?: number;
  /** Echo what is played to the current output with this track's channel and program. */
  readonly monitor?: TrackPlayback;
  /** Called with the take when recording ends (as well as the onTake listeners). */
  readonly onTake?: (take: RecordedTake) => void;
}

export interface RecordedTake {
  readonly notes: readonly RecordedNote[];
  readonly inputId: string;
  readonly inputName: string;
  /** The playhead when recording started. */
  readonly startedAtTicks: number;
  readonly quantize: number | null;
}

export interface RecordingState {
  readonly recording: boolean;
  readonly inputId: string | null;
  /** Notes finished so far in this take. */
  readonly notes: number;
  /** 'transport': placed by the running transport; 'free': from the first note, at the piece's tempo. */
  readonly mode: 'transport' | 'free' | null;
}

/** Recording from a MIDI keyboard, for the editor (see index.ts). */
export interface Recording {
  getState(): RecordingState;
  subscribe(listener: () => void): () => void;
  /** Rejects with a message for the composer when there is no input or it cannot be opened. */
  startRecording(options?: RecordingOptions): Promise<void>;
  /** Ends the take and returns it (null when not recording); onTake listeners get it too. */
  stopRecording(): RecordedTake | null;
  onTake(listener: (take: RecordedTake) => void): () => void;
}

const IDLE: RecordingState = { recording: false, inputId: null, notes: 0, mode: null };

interface ActiveTake {
  readonly take: Take;
  readonly inputId: string;
  readonly startedAtTicks: number;
  readonly quantize: number | null;
  readonly options: RecordingOptions;
  readonly monitored: Map<string, { channel: number; program: number; pitch: number }>;
  stopListening: () => void;
  unsubscribeEngine: () => void;
}

export class PlaybackSession {
  readonly engine: PlaybackEngine;
  readonly devices: MidiDevices;
  readonly recording: Recording;
  readonly #deps: SessionDeps;
  readonly #recordingStore = new Store<RecordingState>(IDLE);
  readonly #takeListeners = new Set<(take: RecordedTake) => void>();
  #active: ActiveTake | null = null;
  /** A startRecording still opening its input. */
  #starting = false;
  readonly #cleanups: (() => void)[] = [];

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.devices = new MidiDevices(deps.backend, deps.settings);
    this.engine = createPlayback({
      clock: deps.clock,
      timer: deps.timer,
      sinkFor: (output) => (output.kind === 'internal' ? deps.internalSink() : this.devices.sinkFor(output.outputId)),
      onProblem: (message) => deps.notify(message, 'warning'),
      ...(deps.lookaheadMs !== undefined ? { lookaheadMs: deps.lookaheadMs } : {}),
      ...(deps.intervalMs !== undefined ? { intervalMs: deps.intervalMs } : {}),
    });
    this.#cleanups.push(
      this.devices.onOutputLost((outputId, message) => this.engine.outputLost(outputId, message)),
      this.devices.onInputLost((inputId, message) => {
        if (this.#active?.inputId !== inputId) return;
        this.stopRecording();
        deps.notify(`${message} Recording stopped; the notes played so far were kept.`, 'warning');
      }),
    );
    const store = this.#recordingStore;
    this.recording = {
      getState: store.getState,
      subscribe: store.subscribe,
      startRecording: (options) => this.startRecording(options),
      stopRecording: () => this.stopRecording(),
      onTake: (listener) => {
        this.#takeListeners.add(listener);
        return () => {
          this.#takeListeners.delete(listener);
        };
      },
    };
  }

  /** Chooses an output, opening a MIDI port first; false (and a notice) when it cannot be used. */
  async selectOutput(output: PlaybackOutput): Promise<boolean> {
    if (output.kind === 'midi') {
      try {
        await this.devices.openOutput(output.outputId);
      } catch (error) {
        this.#deps.notify(error instanceof OutputUnavailableError ? error.message : `That MIDI output cannot be used: ${String(error)}`, 'error');
        return false;
      }
    }
    this.engine.setOutput(output);
    const chosen = this.engine.getState().output;
    return chosen.kind === output.kind && (chosen.kind === 'internal' || (output.kind === 'midi' && chosen.outputId === output.outputId));
  }

  /** SysEx on or off: saved in settings, and MIDI access is requested again (the output is kept if it comes back). */
  async setSysex(on: boolean): Promise<void> {
    const output = this.engine.getState().output;
    if (output.kind === 'midi') this.engine.setOutput({ kind: 'internal' });
    try {
      await this.devices.setSysex(on);
    } finally {
      if (output.kind === 'midi' && this.devices.getState().outputs.some((port) => port.id === output.outputId)) await this.selectOutput(output);
    }
  }

  async startRecording(options: RecordingOptions = {}): Promise<void> {
    if (this.#active || this.#starting) throw new Error('Already recording: stop the current take first.');
    this.#starting = true;
    try {
      await this.devices.ensureEnabled();
      const inputId = options.inputId ?? this.devices.getState().inputId;
      if (!inputId) throw new Error('There is no MIDI input to record from: connect a keyboard (and allow MIDI access), then try again.');
      const engine = this.engine;
      const state = engine.getState();
      const quantize = options.quantize ?? null;
      const startedAtTicks = state.playing ? engine.currentTicks() : state.positionTicks;
      const take = new Take({ quantize, positionTicks: startedAtTicks, tempo: engine.tempo(), transportTicksAt: (ms) => engine.ticksAtTime(ms) });
      const monitored = new Map<string, { channel: number; program: number; pitch: number }>();
      const stopListening = await this.devices.listen(inputId, (data, timestampMs) => {
        const event = take.handle(data, timestampMs);
        if (!event) return;
        const monitor = options.monitor;
        if (monitor) {
          const voice = { channel: monitor.channel, program: monitor.program };
          const key = `${event.channel}:${event.pitch}`;
          if (event.kind === 'on') monitored.set(key, { ...voice, pitch: event.pitch });
          else monitored.delete(key);
          engine.monitorNote(event.kind === 'on', voice, event.pitch, event.velocity);
        }
        if (event.kind === 'off') this.#recordingStore.update((current) => ({ ...current, notes: take.count }));
      });
      const countIn = options.countInBars ?? 0;
      const mode = state.playing || countIn > 0 ? 'transport' : 'free';
      const active: ActiveTake = {
        take,
        inputId,
        startedAtTicks,
        quantize,
        options,
        monitored,
        stopListening,
        unsubscribeEngine: () => undefined,
      };
      this.#active = active;
      this.#recordingStore.update(() => ({ recording: true, inputId, notes: 0, mode }));
      if (!state.playing && countIn > 0) engine.play({ countInBars: countIn });
      if (mode === 'transport') {
        // Stopping the transport ends a take it was placing.
        active.unsubscribeEngine = engine.subscribe(() => {
          if (!engine.getState().playing && this.#active === active) this.stopRecording();
        });
      }
    } finally {
      this.#starting = false;
    }
  }

  stopRecording(): RecordedTake | null {
    const active = this.#active;
    if (!active) return null;
    this.#active = null;
    active.stopListening();
    active.unsubscribeEngine();
    for (const voice of active.monitored.values()) this.engine.monitorNote(false, { channel: voice.channel, program: voice.program }, voice.pitch, 0);
    const notes = active.take.finish(this.#deps.clock.now());
    const take: RecordedTake = {
      notes,
      inputId: active.inputId,
      inputName: this.devices.inputName(active.inputId),
      startedAtTicks: active.startedAtTicks,
      quantize: active.quantize,
    };
    this.#recordingStore.update(() => IDLE);
    active.options.onTake?.(take);
    for (const listener of [...this.#takeListeners]) listener(take);
    return take;
  }

  dispose(): void {
    this.stopRecording();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.devices.dispose();
    this.engine.dispose();
  }
}
