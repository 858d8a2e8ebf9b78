/**
 * REFERENCE ONLY, for parse-midi-equivalence.test.ts: core/midi/parse-midi.ts as it was while it went
 * through @tonejs/midi (before it built pieces from midi-file's events itself). Kept unchanged, apart
 * from its name and sharing the error class, so the new importer can be held to the old output.
 *
 * Standard MIDI File bytes → the studio's Piece, through @tonejs/midi.
 *
 * Decisions made here, deliberately:
 * - Tracks with neither notes nor control changes (type-1 conductor tracks) are dropped; their tempo,
 *   meter and key events live in the piece's maps, which @tonejs/midi merges from every track.
 * - A piece without a tempo gets MIDI's default of 120 bpm at tick 0; without a meter, 4/4.
 * - Velocities are kept as MIDI integers 1..127 (@tonejs/midi scales them to 0..1).
 */
import { Midi } from '@tonejs/midi';
import { MidiParseError } from '../../../core/midi/parse-midi';
import { DRUM_CHANNEL, type ControlChange, type Note, type Piece, type Track } from '../../../core/music/types';

const DEFAULT_BPM = 120;

/** Tonics by number of sharps (negative: flats), index = sharps + 7. */
const MAJOR_KEYS_BY_SHARPS = ['Cb', 'Gb', 'Db', 'Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#'] as const;
const MINOR_KEYS_BY_SHARPS = ['Ab', 'Eb', 'Bb', 'F', 'C', 'G', 'D', 'A', 'E', 'B', 'F#', 'C#', 'G#', 'D#', 'A#'] as const;

/**
 * @tonejs/midi names every key signature by the major key with that many sharps, even in minor
 * (one flat + minor comes back as "F minor"); the studio names the real tonic ("D minor").
 */
function tonicOf(sharps: number, scale: 'major' | 'minor'): string {
  return (scale === 'minor' ? MINOR_KEYS_BY_SHARPS : MAJOR_KEYS_BY_SHARPS)[sharps + 7]!;
}

export function parseMidiWithTonejs(bytes: Uint8Array, name: string): Piece {
  if (bytes.length < 14 || !startsWithMThd(bytes)) {
    throw new MidiParseError('Not a MIDI file: it does not start with a MIDI header ("MThd").');
  }
  checkChunks(bytes);
  let midi: Midi;
  try {
    midi = new Midi(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MidiParseError(`The MIDI file is damaged and could not be read (${reason}).`);
  }
  const ppq = midi.header.ppq;
  if (!Number.isInteger(ppq) || ppq <= 0) {
    throw new MidiParseError(`The MIDI file uses a time division this studio cannot read (ppq ${ppq}).`);
  }

  const tracks: Track[] = [];
  for (const track of midi.tracks) {
    const notes: Note[] = track.notes
      .filter((note) => Number.isFinite(note.ticks) && Number.isFinite(note.durationTicks))
      .map((note) => ({
        ticks: note.ticks,
        durationTicks: Math.max(0, note.durationTicks),
        time: note.time,
        duration: Math.max(0, note.duration),
        pitch: note.midi,
        velocity: clampMidi(Math.round(note.velocity * 127)),
      }));
    const controlChanges: ControlChange[] = [];
    for (const [controller, changes] of Object.entries(track.controlChanges)) {
      for (const change of changes) {
        controlChanges.push({
          ticks: change.ticks,
          time: change.time,
          controller: Number(controller),
          value: clampMidi(Math.round(change.value * 127)),
        });
      }
    }
    if (notes.length === 0 && controlChanges.length === 0) continue;
    notes.sort((a, b) => a.ticks - b.ticks || a.pitch - b.pitch);
    controlChanges.sort((a, b) => a.ticks - b.ticks || a.controller - b.controller);
    const channel = clampChannel(track.channel);
    tracks.push({
      name: track.name,
      program: clampMidi(track.instrument.number),
      channel,
      isDrum: channel === DRUM_CHANNEL,
      notes,
      controlChanges,
    });
  }

  const tempos = midi.header.tempos
    .filter((tempo) => Number.isFinite(tempo.ticks) && Number.isFinite(tempo.bpm) && tempo.bpm > 0)
    .map((tempo) => ({ ticks: tempo.ticks, bpm: tempo.bpm }));
  if (tempos.length === 0 || tempos[0]!.ticks > 0) tempos.unshift({ ticks: 0, bpm: DEFAULT_BPM });
  const timeSignatures = midi.header.timeSignatures.map((signature) => ({
    ticks: signature.ticks,
    numerator: signature.timeSignature[0] ?? 4,
    denominator: signature.timeSignature[1] ?? 4,
  }));
  if (timeSignatures.length === 0 || timeSignatures[0]!.ticks > 0) timeSignatures.unshift({ ticks: 0, numerator: 4, denominator: 4 });
  const keySignatures = midi.header.keySignatures.flatMap((signature) => {
    const sharps = (MAJOR_KEYS_BY_SHARPS as readonly string[]).indexOf(signature.key) - 7;
    if (sharps < -7) return []; // Outside -7..7: not a key signature any score could have.
    const scale = signature.scale === 'minor' ? ('minor' as const) : ('major' as const);
    return [{ ticks: signature.ticks, key: tonicOf(sharps, scale), scale }];
  });

  // @tonejs/midi ends a piece at its last note-off; a trailing pedal release belongs to it too.
  let durationTicks = midi.durationTicks;
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
    duration: midi.header.ticksToSeconds(durationTicks),
  };
}

/**
 * @tonejs/midi reads past the end of a truncated file without complaint, so the chunk structure is
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

function clampMidi(value: number): number {
  return Number.isFinite(value) ? Math.min(127, Math.max(0, value)) : 0;
}

function clampChannel(value: number): number {
  return Number.isInteger(value) && value >= 0 && value <= 15 ? value : 0;
}
