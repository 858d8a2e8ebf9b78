/**
 * The contract between the piano-roll editor and the playback engine (Tone.js preview and Web MIDI
 * output to hardware). The editor only ever talks to playback through this interface.
 */
import type { Piece } from '../../../core/music/types';

export interface TrackPlayback {
  readonly muted: boolean;
  readonly solo: boolean;
  /** MIDI channel 0..15 used on hardware outputs. */
  readonly channel: number;
  /** General MIDI program 0..127 (webmidi's 1..128 numbering is converted inside playback only). */
  readonly program: number;
}

export interface LoopRegion {
  readonly startTicks: number;
  readonly endTicks: number;
}

export type PlaybackOutput = { readonly kind: 'internal' } | { readonly kind: 'midi'; readonly outputId: string };

export interface PlaybackState {
  readonly playing: boolean;
  /** The playhead when last changed (play, stop, seek); use currentTicks() while playing. */
  readonly positionTicks: number;
  readonly loop: LoopRegion | null;
  /** Null: the piece's own tempo map. */
  readonly tempoOverrideBpm: number | null;
  readonly metronome: boolean;
  readonly output: PlaybackOutput;
}

export interface Playback {
  /** What to play; keeps the playhead. Call again after every edit (cheap). */
  setMusic(music: Piece, tracks: readonly TrackPlayback[]): void;
  play(): void;
  /** Stops sound at once (all notes off); a second stop returns the playhead to the start. */
  stop(): void;
  seek(ticks: number): void;
  setLoop(loop: LoopRegion | null): void;
  setTempoOverride(bpm: number | null): void;
  setMetronome(on: boolean): void;
  setOutput(output: PlaybackOutput): void;
  /** Plays one note now for a short moment (clicking a key, drawing a note). */
  audition(pitch: number, velocity: number, track?: TrackPlayback): void;
  /** All sound off, all notes off, reset controllers, explicit note-offs on every channel. */
  panic(): void;
  getState(): PlaybackState;
  subscribe(listener: () => void): () => void;
  /** The playhead now, in ticks (interpolated while playing): cheap enough for every animation frame. */
  currentTicks(): number;
}
