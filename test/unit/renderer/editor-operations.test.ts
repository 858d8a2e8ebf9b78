import { describe, expect, it } from 'vitest';
import { documentFromMusic, musicFromDocument, noteCountOf } from '../../../renderer/src/editor/document';
import { buildMeterMap } from '../../../renderer/src/editor/grid';
import {
  addNotes,
  allNoteIds,
  clampMove,
  cleanupOverlaps,
  copyNotes,
  deleteNotes,
  duplicateNotes,
  idsInRect,
  legatoNotes,
  moveNotes,
  pasteNotes,
  quantizeNotes,
  resizeNotes,
  samePitchIds,
  scaleVelocity,
  setVelocities,
  setVelocity,
  transposeNotes,
  transposeNotesInScale,
} from '../../../renderer/src/editor/operations';
import { addTrack, freeChannel, removeTrack, renameTrack, setTrackChannel, setTrackProgram } from '../../../renderer/src/editor/tracks';
import { ids, makeDocument, specs } from './editor-fixtures';

describe('editor document', () => {
  it('round-trips music: notes sorted, ids unique, seconds derived from ticks', () => {
    const document = makeDocument([
      [
        [480, 240, 64],
        [0, 480, 60, 100],
      ],
      [[960, 480, 48]],
    ]);
    expect(specs(document)).toEqual([
      [0, 480, 60, 100],
      [480, 240, 64, 80],
    ]);
    const allIds = document.tracks.flatMap((track) => [track.id, ...track.notes.map((note) => note.id)]);
    expect(new Set(allIds).size).toBe(allIds.length);
    expect(document.nextId).toBe(Math.max(...allIds) + 1);
    const music = musicFromDocument(document);
    expect(music.tracks[0]!.notes[1]).toMatchObject({ ticks: 480, time: 0.5, duration: 0.25, pitch: 64 });
    expect(music.durationTicks).toBe(1440);
    expect(music.duration).toBe(1.5);
    expect(noteCountOf(documentFromMusic(music))).toBe(3);
  });
});

