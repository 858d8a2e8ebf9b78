/**
 * The Editor view: the open clip's header (name, where it came from, save state, export), the toolbar,
 * the track list and the piano roll. With nothing open, it offers the studio's clips. Keyboard shortcuts
 * are handled here for the whole view, except while typing in a field or while a dialog is open.
 */
import { useCallback, useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { musicFromDocument } from '../../editor/document';
import type { EditorStore } from '../../editor/editor-store';
import { actionFor } from '../../editor/shortcuts';
import { isAudible, defaultTrackView } from '../../editor/track-view';
import { ClipIcon, FollowIcon, HelpIcon, PianoRollIcon, SaveIcon } from '../../components/icons';
import { formatClock, formatCount } from '../../lib/format';
import { useStudio } from '../../state/studio-context';
import { useEditorPlayback, useEditorState, useWorkbench, useWorkbenchState } from './editor-context';
import { runAction } from '../../editor/actions';
import { isActivatable, isTypingTarget } from './editor-actions';
import { EditorExportButtons } from './EditorExportButtons';
import { EditorToolbar } from './EditorToolbar';
import { HelpOverlay } from './HelpOverlay';
import { PianoRoll } from './PianoRoll';
import type { RollController } from './roll-controller';
import { TrackPanel } from './TrackPanel';
import { LoopControls } from './LoopControls';
import { RecordControls, useEditorRecorder } from './RecordControls';
import { StatesLane } from './StatesLane';
import { TransportBar } from '../midi/TransportBar';
import { PolyphonicActions, PolyphonicRunsStrip } from '../polyphonic/PolyphonicActions';
import './editor.css';

/** Edits are handed to playback this long after the last one (turning 50,000 notes into music takes a moment). */
const PLAYBACK_SYNC_MS = 150;

export function EditorView() {
  const editor = useWorkbenchState((state) => state.editor);
  const status = useWorkbenchState((state) => state.status);
  const error = useWorkbenchState((state) => state.error);
  if (!editor) return <EditorEmpty status={status} error={error} />;
  return <EditorWorkspace editor={editor} />;
}

function EditorEmpty({ status, error }: { status: string; error: string | null }) {
  const workbench = useWorkbench();
  const clips = useStudio((state) => state.clips);
  return (
    <div className="editor-view editor-empty" data-testid="editor-view">
      <div className="workspace-empty">
        <PianoRollIcon size={30} />
        {status === 'opening' ? (
          <>
            <h2>Opening…</h2>
            <span className="spinner" aria-hidden="true" />
          </>
        ) : (
          <>
            <h2>Nothing open in the editor</h2>
            <p className="muted">
              Use <strong>Open in editor</strong> on a piece in the Library (the editor works on a copy, the imported piece is never changed) or on a clip in Models.
            </p>
            {error ? (
              <p className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </>
        )}
        {status !== 'opening' && clips.length > 0 ? (
          <ul className="editor-recent" aria-label="Clips">
            {clips.slice(0, 12).map((clip) => (
              <li key={clip.id}>
                <button type="button" className="editor-recent-button" onClick={() => void workbench.open({ clipId: clip.id, label: clip.name })} data-testid="editor-open-clip">
                  <ClipIcon size={14} />
                  <span className="editor-recent-name">{clip.name}</span>
                  <span className="muted small">
                    {formatCount(clip.noteCount)} notes · {formatClock(clip.durationSeconds)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function EditorWorkspace({ editor }: { editor: EditorStore }) {
  const workbench = useWorkbench();
  const playback = useEditorPlayback();
  const [controller, setController] = useState<RollController | null>(null);
  const [help, setHelp] = useState(false);
  const [follow, setFollow] = useState(true);
  const [statesShown, setStatesShown] = useState(false);
  const recorder = useEditorRecorder(editor);
  const toggleRecording = recorder.toggle;
  const onController = useCallback((next: RollController | null) => setController(next), []);

  useEffect(() => controller?.setFollow(follow), [controller, follow]);

  // Shortcuts: not while typing, not while a dialog (other than the help) is open.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      // A button or checkbox reached with Tab is pressed with Space or Enter, as anywhere else.
      if (isActivatable(event.target) && (event.key === ' ' || event.key === 'Enter')) return;
      const action = actionFor(event);
      if (action === null) return;
      if (document.querySelector('dialog[open]') && !(help && (action === 'help' || action === 'deselect'))) return;
      event.preventDefault();
      if (help && action === 'deselect') {
        setHelp(false);
        return;
      }
      runAction(action, { editor, workbench, playback, controller, toggleHelp: () => setHelp((open) => !open), toggleRecording });
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [editor, workbench, playback, controller, help, toggleRecording]);

  // Playback plays what is on screen: the music and each track's mute, solo, channel and program.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last: { document: unknown; views: unknown } = { document: null, views: null };
    const sync = () => {
      timer = null;
      const { document, trackViews } = editor.state;
      last = { document, views: trackViews };
      const anySolo = [...trackViews.values()].some((view) => view.solo);
      playback.setMusic(
        musicFromDocument(document),
        document.tracks.map((track, index) => {
          const view = trackViews.get(track.id) ?? defaultTrackView(index);
          return { muted: !isAudible(view, anySolo), solo: view.solo, channel: track.channel, program: track.program };
        }),
      );
    };
    sync();
    const unsubscribe = editor.store.subscribe(() => {
      const { document, trackViews } = editor.state;
      if (document === last.document && trackViews === last.views) return;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(sync, PLAYBACK_SYNC_MS);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [editor, playback]);

  return (
    <div className="editor-view" data-testid="editor-view" onMouseDown={keepFocusOffButtons}>
      <EditorHeader editor={editor} onHelp={() => setHelp(true)}>
        <div className="editor-transport">
          <TransportBar className="editor-transport-bar" />
          <button
            type="button"
            className={`tool-button${follow ? ' is-on' : ''}`}
            title="Follow the playhead while playing"
            aria-label="Follow playhead"
            aria-pressed={follow}
            onClick={() => setFollow(!follow)}
            data-testid="editor-follow"
          >
            <FollowIcon size={15} />
          </button>
        </div>
      </EditorHeader>
      <EditorToolbar editor={editor} controller={controller}>
        <RecordControls editor={editor} recorder={recorder} />
        <LoopControls editor={editor} playback={playback} />
        <div className="tool-group">
          <button
            type="button"
            className={`tool-text-button${statesShown ? ' is-on' : ''}`}
            aria-pressed={statesShown}
            title="Show the hidden-state path of a trained HMM under the roll"
            onClick={() => setStatesShown(!statesShown)}
            data-testid="states-toggle"
          >
            States
          </button>
        </div>
        <PolyphonicActions editor={editor} />
      </EditorToolbar>
      <PolyphonicRunsStrip />
      <div className="editor-body">
        <TrackPanel editor={editor} />
        <div className="editor-roll-column">
          <PianoRoll editor={editor} playback={playback} onController={onController} />
          {statesShown ? <StatesLane editor={editor} controller={controller} /> : null}
        </div>
      </div>
      {help ? <HelpOverlay onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function EditorHeader({ editor, onHelp, children }: { editor: EditorStore; onHelp: () => void; children: ReactNode }) {
  const workbench = useWorkbench();
  const origin = useWorkbenchState((state) => state.origin);
  const saving = useWorkbenchState((state) => state.saving);
  const saveError = useWorkbenchState((state) => state.saveError);
  const savedAt = useWorkbenchState((state) => state.savedAt);
  const autosave = useWorkbenchState((state) => state.autosave);
  const name = useEditorState(editor, (state) => state.document.name);
  const dirty = useEditorState(editor, (state) => state.document !== state.savedDocument);
  const saveState = saving ? 'Saving…' : saveError ? 'Not saved' : dirty ? 'Unsaved changes' : savedAt !== null ? 'Saved' : 'No changes';

  return (
    <header className="editor-header">
      <div className="editor-title">
        <input
          key={name}
          className="editor-name"
          defaultValue={name}
          aria-label="Clip name"
          spellCheck={false}
          onBlur={(event) => editor.execute({ kind: 'rename', name: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter') event.currentTarget.blur();
            if (event.key === 'Escape') {
              event.currentTarget.value = name;
              event.currentTarget.blur();
            }
          }}
          data-testid="editor-name"
        />
        <span className="editor-origin" data-testid="editor-origin" title={origin?.kind === 'piece' ? 'The imported piece is never changed: edits go to this copy.' : undefined}>
          {origin?.kind === 'piece' ? (
            <>
              Editing a copy of <strong>{origin.label}</strong> · the imported piece is not changed
            </>
          ) : (
            'Editing a clip: changes are saved to it'
          )}
        </span>
      </div>
      <span className="title-spacer" />
      {children}
      <span className="title-spacer" />
      <span
        className={`editor-save-state${dirty ? ' is-dirty' : ''}${saveError ? ' is-error' : ''}`}
        data-testid="editor-dirty"
        data-dirty={dirty ? 'true' : 'false'}
        title={saveError ?? (autosave ? 'Edits are saved 2 s after the last one' : 'Save with Ctrl/Cmd+S')}
      >
        <span className="editor-save-dot" aria-hidden="true" />
        {saveState}
      </span>
      <label className="editor-autosave" title="Save by itself 2 s after the last edit">
        <input type="checkbox" checked={autosave} onChange={(event) => workbench.setAutosave(event.target.checked)} data-testid="editor-autosave" />
        Autosave
      </label>
      <button
        type="button"
        className="button button-small button-primary"
        disabled={!dirty || saving}
        title="Save (Ctrl/Cmd+S)"
        onClick={() => void workbench.save()}
        data-testid="save-button"
      >
        <SaveIcon size={13} /> Save
      </button>
      <EditorExportButtons editor={editor} />
      <button type="button" className="icon-button" title="Keys and gestures (?)" aria-label="Keys and gestures" onClick={onHelp} data-testid="help-button">
        <HelpIcon size={16} />
      </button>
    </header>
  );
}


/**
 * A mouse click on one of the editor's buttons leaves the keyboard focus where it was, so Space goes
 * on playing and stopping instead of pressing the last button clicked. Tab still reaches them.
 */
function keepFocusOffButtons(event: MouseEvent): void {
  if (event.target instanceof Element && event.target.closest('button')) event.preventDefault();
}
