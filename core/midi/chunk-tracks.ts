/**
 * One MIDI track chunk's events, as midi-file reads them, → the tracks @tonejs/midi 2.0.28 makes of
 * that chunk, built straight into the studio's Note and ControlChange objects. parse-midi.ts used to
 * go through @tonejs/midi itself; it paired note-offs by scanning and splicing arrays and kept a
 * WeakMap entry per note, which was most of the import's time. The rules below are @tonejs/midi's, to
 * the letter (test/unit/import/parse-midi-equivalence.test.ts holds the two to the same output):
 *
 * - A chunk is split by (program, channel), as Midi.js's splitTracks does: the k-th distinct pair met
 *   in the chunk (the program being the channel's latest program change, 0 before any) makes the k-th
 *   track; events without a channel (meta, sysex) join the first. A channel-prefix meta event carries
 *   a channel too and counts as one. A chunk with no events makes no track.
 * - Name: the chunk's first track-name event, on its first track only. Program: the track's program.
 *   Channel: that of the track's note-ons, 0 when it has none (even if it has control changes).
 * - A note-on is closed by the first note-off (a note-on of velocity 0 is one) of its pitch, in file
 *   order, not yet used and not earlier than it — even one written before it at the same tick.
 * - A field that midi-file leaves undefined (the chunk ends inside the event) counts as @tonejs/midi
 *   counts it: a note-on without velocity sounds at velocity 0, one without pitch is never closed, a
 *   control change without controller number has controller NaN (and sorts last).
 */
import type { MidiEvent } from 'midi-file';
import type { ControlChange, Note } from '../music/types';
import type { TonejsTempoMap } from './tonejs-tempo-map';

/** What @tonejs/midi's velocity/127 and value/127 come back to once the studio rounds them ×127. */
const MIDI_VALUE_OF_BYTE: readonly number[] = Array.from({ length: 256 }, (_, byte) => clampMidi(Math.round((byte / 127) * 127)));
/** The program of a channel whose program change was cut off: @tonejs/midi's key "undefined <channel>". */
const NO_PROGRAM = 256;
const PITCHES = 256; // midi-file reads data bytes whole: a malformed file can hold pitches 128..255
const NOT_SET = -1;

function clampMidi(value: number): number {
  return Number.isFinite(value) ? Math.min(127, Math.max(0, value)) : 0;
}

/** One @tonejs/midi track: notes in note-on order and control changes in file order, not yet sorted. */
export class ChunkTrack {
  name = '';
  readonly notes: Note[] = [];
  readonly controlChanges: ControlChange[] = [];
  hasNoteOn = false;
  /** @tonejs/midi's Track.durationTicks: the latest note end, 0 without notes. */
  endTicks = 0;

  constructor(
    /** The (program, channel) pair of its events; program NO_PROGRAM when cut off. */
    public keyProgram: number,
    public keyChannel: number,
  ) {}

  get program(): number {
    return this.keyProgram === NO_PROGRAM ? 0 : clampMidi(this.keyProgram);
  }

  get channel(): number {
    return this.hasNoteOn ? this.keyChannel : 0;
  }

  /**
   * Whether @tonejs/midi's Track.duration is 0 (its rule for dropping a format-1 file's first track).
   * That duration starts from the note with the latest onset (the last of them in note-on order) and
   * keeps a larger end only by `<`, so a NaN there sticks; with that note ending after 0, it is not 0.
   */
  lastsNoTime(tempoMap: TonejsTempoMap): boolean {
    const notes = this.notes;
    if (notes.length === 0) return true;
    let latest = notes[0]!;
    for (const note of notes) if (note.ticks >= latest.ticks) latest = note;
    let duration = endSeconds(latest, tempoMap);
    if (!(duration <= 0)) return false; // > 0 or NaN
    for (const note of notes) {
      const end = endSeconds(note, tempoMap);
      if (duration < end) duration = end;
    }
    return duration === 0;
  }

