/**
 * The loop region from the editor: loop the selected notes (Shift+L), or clear the loop. The region
 * also shows on the ruler (Shift+drag there sets it) and in the transport's loop button; it is
 * playback's loop, so all three always agree.
 */
import type { EditorStore } from '../../editor/editor-store';
import { setLoopFromSelection } from '../../editor/actions';
import { buildMeterMap, formatBarBeat } from '../../editor/grid';
import { usePlaybackState } from '../../playback';
import type { Playback } from '../../playback/playback-api';
import { useEditorState } from './editor-context';

export function LoopControls({ editor, playback }: { editor: EditorStore; playback: Playback }) {
  const hasSelection = useEditorState(editor, (state) => state.selection.size > 0);
  const timeSignatures = useEditorState(editor, (state) => state.document.timeSignatures);
  const ppq = useEditorState(editor, (state) => state.document.ppq);
  const loop = usePlaybackState((state) => state.loop);
  const meter = buildMeterMap(timeSignatures, ppq);
  const region = loop ? `${formatBarBeat(meter, loop.startTicks)}–${formatBarBeat(meter, loop.endTicks)}` : null;
  return (
    <div className="tool-group loop-controls">
      <button
        type="button"
        className="tool-text-button"
        title="Loop the selected notes, widened to the grid (Shift+L); Shift+drag on the ruler sets any region"
        disabled={!hasSelection}
        onClick={() => setLoopFromSelection(editor, playback)}
        data-testid="loop-from-selection"
      >
        Loop selection
      </button>
      <button
        type="button"
        className="tool-text-button"
        title={region ? `Clear the loop (${region})` : 'No loop set'}
        disabled={loop === null}
        onClick={() => playback.setLoop(null)}
        data-testid="loop-clear"
        data-loop={region ?? ''}
      >
        {region ? `⟲ ${region} ×` : 'No loop'}
      </button>
    </div>
  );
}
