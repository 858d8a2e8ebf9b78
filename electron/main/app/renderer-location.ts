/**
 * Where the renderer comes from, and which URLs count as "the app". In development (`npm start`)
 * Forge's Vite plugin serves it from a dev server; packaged, it is a file beside the main bundle.
 * Navigation, IPC and permissions all trust exactly the URLs this matcher accepts.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RendererLocation {
  /** What the window loads. */
  readonly url: string;
  /** Set when the renderer is a packaged file: load it with `loadFile` so Electron builds the URL. */
  readonly file: string | null;
  /** The dev server's URL in development, null when packaged. */
  readonly devServerUrl: string | null;
}

/**
 * @param devServerUrl Forge's MAIN_WINDOW_VITE_DEV_SERVER_URL (undefined in a build).
 * @param rendererName Forge's MAIN_WINDOW_VITE_NAME, e.g. "main_window".
 * @param mainDir the folder of the built main bundle (`.vite/build`).
 */
export function rendererLocation(devServerUrl: string | undefined, rendererName: string, mainDir: string): RendererLocation {
  if (devServerUrl) return { url: devServerUrl, file: null, devServerUrl };
  const file = path.join(mainDir, '..', 'renderer', rendererName, 'index.html');
  return { url: pathToFileURL(file).href, file, devServerUrl: null };
}

export type AppUrlMatcher = (url: string) => boolean;

/**
 * The URLs that are the app: the dev server's origin, or exactly the packaged index.html (any
 * query or hash). Every other URL, including other files on disk, is foreign.
 */
export function appUrlMatcher(rendererUrl: string, platform: NodeJS.Platform = process.platform): AppUrlMatcher {
  const base = new URL(rendererUrl);
  if (base.protocol === 'http:' || base.protocol === 'https:') {
    return (url) => {
      const candidate = parseUrl(url);
      return candidate !== null && candidate.origin === base.origin;
    };
  }
  if (base.protocol === 'file:') {
    const expected = comparableFilePath(base, platform);
    return (url) => {
      const candidate = parseUrl(url);
      return (
        candidate !== null &&
        candidate.protocol === 'file:' &&
        candidate.host === base.host &&
        comparableFilePath(candidate, platform) === expected
      );
    };
  }
  throw new Error(`The renderer URL ${rendererUrl} is neither http(s) nor file.`);
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Chromium and Node percent-encode a few characters differently; compare decoded paths. */
function comparableFilePath(url: URL, platform: NodeJS.Platform): string {
  let pathname = url.pathname;
  try {
    pathname = decodeURIComponent(pathname);
  } catch {
    // A malformed escape stays as it is and simply matches nothing.
  }
  return platform === 'win32' ? pathname.toLowerCase() : pathname;
}

/** Only web links may leave the app, and only to the composer's browser. */
export function isExternalWebUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:');
}
