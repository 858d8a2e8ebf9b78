import { describe, expect, it } from 'vitest';
import { applyCommand, describeCommand, targetIds, type CommandKind, type EditorCommand } from '../../../renderer/src/editor/commands';
import { documentFromMusic, musicFromDocument } from '../../../renderer/src/editor/document';
import { EditorStore, HISTORY_LIMIT } from '../../../renderer/src/editor/editor-store';
import { copyNotes } from '../../../renderer/src/editor/operations';
import { ids, makeDocument, specs } from './editor-fixtures';

function sample() {
  return makeDocument(
    [
      [
        [10, 400, 60],
        [470, 500, 64],
        [960, 480, 67, 100],
        [960, 480, 67, 50],
      ],
      [[0, 1920, 48]],
    ],
    { keySignatures: [{ ticks: 0, key: 'G', scale: 'major' }] },
  );
}

/** One instance of every command kind (the Record makes the compiler insist on all of them). */
function everyCommand(document: ReturnType<typeof sample>): Record<CommandKind, EditorCommand> {
  const clipboard = copyNotes(document, ids(document, 0, (_, index) => index < 2))!;
  return {
    'add-note': { kind: 'add-note', note: { ticks: 1920, durationTicks: 120, pitch: 72, velocity: 90 } },
    delete: { kind: 'delete' },
    move: { kind: 'move', deltaTicks: 120, deltaPitch: -3 },
    resize: { kind: 'resize', edge: 'end', deltaTicks: 240, minDuration: 120 },
    duplicate: { kind: 'duplicate', stepTicks: 120 },
    paste: { kind: 'paste', clipboard, atTicks: 3840 },
    quantize: { kind: 'quantize', stepTicks: 240, strength: 1 },
    transpose: { kind: 'transpose', semitones: 1 },
    'transpose-scale': { kind: 'transpose-scale', steps: 1 },
    legato: { kind: 'legato' },
    cleanup: { kind: 'cleanup' },
    'set-velocity': { kind: 'set-velocity', velocity: 33 },
    'scale-velocity': { kind: 'scale-velocity', factor: 1.2 },
    'set-velocities': { kind: 'set-velocities', velocities: new Map([[document.tracks[0]!.notes[0]!.id, 5]]) },
    'add-track': { kind: 'add-track' },
    'remove-track': { kind: 'remove-track', track: 1 },
    'rename-track': { kind: 'rename-track', track: 0, name: 'Melody' },
    'set-program': { kind: 'set-program', track: 0, program: 40 },
    'set-channel': { kind: 'set-channel', track: 0, channel: 9 },
    rename: { kind: 'rename', name: 'Renamed' },
    'record-take': { kind: 'record-take', track: 1, notes: [{ ticks: 240, durationTicks: 120, pitch: 50, velocity: 70 }] },
  };
}

describe('editor store: undo and redo', () => {
  it.each(Object.keys(everyCommand(sample())) as CommandKind[])('%s is recorded, undone exactly and redone exactly', (kind) => {
    const document = sample();
    const store = new EditorStore(document);
    // Select the first two notes (the selection-based commands act on them); cleanup needs the overlapping pair.
    store.select(ids(document, 0, (_, index) => (kind === 'cleanup' ? index >= 2 : index < 2)));
    const before = store.state;
    const command = everyCommand(document)[kind];
    expect(store.execute(command)).toBe(true);
    const after = store.state;
    expect(after.document).not.toBe(before.document);
    expect(store.dirty).toBe(true);
    expect(store.undoLabel).toBe(describeCommand(command));
    expect(store.undo()).toBe(true);
    expect(store.state.document).toBe(before.document);
    expect(store.state.selection).toBe(before.selection);
    expect(store.state.activeTrack).toBe(before.activeTrack);
    expect(store.dirty).toBe(false);
    expect(store.redo()).toBe(true);
    expect(store.state.document).toBe(after.document);
    expect(store.state.selection).toBe(after.selection);
    expect(store.state.activeTrack).toBe(after.activeTrack);
    // The saved music equals what applying the command again to the original gives.
    const again = applyCommand({ document, selection: before.selection, activeTrack: 0 }, command);
    expect(musicFromDocument(store.state.document)).toEqual(musicFromDocument(again.document));
  });

  it('records nothing for a command that changes nothing, and a new edit clears redo', () => {
    const store = new EditorStore(sample());
    expect(store.execute({ kind: 'delete' })).toBe(false);
    expect(store.execute({ kind: 'transpose', semitones: 100 })).toBe(false);
    expect(store.canUndo).toBe(false);
    store.execute({ kind: 'transpose', semitones: 2 });
    store.execute({ kind: 'transpose', semitones: 3 });
    store.undo();
    expect(store.canRedo).toBe(true);
    expect(store.redoLabel).toBe('Transpose +3');
    store.execute({ kind: 'legato' });
    expect(store.canRedo).toBe(false);
    expect(store.state.past.map((entry) => entry.label)).toEqual(['Transpose +2', 'Legato']);
    expect(store.undo() && store.undo()).toBe(true);
    expect(store.undo()).toBe(false);
    expect(store.state.document).toBe(store.state.savedDocument);
  });

  it('undoes a long series step by step back to the original, and redoes all of it', () => {
    const original = sample();
    const store = new EditorStore(original);
    store.selectAll();
    const states = [store.state.document];
    for (let step = 0; step < 30; step++) {
      expect(store.execute(step % 2 === 0 ? { kind: 'transpose', semitones: 1 } : { kind: 'move', deltaTicks: 10, deltaPitch: 0 })).toBe(true);
      states.push(store.state.document);
    }
    for (let step = 30; step > 0; step--) {
      store.undo();
      expect(store.state.document).toBe(states[step - 1]);
    }
    for (let step = 1; step <= 30; step++) {
      store.redo();
      expect(store.state.document).toBe(states[step]);
    }
  });

  it('keeps at most HISTORY_LIMIT steps', () => {
    const store = new EditorStore(makeDocument([[[0, 480, 60]]]));
    store.selectAll();
    for (let step = 0; step < HISTORY_LIMIT + 5; step++) store.execute({ kind: 'set-velocity', velocity: 1 + (step % 100) });
    expect(store.state.past).toHaveLength(HISTORY_LIMIT);
  });

  it('is clean again once the saved document is shown, dirty after any edit', () => {
    const store = new EditorStore(sample());
    store.execute({ kind: 'transpose', semitones: 1 });
    const saved = store.state.document;
    store.markSaved(saved);
    expect(store.dirty).toBe(false);
    store.execute({ kind: 'transpose', semitones: 1 });
    expect(store.dirty).toBe(true);
    store.undo();
    expect(store.dirty).toBe(false);
    store.undo();
    expect(store.dirty).toBe(true);
  });
});