  /** Notes by (onset, pitch) and control changes by (tick, controller), each stable, as parse-midi always sorted them. */
  sortEvents(): void {
    sortNotes(this.notes);
    const changes = this.controlChanges;
    if (changes.some((change) => Number.isNaN(change.controller))) {
      sortAsTonejsDid(changes);
    } else if (!changesSorted(changes)) {
      changes.sort(byTickThenController);
    }
  }
}

function byTickThenController(a: ControlChange, b: ControlChange): number {
  return a.ticks - b.ticks || a.controller - b.controller;
}

/**
 * A control change cut off before its controller number has controller NaN, which the old sort's
 * comparator calls equal to any change at its tick: the result then depends on the order the sort
 * started from. That order is rebuilt as @tonejs/midi kept it (by controller, each by tick, the
 * NaN one last) and the same sort run on it.
 */
function sortAsTonejsDid(changes: ControlChange[]): void {
  const cutOff = changes.filter((change) => Number.isNaN(change.controller));
  const whole = changes.filter((change) => !Number.isNaN(change.controller));
  whole.sort((a, b) => a.controller - b.controller || a.ticks - b.ticks);
  cutOff.sort((a, b) => a.ticks - b.ticks);
  const started = whole.concat(cutOff).sort(byTickThenController);
  for (let index = 0; index < started.length; index++) changes[index] = started[index]!;
}

/** A note's end as @tonejs/midi adds it up: time + (seconds at its end − seconds at its start). */
function endSeconds(note: Note, tempoMap: TonejsTempoMap): number {
  return note.time + (tempoMap.secondsAt(note.ticks + note.durationTicks) - note.time);
}

/** Note events of one chunk in file order, in parallel arrays reused from chunk to chunk. */
class NoteEventScratch {
  capacity = 0;
  onTicks = new Float64Array(0);
  onPitch = new Int16Array(0);
  onVelocity = new Int16Array(0);
  onTrack = new Int32Array(0);
  offTicks = new Float64Array(0);
  offPitch = new Int16Array(0);
  offTrack = new Int32Array(0);
  /** Note-off ticks grouped by (track, pitch) slot, file order within a slot; offStart[slot] opens each slot. */
  offTicksBySlot = new Float64Array(0);
  offStart = new Int32Array(0);
  offCursor = new Int32Array(0);
  currentProgram = new Int16Array(16);

  ensureEvents(count: number): void {
    if (count <= this.capacity) return;
    const capacity = Math.max(count, this.capacity * 2, 1024);
    this.capacity = capacity;
    this.onTicks = new Float64Array(capacity);
    this.onPitch = new Int16Array(capacity);
    this.onVelocity = new Int16Array(capacity);
    this.onTrack = new Int32Array(capacity);
    this.offTicks = new Float64Array(capacity);
    this.offPitch = new Int16Array(capacity);
    this.offTrack = new Int32Array(capacity);
    this.offTicksBySlot = new Float64Array(capacity);
  }

  ensureSlots(slots: number): void {
    if (slots + 1 <= this.offStart.length) {
      this.offStart.fill(0, 0, slots + 1);
      return;
    }
    const capacity = Math.max(slots + 1, this.offStart.length * 2, 1024);
    this.offStart = new Int32Array(capacity);
    this.offCursor = new Int32Array(capacity);
  }
}

// parseMidi is synchronous, so one scratch serves every call.
const scratch = new NoteEventScratch();

