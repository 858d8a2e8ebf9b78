import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { methods } from '../../../core/ipc/contract';
import type { Clip, ClipSummary } from '../../../core/ipc/schemas';
import { normalizeMusic } from '../../../core/music/normalize';
import type { Piece } from '../../../core/music/types';
import { EditorWorkbench, type EditorApi } from '../../../renderer/src/editor/workbench';

function piece(): Piece {
  return normalizeMusic({
    name: 'chorale.mid',
    ppq: 480,
    tempos: [{ ticks: 0, bpm: 100 }],
    timeSignatures: [{ ticks: 0, numerator: 3, denominator: 4 }],
    keySignatures: [{ ticks: 0, key: 'F', scale: 'major' }],
    tracks: [
      {
        name: 'Soprano',
        program: 52,
        channel: 0,
        isDrum: false,
        notes: [
          { ticks: 0, durationTicks: 480, pitch: 65, velocity: 90, time: 0, duration: 0 },
          { ticks: 480, durationTicks: 480, pitch: 67, velocity: 90, time: 0, duration: 0 },
        ],
        controlChanges: [{ ticks: 0, time: 0, controller: 7, value: 100 }],
      },
    ],
    durationTicks: 0,
    duration: 0,
  });
}

/** The three clip methods the editor uses, over in-memory clips, with inputs checked by the contract's schemas. */
function fakeApi() {
  const clips = new Map<number, Clip>();
  const pieces = new Map<number, Piece>([[3, piece()]]);
  const calls: string[] = [];
  let nextId = 10;
  let failUpdate: string | null = null;
  const summary = (clip: Clip): ClipSummary => ({
    id: clip.id,
    name: clip.name,
    modelId: null,
    modelName: null,
    createdAt: clip.createdAt,
    trackCount: clip.tracks.length,
    noteCount: clip.tracks.reduce((sum, track) => sum + track.notes.length, 0),
    durationSeconds: clip.duration,
  });
  const api: EditorApi = {
    clips: {
      async create(input) {
        const { from, name } = methods['clips.create'].input.parse(input);
        calls.push(`create ${JSON.stringify(from)}`);
        const source = 'pieceId' in from ? pieces.get(from.pieceId) : clips.get(from.clipId);
        if (!source) throw new Error('There is no such piece.');
        const id = nextId++;
        const clip = { ...structuredClone(source), name: name ?? `${source.name} (edit)`, id, modelId: null, createdAt: '2025-01-01' } as Clip;
        clips.set(id, clip);
        return summary(clip);
      },
      async get(input) {
        const { clipId } = methods['clips.get'].input.parse(input);
        calls.push(`get ${clipId}`);
        const clip = clips.get(clipId);
        if (!clip) throw new Error(`There is no clip ${clipId}.`);
        return structuredClone(clip);
      },
      async update(input) {
        const { clipId, name, music } = methods['clips.update'].input.parse(input);
        calls.push(`update ${clipId}`);
        if (failUpdate !== null) {
          const message = failUpdate;
          failUpdate = null;
          throw new Error(message);
        }
        const clip = clips.get(clipId)!;
        const updated = { ...clip, ...normalizeMusic(music ?? clip), name: name ?? clip.name } as Clip;
        clips.set(clipId, updated);
        return summary(updated);
      },
    },
  };
  return { api, clips, pieces, calls, failNextUpdate: (message: string) => (failUpdate = message) };
}

