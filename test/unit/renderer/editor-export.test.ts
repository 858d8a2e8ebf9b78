import { describe, expect, it } from 'vitest';
import { methods } from '../../../core/ipc/contract';
import type { Clip, ClipSummary } from '../../../core/ipc/schemas';
import { normalizeMusic } from '../../../core/music/normalize';
import { EditorWorkbench, type EditorApi } from '../../../renderer/src/editor/workbench';
import { describeSkippedExport, saveThenExport, type ExportWorkbench } from '../../../renderer/src/views/editor/editor-export';

/** A stand-in workbench that logs the order of saves and exports. */
function fakeWorkbench(clipId: number | null, saves: boolean) {
  const log: string[] = [];
  const workbench: ExportWorkbench = {
    state: { clipId },
    async save() {
      log.push('save');
      return saves;
    },
  };
  return { workbench, log };
}

/** One stored clip of two notes, behind the three clip methods the workbench uses (inputs checked by the contract). */
function storedClip() {
  const music = normalizeMusic({
    name: 'tune',
    ppq: 480,
    tempos: [{ ticks: 0, bpm: 120 }],
    timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    tracks: [
      {
        name: 'Lead',
        program: 0,
        channel: 0,
        isDrum: false,
        notes: [
          { ticks: 0, durationTicks: 480, pitch: 60, velocity: 90, time: 0, duration: 0 },
          { ticks: 480, durationTicks: 480, pitch: 64, velocity: 90, time: 0, duration: 0 },
        ],
        controlChanges: [],
      },
    ],
    durationTicks: 0,
    duration: 0,
  });
  let clip = { ...music, id: 7, modelId: null, createdAt: '2025-01-01' } as Clip;
  const summary = (): ClipSummary => ({ id: 7, name: clip.name, modelId: null, modelName: null, createdAt: clip.createdAt, trackCount: 1, noteCount: 2, durationSeconds: clip.duration });
  const api: EditorApi = {
    clips: {
      create: () => Promise.reject(new Error('not used')),
      get: async (input) => {
        methods['clips.get'].input.parse(input);
        return structuredClone(clip);
      },
      update: async (input) => {
        const { name, music: next } = methods['clips.update'].input.parse(input);
        clip = { ...clip, ...normalizeMusic(next ?? clip), name: name ?? clip.name } as Clip;
        return summary();
      },
    },
  };
  return { api, pitches: () => clip.tracks[0]!.notes.map((note) => note.pitch) };
}

describe('editor export: save, then export', () => {
  it('saves before it exports the clip that is open', async () => {
    const { workbench, log } = fakeWorkbench(7, true);
    const outcome = await saveThenExport(workbench, async (clipId) => {
      log.push(`export ${clipId}`);
      return 'file.mid';
    });
    expect(outcome).toEqual({ kind: 'exported', clipId: 7, value: 'file.mid' });
    expect(log).toEqual(['save', 'export 7']);
    expect(describeSkippedExport(outcome, 'MIDI')).toBeNull();
  });

  it('exports nothing when the save fails, and says why', async () => {
    const { workbench, log } = fakeWorkbench(7, false);
    const outcome = await saveThenExport(workbench, async (clipId) => log.push(`export ${clipId}`));
    expect(outcome).toEqual({ kind: 'not-saved' });
    expect(log).toEqual(['save']);
    expect(describeSkippedExport(outcome, 'WAV')).toBe('Not exported as WAV: the edits could not be saved first.');
  });

  it('does nothing when no clip is open', async () => {
    const { workbench, log } = fakeWorkbench(null, true);
    const outcome = await saveThenExport(workbench, async () => log.push('export'));
    expect(outcome).toEqual({ kind: 'nothing-open' });
    expect(log).toEqual([]);
    expect(describeSkippedExport(outcome, 'MIDI')).toBe('Nothing is open in the editor to export as MIDI.');
  });

  it('passes on an export that throws', async () => {
    const { workbench } = fakeWorkbench(7, true);
    await expect(saveThenExport(workbench, () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
  });

  it('with the real workbench: the export reads the stored clip with the unsaved edit in it', async () => {
    const stored = storedClip();
    const workbench = new EditorWorkbench(stored.api);
    expect(await workbench.open({ clipId: 7 })).toBe(true);
    workbench.setAutosave(false);
    const editor = workbench.state.editor!;
    editor.execute({ kind: 'transpose', semitones: 1 });
    expect(editor.dirty).toBe(true);
    expect(stored.pitches()).toEqual([60, 64]);

    const outcome = await saveThenExport(workbench, async () => stored.pitches());
    expect(outcome).toEqual({ kind: 'exported', clipId: 7, value: [61, 65] });
    expect(editor.dirty).toBe(false);
  });
});
