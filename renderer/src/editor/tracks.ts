/** Track operations: add and remove tracks, rename, General MIDI program, MIDI channel. */
import { DRUM_CHANNEL } from '../../../core/music/types';
import type { EditorDocument, EditorTrack } from './document';

function check(document: EditorDocument, trackIndex: number): EditorTrack {
  const track = document.tracks[trackIndex];
  if (!track) throw new RangeError(`There is no track ${trackIndex} (the document has ${document.tracks.length}).`);
  return track;
}

function replaceTrack(document: EditorDocument, trackIndex: number, track: EditorTrack): EditorDocument {
  const tracks = document.tracks.slice();
  tracks[trackIndex] = track;
  return { ...document, tracks };
}

/** The lowest channel no track uses (the drum channel last), or 0 when all sixteen are taken. */
export function freeChannel(document: EditorDocument): number {
  const used = new Set(document.tracks.map((track) => track.channel));
  for (let channel = 0; channel < 16; channel++) if (channel !== DRUM_CHANNEL && !used.has(channel)) return channel;
  return used.has(DRUM_CHANNEL) ? 0 : DRUM_CHANNEL;
}

export interface NewTrack {
  readonly name?: string;
  readonly program?: number;
  readonly channel?: number;
}

/** Appends an empty track; its index is the new last one. */
export function addTrack(document: EditorDocument, options: NewTrack = {}): EditorDocument {
  const channel = options.channel ?? freeChannel(document);
  checkChannel(channel);
  const program = options.program ?? 0;
  checkProgram(program);
  const track: EditorTrack = {
    id: document.nextId,
    name: options.name?.trim() || `Track ${document.tracks.length + 1}`,
    program,
    channel,
    isDrum: channel === DRUM_CHANNEL,
    notes: [],
    controlChanges: [],
  };
  return { ...document, tracks: [...document.tracks, track], nextId: document.nextId + 1 };
}

export function removeTrack(document: EditorDocument, trackIndex: number): EditorDocument {
  check(document, trackIndex);
  return { ...document, tracks: document.tracks.filter((_, index) => index !== trackIndex) };
}

export function renameTrack(document: EditorDocument, trackIndex: number, name: string): EditorDocument {
  const track = check(document, trackIndex);
  const trimmed = name.trim();
  if (trimmed === '' || trimmed === track.name) return document;
  return replaceTrack(document, trackIndex, { ...track, name: trimmed.slice(0, 200) });
}

function checkProgram(program: number): void {
  if (!Number.isInteger(program) || program < 0 || program > 127) throw new RangeError(`A General MIDI program is 0..127 (got ${program}).`);
}

function checkChannel(channel: number): void {
  if (!Number.isInteger(channel) || channel < 0 || channel > 15) throw new RangeError(`A MIDI channel is 0..15 (got ${channel}).`);
}

export function setTrackProgram(document: EditorDocument, trackIndex: number, program: number): EditorDocument {
  checkProgram(program);
  const track = check(document, trackIndex);
  return track.program === program ? document : replaceTrack(document, trackIndex, { ...track, program });
}

/** Channel 10 (index 9) makes the track a drum track, as General MIDI has it. */
export function setTrackChannel(document: EditorDocument, trackIndex: number, channel: number): EditorDocument {
  checkChannel(channel);
  const track = check(document, trackIndex);
  return track.channel === channel ? document : replaceTrack(document, trackIndex, { ...track, channel, isDrum: channel === DRUM_CHANNEL });
}
