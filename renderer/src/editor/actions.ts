/**
 * What each shortcut and toolbar button does, in one place, so a key and its button cannot drift
 * apart. The music changes go through the editor store's commands (and so into undo).
 */
import type { LoopRegion, Playback } from '../playback/playback-api';
import type { EditorStore } from './editor-store';
import { editStepTicks, snapStepTicks } from './grid';
import { loopFromSelection } from './loop';
import type { EditorAction } from './shortcuts';
import type { EditorWorkbench } from './workbench';

/** What the actions need of the piano roll's view (RollController), without its DOM. */
export interface RollControls {
  playheadTicks(): number;
  /** Drops a drag in progress; true when there was one. */
  cancelDrag(): boolean;
  zoomBy(factorX: number, factorY?: number): void;
}

export interface ActionContext {
  readonly editor: EditorStore;
  readonly workbench: EditorWorkbench;
  readonly playback: Playback;
  readonly controller: RollControls | null;
  readonly toggleHelp: () => void;
  /** Arms or stops recording from the MIDI input (absent where there is no recording). */
  readonly toggleRecording?: () => void;
}

export const ZOOM_STEP = 1.25;

export function togglePlayback(playback: Playback): void {
  if (playback.getState().playing) playback.stop();
  else playback.play();
}

/** Quantize at the toolbar's strength to the snap grid (a 1/16 when snap is off). */
export function quantize(editor: EditorStore): boolean {
  const { snap, document, quantizeStrength } = editor.state;
  return editor.execute({ kind: 'quantize', stepTicks: editStepTicks(snap, document.ppq), strength: quantizeStrength / 100 });
}

/**
 * The loop around the selected notes, widened to the grid; with nothing selected, the loop is
 * cleared. Returns the loop now set.
 */
export function setLoopFromSelection(editor: EditorStore, playback: Playback): LoopRegion | null {
  const { document, selection, snap } = editor.state;
  const loop = selection.size > 0 ? loopFromSelection(document, selection, snapStepTicks(snap, document.ppq)) : null;
  playback.setLoop(loop);
  return loop;
}

/** Moves the selection; with nothing selected the arrows do nothing (they never move a whole track). */
function nudge(editor: EditorStore, deltaTicks: number, semitones: number): void {
  if (editor.state.selection.size === 0) return;
  if (semitones !== 0) editor.execute({ kind: 'transpose', semitones });
  else editor.execute({ kind: 'move', deltaTicks, deltaPitch: 0 });
}

export function runAction(action: EditorAction, context: ActionContext): void {
  const { editor, workbench, playback, controller } = context;
  const step = editStepTicks(editor.state.snap, editor.state.document.ppq);
  switch (action) {
    case 'delete':
      editor.execute({ kind: 'delete' });
      return;
    case 'undo':
      editor.undo();
      return;
    case 'redo':
      editor.redo();
      return;
    case 'copy':
      editor.copy();
      return;
    case 'cut':
      editor.cut();
      return;
    case 'paste': {
      const end = editor.paste(controller?.playheadTicks() ?? playback.getState().positionTicks);
      // The playhead moves past what was pasted, so pasting again continues the pattern.
      if (end !== null && !playback.getState().playing) playback.seek(end);
      return;
    }
    case 'duplicate':
      editor.execute({ kind: 'duplicate', stepTicks: step });
      return;
    case 'select-all':
      editor.selectAll();
      return;
    case 'select-same-pitch':
      editor.selectSamePitch();
      return;
    case 'deselect':
      if (!controller?.cancelDrag()) editor.clearSelection();
      return;
    case 'nudge-left':
      nudge(editor, -step, 0);
      return;
    case 'nudge-right':
      nudge(editor, step, 0);
      return;
    case 'nudge-left-fine':
      nudge(editor, -1, 0);
      return;
    case 'nudge-right-fine':
      nudge(editor, 1, 0);
      return;
    case 'nudge-up':
      nudge(editor, 0, 1);
      return;
    case 'nudge-down':
      nudge(editor, 0, -1);
      return;
    case 'octave-up':
      nudge(editor, 0, 12);
      return;
    case 'octave-down':
      nudge(editor, 0, -12);
      return;
    case 'play-stop':
      togglePlayback(playback);
      return;
    case 'save':
      void workbench.save();
      return;
    case 'help':
      context.toggleHelp();
      return;
    case 'tool-draw':
      editor.setTool('draw');
      return;
    case 'tool-select':
      editor.setTool('select');
      return;
    case 'quantize':
      quantize(editor);
      return;
    case 'legato':
      editor.execute({ kind: 'legato' });
      return;
    case 'zoom-in':
      controller?.zoomBy(ZOOM_STEP);
      return;
    case 'zoom-out':
      controller?.zoomBy(1 / ZOOM_STEP);
      return;
    case 'record':
      context.toggleRecording?.();
      return;
    case 'loop-selection':
      setLoopFromSelection(editor, playback);
      return;
  }
}