describe('editor store: selection, clipboard, tracks', () => {
  it('selects with replace, add and toggle; select all and same pitch work on the active track', () => {
    const document = sample();
    const store = new EditorStore(document);
    const [a, b, c] = [...ids(document)];
    store.select([a!]);
    store.select([b!], 'add');
    expect([...store.state.selection]).toEqual([a, b]);
    store.select([a!, c!], 'toggle');
    expect([...store.state.selection].sort()).toEqual([b, c].sort());
    store.select([9999]);
    expect(store.state.selection.size).toBe(0);
    store.selectAll();
    expect(store.state.selection.size).toBe(4);
    store.select([c!]);
    store.selectSamePitch();
    expect(store.state.selection).toEqual(ids(document, 0, (note) => note.pitch === 67));
    store.setActiveTrack(1);
    expect(store.state.selection.size).toBe(0);
    store.selectAll();
    expect(store.state.selection).toEqual(ids(document, 1));
    store.clearSelection();
    expect(store.state.selection.size).toBe(0);
  });

  it('acts on the selection, or on the whole active track when nothing is selected', () => {
    const document = sample();
    const store = new EditorStore(document);
    expect(targetIds(store.state)).toEqual(ids(document));
    store.execute({ kind: 'set-velocity', velocity: 11 });
    expect(specs(store.state.document).map((note) => note[3])).toEqual([11, 11, 11, 11]);
    expect(specs(store.state.document, 1)[0]![3]).toBe(80);
  });

  it('copies, cuts and pastes at the playhead snapped down to the grid, selecting what was pasted', () => {
    const document = sample();
    const store = new EditorStore(document);
    store.select(ids(document, 0, (_, index) => index < 2));
    expect(store.copy()).toBe(true);
    const end = store.paste(1930);
    // 1/16 grid at 480 ppq: 1930 → 1920. The copy spans 10..970 (960 ticks).
    expect(end).toBe(1920 + 960);
    expect(specs(store.state.document)).toContainEqual([1920, 400, 60, 80]);
    expect(specs(store.state.document)).toContainEqual([2380, 500, 64, 80]);
    expect(store.state.selection.size).toBe(2);
    expect(store.cut()).toBe(true);
    expect(store.state.document.tracks[0]!.notes).toHaveLength(4);
    store.undo();
    store.undo();
    expect(store.state.document).toBe(document);
    const empty = new EditorStore(document);
    expect(empty.paste(0)).toBeNull();
    expect(empty.copy()).toBe(false);
  });

  it('duplicates right after the selection, rounded up to the grid step', () => {
    const document = sample();
    const store = new EditorStore(document);
    store.select(ids(document, 0, (_, index) => index === 0));
    store.execute({ kind: 'duplicate', stepTicks: 480 });
    expect(specs(store.state.document)).toContainEqual([490, 400, 60, 80]);
  });

  it('draws into a new track when the document has none', () => {
    const store = new EditorStore(documentFromMusic({ name: 'Empty', ppq: 96, tempos: [], timeSignatures: [], keySignatures: [], tracks: [] }));
    store.execute({ kind: 'add-note', note: { ticks: 0, durationTicks: 24, pitch: 60, velocity: 100 } });
    expect(store.state.document.tracks).toHaveLength(1);
    expect(store.state.selection.size).toBe(1);
    expect(store.state.trackViews.size).toBe(1);
    store.undo();
    expect(store.state.document.tracks).toHaveLength(0);
  });

  it('adds and removes tracks with undo, keeping each track’s colour, mute and solo by id', () => {
    const document = sample();
    const store = new EditorStore(document);
    const secondId = document.tracks[1]!.id;
    store.setTrackView(secondId, { muted: true, colour: '#123456' });
    store.execute({ kind: 'add-track' });
    expect(store.state.activeTrack).toBe(2);
    store.execute({ kind: 'remove-track', track: 0 });
    expect(store.state.activeTrack).toBe(1);
    expect(store.state.trackViews.get(secondId)).toEqual({ colour: '#123456', muted: true, solo: false });
    store.undo();
    expect(store.state.document.tracks).toHaveLength(3);
    expect(store.state.activeTrack).toBe(2);
  });

  it('clamps settings', () => {
    const store = new EditorStore(sample());
    store.setQuantizeStrength(150);
    expect(store.state.quantizeStrength).toBe(100);
    store.setQuantizeStrength(-5);
    expect(store.state.quantizeStrength).toBe(0);
    store.setDrawVelocity(0);
    expect(store.state.drawVelocity).toBe(1);
    store.setSnap('1/8T');
    store.setTool('select');
    expect(store.state).toMatchObject({ snap: '1/8T', tool: 'select' });
    expect(store.canUndo).toBe(false);
  });
});
