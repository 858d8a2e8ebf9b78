import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStudioClient, type StudioApi } from '../../core/ipc/client';
import { StudioError } from '../../core/ipc/envelope';
import { NO_STUDIO_MESSAGE, pickStudio, socketUrlFor } from '../../renderer/src/transport/pick-studio';
import { createWebSocketTransport, type WebSocketLike } from '../../renderer/src/transport/ws-transport';

/** A scripted stand-in for the browser's WebSocket: the test opens, answers and closes it. */
class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  readonly sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closedByClient = false;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(data);
  }
  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  sentFrames(): { id: number; method: string; input?: unknown }[] {
    return this.sent.map((text) => JSON.parse(text) as { id: number; method: string; input?: unknown });
  }
}

const URL = 'ws://127.0.0.1:4000/ws?token=abc';
const latest = (): FakeSocket => FakeSocket.instances.at(-1)!;

beforeEach(() => {
  FakeSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createWebSocketTransport', () => {
  it('queues calls made before the socket opens and sends them, in order, once it does', async () => {
    const transport = createWebSocketTransport(URL, { WebSocketImpl: FakeSocket });
    expect(latest().url).toBe(URL);
    const first = transport.invoke('app.info', undefined);
    const second = transport.invoke('corpora.pieces', { corpusId: 7 });
    expect(latest().sent).toEqual([]);
    latest().open();
    expect(latest().sentFrames()).toEqual([
      { id: 1, method: 'app.info' },
      { id: 2, method: 'corpora.pieces', input: { corpusId: 7 } },
    ]);
    latest().receive({ id: 1, reply: { ok: true, value: 'one' } });
    latest().receive({ id: 2, reply: { ok: true, value: 'two' } });
    await expect(first).resolves.toEqual({ ok: true, value: 'one' });
    await expect(second).resolves.toEqual({ ok: true, value: 'two' });
    transport.close();
  });

  it('matches replies to calls by id, whatever order they come back in', async () => {
    const transport = createWebSocketTransport(URL, { WebSocketImpl: FakeSocket });
    latest().open();
    const calls = [transport.invoke('jobs.list', undefined), transport.invoke('corpora.list', undefined), transport.invoke('settings.get', undefined)];
    const ids = latest().sentFrames().map((frame) => frame.id);
    expect(new Set(ids).size).toBe(3);
    // Answer backwards, with noise in between that must be ignored.
    latest().receive({ id: ids[2], reply: { ok: true, value: 'settings' } });
    latest().receive('not json');
    latest().receive({ id: 999, reply: { ok: true, value: 'nobody asked' } });
    latest().receive({ id: ids[0], reply: { ok: true, value: 'jobs' } });
    latest().receive({ id: ids[1], reply: { ok: true, value: 'corpora' } });
    const replies = (await Promise.all(calls)) as { value: string }[];
    expect(replies.map((reply) => reply.value)).toEqual(['jobs', 'corpora', 'settings']);
    transport.close();
  });

  it('rejects calls still waiting when the socket closes, with a StudioError that says why', async () => {
    const transport = createWebSocketTransport(URL, { WebSocketImpl: FakeSocket });
    latest().open();
    const waiting = transport.invoke('corpora.list', undefined);
    const answered = transport.invoke('app.info', undefined);
    latest().receive({ id: 2, reply: { ok: true, value: 'fine' } });
    latest().drop(1006);
    await expect(answered).resolves.toEqual({ ok: true, value: 'fine' });
    const error = await waiting.then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).message).toMatch(/^corpora\.list: the connection to the studio server was lost/);
    expect((error as StudioError).code).toBe('failed');
    transport.close();
  });

  it('rejects queued calls when the first connection attempt fails', async () => {
    const transport = createWebSocketTransport(URL, { WebSocketImpl: FakeSocket });
    const queued = transport.invoke('app.info', undefined);
    latest().drop(1006);
    await expect(queued).rejects.toThrow(/app\.info: the connection to the studio server was lost/);
    transport.close();
  });

  it('reconnects with growing delays and keeps delivering events to the same listener', async () => {
    const transport = createWebSocketTransport(URL, { WebSocketImpl: FakeSocket, initialReconnectDelayMs: 100, maxReconnectDelayMs: 300 });
    const events: [string, unknown][] = [];
    transport.listen((event, payload) => events.push([event, payload]));
    latest().open();
    latest().receive({ event: 'job.updated', payload: { id: 1 } });
    latest().drop();
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(99);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    latest().drop(); // the server is still down: the next wait doubles
    vi.advanceTimersByTime(199);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(3);
    latest().drop();
    vi.advanceTimersByTime(300); // capped at maxReconnectDelayMs, not 400
    expect(FakeSocket.instances).toHaveLength(4);

    const duringOutage = transport.invoke('corpora.list', undefined);
    latest().open();
    expect(latest().sentFrames()).toEqual([{ id: 1, method: 'corpora.list' }]);
    latest().receive({ id: 1, reply: { ok: true, value: [] } });
    await expect(duringOutage).resolves.toEqual({ ok: true, value: [] });
    latest().receive({ event: 'library.changed', payload: { corpusId: 3 } });
    expect(events).toEqual([
      ['job.updated', { id: 1 }],
      // After a reconnect the library is told to reload: events of the outage are gone.
      ['library.changed', { corpusId: null }],
      ['library.changed', { corpusId: 3 }],
    ]);
    // A successful open resets the backoff.
    latest().drop();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(5);
    transport.close();
  });

  it('close() rejects pending calls, closes the socket and stops reconnecting', async () => {
    const transport = createWebSocketTransport(URL, { WebSocketImpl: FakeSocket, initialReconnectDelayMs: 10 });
    latest().open();
    const waiting = transport.invoke('jobs.list', undefined);
    transport.close();
    await expect(waiting).rejects.toThrow(/jobs\.list: the connection to the studio server was closed/);
    expect(latest().closedByClient).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.instances).toHaveLength(1);
    await expect(transport.invoke('app.info', undefined)).rejects.toBeInstanceOf(StudioError);
  });

  it('works under createStudioClient: replies are validated and errors become StudioErrors', async () => {
    const studio: StudioApi = createStudioClient(createWebSocketTransport(URL, { WebSocketImpl: FakeSocket }));
    latest().open();
    const settings = studio.settings.get();
    const bad = studio.corpora.pieces({ corpusId: 1 });
    latest().receive({ id: 1, reply: { ok: true, value: { midiSysex: false, soundFontPath: null } } });
    latest().receive({ id: 2, reply: { ok: false, error: { code: 'invalid-input', message: 'There is no corpus 1.' } } });
    await expect(settings).resolves.toEqual({ midiSysex: false, soundFontPath: null });
    await expect(bad).rejects.toMatchObject({ name: 'StudioError', code: 'invalid-input', message: 'There is no corpus 1.' });
    const seen: unknown[] = [];
    studio.on('library.changed', (payload) => seen.push(payload));
    latest().receive({ event: 'library.changed', payload: { corpusId: 5 } });
    latest().receive({ event: 'library.changed', payload: { corpusId: 'not an id' } });
    expect(seen).toEqual([{ corpusId: 5 }]);
  });
});