describe('editor workbench', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens a piece as a new copy (the piece is untouched) and reopens that copy in the same session', async () => {
    const fake = fakeApi();
    const workbench = new EditorWorkbench(fake.api);
    expect(await workbench.open({ pieceId: 3, label: 'chorale.mid' })).toBe(true);
    expect(workbench.state).toMatchObject({ visible: true, status: 'ready', clipId: 10, origin: { kind: 'piece', label: 'chorale.mid' } });
    expect(workbench.state.editor!.state.document.name).toBe('chorale.mid (edit)');
    expect(fake.calls).toEqual(['create {"pieceId":3}', 'get 10']);
    expect(await workbench.open({ pieceId: 3, label: 'chorale.mid' })).toBe(true);
    expect(fake.calls.slice(2)).toEqual(['get 10']);
    expect(fake.pieces.get(3)).toEqual(piece());
  });

  it('saves the whole music with Ctrl+S semantics, keeps controllers, and is clean afterwards', async () => {
    const fake = fakeApi();
    const notify = vi.fn();
    const workbench = new EditorWorkbench(fake.api, { notify, now: () => 1234 });
    await workbench.open({ pieceId: 3, label: 'chorale.mid' });
    const editor = workbench.state.editor!;
    editor.selectAll();
    editor.execute({ kind: 'transpose', semitones: 2 });
    editor.execute({ kind: 'add-note', note: { ticks: 960, durationTicks: 240, pitch: 72, velocity: 100 } });
    expect(editor.dirty).toBe(true);
    expect(await workbench.save()).toBe(true);
    expect(editor.dirty).toBe(false);
    expect(workbench.state).toMatchObject({ saving: false, savedAt: 1234, saveError: null });
    const saved = fake.clips.get(10)!;
    expect(saved.tracks[0]!.notes.map((note) => [note.ticks, note.durationTicks, note.pitch, note.velocity])).toEqual([
      [0, 480, 67, 90],
      [480, 480, 69, 90],
      [960, 240, 72, 100],
    ]);
    // Seconds follow the ticks at 100 bpm.
    expect(saved.tracks[0]!.notes[2]!.time).toBeCloseTo(1.2);
    expect(saved.tracks[0]!.controlChanges).toEqual([{ ticks: 0, time: 0, controller: 7, value: 100 }]);
    expect(saved.timeSignatures).toEqual([{ ticks: 0, numerator: 3, denominator: 4 }]);
    expect(saved.tracks[0]!.program).toBe(52);
    expect(notify).not.toHaveBeenCalled();
    // Nothing to save: no call.
    const calls = fake.calls.length;
    expect(await workbench.save()).toBe(true);
    expect(fake.calls).toHaveLength(calls);
  });

  it('autosaves after a pause in editing, not during it', async () => {
    const fake = fakeApi();
    const workbench = new EditorWorkbench(fake.api, { autosaveDelayMs: 2000 });
    await workbench.open({ pieceId: 3, label: 'chorale.mid' });
    const editor = workbench.state.editor!;
    editor.selectAll();
    editor.execute({ kind: 'transpose', semitones: 1 });
    await vi.advanceTimersByTimeAsync(1500);
    editor.execute({ kind: 'transpose', semitones: 1 });
    await vi.advanceTimersByTimeAsync(1500);
    expect(fake.calls.filter((call) => call.startsWith('update'))).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(600);
    expect(fake.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    expect(editor.dirty).toBe(false);
    expect(fake.clips.get(10)!.tracks[0]!.notes[0]!.pitch).toBe(67);
    // Turned off: edits wait for an explicit save.
    workbench.setAutosave(false);
    editor.execute({ kind: 'transpose', semitones: 1 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(fake.calls.filter((call) => call.startsWith('update'))).toHaveLength(1);
    expect(editor.dirty).toBe(true);
  });

  it('says why a save failed and stays dirty; the next save works', async () => {
    const fake = fakeApi();
    const notify = vi.fn();
    const workbench = new EditorWorkbench(fake.api, { notify });
    await workbench.open({ pieceId: 3, label: 'chorale.mid' });
    const editor = workbench.state.editor!;
    editor.execute({ kind: 'rename', name: 'Better' });
    fake.failNextUpdate('The disk is full.');
    expect(await workbench.save()).toBe(false);
    expect(workbench.state.saveError).toBe('The disk is full.');
    expect(notify).toHaveBeenCalledWith('Could not save “Better”: The disk is full.');
    expect(editor.dirty).toBe(true);
    expect(await workbench.save()).toBe(true);
    expect(fake.clips.get(10)!.name).toBe('Better');
  });

  it('opens a clip directly; a missing clip gives an error state and a notice', async () => {
    const fake = fakeApi();
    const notify = vi.fn();
    const workbench = new EditorWorkbench(fake.api, { notify });
    await workbench.open({ pieceId: 3, label: 'chorale.mid' });
    expect(await workbench.open({ clipId: 10 })).toBe(true);
    expect(workbench.state.origin).toEqual({ kind: 'clip' });
    expect(await workbench.open({ clipId: 99, label: 'Gone' })).toBe(false);
    expect(workbench.state).toMatchObject({ status: 'error', error: 'There is no clip 99.' });
    expect(notify).toHaveBeenCalledWith('Could not open “Gone” in the editor: There is no clip 99.');
  });

  it('saves unsaved edits before opening another clip, and keeps the clipboard and tool', async () => {
    const fake = fakeApi();
    const workbench = new EditorWorkbench(fake.api);
    await workbench.open({ pieceId: 3, label: 'chorale.mid' });
    await fake.api.clips.create({ from: { clipId: 10 }, name: 'Second' });
    const editor = workbench.state.editor!;
    editor.selectAll();
    editor.copy();
    editor.setTool('select');
    editor.execute({ kind: 'delete' });
    await workbench.open({ clipId: 11 });
    expect(fake.clips.get(10)!.tracks[0]!.notes).toHaveLength(0);
    expect(workbench.state.editor!.state).toMatchObject({ tool: 'select' });
    expect(workbench.state.editor!.state.clipboard?.notes).toHaveLength(2);
  });

  it('shows and hides the editor view, and closes the clip', async () => {
    const fake = fakeApi();
    const workbench = new EditorWorkbench(fake.api);
    workbench.show();
    expect(workbench.state.visible).toBe(true);
    workbench.hide();
    expect(workbench.state.visible).toBe(false);
    await workbench.open({ pieceId: 3, label: 'chorale.mid' });
    await workbench.close();
    expect(workbench.state).toMatchObject({ status: 'empty', editor: null, clipId: null });
  });
});
