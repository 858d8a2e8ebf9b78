/**
 * MIDI devices for the studio: access (with SysEx only when the composer's setting says so), the
 * lists of outputs and inputs kept current as devices come and go, opening a port with a clear
 * message when it cannot be opened, and a sink for the chosen output.
 *
 * The Web MIDI side is behind `MidiBackend` (webmidi-backend.ts in the app, a fake in tests).
 */
import type { MidiBytes } from './midi-bytes';
import { createMidiSink, type MidiPortLike } from './midi-sink';
import { OutputUnavailableError, type OutputSink } from './output-sink';
import { Store } from '../state/store';

export type PortState = 'connected' | 'disconnected';
export type PortConnection = 'open' | 'closed' | 'pending';

export interface BackendPort {
  readonly id: string;
  readonly name: string;
  readonly manufacturer: string;
  readonly state: PortState;
  readonly connection: PortConnection;
}

export interface PortChange {
  readonly kind: 'connected' | 'disconnected';
  readonly type: 'input' | 'output';
  readonly id: string;
}

export interface MidiBackend {
  /** False when the browser has no Web MIDI at all. */
  readonly supported: boolean;
  readonly enabled: boolean;
  /** Requests MIDI access and opens the ports. Rejects when access is refused or a port fails to open. */
  enable(sysex: boolean): Promise<void>;
  disable(): Promise<void>;
  outputs(): BackendPort[];
  inputs(): BackendPort[];
  openOutput(id: string): Promise<void>;
  openInput(id: string): Promise<void>;
  /** A sendable handle on an output (undefined when there is no such port). */
  output(id: string): MidiPortLike | undefined;
  /** Messages from an input (data bytes and their performance.now() timestamp). */
  listen(inputId: string, listener: (data: MidiBytes, timestampMs: number) => void): () => void;
  onPortsChanged(listener: (change: PortChange) => void): () => void;
}

export interface MidiSettingsAccess {
  get(): Promise<{ readonly midiSysex: boolean }>;
  update(change: { midiSysex: boolean }): Promise<{ readonly midiSysex: boolean }>;
}

export interface MidiPortInfo {
  readonly id: string;
  readonly name: string;
  readonly manufacturer: string;
  /** False when the port could not be opened (on Windows: another program holds it). */
  readonly open: boolean;
}

export type MidiAccessStatus = 'idle' | 'requesting' | 'ready' | 'unsupported' | 'failed';

export interface MidiDevicesState {
  readonly status: MidiAccessStatus;
  /** Why MIDI cannot be used (unsupported, refused), or what went wrong opening ports. */
  readonly message: string | null;
  readonly sysex: boolean;
  readonly outputs: readonly MidiPortInfo[];
  readonly inputs: readonly MidiPortInfo[];
  /** The input recording listens to (the first one until the composer picks). */
  readonly inputId: string | null;
}

export const INITIAL_DEVICES_STATE: MidiDevicesState = { status: 'idle', message: null, sysex: false, outputs: [], inputs: [], inputId: null };

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : String(error);
}

/** The sentence for a port that would not open; Windows gives each MIDI port to one program at a time. */
export function describePortError(error: unknown, portName: string): string {
  const name = errorName(error);
  const message = errorMessage(error);
  if (name === 'InvalidAccessError' || name === 'NotAllowedError' || /not available|in use|allocated|busy|exclusive/i.test(message)) {
    return `“${portName}” cannot be opened: another program is using it (on Windows only one program at a time can use a MIDI port). Close that program (a DAW, MIDI-OX, a synth editor) and choose the port again, or pick another output.`;
  }
  return `“${portName}” cannot be opened: ${message}`;
}

export function describeAccessError(error: unknown): string {
  const name = errorName(error);
  if (name === 'SecurityError' || name === 'NotAllowedError') {
    return 'MIDI access was refused. Allow MIDI for this page in the browser’s site settings, then reopen the MIDI settings. The internal synth still plays.';
  }
  return `MIDI devices cannot be used: ${errorMessage(error)}. The internal synth still plays.`;
}

function infoOf(port: BackendPort): MidiPortInfo {
  return { id: port.id, name: port.name || port.id, manufacturer: port.manufacturer, open: port.connection === 'open' };
}

export class MidiDevices {
  readonly store = new Store<MidiDevicesState>(INITIAL_DEVICES_STATE);
  readonly #backend: MidiBackend;
  readonly #settings: MidiSettingsAccess;
  #enabling: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;
  readonly #lostListeners = new Set<(outputId: string, message: string) => void>();
  readonly #inputLostListeners = new Set<(inputId: string, message: string) => void>();
  /** Names of ports seen, so a vanished one can still be named. */
  readonly #names = new Map<string, string>();

  constructor(backend: MidiBackend, settings: MidiSettingsAccess) {
    this.#backend = backend;
    this.#settings = settings;
  }

  getState(): MidiDevicesState {
    return this.store.getState();
  }

  /** Requests access once (later calls wait for the same request). */
  ensureEnabled(): Promise<void> {
    this.#enabling ??= this.#enable();
    return this.#enabling;
  }

