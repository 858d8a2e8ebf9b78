/**
 * A bare page for the playback end-to-end test and the midi-jitter benchmark, until the editor hosts
 * the transport: open the app at `#playback-test&clip=N` (or `&piece=N`). It loads that music through
 * the studio API, gives it to playback with each track's own channel and program, and shows the
 * TransportBar, the MIDI settings, a record button and the last take as JSON.
 * main.tsx renders it instead of the app when isPlaybackTestRoute() is true.
 */
import { useEffect, useState } from 'react';
import type { StudioApi } from '../../../../core/ipc/client';
import type { Piece } from '../../../../core/music/types';
import { usePlayback, useRecording, useRecordingState, type RecordedTake, type TrackPlayback } from '../../playback';
import { Notices } from '../../components/Notices';
import { MidiSettings } from './MidiSettings';
import { TransportBar } from './TransportBar';
import { RecordGlyph } from './transport-icons';
import './midi.css';

export const PLAYBACK_TEST_HASH = '#playback-test';

export function isPlaybackTestRoute(hash: string = window.location.hash): boolean {
  return hash === PLAYBACK_TEST_HASH || hash.startsWith(`${PLAYBACK_TEST_HASH}&`);
}

/** `#playback-test&clip=3` → { clipId: 3 }; `&piece=5` → { pieceId: 5 }; null without either. */
export function musicSourceOf(hash: string): { clipId: number } | { pieceId: number } | null {
  const parameters = new URLSearchParams(hash.slice(PLAYBACK_TEST_HASH.length).replace(/^&/, ''));
  const clip = Number(parameters.get('clip'));
  if (Number.isInteger(clip) && clip > 0) return { clipId: clip };
  const piece = Number(parameters.get('piece'));
  if (Number.isInteger(piece) && piece > 0) return { pieceId: piece };
  return null;
}

function tracksOf(music: Piece): TrackPlayback[] {
  return music.tracks.map((track) => ({ muted: false, solo: false, channel: track.channel, program: track.program }));
}

type Loaded = { readonly state: 'loading' } | { readonly state: 'ready'; readonly music: Piece } | { readonly state: 'failed'; readonly message: string };

export function PlaybackTestView({ studio }: { studio: Pick<StudioApi, 'clips' | 'pieces'> }) {
  const playback = usePlayback();
  const recording = useRecording();
  const recordingState = useRecordingState();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [take, setTake] = useState<RecordedTake | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);

  useEffect(() => {
    const source = musicSourceOf(window.location.hash);
    if (!source) {
      setLoaded({ state: 'failed', message: 'Add &clip=N or &piece=N to the address.' });
      return;
    }
    const request = 'clipId' in source ? studio.clips.get(source) : studio.pieces.get(source);
    request.then(
      (music) => {
        playback.setMusic(music, tracksOf(music));
        setLoaded({ state: 'ready', music });
      },
      (error: unknown) => setLoaded({ state: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  }, [studio, playback]);

  useEffect(() => recording.onTake(setTake), [recording]);

  const music = loaded.state === 'ready' ? loaded.music : null;
  const record = () => {
    setRecordError(null);
    if (recordingState.recording) {
      recording.stopRecording();
      return;
    }
    const firstTrack = music ? tracksOf(music)[0] : undefined;
    recording.startRecording({ quantize: null, ...(firstTrack ? { monitor: firstTrack } : {}) }).catch((error: unknown) => setRecordError(error instanceof Error ? error.message : String(error)));
  };

  return (
    <div className="playback-test" data-testid="playback-test">
      <h1>Playback test</h1>
      <p data-testid="playback-test-music" data-state={loaded.state}>
        {loaded.state === 'ready'
          ? `${loaded.music.name}: ${loaded.music.tracks.length} tracks, ${loaded.music.tracks.reduce((sum, track) => sum + track.notes.length, 0)} notes`
          : loaded.state === 'failed'
            ? `Could not load the music: ${loaded.message}`
            : 'Loading…'}
      </p>
      <TransportBar />
      <div className="playback-test-record">
        <button type="button" className={`button${recordingState.recording ? ' button-danger' : ''}`} data-testid="record-toggle" data-recording={recordingState.recording} onClick={record}>
          <RecordGlyph /> {recordingState.recording ? `Stop recording (${recordingState.notes})` : 'Record'}
        </button>
        {recordError ? <span role="alert" data-testid="record-error">{recordError}</span> : null}
      </div>
      <pre className="playback-test-take" data-testid="recorded-notes">
        {take ? JSON.stringify(take.notes) : ''}
      </pre>
      <MidiSettings />
      <Notices />
    </div>
  );
}
