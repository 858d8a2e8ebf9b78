import { describe, expect, it } from 'vitest';
import { barPosition, buildMeterMap, editStepTicks, formatBarBeat, gridLines, snapStepTicks, snapTicks } from '../../../renderer/src/editor/grid';
import { hitTest } from '../../../renderer/src/editor/hit-test';
import { describeKey, keyAt, tonicPitchClass, transposeInScale } from '../../../renderer/src/editor/scale';
import { actionFor, SHORTCUTS, type KeyLike } from '../../../renderer/src/editor/shortcuts';
import { buildTrackIndex, notesIn, trackIndexOf } from '../../../renderer/src/editor/spatial-index';
import {
  centrePitches,
  pitchAtY,
  ticksAtX,
  visibleWindow,
  xOfTicks,
  yOfPitch,
  zoomHorizontally,
  zoomVertically,
  type Viewport,
} from '../../../renderer/src/editor/viewport';
import type { EditorNote } from '../../../renderer/src/editor/document';

describe('meters and the grid', () => {
  const meter = buildMeterMap(
    [
      { ticks: 0, numerator: 4, denominator: 4 },
      { ticks: 3840, numerator: 3, denominator: 4 },
      { ticks: 5280, numerator: 6, denominator: 8 },
    ],
    480,
  );

  it('builds segments with their first bar numbers', () => {
    expect(meter.segments.map((segment) => [segment.startTicks, segment.barTicks, segment.beatTicks, segment.firstBar])).toEqual([
      [0, 1920, 480, 0],
      [3840, 1440, 480, 2],
      [5280, 1440, 240, 3],
    ]);
    expect(buildMeterMap([], 96).segments).toEqual([{ startTicks: 0, numerator: 4, denominator: 4, barTicks: 384, beatTicks: 96, firstBar: 0 }]);
    expect(() => buildMeterMap([], 0)).toThrow(/ppq/);
  });

  it('says where a tick is in bars and beats', () => {
    expect(formatBarBeat(meter, 0)).toBe('1.1');
    expect(formatBarBeat(meter, 2400)).toBe('2.2');
    expect(formatBarBeat(meter, 4320)).toBe('3.2');
    expect(formatBarBeat(meter, 5280 + 240 * 5)).toBe('4.6');
    expect(barPosition(meter, 5280 + 1440).bar).toBe(4);
  });

  it('lists bar and beat lines of the meter in force', () => {
    const bars = gridLines(meter, 0, 8000, { beats: false, stepTicks: null });
    expect(bars.map((line) => [line.ticks, line.bar])).toEqual([
      [0, 0],
      [1920, 1],
      [3840, 2],
      [5280, 3],
      [6720, 4],
    ]);
    const beats = gridLines(meter, 3840, 5300, { beats: true, stepTicks: null });
    expect(beats.map((line) => `${line.ticks}:${line.kind}`)).toEqual(['3840:bar', '4320:beat', '4800:beat', '5280:bar']);
    const steps = gridLines(meter, 0, 480, { beats: true, stepTicks: 240 });
    expect(steps.map((line) => line.kind)).toEqual(['bar', 'step', 'beat']);
  });

  it('has straight, triplet and no snap', () => {
    expect(snapStepTicks('1/4', 480)).toBe(480);
    expect(snapStepTicks('1/16', 480)).toBe(120);
    expect(snapStepTicks('1/32', 480)).toBe(60);
    expect(snapStepTicks('1/8T', 480)).toBe(160);
    expect(snapStepTicks('1/16T', 480)).toBe(80);
    expect(snapStepTicks('1/2', 480)).toBe(960);
    expect(snapStepTicks('off', 480)).toBeNull();
    expect(editStepTicks('off', 480)).toBe(120);
  });

  it('snaps to the grid anchored at the meter segment, nearest, down or up', () => {
    expect(snapTicks(meter, 130, 120)).toBe(120);
    expect(snapTicks(meter, 190, 120)).toBe(240);
    expect(snapTicks(meter, 190, 120, 'floor')).toBe(120);
    expect(snapTicks(meter, 121, 120, 'ceil')).toBe(240);
    expect(snapTicks(meter, 77.6, null)).toBe(78);
    expect(snapTicks(meter, -50, 120)).toBe(0);
    // A 1/2 grid in 4/4 runs past 3840, where 3/4 starts: its start is a grid point.
    expect(snapTicks(meter, 3800, 960, 'ceil')).toBe(3840);
    expect(snapTicks(meter, 3840 + 1000, 960)).toBe(3840 + 960);
  });
});

