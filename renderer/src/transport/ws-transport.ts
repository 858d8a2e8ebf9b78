/**
 * The renderer's side of browser mode: the IPC contract over one WebSocket to `npm run serve`.
 * Calls made before the socket opens wait in a queue; a call whose socket closes before it is
 * answered is rejected (it may or may not have run, so it is never silently re-sent); the socket
 * reconnects with backoff and keeps delivering events to the same listener.
 */
import type { MethodName } from '../../../core/ipc/contract';
import { StudioError } from '../../../core/ipc/envelope';
import type { Transport } from '../../../core/ipc/client';
import { readServerFrame, type RequestFrame } from '../../../core/ipc/ws-frames';

/** The part of the DOM WebSocket this transport uses, so tests can inject a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

export interface WebSocketTransportOptions {
  /** Defaults to the global WebSocket. */
  readonly WebSocketImpl?: WebSocketConstructor;
  /** First reconnect delay; doubles after each failed attempt up to `maxReconnectDelayMs`. */
  readonly initialReconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
}

export interface WebSocketTransport extends Transport {
  /** True while the socket is open. */
  readonly connected: boolean;
  /** Closes the socket for good: pending calls are rejected and no reconnect follows. */
  close(): void;
}

interface PendingCall {
  readonly method: MethodName;
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: StudioError) => void;
  /** Set once the frame has gone out on a socket. */
  sent: boolean;
  readonly text: string;
}

type EventListener = (event: string, payload: unknown) => void;

/**
 * After a reconnect, events sent while the socket was down are lost; this tells the library view
 * to reload everything (`corpusId: null` means "anything may have changed").
 */
const RESYNC_EVENT = { event: 'library.changed', payload: { corpusId: null } } as const;

export function createWebSocketTransport(url: string, options: WebSocketTransportOptions = {}): WebSocketTransport {
  const WebSocketImpl = options.WebSocketImpl ?? globalWebSocket();
  const initialDelay = options.initialReconnectDelayMs ?? 250;
  const maxDelay = options.maxReconnectDelayMs ?? 5000;

  const pending = new Map<number, PendingCall>();
  const listeners = new Set<EventListener>();
  let nextId = 1;
  let socket: WebSocketLike | null = null;
  let everOpened = false;
  let failedAttempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let closedForGood = false;

  const deliver = (event: string, payload: unknown): void => {
    for (const listener of [...listeners]) listener(event, payload);
  };

  const flushQueue = (): void => {
    for (const call of pending.values()) {
      if (call.sent || socket === null || socket.readyState !== OPEN) continue;
      socket.send(call.text);
      call.sent = true;
    }
  };

  const rejectAll = (why: string): void => {
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(new StudioError(`${call.method}: ${why}`, 'failed'));
  };

  const connect = (): void => {
    reconnectTimer = null;
    if (closedForGood) return;
    let current: WebSocketLike;
    try {
      current = new WebSocketImpl(url);
    } catch (error) {
      rejectAll(`could not open the connection to the studio server (${error instanceof Error ? error.message : String(error)}).`);
      scheduleReconnect();
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      failedAttempts = 0;
      const reconnected = everOpened;
      everOpened = true;
      flushQueue();
      if (reconnected) deliver(RESYNC_EVENT.event, RESYNC_EVENT.payload);
    };
    current.onmessage = (message) => {
      if (socket !== current) return;
      const frame = readServerFrame(message.data);
      if (frame === null) return;
      if (frame.kind === 'event') {
        deliver(frame.event, frame.payload);
        return;
      }
      const call = pending.get(frame.id);
      if (!call) return;
      pending.delete(frame.id);
      call.resolve(frame.reply);
    };
    // Browsers give no detail on errors; the close that always follows carries what there is.
    current.onerror = () => undefined;
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      const detail = event.reason ? ` (${event.reason})` : event.code ? ` (code ${event.code})` : '';
      rejectAll(
        closedForGood
          ? 'the connection to the studio server was closed.'
          : `the connection to the studio server was lost before it answered${detail}. Is \`npm run serve\` still running? The page reconnects by itself.`,
      );
      scheduleReconnect();
    };
  };

  const scheduleReconnect = (): void => {
    if (closedForGood || reconnectTimer !== null) return;
    const delay = Math.min(maxDelay, initialDelay * 2 ** failedAttempts);
    failedAttempts += 1;
    reconnectTimer = setTimeout(connect, delay);
  };

  connect();

  return {
    get connected() {
      return socket !== null && socket.readyState === OPEN;
    },
    invoke(method, input) {
      if (closedForGood) {
        return Promise.reject(new StudioError(`${method}: the connection to the studio server was closed.`, 'failed'));
      }
      const id = nextId++;
      const frame: RequestFrame = { id, method, input };
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { method, resolve, reject, sent: false, text: JSON.stringify(frame) });
        flushQueue();
      });
    },
    listen(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      if (closedForGood) return;
      closedForGood = true;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const current = socket;
      socket = null;
      rejectAll('the connection to the studio server was closed.');
      current?.close(1000, 'closed by the page');
    },
  };
}

function globalWebSocket(): WebSocketConstructor {
  const candidate = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!candidate) throw new StudioError('This browser has no WebSocket support, which browser mode needs.', 'failed');
  return candidate;
}
