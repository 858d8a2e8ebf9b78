/**
 * MidiBackend over webmidi 3.3.1. Two things it works around:
 * - WebMidi.enable() opens every port and rejects as a whole when one will not open (on Windows, a
 *   port another program holds): access is still granted then, and the other ports work, so
 *   MidiDevices lists them and says which one failed when it is chosen.
 * - webmidi removes its own listeners on disable(), so ours are added again after each enable.
 * Messages are sent as raw bytes (see midi-bytes.ts for why).
 */
import { WebMidi, type Input, type Output } from 'webmidi';
import type { MidiBytes } from './midi-bytes';
import type { BackendPort, MidiBackend, PortChange, PortConnection, PortState } from './midi-devices';
import type { MidiPortLike } from './midi-sink';

function portOf(port: Input | Output): BackendPort {
  return {
    id: port.id,
    name: port.name,
    manufacturer: port.manufacturer,
    state: port.state as PortState,
    connection: port.connection as PortConnection,
  };
}

/** webmidi's port events carry `port: any`; read only what is there. */
function changeOf(kind: PortChange['kind'], event: { port?: unknown }): PortChange | null {
  const port = event.port as { id?: unknown; type?: unknown } | undefined;
  if (!port || typeof port.id !== 'string' || (port.type !== 'input' && port.type !== 'output')) return null;
  return { kind, type: port.type, id: port.id };
}

export function createWebMidiBackend(): MidiBackend {
  const listeners = new Set<(change: PortChange) => void>();
  const emit = (change: PortChange | null, fallback: PortChange['kind']) => {
    for (const listener of [...listeners]) listener(change ?? { kind: fallback, type: 'output', id: '' });
  };
  const onConnected = (event: { port?: unknown }) => emit(changeOf('connected', event), 'connected');
  const onDisconnected = (event: { port?: unknown }) => emit(changeOf('disconnected', event), 'disconnected');
  let wired = false;
  const wire = () => {
    if (wired || !WebMidi.enabled) return;
    wired = true;
    WebMidi.addListener('connected', onConnected);
    WebMidi.addListener('disconnected', onDisconnected);
  };
  const findOutput = (id: string) => (WebMidi.enabled ? WebMidi.outputs.find((port) => port.id === id) : undefined);
  const findInput = (id: string) => (WebMidi.enabled ? WebMidi.inputs.find((port) => port.id === id) : undefined);

  return {
    get supported() {
      return WebMidi.supported;
    },
    get enabled() {
      return WebMidi.enabled;
    },
    async enable(sysex) {
      try {
        await WebMidi.enable({ sysex });
      } finally {
        wire();
      }
    },
    async disable() {
      wired = false;
      if (WebMidi.enabled) await WebMidi.disable();
    },
    outputs: () => (WebMidi.enabled ? WebMidi.outputs.map(portOf) : []),
    inputs: () => (WebMidi.enabled ? WebMidi.inputs.map(portOf) : []),
    async openOutput(id) {
      const port = findOutput(id);
      if (!port) throw new Error(`There is no MIDI output ${id}.`);
      await port.open();
    },
    async openInput(id) {
      const port = findInput(id);
      if (!port) throw new Error(`There is no MIDI input ${id}.`);
      await port.open();
    },
    output(id): MidiPortLike | undefined {
      const port = findOutput(id);
      if (!port) return undefined;
      return {
        id: port.id,
        name: port.name,
        send(data: MidiBytes, timestampMs: number) {
          port.send([...data], { time: timestampMs });
        },
      };
    },
    listen(inputId, listener) {
      const port = findInput(inputId);
      if (!port) throw new Error(`There is no MIDI input ${inputId}.`);
      const handler = (event: { message: { data: number[] }; timestamp: number }) => listener(event.message.data, event.timestamp);
      port.addListener('midimessage', handler);
      return () => {
        port.removeListener('midimessage', handler);
      };
    },
    onPortsChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
