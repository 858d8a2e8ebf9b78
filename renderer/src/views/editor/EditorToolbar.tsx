/**
 * The editor's toolbar, dense as a DAW's: tools, undo/redo, snap, quantize with its
 * strength, transpose (semitone, octave, in the key), legato and overlap cleanup, velocity, zoom.
 * Buttons act on the selection, or on the whole active track when nothing is selected.
 */
import type { ReactNode } from 'react';
import type { EditorStore } from '../../editor/editor-store';
import { isSnapSetting, SNAP_LABELS, SNAP_OPTIONS } from '../../editor/grid';
import { describeKey, keyAt } from '../../editor/scale';
import {
  FitIcon,
  PencilIcon,
  PointerIcon,
  RedoIcon,
  UndoIcon,
  ZoomInIcon,
  ZoomOutIcon,
} from '../../components/icons';
import { useEditorState } from './editor-context';
import { quantize, ZOOM_STEP } from '../../editor/actions';
import { NumberField } from './NumberField';
import type { RollController } from './roll-controller';

export interface EditorToolbarProps {
  readonly editor: EditorStore;
  readonly controller: RollController | null;
  /** More tool groups at the end (recording, loop, lanes). */
  readonly children?: ReactNode;
}

export function EditorToolbar({ editor, controller, children }: EditorToolbarProps) {
  const tool = useEditorState(editor, (state) => state.tool);
  const snap = useEditorState(editor, (state) => state.snap);
  const strength = useEditorState(editor, (state) => state.quantizeStrength);
  const velocity = useEditorState(editor, (state) => state.drawVelocity);
  const undoLabel = useEditorState(editor, (state) => state.past[state.past.length - 1]?.label ?? null);
  const redoLabel = useEditorState(editor, (state) => state.future[0]?.label ?? null);
  const hasSelection = useEditorState(editor, (state) => state.selection.size > 0);
  const keySignatures = useEditorState(editor, (state) => state.document.keySignatures);
  const target = hasSelection ? 'the selected notes' : 'all notes of the track';
  const key = describeKey(keyAt(keySignatures, 0));

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Editor tools" data-testid="editor-toolbar">
      <div className="tool-group" role="radiogroup" aria-label="Tool">
        <button
          type="button"
          role="radio"
          aria-checked={tool === 'draw'}
          className={`tool-button${tool === 'draw' ? ' is-active' : ''}`}
          title="Draw (B): click to add a note, drag to lengthen it"
          aria-label="Draw tool"
          onClick={() => editor.setTool('draw')}
          data-testid="tool-draw"
        >
          <PencilIcon size={15} />
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={tool === 'select'}
          className={`tool-button${tool === 'select' ? ' is-active' : ''}`}
          title="Select (V): click, Shift+click, drag a rubber band"
          aria-label="Select tool"
          onClick={() => editor.setTool('select')}
          data-testid="tool-select"
        >
          <PointerIcon size={15} />
        </button>
      </div>
      <div className="tool-group">
        <button
          type="button"
          className="tool-button"
          title={undoLabel ? `Undo ${undoLabel} (Ctrl/Cmd+Z)` : 'Nothing to undo'}
          aria-label="Undo"
          disabled={undoLabel === null}
          onClick={() => editor.undo()}
          data-testid="undo-button"
        >
          <UndoIcon size={15} />
        </button>
        <button
          type="button"
          className="tool-button"
          title={redoLabel ? `Redo ${redoLabel} (Ctrl/Cmd+Shift+Z)` : 'Nothing to redo'}
          aria-label="Redo"
          disabled={redoLabel === null}
          onClick={() => editor.redo()}
          data-testid="redo-button"
        >
          <RedoIcon size={15} />
        </button>
      </div>
      <label className="tool-group tool-field" title="Grid: where notes snap when drawn, moved and resized (Alt while dragging: off the grid)">
        <span className="tool-label">Snap</span>
        <select
          className="tool-select"
          value={snap}
          onChange={(event) => {
            if (isSnapSetting(event.target.value)) editor.setSnap(event.target.value);
            // Back to the roll: the shortcuts (Delete, arrows) work again at once.
            event.target.blur();
          }}
          data-testid="snap-select"
        >
          {SNAP_OPTIONS.map((option) => (
            <option key={option} value={option}>
              {SNAP_LABELS[option]}
            </option>
          ))}
        </select>
      </label>
      <div className="tool-group">
        <button type="button" className="tool-text-button" title={`Quantize ${target} to the grid (Q)`} onClick={() => quantize(editor)} data-testid="quantize-button">
          Quantize
        </button>
        <label className="tool-number" title="Quantize strength: how far notes move toward the grid">
          <NumberField value={strength} min={0} max={100} step={5} onCommit={(value) => editor.setQuantizeStrength(value)} label="Quantize strength (percent)" testId="quantize-strength" />
          <span>%</span>
        </label>
      </div>
      <div className="tool-group" role="group" aria-label="Transpose">
        <span className="tool-label">Transpose</span>
        <button type="button" className="tool-text-button" title={`Octave down: ${target}`} onClick={() => editor.execute({ kind: 'transpose', semitones: -12 })} data-testid="transpose-octave-down">
          −12
        </button>
        <button type="button" className="tool-text-button" title={`Semitone down: ${target}`} onClick={() => editor.execute({ kind: 'transpose', semitones: -1 })} data-testid="transpose-down">
          −1
        </button>
        <button type="button" className="tool-text-button" title={`Semitone up: ${target}`} onClick={() => editor.execute({ kind: 'transpose', semitones: 1 })} data-testid="transpose-up">
          +1
        </button>
        <button type="button" className="tool-text-button" title={`Octave up: ${target}`} onClick={() => editor.execute({ kind: 'transpose', semitones: 12 })} data-testid="transpose-octave-up">
          +12
        </button>
        <span className="tool-divider" aria-hidden="true" />
        <span className="tool-label" title={`The key signature in force at each note (${key} at the start)`}>
          In key
        </span>
        <button
          type="button"
          className="tool-text-button"
          title={`A scale step down in ${key} (the key signature at each note): ${target}`}
          onClick={() => editor.execute({ kind: 'transpose-scale', steps: -1 })}
          data-testid="transpose-scale-down"
        >
          −
        </button>
        <button
          type="button"
          className="tool-text-button"
          title={`A scale step up in ${key} (the key signature at each note): ${target}`}
          onClick={() => editor.execute({ kind: 'transpose-scale', steps: 1 })}
          data-testid="transpose-scale-up"
        >
          +
        </button>
      </div>
      <div className="tool-group">
        <button type="button" className="tool-text-button" title={`Legato (L): each note lasts until the next onset — ${target}`} onClick={() => editor.execute({ kind: 'legato' })} data-testid="legato-button">
          Legato
        </button>
        <button
          type="button"
          className="tool-text-button"
          title={`Clean up overlapping notes of the same pitch — ${target}`}
          onClick={() => editor.execute({ kind: 'cleanup' })}
          data-testid="cleanup-button"
        >
          Clean up
        </button>
      </div>
      <div className="tool-group">
        <span className="tool-label">Vel</span>
        <label className="tool-number" title="Velocity of drawn notes; Set gives it to the selection">
          <NumberField value={velocity} min={1} max={127} onCommit={(value) => editor.setDrawVelocity(value)} label="Velocity" testId="velocity-input" />
        </label>
        <button type="button" className="tool-text-button" title={`Set this velocity on ${target}`} onClick={() => editor.execute({ kind: 'set-velocity', velocity })} data-testid="velocity-set">
          Set
        </button>
        <button type="button" className="tool-text-button" title={`Softer: velocity × 0.9 on ${target}`} onClick={() => editor.execute({ kind: 'scale-velocity', factor: 0.9 })}>
          −10%
        </button>
        <button type="button" className="tool-text-button" title={`Louder: velocity × 1.1 on ${target}`} onClick={() => editor.execute({ kind: 'scale-velocity', factor: 1.1 })}>
          +10%
        </button>
      </div>
      <div className="tool-group">
        <button type="button" className="tool-button" title="Zoom out (Ctrl/Cmd+−, Ctrl+wheel)" aria-label="Zoom out" onClick={() => controller?.zoomBy(1 / ZOOM_STEP)} data-testid="zoom-out">
          <ZoomOutIcon size={15} />
        </button>
        <button type="button" className="tool-button" title="Zoom in (Ctrl/Cmd+=, Ctrl+wheel)" aria-label="Zoom in" onClick={() => controller?.zoomBy(ZOOM_STEP)} data-testid="zoom-in">
          <ZoomInIcon size={15} />
        </button>
        <button type="button" className="tool-button" title="Fit the whole music in view" aria-label="Zoom to fit" onClick={() => controller?.zoomToFit()} data-testid="zoom-fit">
          <FitIcon size={15} />
        </button>
        <button type="button" className="tool-text-button" title="Taller rows (Alt+wheel)" aria-label="Taller rows" onClick={() => controller?.zoomBy(1, ZOOM_STEP)}>
          ↕+
        </button>
        <button type="button" className="tool-text-button" title="Shorter rows (Alt+wheel)" aria-label="Shorter rows" onClick={() => controller?.zoomBy(1, 1 / ZOOM_STEP)}>
          ↕−
        </button>
      </div>
      {children}
    </div>
  );
}
