/**
 * Recording from a MIDI keyboard into the piano roll: the input to record from, quantize to the
 * current snap (optional), and the Record button (R). The take lands on the track that was selected
 * when recording started, as one undoable command (editor/recording.ts). While recording, the button
 * counts the notes played so far; they are added to the roll when recording stops.
 */
import { useCallback, useRef, useState } from 'react';
import type { EditorStore } from '../../editor/editor-store';
import { recordQuantize, takeCommand } from '../../editor/recording';
import { defaultTrackView } from '../../editor/track-view';
import { useMidiOutputs, usePlaybackSession, useRecording, useRecordingState } from '../../playback';
import type { RecordingState } from '../../playback';
import { useModel } from '../../state/studio-context';
import { useEditorState } from './editor-context';

export interface EditorRecorder {
  readonly state: RecordingState;
  readonly quantize: boolean;
  setQuantize(on: boolean): void;
  /** Arms recording into the active track, or stops the take in progress. */
  toggle(): void;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function useEditorRecorder(editor: EditorStore): EditorRecorder {
  const recording = useRecording();
  const state = useRecordingState();
  const model = useModel();
  const { devices } = usePlaybackSession();
  const [quantize, setQuantize] = useState(false);
  const quantizeRef = useRef(quantize);
  quantizeRef.current = quantize;

  const toggle = useCallback(() => {
    if (recording.getState().recording) {
      recording.stopRecording();
      return;
    }
    const { document, activeTrack, snap, trackViews } = editor.state;
    const track = document.tracks[activeTrack];
    const trackId = track?.id ?? null;
    const view = track ? (trackViews.get(track.id) ?? defaultTrackView(activeTrack)) : null;
    const inputId = devices.getState().inputId;
    recording
      .startRecording({
        ...(inputId ? { inputId } : {}),
        quantize: recordQuantize(quantizeRef.current, snap, document.ppq),
        ...(track && view ? { monitor: { muted: view.muted, solo: view.solo, channel: track.channel, program: track.program } } : {}),
        onTake: (take) => {
          const command = takeCommand(editor.state.document, trackId, editor.state.activeTrack, take.notes);
          if (command) editor.execute(command);
          else model.notify('Nothing was recorded: no note was played on the input.', 'info');
        },
      })
      .catch((error: unknown) => model.notify(describeError(error), 'error'));
  }, [recording, editor, devices, model]);

  return { state, quantize, setQuantize, toggle };
}

export function RecordControls({ editor, recorder }: { editor: EditorStore; recorder: EditorRecorder }) {
  const devices = useMidiOutputs();
  const session = usePlaybackSession();
  const snap = useEditorState(editor, (state) => state.snap);
  const trackName = useEditorState(editor, (state) => state.document.tracks[state.activeTrack]?.name ?? 'a new track');
  const { state } = recorder;
  const noInput = devices.inputs.length === 0;
  const title = state.recording
    ? `Stop recording (R): ${state.notes} note${state.notes === 1 ? '' : 's'} so far, added to the track when you stop`
    : noInput
      ? (devices.message ?? 'No MIDI input: connect a keyboard (and allow MIDI access)')
      : `Record from the MIDI input into “${trackName}” (R)`;
  return (
    <div className="tool-group record-controls">
      <select
        className="tool-select record-input"
        aria-label="MIDI input to record from"
        title="MIDI input to record from"
        value={devices.inputId ?? ''}
        disabled={noInput || state.recording}
        onChange={(event) => session.devices.chooseInput(event.target.value || null)}
        data-testid="editor-record-input"
      >
        {noInput ? <option value="">No MIDI input</option> : null}
        {devices.inputs.map((port) => (
          <option key={port.id} value={port.id}>
            {port.name}
          </option>
        ))}
      </select>
      <label className="tool-check" title={snap === 'off' ? 'Snap is off: notes are recorded as played' : `Quantize recorded notes to the snap (${snap})`}>
        <input
          type="checkbox"
          checked={recorder.quantize}
          disabled={state.recording}
          onChange={(event) => recorder.setQuantize(event.target.checked)}
          data-testid="editor-record-quantize"
        />
        Q
      </label>
      <button
        type="button"
        className={`tool-button record-button${state.recording ? ' is-recording' : ''}`}
        aria-label={state.recording ? 'Stop recording' : 'Record'}
        aria-pressed={state.recording}
        title={title}
        disabled={!state.recording && noInput}
        onClick={() => recorder.toggle()}
        data-testid="editor-record"
        data-recording={state.recording ? 'true' : 'false'}
        data-notes={state.notes}
      >
        <span className="record-dot" aria-hidden="true" />
        {state.recording ? <span className="record-count">{state.notes}</span> : null}
      </button>
    </div>
  );
}
