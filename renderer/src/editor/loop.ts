/**
 * The loop region as the editor sets it: from the selected notes (their span, widened to the grid),
 * or from a Shift-drag on the ruler. Pure; playback.setLoop is handed the result.
 */
import type { LoopRegion } from '../playback/playback-api';
import { notesWithIds, type EditorDocument } from './document';
import { buildMeterMap, snapTicks } from './grid';

/**
 * The loop around the selected notes: from the first start (snapped down to `stepTicks`) to the last
 * end (snapped up), so a selection of whole beats loops exactly those beats. Null without a selection.
 */
export function loopFromSelection(document: EditorDocument, selection: ReadonlySet<number>, stepTicks: number | null): LoopRegion | null {
  const notes = notesWithIds(document, selection);
  if (notes.length === 0) return null;
  let start = Infinity;
  let end = 0;
  for (const note of notes) {
    start = Math.min(start, note.ticks);
    end = Math.max(end, note.ticks + note.durationTicks);
  }
  const meter = buildMeterMap(document.timeSignatures, document.ppq);
  const startTicks = Math.max(0, snapTicks(meter, start, stepTicks, 'floor'));
  const endTicks = Math.max(startTicks + 1, snapTicks(meter, end, stepTicks, 'ceil'));
  return { startTicks: Math.round(startTicks), endTicks: Math.round(endTicks) };
}

/** A loop dragged on the ruler, in either direction; null when it is too short to be one (a click). */
export function loopFromDrag(fromTicks: number, toTicks: number, minTicks = 1): LoopRegion | null {
  const startTicks = Math.max(0, Math.round(Math.min(fromTicks, toTicks)));
  const endTicks = Math.round(Math.max(fromTicks, toTicks));
  return endTicks - startTicks >= Math.max(1, minTicks) ? { startTicks, endTicks } : null;
}

export function sameLoop(a: LoopRegion | null, b: LoopRegion | null): boolean {
  if (a === null || b === null) return a === b;
  return a.startTicks === b.startTicks && a.endTicks === b.endTicks;
}
