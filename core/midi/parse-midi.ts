/**
 * Standard MIDI File bytes → the studio's Piece. midi-file (the reader @tonejs/midi is built on) reads
 * the events; chunk-tracks.ts makes tracks of them by @tonejs/midi 2.0.28's rules, which this importer
 * followed when it went through @tonejs/midi, so pieces come out the same as they always have
 * (test/unit/import/parse-midi-equivalence.test.ts holds it to that), only faster.
 *
 * Decisions made here, deliberately:
 * - Tracks with neither notes nor control changes (type-1 conductor tracks) are dropped; their tempo,
 *   meter and key events live in the piece's maps, which are merged from every track.
 * - A piece without a tempo gets MIDI's default of 120 bpm at tick 0; without a meter, 4/4.
 * - Velocities and controller values are kept as MIDI integers.
 * - As @tonejs/midi does: a track chunk holding several (program, channel) pairs becomes one track per
 *   pair, and in a format-1 file the first track is dropped when its notes last no time at all.
 * - Unlike the Node build of @tonejs/midi (which bundles an older midi-file), a time signature of 2
 *   bytes instead of the standard 4 is read, not refused; and a file with an event of negative length,
 *   which made the old importer loop until it ran out of memory, is refused (negative-lengths.ts).
 */
import { parseMidi as readMidiEvents, type MidiData, type MidiEvent } from 'midi-file';
import { DRUM_CHANNEL, type Piece, type Track } from '../music/types';
import { tracksOfChunk, type ChunkTrack } from './chunk-tracks';
import { findNegativeLength } from './negative-lengths';
import { TonejsTempoMap, type TempoEvent } from './tonejs-tempo-map';

export class MidiParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MidiParseError';
  }
}

const DEFAULT_BPM = 120;

/** Tonics by number of sharps (negative: flats), index = sharps + 7. */
export const MAJOR_KEYS_BY_SHARPS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'] as const;
export const MINOR_KEYS_BY_SHARPS = ['Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#', 'A#'] as const;

/** The tonic of a key signature, in major or minor (one flat + minor is D minor, not F minor). */
function tonicOf(sharps: number, scale: 'major' | 'minor'): string {
  return (scale === 'minor' ? MINOR_KEYS_BY_SHARPS : MAJOR_KEYS_BY_SHARPS)[sharps + 7]!;
}

export function parseMidi(bytes: Uint8Array, name: string): Piece {
  if (bytes.length < 14 || !startsWithMThd(bytes)) {
    throw new MidiParseError('Not a MIDI file: it does not start with a MIDI header ("MThd").');
  }
  checkChunks(bytes);
  const negative = findNegativeLength(bytes);
  if (negative) {
    throw damaged(`track ${negative.track} has an event at byte ${negative.offset} whose length is not a valid number`);
  }
  let midi: MidiData;
  try {
    midi = readMidiEvents(bytes);
  } catch (error) {
    throw damaged(error instanceof Error ? error.message : String(error)); // midi-file throws strings
  }
  if (midi.tracks.every((events) => events.length === 0)) throw damaged('it holds no events');
  const ppq = midi.header.ticksPerBeat; // undefined for a SMPTE time division
  if (ppq === undefined || !Number.isInteger(ppq) || ppq <= 0) {
    throw new MidiParseError(`The MIDI file uses a time division this studio cannot read (ppq ${ppq}).`);
  }

  const conductor = conductorEvents(midi.tracks);
  const tempoMap = new TonejsTempoMap(conductor.tempos, ppq);
  const chunkTracks: ChunkTrack[] = [];
  for (const events of midi.tracks) for (const track of tracksOfChunk(events, tempoMap)) chunkTracks.push(track);
  if (midi.header.format === 1 && chunkTracks.length > 0 && chunkTracks[0]!.lastsNoTime(tempoMap)) chunkTracks.shift();

  const tracks: Track[] = [];
  for (const track of chunkTracks) {
    if (track.notes.length === 0 && track.controlChanges.length === 0) continue;
    track.sortEvents();
    const channel = clampChannel(track.channel);
    tracks.push({
      name: track.name,
      program: track.program,
      channel,
      isDrum: channel === DRUM_CHANNEL,
      notes: track.notes,
      controlChanges: track.controlChanges,
    });
  }

  const tempos = conductor.tempos
    .filter((tempo) => Number.isFinite(tempo.ticks) && Number.isFinite(tempo.bpm) && tempo.bpm > 0)
    .map((tempo) => ({ ticks: tempo.ticks, bpm: tempo.bpm }));
  if (tempos.length === 0 || tempos[0]!.ticks > 0) tempos.unshift({ ticks: 0, bpm: DEFAULT_BPM });
  const timeSignatures = conductor.timeSignatures;
  if (timeSignatures.length === 0 || timeSignatures[0]!.ticks > 0) timeSignatures.unshift({ ticks: 0, numerator: 4, denominator: 4 });
  const keySignatures = conductor.keySignatures;

  // @tonejs/midi ends a piece at its last note-off (-Infinity when no track is left); a trailing pedal
  // release belongs to it too.
  let durationTicks = -Infinity;
  for (const track of chunkTracks) durationTicks = Math.max(durationTicks, track.endTicks);
  for (const track of tracks) {
    const lastChange = track.controlChanges[track.controlChanges.length - 1];
    if (lastChange && lastChange.ticks > durationTicks) durationTicks = lastChange.ticks;
  }

  return {
    name,
    ppq,
    tempos,
    timeSignatures,
    keySignatures,
    tracks,
    durationTicks,
    duration: tempoMap.secondsAt(durationTicks),
  };
}

