/**
 * The one place BrowserWindow options are made, so no window can be opened with weaker security,
 * and the hardening applied to every WebContents the app creates (app.on('web-contents-created')).
 * The renderer is treated as untrusted: it runs sandboxed, isolated from the preload, without Node.
 */
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import { PRODUCT_NAME } from '../services/paths';
import { isExternalWebUrl, type AppUrlMatcher } from './renderer-location';

/** The visual options a caller may choose; webPreferences are never the caller's choice. */
export type WindowLook = Pick<
  BrowserWindowConstructorOptions,
  'width' | 'height' | 'minWidth' | 'minHeight' | 'x' | 'y' | 'title' | 'show' | 'backgroundColor' | 'parent' | 'modal'
>;

export function createWindowOptions(preloadPath: string, look: WindowLook = {}): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    title: PRODUCT_NAME,
    // Shown on 'ready-to-show' so the composer never sees an empty white frame.
    show: false,
    backgroundColor: '#16181d',
    ...look,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // A file dropped outside the drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/** What hardening needs from a WebContents; the real one satisfies it, and so do test fakes. */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export type OpenExternal = (url: string) => Promise<void> | void;

/**
 * Denies every navigation away from the app and every new window. Web links the composer clicks
 * open in their browser instead; nothing else (file:, javascript:, custom schemes) goes anywhere.
 * <webview> cannot be attached at all.
 */
export function hardenWebContents(contents: HardenableContents, isAppUrl: AppUrlMatcher, openExternal: OpenExternal): void {
  const openOutside = (url: string): void => {
    if (!isExternalWebUrl(url)) return;
    Promise.resolve(openExternal(url)).catch((error: unknown) => console.error(`Could not open ${url}:`, error));
  };
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}
