import { describe, expect, it, vi } from 'vitest';
import { appUrlMatcher } from '../../../electron/main/app/renderer-location';
import { createWindowOptions, hardenWebContents, type HardenableContents } from '../../../electron/main/app/window-options';

vi.mock('electron', () => ({}));

describe('createWindowOptions', () => {
  it('sandboxes and isolates every window, with the preload and no Node', () => {
    const { webPreferences } = createWindowOptions('/app/.vite/build/preload.js');
    expect(webPreferences).toMatchObject({
      preload: '/app/.vite/build/preload.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('lets callers choose the look but never the web preferences', () => {
    const sneaky = { width: 640, webPreferences: { sandbox: false, nodeIntegration: true } } as unknown as Parameters<typeof createWindowOptions>[1];
    const options = createWindowOptions('/p.js', sneaky);
    expect(options.width).toBe(640);
    expect(options.webPreferences?.sandbox).toBe(true);
    expect(options.webPreferences?.nodeIntegration).toBe(false);
  });
});

type Listener = (event: { url: string; preventDefault: () => void }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, listener: Listener) => {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
      openHandler = handler;
    },
  };
  const emit = (name: string, url: string): boolean => {
    const preventDefault = vi.fn();
    const listener = listeners.get(name);
    if (!listener) throw new Error(`no ${name} listener`);
    listener({ url, preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  return {
    contents: contents as unknown as HardenableContents,
    emit,
    open: (url: string) => {
      if (!openHandler) throw new Error('no window open handler');
      return openHandler({ url });
    },
  };
}

describe('hardenWebContents', () => {
  const appUrl = 'file:///opt/Composition%20Studio/resources/app.asar/.vite/renderer/main_window/index.html';

  function harden() {
    const fake = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(fake.contents, appUrlMatcher(appUrl, 'linux'), openExternal);
    return { ...fake, openExternal };
  }

  it('prevents navigation away from the app and sends web links to the browser', () => {
    const { emit, openExternal } = harden();
    expect(emit('will-navigate', 'https://example.com/evil')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://example.com/evil');
  });

  it('prevents navigation to other files, scripts and custom schemes without opening them', () => {
    const { emit, openExternal } = harden();
    for (const url of ['file:///etc/passwd', 'file:///opt/Composition%20Studio/other.html', 'javascript:alert(1)', 'smb://host/share', 'not a url']) {
      expect(emit('will-navigate', url), url).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('lets the app reload its own page', () => {
    const { emit } = harden();
    expect(emit('will-navigate', `${appUrl}#/library`)).toBe(false);
    expect(emit('will-navigate', 'file:///opt/Composition Studio/resources/app.asar/.vite/renderer/main_window/index.html')).toBe(false);
  });

  it('prevents redirects out of the app', () => {
    const { emit } = harden();
    expect(emit('will-redirect', 'https://example.com/')).toBe(true);
  });

  it('denies every window.open, opening only web links outside', () => {
    const { open, openExternal } = harden();
    expect(open('https://example.com/help')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(open(appUrl)).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/help']]);
  });

  it('refuses to attach a <webview>', () => {
    const { emit } = harden();
    expect(emit('will-attach-webview', 'about:blank')).toBe(true);
  });
});
