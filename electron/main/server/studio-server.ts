/**
 * Browser mode's HTTP + WebSocket server on 127.0.0.1: the built renderer over HTTP, the studio's
 * IPC contract over one WebSocket per tab. The studio itself is created (and closed) by the caller.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createDispatch } from '../../../core/ipc/dispatch';
import type { Studio } from '../services/studio';
import { TOKEN_PARAMETER } from '../../../core/ipc/ws-frames';
import { checkUpgrade, createToken, hostAllowed, LOOPBACK_HOST } from './security';
import { attachSession } from './socket-session';
import { serveStatic } from './static-files';

/** Uploads travel as base64 inside one frame (corpora.importFiles), so frames may be large. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** How long closing waits for tabs to answer the WebSocket close handshake. */
const CLOSE_GRACE_MS = 2000;

export interface StudioServerOptions {
  readonly studio: Pick<Studio, 'handlers' | 'onEvent'>;
  /** 0 picks a free port. */
  readonly port: number;
  /** The built renderer (index.html and its assets). */
  readonly rendererDir: string;
  readonly logError: (error: unknown) => void;
  /** Tests may fix the token; a real run always draws a fresh one. */
  readonly token?: string;
}

export interface StudioServer {
  readonly port: number;
  readonly token: string;
  /** The address to open: the page, carrying the token the page hands to its WebSocket. */
  readonly url: string;
  /** Closes every socket and stops listening. Does not close the studio. */
  close(): Promise<void>;
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? createToken();
  const dispatch = createDispatch(options.studio.handlers, options.logError);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: true });
  let port = options.port;

  const server = http.createServer((request, response) => {
    if (!hostAllowed(request.headers.host, port)) {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      response.end('This studio answers only to 127.0.0.1 and localhost.\n');
      return;
    }
    serveStatic(request, response, { rendererDir: options.rendererDir, port });
  });

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = checkUpgrade(request, { token, port });
    if (!verdict.ok) {
      refuseUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      attachSession(webSocket, { dispatch, onEvent: (listener) => options.studio.onEvent(listener), logError: options.logError });
    });
  });
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${LOOPBACK_HOST}:${port}/?${TOKEN_PARAMETER}=${token}`,
    async close() {
      for (const client of sockets.clients) client.close(1001, 'The studio server is shutting down.');
      // Clients that do not answer the close handshake promptly are cut off.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_GRACE_MS);
        sockets.close(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404, reason: string): void {
  const statusText = http.STATUS_CODES[status] ?? 'Refused';
  const body = `${reason}\n`;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Destroy only once the refusal is flushed, so the client learns why.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

