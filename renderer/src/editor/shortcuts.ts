/**
 * The editor's keyboard shortcuts, one table for both handling keys and listing them in the help
 * overlay, so the two cannot disagree. "Mod" is Ctrl, or Cmd on a Mac (either is accepted).
 */
export type EditorAction =
  | 'delete'
  | 'undo'
  | 'redo'
  | 'copy'
  | 'cut'
  | 'paste'
  | 'duplicate'
  | 'select-all'
  | 'select-same-pitch'
  | 'deselect'
  | 'nudge-left'
  | 'nudge-right'
  | 'nudge-left-fine'
  | 'nudge-right-fine'
  | 'nudge-up'
  | 'nudge-down'
  | 'octave-up'
  | 'octave-down'
  | 'play-stop'
  | 'save'
  | 'help'
  | 'tool-draw'
  | 'tool-select'
  | 'quantize'
  | 'legato'
  | 'zoom-in'
  | 'zoom-out'
  | 'record'
  | 'loop-selection';

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

interface Chord {
  readonly key: string;
  readonly mod?: boolean;
  readonly shift?: boolean;
  readonly alt?: boolean;
}

export interface Shortcut {
  readonly action: EditorAction;
  readonly group: 'Edit' | 'Notes' | 'Transport' | 'View';
  readonly description: string;
  /** As the help overlay prints it. */
  readonly label: string;
  readonly chords: readonly Chord[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'undo', group: 'Edit', description: 'Undo', label: 'Ctrl/Cmd+Z', chords: [{ key: 'z', mod: true }] },
  { action: 'redo', group: 'Edit', description: 'Redo', label: 'Ctrl/Cmd+Shift+Z, Ctrl+Y', chords: [{ key: 'z', mod: true, shift: true }, { key: 'y', mod: true }] },
  { action: 'copy', group: 'Edit', description: 'Copy', label: 'Ctrl/Cmd+C', chords: [{ key: 'c', mod: true }] },
  { action: 'cut', group: 'Edit', description: 'Cut', label: 'Ctrl/Cmd+X', chords: [{ key: 'x', mod: true }] },
  { action: 'paste', group: 'Edit', description: 'Paste at the playhead', label: 'Ctrl/Cmd+V', chords: [{ key: 'v', mod: true }] },
  { action: 'duplicate', group: 'Edit', description: 'Duplicate after the selection', label: 'Ctrl/Cmd+D', chords: [{ key: 'd', mod: true }] },
  { action: 'delete', group: 'Edit', description: 'Delete the selection', label: 'Delete, Backspace', chords: [{ key: 'Delete' }, { key: 'Backspace' }] },
  { action: 'select-all', group: 'Edit', description: 'Select all notes of the track', label: 'Ctrl/Cmd+A', chords: [{ key: 'a', mod: true }] },
  { action: 'select-same-pitch', group: 'Edit', description: 'Select notes of the same pitch', label: 'Ctrl/Cmd+Shift+A', chords: [{ key: 'a', mod: true, shift: true }] },
  { action: 'deselect', group: 'Edit', description: 'Clear the selection (or cancel a drag)', label: 'Esc', chords: [{ key: 'Escape' }] },
  { action: 'save', group: 'Edit', description: 'Save', label: 'Ctrl/Cmd+S', chords: [{ key: 's', mod: true }] },
  { action: 'nudge-left', group: 'Notes', description: 'Move earlier by a grid step', label: '←', chords: [{ key: 'ArrowLeft' }] },
  { action: 'nudge-right', group: 'Notes', description: 'Move later by a grid step', label: '→', chords: [{ key: 'ArrowRight' }] },
  { action: 'nudge-left-fine', group: 'Notes', description: 'Move earlier by one tick', label: 'Alt+←', chords: [{ key: 'ArrowLeft', alt: true }] },
  { action: 'nudge-right-fine', group: 'Notes', description: 'Move later by one tick', label: 'Alt+→', chords: [{ key: 'ArrowRight', alt: true }] },
  { action: 'nudge-up', group: 'Notes', description: 'Up a semitone', label: '↑', chords: [{ key: 'ArrowUp' }] },
  { action: 'nudge-down', group: 'Notes', description: 'Down a semitone', label: '↓', chords: [{ key: 'ArrowDown' }] },
  { action: 'octave-up', group: 'Notes', description: 'Up an octave', label: 'Shift+↑', chords: [{ key: 'ArrowUp', shift: true }] },
  { action: 'octave-down', group: 'Notes', description: 'Down an octave', label: 'Shift+↓', chords: [{ key: 'ArrowDown', shift: true }] },
  { action: 'quantize', group: 'Notes', description: 'Quantize (at the toolbar’s strength)', label: 'Q', chords: [{ key: 'q' }] },
  { action: 'legato', group: 'Notes', description: 'Legato', label: 'L', chords: [{ key: 'l' }] },
  { action: 'play-stop', group: 'Transport', description: 'Play / stop', label: 'Space', chords: [{ key: ' ' }] },
  { action: 'record', group: 'Transport', description: 'Record from the MIDI input into the track / stop recording', label: 'R', chords: [{ key: 'r' }] },
  {
    action: 'loop-selection',
    group: 'Transport',
    description: 'Loop the selected notes (nothing selected: clear the loop)',
    label: 'Shift+L',
    chords: [{ key: 'l', shift: true }],
  },
  { action: 'tool-draw', group: 'View', description: 'Draw tool', label: 'B', chords: [{ key: 'b' }] },
  { action: 'tool-select', group: 'View', description: 'Select tool', label: 'V', chords: [{ key: 'v' }] },
  { action: 'zoom-in', group: 'View', description: 'Zoom in', label: 'Ctrl/Cmd+= or Ctrl+wheel', chords: [{ key: '=', mod: true }, { key: '+', mod: true }, { key: '+', mod: true, shift: true }] },
  { action: 'zoom-out', group: 'View', description: 'Zoom out', label: 'Ctrl/Cmd+−', chords: [{ key: '-', mod: true }] },
  { action: 'help', group: 'View', description: 'Show this help', label: '?', chords: [{ key: '?', shift: true }, { key: '?' }] },
];