describe('keys and scales', () => {
  it('reads key names and the key in force', () => {
    expect(tonicPitchClass('C')).toBe(0);
    expect(tonicPitchClass('F#')).toBe(6);
    expect(tonicPitchClass('Bb')).toBe(10);
    expect(tonicPitchClass('Cb')).toBe(11);
    expect(() => tonicPitchClass('H')).toThrow(/not a key/);
    const keys = [
      { ticks: 0, key: 'D', scale: 'minor' as const },
      { ticks: 1000, key: 'Eb', scale: 'major' as const },
    ];
    expect(describeKey(keyAt(keys, 500))).toBe('D minor');
    expect(describeKey(keyAt(keys, 1000))).toBe('D# major');
    expect(describeKey(keyAt([], 0))).toBe('C major');
  });

  it('moves by scale degrees, and back', () => {
    const cMajor = { tonic: 0, scale: 'major' as const };
    expect(transposeInScale(60, 1, cMajor)).toBe(62);
    expect(transposeInScale(64, 1, cMajor)).toBe(65);
    expect(transposeInScale(60, 7, cMajor)).toBe(72);
    expect(transposeInScale(60, -1, cMajor)).toBe(59);
    for (const pitch of [60, 62, 64, 65, 67, 69, 71]) expect(transposeInScale(transposeInScale(pitch, 3, cMajor)!, -3, cMajor)).toBe(pitch);
    expect(transposeInScale(127, 1, cMajor)).toBeNull();
    expect(() => transposeInScale(60, 0.5, cMajor)).toThrow(/whole/);
  });
});

describe('viewport mapping and zoom', () => {
  const viewport: Viewport = { ppq: 480, pxPerQuarter: 48, rowHeight: 10, scrollX: 96, scrollY: 500, width: 800, height: 400 };

  it('maps ticks and pitches to pixels and back', () => {
    expect(xOfTicks(viewport, 960)).toBe(0);
    expect(ticksAtX(viewport, 48)).toBe(1440);
    expect(yOfPitch(viewport, 77)).toBe(0);
    expect(pitchAtY(viewport, 0)).toBe(77);
    expect(pitchAtY(viewport, 9.9)).toBe(77);
    expect(pitchAtY(viewport, 10)).toBe(76);
    expect(pitchAtY(viewport, 100_000)).toBe(0);
    expect(visibleWindow(viewport)).toEqual({ fromTicks: 960, toTicks: 960 + 8000 + 1, lowPitch: 37, highPitch: 77 });
  });

  it('zooms around the pointer and clamps the zoom', () => {
    const zoomed = zoomHorizontally(viewport, 96, 200);
    expect(ticksAtX(zoomed, 200)).toBeCloseTo(ticksAtX(viewport, 200));
    expect(zoomHorizontally(viewport, 1e9, 0).pxPerQuarter).toBe(960);
    const taller = zoomVertically(viewport, 20, 100);
    expect(pitchAtY(taller, 100)).toBe(pitchAtY(viewport, 100));
    expect(zoomVertically(viewport, 1, 0).rowHeight).toBe(5);
    const centred = centrePitches(viewport, 60, 72);
    expect(pitchAtY(centred, centred.height / 2)).toBe(66);
  });
});

function note(id: number, ticks: number, durationTicks: number, pitch: number): EditorNote {
  return { id, ticks, durationTicks, pitch, velocity: 80 };
}

