/**
 * Where the renderer's `studio` comes from: the Electron preload's `window.studio` when present,
 * otherwise browser mode's WebSocket to the server that served this page.
 */
import { createStudioClient, type StudioApi } from '../../../core/ipc/client';
import { StudioError } from '../../../core/ipc/envelope';
import { SOCKET_PATH, TOKEN_PARAMETER } from '../../../core/ipc/ws-frames';
import { createWebSocketTransport, type WebSocketTransportOptions } from './ws-transport';

/** The parts of `window` this needs, so tests can pass a stand-in. */
export interface StudioHost {
  readonly studio?: StudioApi;
  readonly location: { readonly protocol: string; readonly host: string; readonly search: string };
}

export const NO_STUDIO_MESSAGE =
  'This page cannot reach the studio: it was opened without its token. Open the address that `npm run serve` printed (it ends in ?token=…), or start the desktop app with `npm start`.';

/** The WebSocket address for the page at `location`, carrying the page's token. */
export function socketUrlFor(location: StudioHost['location']): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAMETER);
  if (!token) throw new StudioError(NO_STUDIO_MESSAGE, 'forbidden');
  if (location.protocol !== 'http:' && location.protocol !== 'https:') throw new StudioError(NO_STUDIO_MESSAGE, 'forbidden');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SOCKET_PATH}?${TOKEN_PARAMETER}=${encodeURIComponent(token)}`;
}

export function pickStudio(host: StudioHost = globalThis as unknown as StudioHost, options: WebSocketTransportOptions = {}): StudioApi {
  if (host.studio) return host.studio;
  return createStudioClient(createWebSocketTransport(socketUrlFor(host.location), options));
}
