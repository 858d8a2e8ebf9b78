/**
 * What is under the pointer in the note grid: a note of the active track and which part of it (its
 * start edge, its end edge, or its body), as the piano roll's cursors and drags need. Edges are a
 * few pixels wide but never more than a third of a short note, so a short note can still be moved.
 */
import type { EditorNote } from './document';
import { forEachNoteIn, type TrackIndex } from './spatial-index';
import { pitchAtY, ticksAtX, xOfTicks, type Viewport } from './viewport';

export type HitZone = 'start' | 'end' | 'body';

export interface NoteHit {
  readonly note: EditorNote;
  readonly zone: HitZone;
}

export const EDGE_PX = 6;

export function hitTest(index: TrackIndex, viewport: Viewport, x: number, y: number): NoteHit | null {
  const pitch = pitchAtY(viewport, y);
  const tolerance = EDGE_PX / (viewport.pxPerQuarter / viewport.ppq);
  const ticks = ticksAtX(viewport, x);
  let best: NoteHit | null = null;
  forEachNoteIn(index, Math.floor(ticks - tolerance), Math.ceil(ticks + tolerance) + 1, pitch, pitch, (note) => {
    const left = xOfTicks(viewport, note.ticks);
    const right = xOfTicks(viewport, note.ticks + note.durationTicks);
    const width = right - left;
    const edge = Math.min(EDGE_PX, Math.max(2, width / 3));
    if (x < left - 1 || x > right + 1) return;
    const zone: HitZone = x >= right - edge ? 'end' : x <= left + edge && width > 3 * 2 ? 'start' : 'body';
    // The note drawn last (the latest start) is on top.
    if (best === null || note.ticks >= best.note.ticks) best = { note, zone };
  });
  return best;
}
