/**
 * The preload of the studio's window (sandboxed, context-isolated). It exposes exactly one object,
 * `window.studio`, built from the IPC contract in core/ipc; see bridge.ts.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createElectronBridge } from './bridge';

contextBridge.exposeInMainWorld('studio', createElectronBridge(ipcRenderer, webUtils));