describe('spatial index', () => {
  it('finds exactly the notes overlapping a window, each once, long notes from anywhere', () => {
    const notes = [note(1, 0, 100, 60), note(2, 50, 10_000, 40), note(3, 400, 100, 61), note(4, 1000, 50, 62), note(5, 5000, 100, 63)];
    const index = buildTrackIndex(notes, 256);
    const idsIn = (from: number, to: number, low = 0, high = 127) => notesIn(index, from, to, low, high).map((found) => found.id).sort((a, b) => a - b);
    expect(idsIn(0, 10)).toEqual([1]);
    expect(idsIn(0, 60)).toEqual([1, 2]);
    expect(idsIn(450, 1001)).toEqual([2, 3, 4]);
    expect(idsIn(7000, 9000)).toEqual([2]);
    expect(idsIn(100, 400)).toEqual([2]);
    expect(idsIn(0, 20_000, 61, 62)).toEqual([3, 4]);
    expect(idsIn(20_000, 30_000)).toEqual([]);
  });

  it('agrees with a linear scan on random notes and windows', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const notes: EditorNote[] = [];
    for (let id = 1; id <= 2000; id++) notes.push(note(id, Math.floor(random() * 100_000), 1 + Math.floor(random() * (random() < 0.05 ? 20_000 : 500)), Math.floor(random() * 128)));
    notes.sort((a, b) => a.ticks - b.ticks);
    const index = trackIndexOf(notes, 480);
    expect(trackIndexOf(notes, 480)).toBe(index);
    for (let query = 0; query < 200; query++) {
      const from = Math.floor(random() * 110_000);
      const to = from + 1 + Math.floor(random() * 10_000);
      const low = Math.floor(random() * 128);
      const high = low + Math.floor(random() * (128 - low));
      const expected = notes.filter((candidate) => candidate.ticks < to && candidate.ticks + candidate.durationTicks > from && candidate.pitch >= low && candidate.pitch <= high).map((found) => found.id);
      const actual = notesIn(index, from, to, low, high).map((found) => found.id);
      expect(actual.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    }
  });
});

describe('hit test', () => {
  const viewport: Viewport = { ppq: 480, pxPerQuarter: 100, rowHeight: 10, scrollX: 0, scrollY: 0, width: 800, height: 400 };
  const notes = [note(1, 0, 480, 120), note(2, 480, 960, 120), note(3, 0, 48, 119)];
  const index = buildTrackIndex(notes, 1920);
  const y120 = yOfPitch(viewport, 120) + 5;

  it('finds the note and the zone under the pointer', () => {
    expect(hitTest(index, viewport, 50, y120)).toMatchObject({ note: { id: 1 }, zone: 'body' });
    expect(hitTest(index, viewport, 2, y120)).toMatchObject({ note: { id: 1 }, zone: 'start' });
    expect(hitTest(index, viewport, 97, y120)).toMatchObject({ note: { id: 1 }, zone: 'end' });
    expect(hitTest(index, viewport, 297, y120)).toMatchObject({ note: { id: 2 }, zone: 'end' });
    expect(hitTest(index, viewport, 350, y120)).toBeNull();
    expect(hitTest(index, viewport, 50, y120 + 10)).toBeNull();
    // A 10-pixel note: the right third resizes, the rest moves.
    const y119 = yOfPitch(viewport, 119) + 5;
    expect(hitTest(index, viewport, 4, y119)).toMatchObject({ note: { id: 3 }, zone: 'body' });
    expect(hitTest(index, viewport, 9, y119)).toMatchObject({ note: { id: 3 }, zone: 'end' });
  });
});

describe('shortcuts', () => {
  const key = (value: string, modifiers: Partial<KeyLike> = {}): KeyLike => ({ key: value, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers });

  it('maps DAW keys to actions with Ctrl or Cmd', () => {
    expect(actionFor(key('z', { ctrlKey: true }))).toBe('undo');
    expect(actionFor(key('z', { metaKey: true }))).toBe('undo');
    expect(actionFor(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(actionFor(key('y', { ctrlKey: true }))).toBe('redo');
    expect(actionFor(key('d', { metaKey: true }))).toBe('duplicate');
    expect(actionFor(key('a', { ctrlKey: true }))).toBe('select-all');
    expect(actionFor(key('Delete'))).toBe('delete');
    expect(actionFor(key('Backspace'))).toBe('delete');
    expect(actionFor(key('ArrowUp'))).toBe('nudge-up');
    expect(actionFor(key('ArrowUp', { shiftKey: true }))).toBe('octave-up');
    expect(actionFor(key('ArrowLeft', { altKey: true }))).toBe('nudge-left-fine');
    expect(actionFor(key(' '))).toBe('play-stop');
    expect(actionFor(key('?', { shiftKey: true }))).toBe('help');
    expect(actionFor(key('s', { ctrlKey: true }))).toBe('save');
    expect(actionFor(key('v'))).toBe('tool-select');
    expect(actionFor(key('v', { ctrlKey: true }))).toBe('paste');
    expect(actionFor(key('x'))).toBeNull();
    expect(actionFor(key('z', { ctrlKey: true, altKey: true }))).toBeNull();
  });

  it('lists every action once, each with a label', () => {
    const actions = SHORTCUTS.map((shortcut) => shortcut.action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const shortcut of SHORTCUTS) expect(shortcut.label.length).toBeGreaterThan(0);
  });
});
