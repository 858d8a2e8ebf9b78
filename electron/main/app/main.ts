/**
 * Electron's entry: one instance, one hardened window, the studio's services behind the IPC
 * contract. Everything security-related is decided in the small modules beside this file, which
 * have their own tests; this file only wires them to Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { packagedSoundFontPath } from '../services/audio/sound-font';
import { databasePath } from '../services/paths';
import { createStudio, type Studio } from '../services/studio';
import { buildContentSecurityPolicy, installContentSecurityPolicy } from './csp';
import { chooseFolder, chooseImportPaths, chooseMidiSavePath, chooseWavSavePath } from './import-dialog';
import { createSenderCheck, registerIpc } from './ipc';
import { demoCorpusDir, workerScriptPath } from './packaged-paths';
import { installPermissionHandlers } from './permissions';
import { appUrlMatcher, rendererLocation } from './renderer-location';
import { createWindowOptions, hardenWebContents } from './window-options';

const APP_NAME = 'Composition Studio';

const renderer = rendererLocation(
  typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined,
  MAIN_WINDOW_VITE_NAME,
  __dirname,
);
const isAppUrl = appUrlMatcher(renderer.url);

let studio: Studio | null = null;
let unregisterIpc: (() => void) | null = null;
let mainWindow: BrowserWindow | null = null;

function logError(error: unknown): void {
  console.error('[studio]', error);
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(createWindowOptions(path.join(__dirname, 'preload.js')));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  const loading = renderer.file ? window.loadFile(renderer.file) : window.loadURL(renderer.url);
  loading.catch((error: unknown) => logError(new Error(`The studio's window could not load ${renderer.url}: ${String(error)}`)));
  return window;
}

function startStudio(): Studio {
  const dataDir = app.getPath('userData');
  fs.mkdirSync(dataDir, { recursive: true });
  return createStudio({
    mode: 'electron',
    version: app.getVersion(),
    dataDir,
    databasePath: databasePath(dataDir),
    workerScript: workerScriptPath(__dirname),
    demoCorpusDir: demoCorpusDir({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath }),
    chooseImportPaths,
    chooseMidiSavePath,
    chooseWavSavePath,
    chooseFolder,
    // Packaged, the SoundFont is a resource (electron-builder.yml); in the project, node_modules has it.
    ...(app.isPackaged ? { builtInSoundFontPath: packagedSoundFontPath(process.resourcesPath) } : {}),
    logError,
  });
}

async function onReady(): Promise<void> {
  try {
    studio = startStudio();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox(
      `${APP_NAME} could not open its library`,
      `${detail}\n\nIf this mentions NODE_MODULE_VERSION, better-sqlite3 is built for Node rather than Electron: run \`npm start\` (Electron Forge rebuilds it) or \`npx @electron/rebuild -o better-sqlite3\`.`,
    );
    app.exit(1);
    return;
  }
  const running = studio;
  const defaultSession = session.defaultSession;
  installContentSecurityPolicy(defaultSession, buildContentSecurityPolicy({ devServerUrl: renderer.devServerUrl }));
  installPermissionHandlers(defaultSession, () => running.settings.get(), isAppUrl);
  unregisterIpc = registerIpc(
    ipcMain,
    running,
    createSenderCheck(isAppUrl, () => BrowserWindow.getAllWindows().map((window) => window.webContents.mainFrame)),
    { eventTargets: () => BrowserWindow.getAllWindows().map((window) => window.webContents), logError },
  );
  mainWindow = createMainWindow();
}

/** Closes the studio (workers, database) before Electron quits; runs once. */
let closing: Promise<void> | null = null;
function closeStudioThenQuit(event: { preventDefault(): void }): void {
  const running = studio;
  if (!running) return;
  event.preventDefault();
  closing ??= (async () => {
    unregisterIpc?.();
    unregisterIpc = null;
    try {
      await running.close();
    } catch (error) {
      logError(error);
    }
    studio = null;
    app.quit();
  })();
}

app.setName(APP_NAME);
// Every renderer sandboxed, whatever options a window is created with.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another studio already owns the library (and its database file): hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, isAppUrl, (url) => shell.openExternal(url));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (studio && BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
  app.on('before-quit', closeStudioThenQuit);
  app.whenReady().then(onReady, logError);
}