/** The tracks @tonejs/midi makes of one chunk, in its order; none for an empty chunk. */
export function tracksOfChunk(events: readonly MidiEvent[], tempoMap: TonejsTempoMap): ChunkTrack[] {
  if (events.length === 0) return [];
  scratch.ensureEvents(events.length);
  const { onTicks, onPitch, onVelocity, onTrack, offTicks, offPitch, offTrack } = scratch;
  const tracks: ChunkTrack[] = [new ChunkTrack(0, 0)];
  const trackOfKey = new Map<number, number>();
  const currentProgram = scratch.currentProgram.fill(0);
  let lastKey = NOT_SET;
  let lastTrack = 0;
  let ons = 0;
  let offs = 0;
  let ticks = 0;
  let ticksNeverDecrease = true;
  let named = false; // the first name wins, even an empty one, as with @tonejs/midi's find()

  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const delta = event.deltaTime;
    if (delta < 0) ticksNeverDecrease = false; // only a malformed 5-byte delta overflows to < 0
    ticks += delta;
    let track = 0;
    const channel = (event as { channel?: number }).channel;
    if (channel !== undefined) {
      if (event.type === 'programChange') currentProgram[channel] = (event.programNumber as number | undefined) ?? NO_PROGRAM;
      const program = channel < 16 ? currentProgram[channel]! : NO_PROGRAM;
      const key = program * 256 + channel;
      if (key === lastKey) {
        track = lastTrack;
      } else {
        let found = trackOfKey.get(key);
        if (found === undefined) {
          found = trackOfKey.size;
          trackOfKey.set(key, found);
          if (found === 0) {
            tracks[0]!.keyProgram = program;
            tracks[0]!.keyChannel = channel;
          } else {
            tracks.push(new ChunkTrack(program, channel));
          }
        }
        lastKey = key;
        track = lastTrack = found;
      }
    }
    switch (event.type) {
      case 'noteOn':
        tracks[track]!.hasNoteOn = true;
        onTicks[ons] = ticks;
        onPitch[ons] = byteOrNotSet(event.noteNumber);
        onVelocity[ons] = byteOrNotSet(event.velocity);
        onTrack[ons++] = track;
        break;
      case 'noteOff':
        offTicks[offs] = ticks;
        offPitch[offs] = byteOrNotSet(event.noteNumber);
        offTrack[offs++] = track;
        break;
      case 'controller': {
        const controller = event.controllerType as number | undefined;
        tracks[track]!.controlChanges.push({
          ticks,
          time: tempoMap.secondsAt(ticks),
          controller: controller ?? Number.NaN,
          value: MIDI_VALUE_OF_BYTE[event.value] ?? 0,
        });
        break;
      }
      case 'trackName':
        if (!named) tracks[0]!.name = event.text;
        named = true;
        break;
    }
  }
  if (ticksNeverDecrease) pairInOneSweep(tracks, ons, offs, tempoMap);
  else pairByScanning(tracks, ons, offs, tempoMap);
  return tracks;
}

/**
 * With ticks that never decrease, the rule "first unused note-off of the pitch, in file order, not
 * earlier than the note-on" is a sweep: note-offs of one (track, pitch) are in tick order, and a
 * note-off passed over as too early for one note-on is too early for every later one.
 */
function pairInOneSweep(tracks: ChunkTrack[], ons: number, offs: number, tempoMap: TonejsTempoMap): void {
  const { onTicks, onPitch, onVelocity, onTrack, offTicks, offPitch, offTrack } = scratch;
  // Slots (track, pitch) over the pitches that have note-offs only: a chorale voice spans ~20.
  let lowest = PITCHES;
  let highest = -1;
  for (let off = 0; off < offs; off++) {
    const pitch = offPitch[off]!;
    if (pitch === NOT_SET) continue;
    if (pitch < lowest) lowest = pitch;
    if (pitch > highest) highest = pitch;
  }
  if (highest < 0) return; // nothing closes any note
  const span = highest - lowest + 1;
  const slots = tracks.length * span;
  scratch.ensureSlots(slots);
  const { offTicksBySlot, offStart, offCursor } = scratch;
  for (let off = 0; off < offs; off++) {
    const pitch = offPitch[off]!;
    if (pitch !== NOT_SET) offStart[offTrack[off]! * span + pitch - lowest + 1]!++;
  }
  for (let slot = 1; slot <= slots; slot++) offStart[slot]! += offStart[slot - 1]!;
  offCursor.set(offStart.subarray(0, slots));
  for (let off = 0; off < offs; off++) {
    const pitch = offPitch[off]!;
    if (pitch !== NOT_SET) offTicksBySlot[offCursor[offTrack[off]! * span + pitch - lowest]!++] = offTicks[off]!;
  }
  offCursor.set(offStart.subarray(0, slots));
  for (let on = 0; on < ons; on++) {
    const pitch = onPitch[on]!;
    if (pitch < lowest || pitch > highest) continue; // no note-off of that pitch (NOT_SET included)
    const slot = onTrack[on]! * span + pitch - lowest;
    const ticks = onTicks[on]!;
    const stop = offStart[slot + 1]!;
    let next = offCursor[slot]!;
    while (next < stop && offTicksBySlot[next]! < ticks) next++;
    if (next < stop) {
      addNote(tracks[onTrack[on]!]!, ticks, offTicksBySlot[next]! - ticks, pitch, onVelocity[on]!, tempoMap);
      next++;
    }
    offCursor[slot] = next;
  }
}

