/**
 * Playing one piece of the comparison from its start (a roll, side A or B) through the window's
 * playback (the internal synth or the MIDI output chosen in the transport), and knowing which piece
 * is playing: the engine holds the very object it was given, so identity tells.
 */
import { useCallback } from 'react';
import type { Piece } from '../../../../core/music/types';
import { usePlayback, usePlaybackState, type TrackPlayback } from '../../playback';

export function tracksOf(music: Piece): TrackPlayback[] {
  return music.tracks.map((track) => ({ muted: false, solo: false, channel: track.channel, program: track.program }));
}

export interface ComparePlayback {
  /** Stops whatever plays and plays `music` from its start. */
  readonly play: (music: Piece) => void;
  readonly stop: () => void;
  /** Whether `music` (this object) is what plays now. */
  readonly isPlaying: (music: Piece | null | undefined) => boolean;
}

export function useComparePlayback(): ComparePlayback {
  const engine = usePlayback();
  const playing = usePlaybackState((state) => state.playing);
  const current = usePlaybackState((state) => state.music);
  const play = useCallback(
    (music: Piece) => {
      engine.stop();
      // A loop set in the editor belongs to other music.
      if (engine.getState().loop) engine.setLoop(null);
      engine.setMusic(music, tracksOf(music));
      engine.seek(0);
      engine.play();
    },
    [engine],
  );
  const stop = useCallback(() => engine.stop(), [engine]);
  const isPlaying = useCallback((music: Piece | null | undefined) => playing && !!music && current === music, [playing, current]);
  return { play, stop, isPlaying };
}
