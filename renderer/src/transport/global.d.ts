import type { StudioApi } from '../../../core/ipc/client';

declare global {
  interface Window {
    /**
     * Provided by the Electron preload (with its Electron-only `platform` helpers); absent in
     * browser mode, where pickStudio() builds the same API over the WebSocket.
     */
    studio?: StudioApi & { readonly platform?: { pathForFile(file: File): string } };
  }
}

export {};