/** @tonejs/midi's own search, for the malformed chunk whose ticks go back: slow, and only ever used there. */
function pairByScanning(tracks: ChunkTrack[], ons: number, offs: number, tempoMap: TonejsTempoMap): void {
  const { onTicks, onPitch, onVelocity, onTrack, offTicks, offPitch, offTrack } = scratch;
  for (let track = 0; track < tracks.length; track++) {
    const openOffs: number[] = [];
    for (let off = 0; off < offs; off++) if (offTrack[off] === track && offPitch[off] !== NOT_SET) openOffs.push(off);
    for (let on = 0; on < ons; on++) {
      if (onTrack[on] !== track || onPitch[on] === NOT_SET) continue;
      const found = openOffs.findIndex((off) => offPitch[off] === onPitch[on] && offTicks[off]! >= onTicks[on]!);
      if (found === -1) continue;
      const off = openOffs.splice(found, 1)[0]!;
      addNote(tracks[track]!, onTicks[on]!, offTicks[off]! - onTicks[on]!, onPitch[on]!, onVelocity[on]!, tempoMap);
    }
  }
}

function addNote(track: ChunkTrack, ticks: number, durationTicks: number, pitch: number, velocityByte: number, tempoMap: TonejsTempoMap): void {
  const time = tempoMap.secondsAt(ticks);
  const end = ticks + durationTicks;
  track.notes.push({
    ticks,
    durationTicks,
    time,
    duration: Math.max(0, tempoMap.secondsAt(end) - time),
    pitch,
    velocity: velocityByte === NOT_SET ? 0 : MIDI_VALUE_OF_BYTE[velocityByte]!,
  });
  if (track.notes.length === 1 || end > track.endTicks) track.endTicks = end;
}

/** A data byte, or NOT_SET where midi-file left the field undefined (the chunk ended first). */
function byteOrNotSet(value: number | undefined): number {
  return value === undefined ? NOT_SET : value;
}

/**
 * A stable sort by (onset, pitch). Notes come in note-on order, so onsets almost always already rise
 * and only chords need their pitches put in order: an insertion sort does that in one pass.
 */
function sortNotes(notes: Note[]): void {
  for (let index = 1; index < notes.length; index++) {
    if (notes[index]!.ticks < notes[index - 1]!.ticks) {
      notes.sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch); // a malformed chunk whose ticks go back
      return;
    }
  }
  for (let index = 1; index < notes.length; index++) {
    const note = notes[index]!;
    let at = index;
    while (at > 0 && notes[at - 1]!.ticks === note.ticks && notes[at - 1]!.pitch > note.pitch) {
      notes[at] = notes[at - 1]!;
      at--;
    }
    notes[at] = note;
  }
}

function changesSorted(changes: readonly ControlChange[]): boolean {
  for (let index = 1; index < changes.length; index++) {
    const a = changes[index - 1]!;
    const b = changes[index]!;
    if (b.ticks < a.ticks || (b.ticks === a.ticks && b.controller < a.controller)) return false;
  }
  return true;
}
