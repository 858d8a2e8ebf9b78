/**
 * The renderer's Content-Security-Policy, sent as a response header on everything the window loads.
 * Scripts come only from the app itself and are never eval'd; the renderer talks to main over IPC,
 * so it needs no network beyond its own origin.
 */
import type { Session } from 'electron';

export interface CspOptions {
  /**
   * Forge's Vite dev server (http://localhost:PORT) during `npm start`; absent when packaged.
   * Development adds what Vite's dev client needs: its HMR WebSocket and the inline preamble
   * @vitejs/plugin-react injects for Fast Refresh. The packaged policy has neither.
   */
  readonly devServerUrl?: string | null;
}

export function buildContentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServerUrl ? new URL(options.devServerUrl) : null;
  const devSocket = dev ? `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}` : null;
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'", ...(dev ? ["'unsafe-inline'"] : [])],
    // React and uPlot set inline style attributes.
    ['style-src', "'self'", "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'", 'data:'],
    ['media-src', "'self'", 'blob:'],
    ['connect-src', "'self'", ...(devSocket ? [devSocket] : [])],
    // Audio and compute libraries may start workers from blob: URLs made by our own scripts.
    ['worker-src', "'self'", 'blob:'],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((directive) => directive.join(' ')).join('; ');
}

export type ResponseHeaders = Record<string, string[] | string>;

/** Replaces any policy the response carried (whatever its header's case) with ours. */
export function withContentSecurityPolicy(headers: ResponseHeaders | undefined, policy: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}

/**
 * Installs the policy on a session. Packaged, the renderer is a file:// page: older Electron
 * versions skipped onHeadersReceived for file responses, so the same policy (from
 * `buildContentSecurityPolicy()`) belongs in a <meta http-equiv> of renderer/index.html as well.
 */
export function installContentSecurityPolicy(session: Pick<Session, 'webRequest'>, policy: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });
}