describe('note operations', () => {
  const base = makeDocument([
    [
      [0, 480, 60],
      [480, 480, 62],
      [960, 480, 64],
    ],
    [[0, 1920, 48]],
  ]);

  it('adds notes to one track, keeps the order and gives new ids', () => {
    const { document, ids: created } = addNotes(base, 0, [{ ticks: 240, durationTicks: 120, pitch: 72, velocity: 200 }]);
    expect(specs(document)).toEqual([
      [0, 480, 60, 80],
      [240, 120, 72, 127],
      [480, 480, 62, 80],
      [960, 480, 64, 80],
    ]);
    expect(created).toEqual([base.nextId]);
    expect(document.nextId).toBe(base.nextId + 1);
    expect(document.tracks[1]).toBe(base.tracks[1]);
    expect(() => addNotes(base, 0, [{ ticks: -1, durationTicks: 1, pitch: 60, velocity: 1 }])).toThrow(/tick/);
    expect(() => addNotes(base, 0, [{ ticks: 0, durationTicks: 0, pitch: 60, velocity: 1 }])).toThrow(/one tick/);
    expect(() => addNotes(base, 0, [{ ticks: 0, durationTicks: 1, pitch: 128, velocity: 1 }])).toThrow(/pitch/);
    expect(() => addNotes(base, 5, [])).toThrow(/no track 5/);
  });

  it('deletes only the given notes and returns the same document when none match', () => {
    const second = ids(base, 0, (_, index) => index === 1);
    expect(specs(deleteNotes(base, second))).toEqual([
      [0, 480, 60, 80],
      [960, 480, 64, 80],
    ]);
    expect(deleteNotes(base, new Set([9999]))).toBe(base);
    expect(deleteNotes(base, new Set())).toBe(base);
  });

  it('moves a group in time and pitch, clamped so no note leaves the roll', () => {
    const all = ids(base);
    expect(specs(moveNotes(base, all, 120, 2))).toEqual([
      [120, 480, 62, 80],
      [600, 480, 64, 80],
      [1080, 480, 66, 80],
    ]);
    // Earliest note is at 0: a move left cannot happen; the pitch part still does.
    expect(specs(moveNotes(base, all, -100, -1))[0]).toEqual([0, 480, 59, 80]);
    expect(clampMove(base.tracks[0]!.notes, -100, 100)).toEqual({ deltaTicks: 0, deltaPitch: 127 - 64 });
    expect(moveNotes(base, all, 0, 0)).toBe(base);
  });

  it('transposes all or nothing', () => {
    const all = ids(base);
    expect(specs(transposeNotes(base, all, 12)).map((note) => note[2])).toEqual([72, 74, 76]);
    expect(transposeNotes(base, all, 64)).toBe(base);
    expect(specs(transposeNotes(base, all, -60)).map((note) => note[2])).toEqual([0, 2, 4]);
  });

  it('transposes in the scale of the key signature in force (C major when there is none)', () => {
    const cMajor = makeDocument([
      [
        [0, 480, 60],
        [480, 480, 64],
        [960, 480, 71],
        [1440, 480, 61],
      ],
    ]);
    expect(specs(transposeNotesInScale(cMajor, ids(cMajor), 1)).map((note) => note[2])).toEqual([62, 65, 72, 62]);
    expect(specs(transposeNotesInScale(cMajor, ids(cMajor), -2)).map((note) => note[2])).toEqual([57, 60, 67, 59]);
    // G major from tick 960: F# is in the scale there, F is not.
    const modulating = makeDocument(
      [
        [
          [0, 480, 64],
          [960, 480, 64],
        ],
      ],
      { keySignatures: [{ ticks: 0, key: 'C', scale: 'major' }, { ticks: 960, key: 'G', scale: 'major' }] },
    );
    expect(specs(transposeNotesInScale(modulating, ids(modulating), 1)).map((note) => note[2])).toEqual([65, 66]);
    // A minor (natural): from A, up two steps is C.
    const minor = makeDocument([[[0, 480, 57]]], { keySignatures: [{ ticks: 0, key: 'A', scale: 'minor' }] });
    expect(specs(transposeNotesInScale(minor, ids(minor), 2))[0]![2]).toBe(60);
    const top = makeDocument([[[0, 480, 127]]]);
    expect(transposeNotesInScale(top, ids(top), 1)).toBe(top);
  });

  it('resizes the end or the start, never below the minimum length or before 0', () => {
    const first = ids(base, 0, (_, index) => index === 0);
    expect(specs(resizeNotes(base, first, 'end', 240))[0]).toEqual([0, 720, 60, 80]);
    expect(specs(resizeNotes(base, first, 'end', -1000, 120))[0]).toEqual([0, 120, 60, 80]);
    const second = ids(base, 0, (_, index) => index === 1);
    expect(specs(resizeNotes(base, second, 'start', -240))[0]).toEqual([0, 480, 60, 80]);
    expect(specs(resizeNotes(base, second, 'start', -240))[1]).toEqual([240, 720, 62, 80]);
    expect(specs(resizeNotes(base, second, 'start', 10_000, 60))[1]).toEqual([900, 60, 62, 80]);
    expect(specs(resizeNotes(base, second, 'start', -10_000))[1]).toEqual([0, 960, 62, 80]);
    expect(resizeNotes(base, second, 'end', 0)).toBe(base);
  });

  it('duplicates notes in their own tracks, shifted', () => {
    const selected = new Set([...ids(base, 0, (_, index) => index === 0), ...ids(base, 1)]);
    const { document, ids: created } = duplicateNotes(base, selected, 1920);
    expect(created).toHaveLength(2);
    expect(specs(document)).toContainEqual([1920, 480, 60, 80]);
    expect(specs(document, 1)).toEqual([
      [0, 1920, 48, 80],
      [1920, 1920, 48, 80],
    ]);
  });

  it('copies relative to the earliest note and pastes at a position, into one track or spread over tracks', () => {
    const clipboard = copyNotes(base, ids(base, 0, (_, index) => index > 0))!;
    expect(clipboard).toMatchObject({ spanTicks: 960, lanes: 1, ppq: 480 });
    expect(clipboard.notes.map((note) => note.offsetTicks)).toEqual([0, 480]);
    const pasted = pasteNotes(base, clipboard, 3840, 1);
    expect(specs(pasted.document, 1)).toEqual([
      [0, 1920, 48, 80],
      [3840, 480, 62, 80],
      [4320, 480, 64, 80],
    ]);
    expect(pasted.ids).toHaveLength(2);
    expect(copyNotes(base, new Set())).toBeNull();

    const twoTracks = copyNotes(base, new Set([...ids(base, 0, (_, index) => index === 0), ...ids(base, 1)]))!;
    expect(twoTracks.lanes).toBe(2);
    const spread = pasteNotes(base, twoTracks, 1920, 0);
    expect(specs(spread.document, 0)).toContainEqual([1920, 480, 60, 80]);
    expect(specs(spread.document, 1)).toContainEqual([1920, 1920, 48, 80]);
    // Pasting into a document of another resolution rescales.
    const coarse = makeDocument([[]], { ppq: 96 });
    expect(specs(pasteNotes(coarse, clipboard, 0, 0).document)).toEqual([
      [0, 96, 62, 80],
      [96, 96, 64, 80],
    ]);
  });

  it('quantizes starts toward the grid by the strength, keeping durations', () => {
    const loose = makeDocument([
      [
        [10, 100, 60],
        [230, 100, 62],
        [500, 100, 64],
      ],
    ]);
    const meter = buildMeterMap(loose.timeSignatures, loose.ppq);
    expect(specs(quantizeNotes(loose, ids(loose), meter, 120, 1))).toEqual([
      [0, 100, 60, 80],
      [240, 100, 62, 80],
      [480, 100, 64, 80],
    ]);
    expect(specs(quantizeNotes(loose, ids(loose), meter, 120, 0.5))).toEqual([
      [5, 100, 60, 80],
      [235, 100, 62, 80],
      [490, 100, 64, 80],
    ]);
    expect(quantizeNotes(loose, ids(loose), meter, 120, 0)).toBe(loose);
    // Triplet eighths at 480 ppq are 160 ticks.
    expect(specs(quantizeNotes(loose, ids(loose), meter, 160, 1)).map((note) => note[0])).toEqual([0, 160, 480]);
    expect(() => quantizeNotes(loose, ids(loose), meter, 0, 1)).toThrow(/step/);
    expect(() => quantizeNotes(loose, ids(loose), meter, 120, 1.5)).toThrow(/strength/);
  });

  it('quantizes to the grid of the meter in force (a 3/8 bar after 4/4)', () => {
    const document = makeDocument([[[1930, 100, 60]]], { timeSignatures: [{ ticks: 0, numerator: 4, denominator: 4 }, { ticks: 1920, numerator: 3, denominator: 8 }] });
    const meter = buildMeterMap(document.timeSignatures, document.ppq);
    expect(specs(quantizeNotes(document, ids(document), meter, 240, 1))[0]![0]).toBe(1920);
  });

  it('legato extends each note to the next onset in its track; chords reach the next chord', () => {
    const document = makeDocument([
      [
        [0, 100, 60],
        [0, 200, 64],
        [480, 100, 62],
        [960, 100, 65],
      ],
    ]);
    expect(specs(legatoNotes(document, ids(document)))).toEqual([
      [0, 480, 60, 80],
      [0, 480, 64, 80],
      [480, 480, 62, 80],
      [960, 100, 65, 80],
    ]);
    // Only the given notes change, but every onset of the track counts.
    const firstOnly = ids(document, 0, (_, index) => index === 0);
    expect(specs(legatoNotes(document, firstOnly))[1]).toEqual([0, 200, 64, 80]);
  });

  it('cleans up overlaps of the same pitch: cuts the earlier note, keeps the longest of equal starts', () => {
    const document = makeDocument([
      [
        [0, 960, 60],
        [480, 480, 60],
        [480, 240, 60, 100],
        [0, 960, 64],
        [100, 100, 67],
      ],
    ]);
    expect(specs(cleanupOverlaps(document, ids(document)))).toEqual([
      [0, 480, 60, 80],
      [0, 960, 64, 80],
      [100, 100, 67, 80],
      [480, 480, 60, 80],
    ]);
    const clean = makeDocument([[[0, 480, 60], [480, 480, 60]]]);
    expect(cleanupOverlaps(clean, ids(clean))).toBe(clean);
  });

  it('sets, scales and draws velocities within 1..127', () => {
    const all = ids(base);
    expect(specs(setVelocity(base, all, 200)).map((note) => note[3])).toEqual([127, 127, 127]);
    expect(specs(scaleVelocity(base, all, 0.5)).map((note) => note[3])).toEqual([40, 40, 40]);
    expect(specs(scaleVelocity(base, all, 0)).map((note) => note[3])).toEqual([1, 1, 1]);
    expect(() => scaleVelocity(base, all, -1)).toThrow(/factor/);
    const [a, b] = [...all];
    expect(specs(setVelocities(base, new Map([[a!, 10], [b!, 120]]))).map((note) => note[3])).toEqual([10, 120, 80]);
    expect(setVelocity(base, all, 80)).toBe(base);
  });

  it('selects all, same pitch and by rectangle', () => {
    const document = makeDocument([
      [
        [0, 480, 60],
        [480, 480, 62],
        [960, 480, 60],
        [1440, 480, 64],
      ],
    ]);
    expect(allNoteIds(document, 0).size).toBe(4);
    const first = ids(document, 0, (_, index) => index === 0);
    expect([...samePitchIds(document, 0, first)]).toEqual([...ids(document, 0, (note) => note.pitch === 60)]);
    const inRect = idsInRect(document, 0, { fromTicks: 400, toTicks: 1000, lowPitch: 61, highPitch: 64 });
    expect([...inRect]).toEqual([...ids(document, 0, (_, index) => index === 1)]);
  });
});

