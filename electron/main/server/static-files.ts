/**
 * Serves the built renderer, and nothing else: only GET/HEAD, only files inside the renderer
 * folder (after decoding and resolving symlinks), with headers that keep the page as locked down
 * as Electron's window.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { LOOPBACK_HOST } from './security';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mid': 'audio/midi',
  '.midi': 'audio/midi',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The same policy as the Electron window, plus the WebSocket of this very server. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ws://${LOOPBACK_HOST}:${port} ws://localhost:${port}`,
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    // Tone.js keeps time in a tiny worker made from a blob: URL (see renderer/src/playback/timer.ts).
    "worker-src 'self' blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Maps a request path to a file inside `root`, or null when it names nothing there. Decoding
 * happens once, here, so `%2e%2e` and `..%2f` are seen as the `..` they are.
 */
export function resolveStaticPath(root: string, requestUrl: string): string | null {
  const queryAt = requestUrl.search(/[?#]/);
  const rawPath = queryAt >= 0 ? requestUrl.slice(0, queryAt) : requestUrl;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0')) return null;
  const segments = decoded.split(/[\\/]/);
  if (segments.includes('..')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const target = path.resolve(root, relative);
  const rootResolved = path.resolve(root);
  if (target !== rootResolved && !target.startsWith(rootResolved + path.sep)) return null;
  return target;
}

/** True when `file` is a regular file whose real location (symlinks followed) is inside `root`. */
function isServableFile(root: string, file: string): boolean {
  try {
    const realRoot = fs.realpathSync(root);
    const realFile = fs.realpathSync(file);
    return realFile.startsWith(realRoot + path.sep) && fs.statSync(realFile).isFile();
  } catch {
    return false;
  }
}

function sendText(response: ServerResponse, status: number, text: string, extraHeaders: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    ...extraHeaders,
  });
  response.end(text);
}

export const RENDERER_MISSING_MESSAGE =
  'The studio’s page has not been built yet. Stop this server, run `npm run build` (or just `npm run serve`, which builds first), and start it again.';

export function serveStatic(request: IncomingMessage, response: ServerResponse, options: { rendererDir: string; port: number }): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Only GET and HEAD are served here.\n', { Allow: 'GET, HEAD' });
    return;
  }
  const { rendererDir, port } = options;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    sendText(response, 503, `${RENDERER_MISSING_MESSAGE}\n(Looked for ${path.join(rendererDir, 'index.html')}.)\n`);
    return;
  }
  const file = resolveStaticPath(rendererDir, request.url ?? '/');
  if (file === null || !isServableFile(rendererDir, file)) {
    sendText(response, 404, 'Not found.\n');
    return;
  }
  const type = contentTypeOf(file);
  const isHtml = type.startsWith('text/html');
  const body = fs.readFileSync(file);
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Content-Length': body.length,
    'X-Content-Type-Options': 'nosniff',
    // The token is in the page's URL: never hand it to anyone through a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (isHtml) {
    headers['Content-Security-Policy'] = contentSecurityPolicy(port);
    headers['X-Frame-Options'] = 'DENY';
    headers['Cache-Control'] = 'no-store';
  } else {
    headers['Cache-Control'] = 'no-cache';
  }
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}
