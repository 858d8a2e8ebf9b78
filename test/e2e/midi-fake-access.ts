/**
 * A recording Web MIDI for real Chromium, installed with `addInitScript` before the page's own
 * scripts: navigator.requestMIDIAccess resolves to a MIDIAccess whose outputs record every
 * `send(data, timestamp)` as [portId, bytes, timestamp, performance.now() at the call] in
 * `window.__sent`, and whose inputs the test can play into. The page's webmidi talks to it exactly
 * as to Chromium's (onstatechange on the access and the ports, open()/close(), onmidimessage).
 *
 * `window.__midi` (in the page): connect(type, id, name), disconnect(type, id), input(id, bytes,
 * timeStamp?), and `requests` (the options of each requestMIDIAccess call). A port listed in
 * `busy` rejects open() as Windows does when another program holds it.
 *
 * Also, from Node: connectStudio() and clipOf() put a Piece into the studio as a clip for the page.
 */

import WebSocket from 'ws';
import { createStudioClient, type StudioApi } from '../../core/ipc/client';
import { writeMidi } from '../../core/midi/write-midi';
import type { Piece } from '../../core/music/types';
import { createWebSocketTransport, type WebSocketConstructor } from '../../renderer/src/transport/ws-transport';

export interface FakeMidiConfig {
  readonly outputs: readonly { readonly id: string; readonly name: string; readonly busy?: boolean }[];
  readonly inputs: readonly { readonly id: string; readonly name: string }[];
}

/** [portId, bytes, timestamp, performance.now() when sent]. */
export type SentRecord = [string, number[], number, number];

/**
 * The script for `context.addInitScript({ content })`. Plain JavaScript in a string: a TypeScript
 * function handed to Playwright would be serialized after tsx/esbuild added helpers (`__name`) that
 * do not exist in the page.
 */
export function fakeMidiScript(config: FakeMidiConfig): string {
  return `(() => {
  const config = ${JSON.stringify(config)};
  const sent = [];
  const requests = [];
  const access = {
    inputs: new Map(),
    outputs: new Map(),
    sysexEnabled: false,
    onstatechange: null,
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => true,
  };
  // As in Chromium, statechange events arrive in a later task, not inside open() or close().
  const fire = (port) => {
    const event = { type: 'statechange', port, timeStamp: performance.now(), target: port };
    setTimeout(() => {
      if (port.onstatechange) port.onstatechange(event);
      if (access.onstatechange) access.onstatechange({ ...event, target: access });
    }, 0);
  };
  const makePort = (type, id, name, busy) => {
    const port = {
      id, name, manufacturer: 'Fake Instruments', version: '1.0', type,
      state: 'connected', connection: 'closed', busy, onstatechange: null,
      open() {
        if (port.busy || port.state !== 'connected') return Promise.reject(new DOMException('Port is not available', 'InvalidAccessError'));
        if (port.connection !== 'open') { port.connection = 'open'; fire(port); }
        return Promise.resolve(port);
      },
      close() {
        if (port.connection !== 'closed') { port.connection = 'closed'; fire(port); }
        return Promise.resolve(port);
      },
      addEventListener() {},
      removeEventListener() {},
      dispatchEvent: () => true,
    };
    if (type === 'output') {
      port.send = (data, timestamp) => {
        if (port.state !== 'connected') throw new DOMException('The port is disconnected.', 'InvalidStateError');
        sent.push([id, Array.from(data), timestamp === undefined ? 0 : timestamp, performance.now()]);
      };
      port.clear = () => {};
    } else {
      port.onmidimessage = null;
    }
    return port;
  };
  for (const output of config.outputs) access.outputs.set(output.id, makePort('output', output.id, output.name, output.busy === true));
  for (const input of config.inputs) access.inputs.set(input.id, makePort('input', input.id, input.name, false));
  Object.defineProperty(navigator, 'requestMIDIAccess', {
    configurable: true,
    value: (options) => {
      const sysex = !!(options && options.sysex);
      requests.push({ sysex });
      access.sysexEnabled = sysex;
      return Promise.resolve(access);
    },
  });
  window.__sent = sent;
  window.__midi = {
    requests,
    connect(type, id, name) {
      const port = makePort(type, id, name, false);
      (type === 'output' ? access.outputs : access.inputs).set(id, port);
      fire(port);
    },
    disconnect(type, id) {
      const map = type === 'output' ? access.outputs : access.inputs;
      const port = map.get(id);
      if (!port) return;
      map.delete(id);
      port.state = 'disconnected';
      port.connection = 'pending';
      fire(port);
    },
    input(id, data, timeStamp) {
      const port = access.inputs.get(id);
      const stamp = timeStamp === undefined ? performance.now() : timeStamp;
      if (port && port.onmidimessage) port.onmidimessage({ type: 'midimessage', data: Uint8Array.from(data), timeStamp: stamp, target: port });
    },
  };
})();`;
}

// ---- music for the page, through the studio's own API (Node side) ---------------------------


/** The studio API over browser mode's WebSocket, from Node (the test's side of the page). */
export function connectStudio(studioUrl: string): { studio: StudioApi; close(): void } {
  const url = new URL(studioUrl);
  const origin = `${url.protocol}//${url.host}`;
  // A browser sets Origin itself; the ws package needs it passed.
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string) {
      super(address, { origin });
    }
  }
  const transport = createWebSocketTransport(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, {
    WebSocketImpl: BrowserLikeSocket as unknown as WebSocketConstructor,
  });
  return { studio: createStudioClient(transport), close: () => transport.close() };
}

/** Imports `piece` as a one-file corpus and makes a clip of it; returns the clip's id. */
export async function clipOf(studio: StudioApi, piece: Piece, timeoutMs = 60_000): Promise<number> {
  const corpusName = `${piece.name} ${Date.now()}`;
  const { jobId } = await studio.corpora.importFiles({
    corpusName,
    files: [{ relativePath: `${piece.name}.mid`, base64: Buffer.from(writeMidi(piece)).toString('base64') }],
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await studio.jobs.get({ jobId });
    if (job.status === 'done') break;
    if (job.status === 'failed' || job.status === 'cancelled') throw new Error(`Importing ${piece.name} ${job.status}: ${job.error ?? job.message}`);
    if (Date.now() > deadline) throw new Error(`Importing ${piece.name} took over ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const corpus = (await studio.corpora.list()).find((candidate) => candidate.name === corpusName);
  if (!corpus) throw new Error(`The corpus “${corpusName}” is not listed after its import.`);
  const [summary] = await studio.corpora.pieces({ corpusId: corpus.id });
  if (!summary) throw new Error(`The corpus “${corpusName}” has no piece.`);
  const clip = await studio.clips.create({ from: { pieceId: summary.id }, name: piece.name });
  return clip.id;
}