describe('track operations', () => {
  const base = makeDocument([[[0, 480, 60]], []]);

  it('adds a track on a free channel, renames, sets program and channel (channel 10 is drums)', () => {
    expect(freeChannel(base)).toBe(2);
    const added = addTrack(base, { program: 40 });
    expect(added.tracks).toHaveLength(3);
    expect(added.tracks[2]).toMatchObject({ name: 'Track 3', program: 40, channel: 2, isDrum: false, notes: [] });
    expect(added.tracks[2]!.id).toBe(base.nextId);
    expect(renameTrack(added, 2, '  Strings ').tracks[2]!.name).toBe('Strings');
    expect(renameTrack(added, 2, '   ')).toBe(added);
    expect(setTrackProgram(base, 0, 73).tracks[0]!.program).toBe(73);
    expect(() => setTrackProgram(base, 0, 128)).toThrow(/0\.\.127/);
    expect(setTrackChannel(base, 0, 9).tracks[0]).toMatchObject({ channel: 9, isDrum: true });
    expect(() => setTrackChannel(base, 0, 16)).toThrow(/0\.\.15/);
    expect(removeTrack(added, 0).tracks.map((track) => track.name)).toEqual(['T1', 'Track 3']);
    expect(() => removeTrack(base, 4)).toThrow(/no track 4/);
  });
});
