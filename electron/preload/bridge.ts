/**
 * What the preload hands to the renderer: the contract's client over Electron IPC, plus the one
 * platform helper only Electron has (the disk path of a dropped File, so main can import it by path).
 * ipcRenderer itself never leaves this module: the renderer can reach only the contract's channels.
 */
import type { IpcRenderer, IpcRendererEvent, WebUtils } from 'electron';
import { createStudioClient, type StudioApi, type Transport } from '../../core/ipc/client';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../core/ipc/contract';

/** Electron-only additions to `window.studio` (browser mode has no `platform`). */
export interface ElectronBridgeExtras {
  readonly platform: {
    /** The file's path on disk; '' for a File that is not backed by one. */
    pathForFile(file: File): string;
  };
}

export type ElectronBridge = StudioApi & ElectronBridgeExtras;

export function createIpcTransport(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): Transport {
  return {
    invoke: (method, input) => ipc.invoke(IPC_INVOKE_CHANNEL, method, input),
    listen(listener) {
      const onMessage = (_event: IpcRendererEvent, message: unknown): void => {
        if (typeof message !== 'object' || message === null) return;
        const { event, payload } = message as { event?: unknown; payload?: unknown };
        // The client validates the name and the payload against the contract.
        if (typeof event === 'string') listener(event, payload);
      };
      ipc.on(IPC_EVENT_CHANNEL, onMessage);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, onMessage);
      };
    },
  };
}

export function createElectronBridge(
  ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  webUtils: Pick<WebUtils, 'getPathForFile'>,
): ElectronBridge {
  const platform = Object.freeze({ pathForFile: (file: File): string => webUtils.getPathForFile(file) });
  return Object.freeze({ ...createStudioClient(createIpcTransport(ipc)), platform });
}
