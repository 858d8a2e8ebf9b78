/**
 * Hands the model to components and reads its state with `useSyncExternalStore`, as ryohey/signal's
 * stores are read: a component re-renders only when what its selector returns changes.
 */
import type { StudioApi } from '../../../core/ipc/client';
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { StudioModel, StudioState } from './studio-model';

/** What only Electron's preload offers: the path of a dropped file (webUtils.getPathForFile). */
export interface PlatformBridge {
  readonly pathForFile?: (file: File) => string;
}

export interface StudioEnvironment {
  readonly model: StudioModel;
  readonly platform: PlatformBridge;
  /** The one connection to the studio (preload or WebSocket), for views beyond the model's own. */
  readonly api: StudioApi;
}

const StudioContext = createContext<StudioEnvironment | null>(null);

export function StudioProvider({ environment, children }: { environment: StudioEnvironment; children: ReactNode }) {
  return <StudioContext.Provider value={environment}>{children}</StudioContext.Provider>;
}

export function useEnvironment(): StudioEnvironment {
  const environment = useContext(StudioContext);
  if (!environment) throw new Error('useEnvironment outside <StudioProvider>.');
  return environment;
}

export function useModel(): StudioModel {
  return useEnvironment().model;
}

/** `selector` must return a part of the state (or a primitive), not a new object on each call. */
export function useStudio<S>(selector: (state: StudioState) => S): S {
  const { store } = useModel();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}
