/**
 * Who may talk to browser mode. The server listens on 127.0.0.1 only, but any web page the composer
 * visits can still reach 127.0.0.1 from their browser, so every WebSocket must prove three things:
 * it knows this run's token (from the printed URL), it comes from our own page (Origin), and it was
 * addressed to 127.0.0.1/localhost (Host: a DNS-rebinding page would send its own name).
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SOCKET_PATH, TOKEN_PARAMETER } from '../../../core/ipc/ws-frames';

export const LOOPBACK_HOST = '127.0.0.1';

/** 32 random bytes, URL-safe, so it can sit in the query string unescaped. */
export function createToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so the time taken says nothing about how much of a guess was right. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // timingSafeEqual needs equal lengths; the length of a random token is no secret.
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function allowedHosts(port: number): string[] {
  return [`${LOOPBACK_HOST}:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

export type UpgradeVerdict = { readonly ok: true } | { readonly ok: false; readonly status: 400 | 401 | 403 | 404; readonly reason: string };

/** Decides whether a WebSocket upgrade request may become a studio session. */
export function checkUpgrade(request: Pick<IncomingMessage, 'url' | 'headers'>, expected: { token: string; port: number }): UpgradeVerdict {
  if (!hostAllowed(request.headers.host, expected.port)) {
    return { ok: false, status: 403, reason: `Host ${JSON.stringify(request.headers.host ?? '')} is not this studio.` };
  }
  const origin = request.headers.origin;
  if (origin === undefined || !allowedOrigins(expected.port).includes(origin)) {
    return { ok: false, status: 403, reason: `Origin ${JSON.stringify(origin ?? '')} may not connect.` };
  }
  let url: URL;
  try {
    url = new URL(request.url ?? '', `http://${LOOPBACK_HOST}`);
  } catch {
    return { ok: false, status: 400, reason: 'Malformed request URL.' };
  }
  if (url.pathname !== SOCKET_PATH) return { ok: false, status: 404, reason: `No WebSocket at ${url.pathname}.` };
  if (!tokenMatches(expected.token, url.searchParams.get(TOKEN_PARAMETER))) {
    return { ok: false, status: 401, reason: 'Missing or wrong token: open the address printed by `npm run serve`.' };
  }
  return { ok: true };
}
