/**
 * Which notes of a track lie in a time window, without looking at the others: notes are bucketed by
 * fixed spans of ticks (a note in every bucket it overlaps, so a long note is found from any part of
 * it), stored flat in typed arrays. A query visits only the buckets in view and reports each note
 * once (in the first bucket of the window it occupies), so drawing 50,000 notes zoomed in costs what
 * the visible ones cost. Built once per track notes array and cached by its identity: an edit that
 * leaves a track alone leaves its index alone too.
 */
import type { EditorNote } from './document';

export interface TrackIndex {
  readonly notes: readonly EditorNote[];
  readonly bucketTicks: number;
  /** CSR layout: the note indices of bucket b are entries[offsets[b] .. offsets[b+1]). */
  readonly offsets: Int32Array;
  readonly entries: Int32Array;
  /** Lowest and highest pitch, for a quick "nothing here" on vertical scroll. */
  readonly lowPitch: number;
  readonly highPitch: number;
}

const cache = new WeakMap<readonly EditorNote[], TrackIndex>();

export function buildTrackIndex(notes: readonly EditorNote[], bucketTicks: number): TrackIndex {
  if (!(bucketTicks >= 1)) throw new RangeError(`A bucket spans at least one tick (got ${bucketTicks}).`);
  let lastBucket = -1;
  let lowPitch = 128;
  let highPitch = -1;
  for (const note of notes) {
    lastBucket = Math.max(lastBucket, Math.floor((note.ticks + note.durationTicks - 1) / bucketTicks));
    lowPitch = Math.min(lowPitch, note.pitch);
    highPitch = Math.max(highPitch, note.pitch);
  }
  const bucketCount = lastBucket + 1;
  const counts = new Int32Array(bucketCount + 1);
  for (const note of notes) {
    const first = Math.floor(note.ticks / bucketTicks);
    const last = Math.floor((note.ticks + note.durationTicks - 1) / bucketTicks);
    for (let bucket = first; bucket <= last; bucket++) counts[bucket + 1]!++;
  }
  const offsets = new Int32Array(bucketCount + 1);
  for (let bucket = 0; bucket < bucketCount; bucket++) offsets[bucket + 1] = offsets[bucket]! + counts[bucket + 1]!;
  const entries = new Int32Array(offsets[bucketCount] ?? 0);
  const fill = offsets.slice(0, bucketCount);
  notes.forEach((note, index) => {
    const first = Math.floor(note.ticks / bucketTicks);
    const last = Math.floor((note.ticks + note.durationTicks - 1) / bucketTicks);
    for (let bucket = first; bucket <= last; bucket++) entries[fill[bucket]!++] = index;
  });
  return { notes, bucketTicks, offsets, entries, lowPitch, highPitch };
}

/** The index of a track's notes, built on first use and kept while the array lives. */
export function trackIndexOf(notes: readonly EditorNote[], ppq: number): TrackIndex {
  let index = cache.get(notes);
  if (!index) {
    // A bucket of one 4/4 bar: a zoomed-in view touches a few, a long note a handful.
    index = buildTrackIndex(notes, Math.max(1, ppq * 4));
    cache.set(notes, index);
  }
  return index;
}

/**
 * Calls `visit` once for each note overlapping [fromTicks, toTicks) whose pitch is within
 * [lowPitch, highPitch], in bucket order (notes starting earlier in the window first, roughly).
 */
export function forEachNoteIn(
  index: TrackIndex,
  fromTicks: number,
  toTicks: number,
  lowPitch: number,
  highPitch: number,
  visit: (note: EditorNote, position: number) => void,
): void {
  if (index.notes.length === 0 || toTicks <= fromTicks || highPitch < index.lowPitch || lowPitch > index.highPitch) return;
  const bucketCount = index.offsets.length - 1;
  const firstBucket = Math.max(0, Math.floor(fromTicks / index.bucketTicks));
  const lastBucket = Math.min(bucketCount - 1, Math.floor((toTicks - 1) / index.bucketTicks));
  const { notes, offsets, entries, bucketTicks } = index;
  for (let bucket = firstBucket; bucket <= lastBucket; bucket++) {
    for (let entry = offsets[bucket]!; entry < offsets[bucket + 1]!; entry++) {
      const position = entries[entry]!;
      const note = notes[position]!;
      // Reported from the first bucket of the window it occupies only.
      if (bucket !== firstBucket && Math.floor(note.ticks / bucketTicks) < bucket) continue;
      if (note.pitch < lowPitch || note.pitch > highPitch) continue;
      if (note.ticks >= toTicks || note.ticks + note.durationTicks <= fromTicks) continue;
      visit(note, position);
    }
  }
}

/** The notes overlapping a window, as an array (for hit tests and rubber bands). */
export function notesIn(index: TrackIndex, fromTicks: number, toTicks: number, lowPitch = 0, highPitch = 127): EditorNote[] {
  const found: EditorNote[] = [];
  forEachNoteIn(index, fromTicks, toTicks, lowPitch, highPitch, (note) => found.push(note));
  return found;
}
