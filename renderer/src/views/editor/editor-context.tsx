/**
 * Hands the editor's workbench to the shell and to the "Open in editor" buttons, and reads the
 * workbench's and the open editor's stores with useSyncExternalStore (a component re-renders only
 * when what its selector returns changes).
 */
import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { EditorState, EditorStore } from '../../editor/editor-store';
import { EditorWorkbench, type EditorSource, type WorkbenchState } from '../../editor/workbench';
import { usePlayback } from '../../playback';
import type { Playback } from '../../playback/playback-api';
import { useEnvironment } from '../../state/studio-context';

interface EditorEnvironment {
  readonly workbench: EditorWorkbench;
  readonly playback: Playback;
}

const EditorContext = createContext<EditorEnvironment | null>(null);

export function EditorProvider({ children }: { children: ReactNode }) {
  const { model, api } = useEnvironment();
  // The window's playback (Tone.js preview, Web MIDI out): the editor talks to it only through the Playback interface.
  const playback: Playback = usePlayback();
  const workbench = useMemo(() => new EditorWorkbench(api, { notify: (message, tone) => model.notify(message, tone) }), [model, api]);
  const environment = useMemo<EditorEnvironment>(() => ({ workbench, playback }), [workbench, playback]);
  return <EditorContext.Provider value={environment}>{children}</EditorContext.Provider>;
}

function useEditorEnvironment(): EditorEnvironment {
  const environment = useContext(EditorContext);
  if (!environment) throw new Error('The editor is used outside <EditorProvider>.');
  return environment;
}

export function useWorkbench(): EditorWorkbench {
  return useEditorEnvironment().workbench;
}

export function useEditorPlayback(): Playback {
  return useEditorEnvironment().playback;
}

/** `selector` must return a part of the state or a primitive, not a new object per call. */
export function useWorkbenchState<S>(selector: (state: WorkbenchState) => S): S {
  const { store } = useWorkbench();
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}

export function useEditorState<S>(editor: EditorStore, selector: (state: EditorState) => S): S {
  return useSyncExternalStore(editor.store.subscribe, () => selector(editor.store.getState()));
}

/**
 * "Open in editor" for a table row: opens a piece (as an edited copy) or a clip. Null outside the
 * editor's provider (a table rendered on its own), where the button is simply not shown.
 */
export function useOpenInEditor(): ((source: EditorSource) => void) | null {
  const environment = useContext(EditorContext);
  return useMemo(() => (environment ? (source: EditorSource) => void environment.workbench.open(source) : null), [environment]);
}

