import { describe, expect, it, vi } from 'vitest';
import { EditorStore } from '../../../renderer/src/editor/editor-store';
import { actionFor } from '../../../renderer/src/editor/shortcuts';
import { EditorWorkbench } from '../../../renderer/src/editor/workbench';
import type { Playback, PlaybackState } from '../../../renderer/src/playback/playback-api';
import { runAction, type ActionContext } from '../../../renderer/src/editor/actions';
import { ids, makeDocument, specs } from './editor-fixtures';

function fakePlayback(): Playback & { state: PlaybackState } {
  const playback = {
    state: { playing: false, positionTicks: 0, loop: null, tempoOverrideBpm: null, metronome: false, output: { kind: 'internal' } } as PlaybackState,
    setMusic: vi.fn(),
    play: vi.fn(() => (playback.state = { ...playback.state, playing: true })),
    stop: vi.fn(() => (playback.state = { ...playback.state, playing: false })),
    seek: vi.fn((ticks: number) => (playback.state = { ...playback.state, positionTicks: ticks })),
    setLoop: vi.fn(),
    setTempoOverride: vi.fn(),
    setMetronome: vi.fn(),
    setOutput: vi.fn(),
    audition: vi.fn(),
    panic: vi.fn(),
    getState: () => playback.state,
    subscribe: () => () => undefined,
    currentTicks: () => playback.state.positionTicks,
  };
  return playback;
}

function context(editor: EditorStore, playback = fakePlayback()) {
  const workbench = new EditorWorkbench({ clips: { create: vi.fn(), get: vi.fn(), update: vi.fn() } });
  const toggleHelp = vi.fn<() => void>();
  const actions: ActionContext = { editor, workbench, playback, controller: null, toggleHelp };
  return { ...actions, playback, toggleHelp };
}

const key = (value: string, modifiers: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) =>
  actionFor({ key: value, ctrlKey: !!modifiers.ctrl, metaKey: false, shiftKey: !!modifiers.shift, altKey: !!modifiers.alt })!;

describe('editor actions (what the shortcuts and buttons do)', () => {
  it('nudges only the selection: by the grid step, by a tick, by a semitone and an octave', () => {
    const document = makeDocument([[[480, 480, 60], [960, 480, 64]]]);
    const editor = new EditorStore(document);
    const actions = context(editor);
    runAction(key('ArrowRight'), actions);
    expect(editor.state.document).toBe(document);
    editor.select(ids(document, 0, (_, index) => index === 0));
    runAction(key('ArrowRight'), actions);
    runAction(key('ArrowLeft', { alt: true }), actions);
    runAction(key('ArrowUp'), actions);
    runAction(key('ArrowUp', { shift: true }), actions);
    expect(specs(editor.state.document)).toEqual([
      [599, 480, 73, 80],
      [960, 480, 64, 80],
    ]);
    editor.setSnap('1/8T');
    runAction(key('ArrowLeft'), actions);
    expect(specs(editor.state.document)[0]![0]).toBe(599 - 160);
    expect(editor.state.past).toHaveLength(5);
  });

  it('pastes at the playhead and moves the playhead past what was pasted', () => {
    const document = makeDocument([[[0, 240, 60], [240, 240, 62]]]);
    const editor = new EditorStore(document);
    const actions = context(editor);
    editor.selectAll();
    runAction(key('c', { ctrl: true }), actions);
    actions.playback.seek(1930);
    runAction(key('v', { ctrl: true }), actions);
    expect(specs(editor.state.document).map((note) => note[0])).toEqual([0, 240, 1920, 2160]);
    expect(actions.playback.state.positionTicks).toBe(2400);
    runAction(key('v', { ctrl: true }), actions);
    expect(specs(editor.state.document).map((note) => note[0])).toEqual([0, 240, 1920, 2160, 2400, 2640]);
  });

  it('plays and stops with Space, toggles the help, switches tools, deletes, undoes and redoes', () => {
    const document = makeDocument([[[0, 240, 60]]]);
    const editor = new EditorStore(document);
    const actions = context(editor);
    runAction(key(' '), actions);
    expect(actions.playback.play).toHaveBeenCalledTimes(1);
    runAction(key(' '), actions);
    expect(actions.playback.stop).toHaveBeenCalledTimes(1);
    runAction(key('?', { shift: true }), actions);
    expect(actions.toggleHelp).toHaveBeenCalledTimes(1);
    runAction(key('v'), actions);
    expect(editor.state.tool).toBe('select');
    runAction(key('b'), actions);
    expect(editor.state.tool).toBe('draw');
    runAction(key('a', { ctrl: true }), actions);
    runAction(key('Delete'), actions);
    expect(editor.state.document.tracks[0]!.notes).toHaveLength(0);
    runAction(key('z', { ctrl: true }), actions);
    expect(editor.state.document).toBe(document);
    runAction(key('Z', { ctrl: true, shift: true }), actions);
    expect(editor.state.document.tracks[0]!.notes).toHaveLength(0);
    runAction(key('y', { ctrl: true }), actions);
    runAction(key('Escape'), actions);
    expect(editor.state.selection.size).toBe(0);
  });

  it('quantizes at the toolbar strength to the snap grid, and duplicates after the selection', () => {
    const document = makeDocument([[[10, 100, 60], [130, 100, 62]]]);
    const editor = new EditorStore(document);
    const actions = context(editor);
    editor.setQuantizeStrength(50);
    runAction(key('q'), actions);
    expect(specs(editor.state.document).map((note) => note[0])).toEqual([5, 125]);
    editor.selectAll();
    runAction(key('d', { ctrl: true }), actions);
    // The selection spans 5..225: a duplicate lands 240 ticks (two sixteenths) later.
    expect(specs(editor.state.document).map((note) => note[0])).toEqual([5, 125, 245, 365]);
    expect(editor.state.selection.size).toBe(2);
  });
});