interface ConductorEvents {
  /** Sorted by tick (stable), bpm as the file gives it (Infinity for 0 µs per quarter, NaN when cut off). */
  readonly tempos: TempoEvent[];
  readonly timeSignatures: { ticks: number; numerator: number; denominator: number }[];
  readonly keySignatures: { ticks: number; key: string; scale: 'major' | 'minor' }[];
}

/** Tempo, meter and key events of every track, in file order, as @tonejs/midi's Header gathers them. */
function conductorEvents(chunks: readonly (readonly MidiEvent[])[]): ConductorEvents {
  const tempos: TempoEvent[] = [];
  const timeSignatures: ConductorEvents['timeSignatures'] = [];
  const keySignatures: ConductorEvents['keySignatures'] = [];
  for (const events of chunks) {
    let ticks = 0;
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      ticks += event.deltaTime;
      if (event.type === 'setTempo') {
        tempos.push({ ticks, bpm: 60000000 / event.microsecondsPerBeat });
      } else if (event.type === 'timeSignature') {
        // A meter cut off by the end of its track has no numerator (and a denominator of 1 << undefined).
        timeSignatures.push({ ticks, numerator: (event.numerator as number | undefined) ?? 4, denominator: event.denominator });
      } else if (event.type === 'keySignature') {
        const sharps = event.key as number | undefined;
        // Outside -7..7 (or cut off): not a key signature any score could have.
        if (sharps === undefined || !(sharps >= -7 && sharps <= 7)) continue;
        const scale = event.scale === 0 ? ('major' as const) : ('minor' as const);
        keySignatures.push({ ticks, key: tonicOf(sharps, scale), scale });
      }
    }
  }
  tempos.sort((a, b) => a.ticks - b.ticks);
  timeSignatures.sort((a, b) => a.ticks - b.ticks);
  return { tempos, timeSignatures, keySignatures };
}

function damaged(reason: string): MidiParseError {
  return new MidiParseError(`The MIDI file is damaged and could not be read (${reason}).`);
}

/**
 * midi-file reads past the end of a truncated file without complaint, so the chunk structure is
 * checked first: a header of at least 6 bytes, then chunks whose declared lengths fit in the file,
 * and at least as many track chunks as the header announces.
 */
function checkChunks(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4);
  if (headerLength < 6) throw new MidiParseError('The MIDI file is damaged: its header is too short.');
  const declaredTracks = view.getUint16(10);
  let offset = 8 + headerLength;
  let trackChunks = 0;
  while (offset + 8 <= bytes.length) {
    const isTrack = bytes[offset] === 0x4d && bytes[offset + 1] === 0x54 && bytes[offset + 2] === 0x72 && bytes[offset + 3] === 0x6b;
    const length = view.getUint32(offset + 4);
    if (offset + 8 + length > bytes.length) {
      throw new MidiParseError(
        `The MIDI file is truncated: chunk ${trackChunks + 1} declares ${length} bytes but only ${bytes.length - offset - 8} remain.`,
      );
    }
    if (isTrack) trackChunks++;
    offset += 8 + length;
  }
  if (trackChunks < declaredTracks) {
    throw new MidiParseError(`The MIDI file is damaged or truncated: its header announces ${declaredTracks} tracks but it holds ${trackChunks}.`);
  }
}

function startsWithMThd(bytes: Uint8Array): boolean {
  return bytes[0] === 0x4d && bytes[1] === 0x54 && bytes[2] === 0x68 && bytes[3] === 0x64;
}

function clampChannel(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 15 ? value : 0;
}
