/**
 * Hands the window's playback session to components. The engine's state is read with
 * useSyncExternalStore (as the studio's own store is), so a component re-renders only when what its
 * selector returns changes; the playhead itself is read with `currentTicks()` in an animation frame.
 */
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useModel } from '../state/studio-context';
import type { EngineState, PlaybackEngine } from './engine';
import type { MidiDevicesState, MidiSettingsAccess } from './midi-devices';
import { PlaybackSession, type Recording, type RecordingState } from './session';
import { createSchedulerTimer } from './timer';
import { createToneSink, InternalSynth } from './tone-sink';
import { createWebMidiBackend } from './webmidi-backend';

const PlaybackContext = createContext<PlaybackSession | null>(null);
/** After the app's own start-up work. */
const PRELOAD_DELAY_MS = 1500;

export interface PlaybackProviderProps {
  /** Where the MIDI SysEx setting lives: `window.studio` (its `settings` methods). */
  readonly studio: { readonly settings: MidiSettingsAccess };
  readonly children: ReactNode;
}

export function PlaybackProvider({ studio, children }: PlaybackProviderProps) {
  const model = useModel();
  const [{ session, synth }] = useState(() => {
    const internal = new InternalSynth();
    const created = new PlaybackSession({
      backend: createWebMidiBackend(),
      settings: studio.settings,
      clock: { now: () => performance.now() },
      timer: createSchedulerTimer(),
      internalSink: () => createToneSink(internal),
      notify: (message, tone) => model.notify(message, tone),
    });
    internal.onProblem = (message) => model.notify(message, 'error');
    return { session: created, synth: internal };
  });

  useEffect(() => {
    // Browsers keep audio suspended until a gesture: start Tone.js on the first one.
    const startAudio = () => {
      synth.start().catch(() => undefined);
      window.removeEventListener('pointerdown', startAudio, true);
      window.removeEventListener('keydown', startAudio, true);
    };
    window.addEventListener('pointerdown', startAudio, true);
    window.addEventListener('keydown', startAudio, true);
    // Load Tone.js while idle, so its first use does not stall the scheduler at the start of playback.
    const preload = window.setTimeout(() => synth.preload(), PRELOAD_DELAY_MS);
    return () => {
      window.clearTimeout(preload);
      window.removeEventListener('pointerdown', startAudio, true);
      window.removeEventListener('keydown', startAudio, true);
      if (session.engine.getState().playing) session.engine.stop();
    };
  }, [session, synth]);

  return <PlaybackContext.Provider value={session}>{children}</PlaybackContext.Provider>;
}

export function usePlaybackSession(): PlaybackSession {
  const session = useContext(PlaybackContext);
  if (!session) throw new Error('usePlayback outside <PlaybackProvider>.');
  return session;
}

/** The engine (the `Playback` interface, plus play({ countInBars }) and ticksAtTime). */
export function usePlayback(): PlaybackEngine {
  return usePlaybackSession().engine;
}

/** A part of the transport state; `selector` must return a part of it or a primitive. */
export function usePlaybackState<S>(selector: (state: EngineState) => S): S {
  const { engine } = usePlaybackSession();
  return useSyncExternalStore(engine.subscribe, () => selector(engine.getState()));
}

/** MIDI outputs and inputs, kept current through hot-plug; asks for MIDI access when first used. */
export function useMidiOutputs(): MidiDevicesState {
  const { devices } = usePlaybackSession();
  useEffect(() => {
    void devices.ensureEnabled();
  }, [devices]);
  return useSyncExternalStore(devices.store.subscribe, devices.store.getState);
}

export function useRecording(): Recording {
  return usePlaybackSession().recording;
}

export function useRecordingState(): RecordingState {
  const { recording } = usePlaybackSession();
  return useSyncExternalStore(recording.subscribe, recording.getState);
}
