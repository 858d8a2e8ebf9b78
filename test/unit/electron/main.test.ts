// Electron cannot run here, so main.ts is checked as wiring: with Electron and the studio faked, the
// entry must lock to one instance, sandbox everything, build the studio from the right paths, install
// CSP, permissions and IPC on the session, open the window from the factory, and close on quit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL } from '../../../core/ipc/contract';

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const appListeners = new Map<string, Listener>();
  const windows: { options: Record<string, unknown>; loadFile: ReturnType<typeof vi.fn>; loadURL: ReturnType<typeof vi.fn> }[] = [];
  const state = { lock: true, userData: '' };
  class BrowserWindow {
    static getAllWindows = vi.fn(() => windows);
    static getFocusedWindow = vi.fn(() => null);
    options: Record<string, unknown>;
    loadFile = vi.fn(() => Promise.resolve());
    loadURL = vi.fn(() => Promise.resolve());
    webContents = { mainFrame: { url: '', parent: null, processId: 1, routingId: 1 }, send: vi.fn(), isDestroyed: () => false };
    constructor(options: Record<string, unknown>) {
      this.options = options;
      windows.push(this);
    }
    once = vi.fn();
    on = vi.fn();
  }
  const app = {
    setName: vi.fn(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => state.lock),
    quit: vi.fn(),
    exit: vi.fn(),
    on: vi.fn((name: string, listener: Listener) => appListeners.set(name, listener)),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: vi.fn(() => state.userData),
    getVersion: () => '9.9.9',
    getAppPath: () => '/work/studio',
    isPackaged: false,
  };
  const session = {
    defaultSession: {
      webRequest: { onHeadersReceived: vi.fn() },
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
    },
  };
  const ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
  const studio = {
    handlers: {},
    onEvent: vi.fn(() => () => undefined),
    settings: { get: () => ({ midiSysex: false }) },
    close: vi.fn(() => Promise.resolve()),
  };
  const createStudio = vi.fn(() => studio);
  const dialog = { showErrorBox: vi.fn(), showOpenDialog: vi.fn() };
  return { app, appListeners, BrowserWindow, windows, session, ipcMain, studio, createStudio, state, dialog };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  dialog: fake.dialog,
  ipcMain: fake.ipcMain,
  session: fake.session,
  shell: { openExternal: vi.fn() },
}));
vi.mock('../../../electron/main/services/studio', () => ({ createStudio: fake.createStudio }));

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-electron-main-'));
afterAll(() => fs.rmSync(userData, { recursive: true, force: true }));

async function loadMain(): Promise<void> {
  vi.resetModules();
  (globalThis as Record<string, unknown>).MAIN_WINDOW_VITE_NAME = 'main_window';
  await import('../../../electron/main/app/main');
  // Let whenReady's then() run.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

beforeEach(() => {
  vi.clearAllMocks();
  fake.appListeners.clear();
  fake.windows.length = 0;
  fake.state.lock = true;
  fake.state.userData = userData;
});

describe('main.ts', () => {
  it('quits at once when another studio holds the single-instance lock', async () => {
    fake.state.lock = false;
    await loadMain();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(fake.createStudio).not.toHaveBeenCalled();
  });

  it('names the app and sandboxes every renderer', async () => {
    await loadMain();
    expect(fake.app.setName).toHaveBeenCalledWith('Composition Studio');
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect([...fake.appListeners.keys()]).toEqual(expect.arrayContaining(['second-instance', 'web-contents-created', 'before-quit']));
  });

  it('builds the studio in electron mode from userData, the worker beside main and the demo corpus', async () => {
    await loadMain();
    expect(fake.createStudio).toHaveBeenCalledTimes(1);
    const config = (fake.createStudio.mock.calls[0] as unknown as [Record<string, unknown>])[0];
    expect(config).toMatchObject({
      mode: 'electron',
      version: '9.9.9',
      dataDir: userData,
      databasePath: process.env.STUDIO_DB ? path.resolve(process.env.STUDIO_DB) : path.join(userData, 'studio.sqlite'),
      demoCorpusDir: path.join('/work/studio/resources/demo'),
    });
    expect(path.basename(config.workerScript as string)).toBe('job-worker.js');
    expect(typeof config.chooseImportPaths).toBe('function');
  });

  it('installs the CSP, both permission handlers and the one IPC handler', async () => {
    await loadMain();
    const session = fake.session.defaultSession;
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalledTimes(1);
    expect(session.setPermissionRequestHandler).toHaveBeenCalledTimes(1);
    expect(session.setPermissionCheckHandler).toHaveBeenCalledTimes(1);
    expect(fake.ipcMain.handle).toHaveBeenCalledTimes(1);
    expect(fake.ipcMain.handle.mock.calls[0]![0]).toBe(IPC_INVOKE_CHANNEL);
  });

  it('opens one hardened window on the packaged renderer', async () => {
    await loadMain();
    expect(fake.windows).toHaveLength(1);
    const window = fake.windows[0]!;
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(path.basename((window.options.webPreferences as { preload: string }).preload)).toBe('preload.js');
    expect(window.loadFile).toHaveBeenCalledTimes(1);
    expect(String(window.loadFile.mock.calls[0]![0])).toMatch(/renderer[\\/]main_window[\\/]index\.html$/);
  });

  it('explains a library that cannot open (e.g. better-sqlite3 built for Node) and exits', async () => {
    fake.createStudio.mockImplementationOnce(() => {
      throw new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 115');
    });
    await loadMain();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    expect(String(fake.dialog.showErrorBox.mock.calls[0]![1])).toMatch(/NODE_MODULE_VERSION 115[\s\S]*npm start/);
    expect(fake.app.exit).toHaveBeenCalledWith(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('closes the studio before quitting, once', async () => {
    await loadMain();
    const beforeQuit = fake.appListeners.get('before-quit')!;
    const event = { preventDefault: vi.fn() };
    beforeQuit(event);
    beforeQuit({ preventDefault: vi.fn() });
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    expect(fake.studio.close).toHaveBeenCalledTimes(1);
    expect(fake.ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL);
    // The quit that follows is let through.
    const after = { preventDefault: vi.fn() };
    beforeQuit(after);
    expect(after.preventDefault).not.toHaveBeenCalled();
  });
});
