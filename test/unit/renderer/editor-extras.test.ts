/** Recording a take into the editor, the loop region from the selection, and the hidden-state lane's segments. */
import { describe, expect, it, vi } from 'vitest';
import type { ModelSummary } from '../../../core/ipc/schemas';
import { runAction, setLoopFromSelection, type ActionContext } from '../../../renderer/src/editor/actions';
import { EditorStore } from '../../../renderer/src/editor/editor-store';
import { loopFromDrag, loopFromSelection, sameLoop } from '../../../renderer/src/editor/loop';
import { recordQuantize, takeCommand, takeNoteFields } from '../../../renderer/src/editor/recording';
import { actionFor, SHORTCUTS } from '../../../renderer/src/editor/shortcuts';
import { decodableModels, segmentAt, stateColour, stateSegments } from '../../../renderer/src/editor/state-path';
import { EditorWorkbench } from '../../../renderer/src/editor/workbench';
import type { LoopRegion, Playback, PlaybackState } from '../../../renderer/src/playback/playback-api';
import { ids, makeDocument, specs } from './editor-fixtures';

function fakePlayback(): Playback & { state: PlaybackState } {
  const playback = {
    state: { playing: false, positionTicks: 0, loop: null, tempoOverrideBpm: null, metronome: false, output: { kind: 'internal' } } as PlaybackState,
    setMusic: vi.fn(),
    play: vi.fn(),
    stop: vi.fn(),
    seek: vi.fn(),
    setLoop: vi.fn((loop: LoopRegion | null) => (playback.state = { ...playback.state, loop })),
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

const TAKE = [
  { ticks: 130.4, durationTicks: 100.2, pitch: 60, velocity: 90, channel: 0 },
  { ticks: 480, durationTicks: 240, pitch: 64, velocity: 0, channel: 0 },
  { ticks: 960, durationTicks: 480, pitch: 200, velocity: 80, channel: 0 },
];

describe('recording a take into the editor', () => {
  it('rounds to whole ticks, keeps velocity ≥ 1 and drops what is not a note', () => {
    expect(takeNoteFields(TAKE)).toEqual([
      { ticks: 130, durationTicks: 100, pitch: 60, velocity: 90 },
      { ticks: 480, durationTicks: 240, pitch: 64, velocity: 1 },
    ]);
  });

  it('quantizes to the snap only when asked and when snap is on', () => {
    expect(recordQuantize(true, '1/16', 480)).toBe(120);
    expect(recordQuantize(true, '1/8T', 480)).toBe(160);
    expect(recordQuantize(false, '1/16', 480)).toBeNull();
    expect(recordQuantize(true, 'off', 480)).toBeNull();
  });

  it('adds the whole take to the track chosen at the start as ONE undoable step', () => {
    const document = makeDocument([[[0, 480, 48]], [[0, 960, 36]]]);
    const store = new EditorStore(document);
    const secondTrackId = document.tracks[1]!.id;
    const command = takeCommand(document, secondTrackId, 0, TAKE)!;
    expect(command).toEqual({ kind: 'record-take', track: 1, notes: takeNoteFields(TAKE) });
    expect(store.execute(command)).toBe(true);
    expect(specs(store.state.document, 1)).toEqual([
      [0, 960, 36, 80],
      [130, 100, 60, 90],
      [480, 240, 64, 1],
    ]);
    expect(specs(store.state.document, 0)).toEqual([[0, 480, 48, 80]]);
    expect(store.state.activeTrack).toBe(1);
    expect(store.state.selection.size).toBe(2);
    expect(store.undoLabel).toBe('Record 2 notes');
    expect(store.undo()).toBe(true);
    expect(store.state.document).toBe(document);
    expect(store.canUndo).toBe(false);
    expect(store.redo()).toBe(true);
    expect(specs(store.state.document, 1)).toHaveLength(3);
  });

  it('falls back to the active track when the recorded track is gone, and makes a track in an empty clip', () => {
    const document = makeDocument([[[0, 480, 48]]]);
    expect(takeCommand(document, 999, 0, TAKE)).toMatchObject({ track: 0 });
    const empty = makeDocument([]);
    const store = new EditorStore(empty);
    expect(store.execute(takeCommand(empty, null, 0, TAKE)!)).toBe(true);
    expect(store.state.document.tracks).toHaveLength(1);
    expect(specs(store.state.document, 0)).toHaveLength(2);
  });

  it('an empty take is no command (nothing to undo)', () => {
    expect(takeCommand(makeDocument([[]]), null, 0, [])).toBeNull();
  });

  it('R toggles recording through the action context', () => {
    const editor = new EditorStore(makeDocument([[]]));
    const toggleRecording = vi.fn();
    const workbench = new EditorWorkbench({ clips: { create: vi.fn(), get: vi.fn(), update: vi.fn() } });
    const context: ActionContext = { editor, workbench, playback: fakePlayback(), controller: null, toggleHelp: vi.fn(), toggleRecording };
    const action = actionFor({ key: 'r', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false })!;
    expect(action).toBe('record');
    runAction(action, context);
    expect(toggleRecording).toHaveBeenCalledOnce();
  });
});

describe('loop region', () => {
  const document = makeDocument([
    [
      [130, 200, 60],
      [500, 300, 62],
      [1920, 480, 64],
    ],
  ]);

  it('spans the selected notes, widened to the grid', () => {
    const selection = ids(document, 0, (_, index) => index < 2);
    expect(loopFromSelection(document, selection, 120)).toEqual({ startTicks: 120, endTicks: 840 });
    expect(loopFromSelection(document, selection, 480)).toEqual({ startTicks: 0, endTicks: 960 });
    expect(loopFromSelection(document, selection, null)).toEqual({ startTicks: 130, endTicks: 800 });
    expect(loopFromSelection(document, new Set(), 120)).toBeNull();
  });

  it('Shift+L sets playback’s loop from the selection, and clears it with nothing selected', () => {
    const editor = new EditorStore(document);
    const playback = fakePlayback();
    editor.select(ids(document, 0, (_, index) => index === 2));
    const action = actionFor({ key: 'L', ctrlKey: false, metaKey: false, shiftKey: true, altKey: false })!;
    expect(action).toBe('loop-selection');
    // L alone is still legato.
    expect(actionFor({ key: 'l', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false })).toBe('legato');
    const workbench = new EditorWorkbench({ clips: { create: vi.fn(), get: vi.fn(), update: vi.fn() } });
    runAction(action, { editor, workbench, playback, controller: null, toggleHelp: vi.fn() });
    expect(playback.state.loop).toEqual({ startTicks: 1920, endTicks: 2400 });
    editor.clearSelection();
    expect(setLoopFromSelection(editor, playback)).toBeNull();
    expect(playback.setLoop).toHaveBeenLastCalledWith(null);
  });

  it('every shortcut chord is used once (the new ones collide with none)', () => {
    const seen = new Set<string>();
    for (const shortcut of SHORTCUTS) {
      for (const chord of shortcut.chords) {
        const id = `${chord.key}|${!!chord.mod}|${!!chord.shift}|${!!chord.alt}`;
        expect(seen.has(id), `${shortcut.action}: ${id}`).toBe(false);
        seen.add(id);
      }
    }
  });

  it('a ruler drag gives a loop either way; a click gives none', () => {
    expect(loopFromDrag(960, 480)).toEqual({ startTicks: 480, endTicks: 960 });
    expect(loopFromDrag(480, 480)).toBeNull();
    expect(sameLoop({ startTicks: 1, endTicks: 2 }, { startTicks: 1, endTicks: 2 })).toBe(true);
    expect(sameLoop(null, { startTicks: 1, endTicks: 2 })).toBe(false);
    expect(sameLoop(null, null)).toBe(true);
  });
});

describe('hidden-state segments', () => {
  it('merges runs of one state; a token lasts until the next starts, the last until the end', () => {
    const segments = stateSegments({ states: [2, 2, 0, 1, 1, 1], ticks: [0, 120, 240, 360, 480, 600] }, 960);
    expect(segments).toEqual([
      { state: 2, startTicks: 0, endTicks: 240 },
      { state: 0, startTicks: 240, endTicks: 360 },
      { state: 1, startTicks: 360, endTicks: 960 },
    ]);
    expect(segmentAt(segments, 239)).toEqual(segments[0]);
    expect(segmentAt(segments, 240)).toEqual(segments[1]);
    expect(segmentAt(segments, 960)).toBeNull();
  });

  it('tokens at one tick (a chord’s events) take no width: the last one at the tick shows', () => {
    expect(stateSegments({ states: [3, 4, 5], ticks: [0, 0, 100] }, 0)).toEqual([
      { state: 4, startTicks: 0, endTicks: 100 },
      { state: 5, startTicks: 100, endTicks: 150 },
    ]);
  });

  it('rejects a path whose lengths disagree, and is empty for no tokens', () => {
    expect(() => stateSegments({ states: [1, 2], ticks: [0] }, 10)).toThrow(/one tick per state/);
    expect(stateSegments({ states: [], ticks: [] }, 10)).toEqual([]);
  });

  it('gives distinct colours to the first states', () => {
    const colours = new Set(Array.from({ length: 40 }, (_, state) => stateColour(state)));
    expect(colours.size).toBe(40);
  });

  it('lists only trained HMMs, those of the clip’s corpus first', () => {
    const model = (id: number, family: ModelSummary['family'], iterations: number, corpusId: number) => ({ id, family, iterations, corpusId }) as ModelSummary;
    const models = [model(1, 'hmm', 3, 1), model(2, 'lstm', 5, 2), model(3, 'hmm', 0, 2), model(4, 'hmm', 1, 1), model(5, 'hmm', 9, 2)];
    expect(decodableModels(models, 2).map((entry) => entry.id)).toEqual([5, 4, 1]);
    expect(decodableModels(models, null).map((entry) => entry.id)).toEqual([5, 4, 1]);
    expect(decodableModels(models, 1).map((entry) => entry.id)).toEqual([4, 1, 5]);
  });
});
