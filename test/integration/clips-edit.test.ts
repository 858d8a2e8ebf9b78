// Editing: an edited copy of a piece or clip, saved back as a clip; the imported original never changes.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MusicSchema } from '../../core/ipc/schemas';
import { writeMidiFile } from '../support/midi-fixtures';
import { startStudio, type StudioHarness } from '../support/studio-harness';

let harness: StudioHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

describe('clips as edited copies', () => {
  it('copies a piece into a clip, saves edits with seconds derived from ticks, and leaves the piece alone', async () => {
    harness = startStudio();
    const { studio, dir } = harness;
    writeMidiFile(path.join(dir, 'in', 'tune.mid'), 0, 4);
    const { jobId } = await studio.handlers['corpora.importPaths']({ corpusName: 'C', paths: [path.join(dir, 'in')] });
    await harness.waitForJob(jobId);
    const [summary] = await studio.handlers['corpora.pieces']({ corpusId: 1 });
    const piece = await studio.handlers['pieces.get']({ pieceId: summary!.id });

    const copy = await studio.handlers['clips.create']({ from: { pieceId: piece.id } });
    expect(copy).toMatchObject({ name: 'tune (edit)', modelId: null, noteCount: 4, trackCount: 1 });
    const clip = await studio.handlers['clips.get']({ clipId: copy.id });

    // The editor moves the first note one quarter later, up an octave, and sends stale seconds.
    const [track] = clip.tracks;
    const edited = {
      ...clip,
      tracks: [{ ...track!, notes: track!.notes.map((n, i) => (i === 0 ? { ...n, ticks: n.ticks + clip.ppq * 4, pitch: n.pitch + 12, time: 999 } : n)) }],
    };
    const saved = await studio.handlers['clips.update']({ clipId: copy.id, name: 'Tune, varied', music: MusicSchema.parse(edited) });
    expect(saved).toMatchObject({ name: 'Tune, varied', noteCount: 4 });
    const after = await studio.handlers['clips.get']({ clipId: copy.id });
    const moved = after.tracks[0]!.notes[3]!; // sorted by onset: now the last note
    expect(moved.pitch).toBe(60 + 12);
    expect(moved.ticks).toBe(clip.ppq * 4);
    expect(moved.time).toBeCloseTo((4 * 60) / 90, 4); // 4 quarters at the fixture's 90 bpm (whole µs per quarter)
    expect(after.durationTicks).toBe(clip.ppq * 5);

    const original = await studio.handlers['pieces.get']({ pieceId: piece.id });
    expect(original.tracks[0]!.notes.map((n) => n.pitch)).toEqual(piece.tracks[0]!.notes.map((n) => n.pitch));
    expect(harness.events.filter((e) => e.event === 'clips.changed')).toHaveLength(2);

    const second = await studio.handlers['clips.create']({ from: { clipId: copy.id }, name: 'Another' });
    expect(second).toMatchObject({ name: 'Another', noteCount: 4 });
  });

  it('refuses music that breaks the contract, naming the field', async () => {
    harness = startStudio();
    const { dispatchReply } = await import('../support/dispatch-helper');
    const reply = await dispatchReply(harness.studio, 'clips.update', {
      clipId: 1,
      music: { name: 'x', ppq: 480, durationTicks: 0, duration: 0, tempos: [], timeSignatures: [], keySignatures: [], tracks: [{ name: 't', program: 0, channel: 0, isDrum: false, notes: [{ ticks: 0, durationTicks: 1, time: 0, duration: 0, pitch: 200, velocity: 1 }], controlChanges: [] }] },
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/music\.tracks\.0\.notes\.0\.pitch/) } });
    expect(await dispatchReply(harness.studio, 'clips.update', { clipId: 77, name: 'x' })).toMatchObject({
      ok: false,
      error: { message: 'There is no clip 77.' },
    });
  });
});
