// Browser mode for real: the built server (.build/node/serve.js) in its own process, talked to the
// way Chromium would (HTTP + a WebSocket with Origin), and the ways it must refuse to be talked to.
import { Midi } from '@tonejs/midi';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStudioClient } from '../../core/ipc/client';
import { createWebSocketTransport, type WebSocketConstructor } from '../../renderer/src/transport/ws-transport';
import { projectRoot, serveScript, tempDir } from '../support/paths';

interface RunningServer {
  readonly process: ChildProcess;
  readonly url: URL;
  readonly port: number;
  readonly token: string;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startServer(dir: string, rendererDir: string): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    [serveScript, '--port', '0', '--db', path.join(dir, 's.sqlite'), '--data-dir', dir, '--no-demo'],
    { cwd: projectRoot, env: { ...process.env, STUDIO_RENDERER_DIR: rendererDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no STUDIO_URL within 30 s:\n${output.stdout}\n${output.stderr}`)), 30_000);
    const look = (): void => {
      const match = /^STUDIO_URL=(\S+)$/m.exec(output.stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', look);
    void exited.then(({ code }) => reject(new Error(`the server exited (${code}) before listening:\n${output.stderr}`)));
  });
  const url = new URL(line);
  const server: RunningServer = {
    process: child,
    url,
    port: Number(url.port),
    token: url.searchParams.get('token') ?? '',
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
    exited,
  } as RunningServer;
  return server;
}

interface ConnectOptions {
  readonly token?: string | null;
  readonly origin?: string | null;
  readonly host?: string;
  readonly path?: string;
}

/** Resolves with the open socket, or with the HTTP status of the refusal. */
function connect(server: RunningServer, options: ConnectOptions = {}): Promise<{ socket: WebSocket } | { refused: number }> {
  const token = options.token === undefined ? server.token : options.token;
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  const origin = options.origin === undefined ? `http://127.0.0.1:${server.port}` : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}${options.path ?? '/ws'}${query}`, {
    ...(origin === null ? {} : { origin }),
    ...(options.host ? { headers: { Host: options.host } } : {}),
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** A minimal client of the frame protocol: numbered calls, and every event kept in order. */
class FrameClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: unknown) => void>();
  readonly events: { event: string; payload: unknown }[] = [];
  private readonly eventWaiters = new Set<() => void>();

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; reply?: unknown; event?: string; payload?: unknown };
      if (typeof frame.id === 'number') {
        this.waiting.get(frame.id)?.(frame.reply);
        this.waiting.delete(frame.id);
      } else if (typeof frame.event === 'string') {
        this.events.push({ event: frame.event, payload: frame.payload });
        for (const wake of this.eventWaiters) wake();
      }
    });
  }

  call(method: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    const id = this.nextId++;
    return this.sendRaw(JSON.stringify({ id, method, input }), id);
  }

  sendRaw(text: string | Buffer, expectId: number): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    return new Promise((resolve) => {
      this.waiting.set(expectId, resolve as (reply: unknown) => void);
      this.socket.send(text);
    });
  }

  async waitForEvent(test: (event: { event: string; payload: unknown }) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some(test)) {
      if (Date.now() > deadline) throw new Error(`event not seen; got ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.eventWaiters.delete(wake);
          resolve();
        };
        this.eventWaiters.add(wake);
        setTimeout(wake, 250);
      });
    }
  }
}

function httpGet(server: RunningServer, rawPath: string, init: { method?: string; host?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // http.request sends the path exactly as given: no client-side "../" clean-up hides the attack.
    const request = http.request(
      { host: '127.0.0.1', port: server.port, path: rawPath, method: init.method ?? 'GET', headers: init.host ? { Host: init.host } : {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function writeTinyMidi(file: string): void {
  const midi = new Midi();
  midi.header.setTempo(100);
  const track = midi.addTrack();
  track.name = 'Tiny';
  for (let i = 0; i < 4; i++) track.addNote({ midi: 60 + i, time: i * 0.5, duration: 0.4, velocity: 0.8 });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.from(midi.toArray()));
}

const SECRET = 'outside-the-renderer-folder';
const INDEX_HTML = '<!doctype html><title>studio</title><script type="module" src="/assets/app.js"></script>';

describe('browser mode server (.build/node/serve.js)', () => {
  let dir: string;
  let server: RunningServer;
  let client: FrameClient;

  beforeAll(async () => {
    dir = tempDir('studio-serve-');
    const rendererDir = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("studio");');
    fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
    server = await startServer(dir, rendererDir);
    const connection = await connect(server);
    if (!('socket' in connection)) throw new Error(`refused with ${connection.refused}`);
    client = new FrameClient(connection.socket);
  });

  afterAll(async () => {
    if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints exactly one STUDIO_URL line, on 127.0.0.1, with a 32-byte base64url token', () => {
    expect(server.stdout.match(/^STUDIO_URL=/gm)).toHaveLength(1);
    expect(server.url.hostname).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
  });

  it('refuses WebSockets without the right token, Origin or Host', async () => {
    const local = `http://127.0.0.1:${server.port}`;
    expect(await connect(server, { token: null })).toEqual({ refused: 401 });
    expect(await connect(server, { token: 'x'.repeat(43) })).toEqual({ refused: 401 });
    expect(await connect(server, { token: server.token.slice(1) })).toEqual({ refused: 401 });
    expect(await connect(server, { origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await connect(server, { origin: `http://127.0.0.1:${server.port + 1}` })).toEqual({ refused: 403 });
    expect(await connect(server, { origin: null })).toEqual({ refused: 403 });
    expect(await connect(server, { origin: local, host: `evil.example:${server.port}` })).toEqual({ refused: 403 });
    expect(await connect(server, { origin: local, path: '/other' })).toEqual({ refused: 404 });
    // localhost is the same machine under its other name.
    const viaLocalhost = await connect(server, { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` });
    expect('socket' in viaLocalhost).toBe(true);
    if ('socket' in viaLocalhost) viaLocalhost.socket.close();
  });

  it('answers app.info (browser mode) and corpora.list over the socket', async () => {
    const info = await client.call('app.info');
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', version: '0.1.0', dataDir: dir, databasePath: path.join(dir, 's.sqlite') } });
    expect(await client.call('corpora.list')).toEqual({ ok: true, value: [] });
  });

  it('answers bad input and unknown methods with invalid-input replies', async () => {
    const bad = await client.call('corpora.pieces', { corpusId: -1 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(bad.error?.message).toMatch(/^corpora\.pieces: corpusId/);
    expect(await client.call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Unknown method "fs.readFile".' } });
    expect(await client.call('dialog.chooseImportPaths', { folders: true })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('survives malformed frames and answers those that carry an id', async () => {
    client.socket.send('this is not JSON');
    client.socket.send(JSON.stringify({ method: 'app.info' }));
    client.socket.send(JSON.stringify([1, 2, 3]));
    client.socket.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    const noMethod = await client.sendRaw(JSON.stringify({ id: 900, input: 1 }), 900);
    expect(noMethod).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(noMethod.error?.message).toMatch(/^Malformed request frame: method/);
    const extraKey = await client.sendRaw(JSON.stringify({ id: 901, method: 'app.info', sneaky: true }), 901);
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await client.call('app.info')).toMatchObject({ ok: true, value: { mode: 'browser' } });
  });

  it('imports a folder by path, streams job.updated events until done, then lists the piece', async () => {
    const folder = path.join(dir, 'music');
    writeTinyMidi(path.join(folder, 'tiny.mid'));
    const started = await client.call('corpora.importPaths', { corpusName: 'Tiny', paths: [folder] });
    expect(started).toMatchObject({ ok: true });
    const { jobId } = started.value as { jobId: number };
    const isJobEvent = (e: { event: string; payload: unknown }): boolean => e.event === 'job.updated' && (e.payload as { id: number }).id === jobId;
    await client.waitForEvent((e) => isJobEvent(e) && ['done', 'failed', 'cancelled'].includes((e.payload as { status: string }).status));
    const updates = client.events.filter(isJobEvent).map((e) => e.payload as { status: string; progress: number; result: unknown });
    expect(updates.at(-1)).toMatchObject({ status: 'done', progress: 1, result: { kind: 'import-midi', imported: 1, failures: [] } });
    expect(client.events.some((e) => e.event === 'library.changed')).toBe(true);
    const list = await client.call('corpora.list');
    expect(list.value).toMatchObject([{ name: 'Tiny', pieceCount: 1, noteCount: 4 }]);
  });

  it('imports uploaded bytes (corpora.importFiles) sent inside one frame', async () => {
    const file = path.join(dir, 'upload', 'up.mid');
    writeTinyMidi(file);
    const base64 = fs.readFileSync(file).toString('base64');
    const files = Array.from({ length: 3 }, (_, i) => ({ relativePath: `set/${i}.mid`, base64 }));
    const started = await client.call('corpora.importFiles', { corpusName: 'Uploaded', files });
    expect(started).toMatchObject({ ok: true });
    const { jobId } = started.value as { jobId: number };
    const isDone = (e: { event: string; payload: unknown }): boolean =>
      e.event === 'job.updated' && (e.payload as { id: number }).id === jobId && (e.payload as { status: string }).status === 'done';
    await client.waitForEvent(isDone);
    // The three uploads are the same bytes: one piece, two duplicates.
    expect(client.events.find(isDone)?.payload).toMatchObject({ result: { imported: 1, duplicates: ['set/1.mid', 'set/2.mid'] } });
    const list = (await client.call('corpora.list')).value as { name: string; pieceCount: number }[];
    expect(list.find((c) => c.name === 'Uploaded')).toMatchObject({ pieceCount: 1 });
  });

  it('accepts frames above ws’s default 100 MiB limit (uploads travel as base64)', async () => {
    const huge = JSON.stringify({ id: 950, method: 'app.info', input: 'x'.repeat(101 * 1024 * 1024) });
    const reply = await client.sendRaw(huge, 950);
    // Delivered and parsed: refused by app.info's schema, not by the socket.
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(reply.error!.message.length).toBeLessThan(500);
  });

  it('serves the renderer with a strict CSP, nosniff and no-store on the page', async () => {
    const page = await httpGet(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'self'; connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port}; script-src 'self'; ` +
        `style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const script = await httpGet(server, '/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect((await httpGet(server, '/assets/missing.js')).status).toBe(404);
    expect((await httpGet(server, '/', { method: 'POST' })).status).toBe(405);
    expect((await httpGet(server, '/', { host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/../../../../../../etc/passwd',
    '/index.html%00.js',
    '/%ff',
  ])('does not serve %s', async (attack) => {
    const response = await httpGet(server, attack);
    expect([400, 403, 404]).toContain(response.status);
    expect(response.body).not.toContain(SECRET);
    expect(response.body).not.toContain('root:');
  });

  it('serves the renderer’s own transport and client (ws standing in for the browser’s WebSocket)', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    // A browser sets Origin by itself; the ws package needs it passed.
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin });
      }
    }
    const transport = createWebSocketTransport(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, {
      WebSocketImpl: BrowserLikeSocket as unknown as WebSocketConstructor,
    });
    try {
      const studio = createStudioClient(transport);
      expect(await studio.app.info()).toMatchObject({ mode: 'browser', version: '0.1.0' });
      const names = (await studio.corpora.list()).map((corpus) => corpus.name);
      expect(names).toEqual(expect.arrayContaining(['Tiny', 'Uploaded']));
      await expect(studio.corpora.pieces({ corpusId: 0 })).rejects.toMatchObject({ name: 'StudioError', code: 'invalid-input' });
    } finally {
      transport.close();
    }
  });

  it('closes cleanly on SIGTERM, with the tab told why, and exits 0', async () => {
    const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
    server.process.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await closed).toBe(1001);
  });
});

describe('browser mode server without a built renderer', () => {
  it('answers 503 with the command to run, and still serves the socket', async () => {
    const dir = tempDir('studio-serve-empty-');
    try {
      const server = await startServer(dir, path.join(dir, 'no-renderer-here'));
      const page = await httpGet(server, '/');
      expect(page.status).toBe(503);
      expect(page.body).toContain('npm run build');
      expect(server.stderr).toContain('npm run build');
      const connection = await connect(server);
      expect('socket' in connection).toBe(true);
      if ('socket' in connection) {
        expect(await new FrameClient(connection.socket).call('app.info')).toMatchObject({ ok: true, value: { mode: 'browser' } });
      }
      server.process.kill('SIGINT');
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
