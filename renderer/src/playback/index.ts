/**
 * Playback for the editor: preview through Tone.js, live output to hardware through Web MIDI, and
 * recording from a MIDI keyboard.
 *
 * Wrap the app once: `<PlaybackProvider studio={api}>` (main.tsx). Then, in any component:
 *
 *   const playback = usePlayback();          // the Playback interface (playback-api.ts)
 *   playback.setMusic(piece, tracks);        // after every edit: tracks[i] = { muted, solo, channel, program }
 *   playback.play(); playback.stop(); playback.seek(ticks); playback.setLoop({ startTicks, endTicks } | null);
 *   playback.currentTicks();                 // in requestAnimationFrame for the playhead
 *   playback.audition(pitch, velocity, track);
 *   const playing = usePlaybackState((s) => s.playing);
 *
 *   <TransportBar />  (views/midi/TransportBar.tsx): play/stop, loop, tempo, metronome, position, output, panic.
 *   <MidiSettings />  (views/midi/MidiSettings.tsx): devices, input for recording, SysEx.
 *
 * Recording (optional, for the editor to adopt):
 *
 *   const recording = useRecording();
 *   await recording.startRecording({ quantize: snapTicks, countInBars: 1, monitor: tracks[i], onTake });
 *   const take = recording.stopRecording();  // { notes: [{ ticks, durationTicks, pitch, velocity, channel }], ... }
 *   recording.onTake((take) => addNotes(take.notes));   // or listen for every take
 *   useRecordingState() → { recording, inputId, notes, mode }
 *
 * startRecording rejects with a message for the composer (no input, port in use). While playing (or
 * after a count-in, which starts the transport) notes land at the transport position, loop and
 * tempo override included, and stopping the transport ends the take; when stopped, notes land in
 * free time from the playhead at the piece's tempo.
 */
export { PlaybackProvider, usePlayback, usePlaybackSession, usePlaybackState, useMidiOutputs, useRecording, useRecordingState } from './PlaybackProvider';
export type { PlaybackProviderProps } from './PlaybackProvider';
export type { EngineState, PlaybackEngine, PlayOptions } from './engine';
export type { MidiDevicesState, MidiPortInfo } from './midi-devices';
export type { Recording, RecordingOptions, RecordingState, RecordedTake } from './session';
export type { RecordedNote } from './recorder';
export type { LoopRegion, Playback, PlaybackOutput, PlaybackState, TrackPlayback } from './playback-api';