  async #enable(): Promise<void> {
    if (!this.#backend.supported) {
      this.store.update((state) => ({ ...state, status: 'unsupported', message: 'This browser has no Web MIDI, so MIDI devices cannot be used. The internal synth still plays.' }));
      return;
    }
    let sysex = false;
    try {
      sysex = (await this.#settings.get()).midiSysex;
    } catch {
      // Without the setting, ask for the least: no SysEx.
    }
    this.store.update((state) => ({ ...state, status: 'requesting', sysex, message: null }));
    let message: string | null = null;
    try {
      await this.#backend.enable(sysex);
    } catch (error) {
      if (!this.#backend.enabled) {
        this.store.update((state) => ({ ...state, status: 'failed', message: describeAccessError(error) }));
        return;
      }
      // Access was granted but a port would not open (webmidi opens them all): list the rest.
      const closed = [...this.#backend.outputs(), ...this.#backend.inputs()].filter((port) => port.state === 'connected' && port.connection !== 'open');
      message = describePortError(error, closed.length > 0 ? closed.map((port) => port.name || port.id).join('”, “') : 'A MIDI port');
    }
    this.#unsubscribe?.();
    this.#unsubscribe = this.#backend.onPortsChanged((change) => this.#onPortsChanged(change));
    this.#refresh({ status: 'ready', message });
  }

  /** Turns SysEx access on or off (saved in settings), requesting MIDI access again with it. */
  async setSysex(on: boolean): Promise<void> {
    await this.#settings.update({ midiSysex: on });
    if (this.#backend.enabled) {
      this.#unsubscribe?.();
      this.#unsubscribe = null;
      await this.#backend.disable();
    }
    this.#enabling = null;
    this.store.update((state) => ({ ...state, sysex: on }));
    await this.ensureEnabled();
  }

  #refresh(change: Partial<MidiDevicesState> = {}): void {
    const outputs = this.#backend.enabled ? this.#backend.outputs().filter((port) => port.state === 'connected') : [];
    const inputs = this.#backend.enabled ? this.#backend.inputs().filter((port) => port.state === 'connected') : [];
    for (const port of [...outputs, ...inputs]) this.#names.set(port.id, port.name || port.id);
    this.store.update((state) => {
      const inputId = state.inputId !== null && inputs.some((port) => port.id === state.inputId) ? state.inputId : (inputs[0]?.id ?? null);
      return { ...state, ...change, outputs: outputs.map(infoOf), inputs: inputs.map(infoOf), inputId };
    });
  }

  #onPortsChanged(change: PortChange): void {
    const before = this.getState();
    this.#refresh();
    const after = this.getState();
    // Whatever the event says, a port that left the list is gone.
    const lostOutputs = before.outputs.filter((port) => !after.outputs.some((candidate) => candidate.id === port.id)).map((port) => port.id);
    const lostInputs = before.inputs.filter((port) => !after.inputs.some((candidate) => candidate.id === port.id)).map((port) => port.id);
    if (change.kind === 'disconnected') (change.type === 'output' ? lostOutputs : lostInputs).push(change.id);
    for (const id of new Set(lostOutputs)) {
      const message = `The MIDI output “${this.#names.get(id) ?? id}” was disconnected. Playback stopped and switched to the internal synth.`;
      for (const listener of [...this.#lostListeners]) listener(id, message);
    }
    for (const id of new Set(lostInputs)) {
      const message = `The MIDI input “${this.#names.get(id) ?? id}” was disconnected.`;
      for (const listener of [...this.#inputLostListeners]) listener(id, message);
    }
  }

  onOutputLost(listener: (outputId: string, message: string) => void): () => void {
    this.#lostListeners.add(listener);
    return () => {
      this.#lostListeners.delete(listener);
    };
  }

  onInputLost(listener: (inputId: string, message: string) => void): () => void {
    this.#inputLostListeners.add(listener);
    return () => {
      this.#inputLostListeners.delete(listener);
    };
  }

  /** Opens an output (if it is not open yet); rejects with OutputUnavailableError and a message for the composer. */
  async openOutput(id: string): Promise<void> {
    await this.ensureEnabled();
    const port = this.#backend.outputs().find((candidate) => candidate.id === id && candidate.state === 'connected');
    if (!port) throw new OutputUnavailableError(`The MIDI output “${this.#names.get(id) ?? id}” is not connected.`);
    if (port.connection !== 'open') {
      try {
        await this.#backend.openOutput(id);
      } catch (error) {
        this.#refresh();
        throw new OutputUnavailableError(describePortError(error, port.name || id));
      }
    }
    this.#refresh();
  }

  /** The sink for an open output; throws OutputUnavailableError when it is not usable now. */
  sinkFor(id: string): OutputSink {
    const port = this.#backend.enabled ? this.#backend.outputs().find((candidate) => candidate.id === id) : undefined;
    const name = port?.name || this.#names.get(id) || id;
    if (!port || port.state !== 'connected') throw new OutputUnavailableError(`The MIDI output “${name}” is not connected.`);
    if (port.connection !== 'open') throw new OutputUnavailableError(`The MIDI output “${name}” is not open: choose it in the output list to open it.`);
    const handle = this.#backend.output(id);
    if (!handle) throw new OutputUnavailableError(`The MIDI output “${name}” is not available.`);
    return createMidiSink(handle);
  }

  chooseInput(id: string | null): void {
    this.store.update((state) => ({ ...state, inputId: id }));
  }

  /** Listens to an input (opening it first); rejects with a message when it cannot be opened. */
  async listen(inputId: string, listener: (data: MidiBytes, timestampMs: number) => void): Promise<() => void> {
    await this.ensureEnabled();
    const port = this.#backend.inputs().find((candidate) => candidate.id === inputId && candidate.state === 'connected');
    if (!port) throw new Error(`The MIDI input “${this.#names.get(inputId) ?? inputId}” is not connected.`);
    if (port.connection !== 'open') {
      try {
        await this.#backend.openInput(inputId);
      } catch (error) {
        throw new Error(describePortError(error, port.name || inputId));
      }
    }
    return this.#backend.listen(inputId, listener);
  }

  inputName(id: string): string {
    return this.#names.get(id) ?? id;
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#lostListeners.clear();
    this.#inputLostListeners.clear();
  }
}