/** Mouse gestures, for the help overlay. */
export const GESTURES: readonly { readonly label: string; readonly description: string }[] = [
  { label: 'Draw tool: click / drag', description: 'Add a note of the grid length; drag right to make it longer' },
  { label: 'Draw tool: right-click, double-click', description: 'Delete the note' },
  { label: 'Click, Shift+click', description: 'Select a note, add or remove it from the selection' },
  { label: 'Drag on empty grid (select tool)', description: 'Rubber-band selection (Shift adds)' },
  { label: 'Drag a note', description: 'Move in time and pitch, on the grid (Alt: off the grid)' },
  { label: 'Drag a note’s edge', description: 'Resize its start or end' },
  { label: 'Velocity lane: click / drag', description: 'Set the velocity of the notes under the line' },
  { label: 'Keyboard: click', description: 'Hear the pitch' },
  { label: 'Ruler: click / drag', description: 'Move the playhead' },
  { label: 'Ruler: Shift+drag', description: 'Set the loop region (Shift+click clears it)' },
  { label: 'States lane: hover', description: 'The hidden state under the pointer' },
  { label: 'Wheel, Shift+wheel', description: 'Scroll vertically, horizontally' },
  { label: 'Ctrl+wheel, Alt+wheel', description: 'Zoom time, zoom pitch' },
];

function matches(chord: Chord, event: KeyLike): boolean {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  // "?" is Shift+/ on most layouts: its shift state is part of the key itself.
  const shiftMatters = chord.key !== '?';
  return key === chord.key && mod === !!chord.mod && (!shiftMatters || event.shiftKey === !!chord.shift) && event.altKey === !!chord.alt;
}

export function actionFor(event: KeyLike): EditorAction | null {
  for (const shortcut of SHORTCUTS) if (shortcut.chords.some((chord) => matches(chord, event))) return shortcut.action;
  return null;
}