describe('pickStudio', () => {
  const location = { protocol: 'http:', host: '127.0.0.1:4000', search: '?token=a-b_c' };

  it('returns the preload’s window.studio when Electron provided it', () => {
    const preload = { marker: 'preload' } as unknown as StudioApi;
    expect(pickStudio({ studio: preload, location }, { WebSocketImpl: FakeSocket })).toBe(preload);
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it('otherwise connects to /ws of the page’s own host with the page’s token', () => {
    const studio = pickStudio({ location }, { WebSocketImpl: FakeSocket });
    expect(typeof studio.app.info).toBe('function');
    expect(latest().url).toBe('ws://127.0.0.1:4000/ws?token=a-b_c');
  });

  it('uses wss: for a page served over https:', () => {
    expect(socketUrlFor({ protocol: 'https:', host: 'localhost:9', search: '?x=1&token=t' })).toBe('wss://localhost:9/ws?token=t');
  });

  it('throws a clear error when there is neither a preload nor a token', () => {
    expect(() => pickStudio({ location: { ...location, search: '' } }, { WebSocketImpl: FakeSocket })).toThrow(NO_STUDIO_MESSAGE);
    expect(() => pickStudio({ location: { protocol: 'file:', host: '', search: '?token=t' } }, { WebSocketImpl: FakeSocket })).toThrow(
      NO_STUDIO_MESSAGE,
    );
    expect(FakeSocket.instances).toHaveLength(0);
  });
});
