/**
 * Random MIDI files for parse-midi-equivalence.test.ts, made two ways:
 * - through midi-file's writer, event by event, to reach what @tonejs/midi never writes: several
 *   channels and program changes in one track, overlapping notes of one pitch, note-offs written as
 *   note-ons of velocity 0, stray note-offs, running status, tempo changes in any track (so mid-note),
 *   channel-prefix events, key signatures out of range, empty track chunks, format 0, 1 and 2;
 * - through @tonejs/midi's own writer, as files from the studio's export look.
 * And damaged copies of them: a track chunk cut short inside an event, or a few bytes overwritten.
 */
import { Midi } from '@tonejs/midi';
import fc from 'fast-check';
import { writeMidi, type MidiData, type MidiEvent } from 'midi-file';

const channel = fc.oneof(fc.constantFrom(0, 1, 9), fc.integer({ min: 0, max: 15 }));
/** Mostly a handful of pitches, so that notes of one pitch overlap and note-offs have choices. */
const pitch = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 58, max: 61 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 127 }) });
const dataByte = fc.integer({ min: 0, max: 127 });
const delta = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 240 }) },
  { weight: 1, arbitrary: fc.integer({ min: 241, max: 100_000 }) },
);
const latin1Text = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 12 });

type EventWithoutDelta = Omit<MidiEvent, 'deltaTime'>;

const event: fc.Arbitrary<EventWithoutDelta> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ channel, noteNumber: pitch, velocity: fc.integer({ min: 1, max: 127 }) }).map((e) => ({ type: 'noteOn' as const, ...e })) },
  { weight: 5, arbitrary: fc.record({ channel, noteNumber: pitch, velocity: dataByte }).map((e) => ({ type: 'noteOff' as const, ...e })) },
  // A note-on of velocity 0: a note-off.
  { weight: 3, arbitrary: fc.record({ channel, noteNumber: pitch }).map((e) => ({ type: 'noteOff' as const, ...e, velocity: 0, byte9: true as const })) },
  { weight: 3, arbitrary: fc.record({ channel, controllerType: fc.oneof(fc.constantFrom(1, 7, 64), dataByte), value: dataByte }).map((e) => ({ type: 'controller' as const, ...e })) },
  { weight: 2, arbitrary: fc.record({ channel, programNumber: fc.oneof(fc.constantFrom(0, 5), dataByte) }).map((e) => ({ type: 'programChange' as const, ...e })) },
  { weight: 1, arbitrary: fc.record({ channel, value: fc.integer({ min: -8192, max: 8191 }) }).map((e) => ({ type: 'pitchBend' as const, ...e })) },
  { weight: 1, arbitrary: fc.record({ channel, amount: dataByte }).map((e) => ({ type: 'channelAftertouch' as const, ...e })) },
  { weight: 1, arbitrary: fc.record({ channel, noteNumber: pitch, amount: dataByte }).map((e) => ({ type: 'noteAftertouch' as const, ...e })) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.integer({ min: 250_000, max: 1_500_000 }), fc.constantFrom(0, 1, 0xffffff))
      .map((microsecondsPerBeat) => ({ type: 'setTempo' as const, meta: true as const, microsecondsPerBeat })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ numerator: fc.integer({ min: 1, max: 13 }), power: fc.integer({ min: 0, max: 5 }) })
      .map(({ numerator, power }) => ({ type: 'timeSignature' as const, meta: true as const, numerator, denominator: 2 ** power, metronome: 24, thirtyseconds: 8 })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ key: fc.integer({ min: -9, max: 9 }), scale: fc.constantFrom(0, 1) })
      .map((e) => ({ type: 'keySignature' as const, meta: true as const, ...e })),
  },
  { weight: 1, arbitrary: latin1Text.map((text) => ({ type: 'trackName' as const, meta: true as const, text })) },
  { weight: 1, arbitrary: latin1Text.map((text) => ({ type: 'marker' as const, meta: true as const, text })) },
  { weight: 1, arbitrary: channel.map((prefix) => ({ type: 'channelPrefix' as const, meta: true as const, channel: prefix })) },
);

const trackEvents: fc.Arbitrary<MidiEvent[]> = fc.oneof(
  { weight: 12, arbitrary: fc.array(fc.tuple(delta, event), { maxLength: 70 }).map((list) => withEndOfTrack(list)) },
  { weight: 1, arbitrary: fc.constant<MidiEvent[]>([]) }, // an empty chunk: no events at all
);

function withEndOfTrack(list: readonly [number, EventWithoutDelta][]): MidiEvent[] {
  const events = list.map(([deltaTime, e]) => ({ deltaTime, ...e }) as MidiEvent);
  events.push({ deltaTime: 0, meta: true, type: 'endOfTrack' });
  return events;
}

/** A MIDI file written event by event (midi-file's writer), with or without running status. */
export const lowLevelMidiFile: fc.Arbitrary<Uint8Array> = fc
  .record({
    format: fc.constantFrom<0 | 1 | 2>(0, 1, 1, 1, 2),
    ppq: fc.oneof(fc.constantFrom(96, 480, 960), fc.integer({ min: 1, max: 0x7fff })),
    tracks: fc.array(trackEvents, { minLength: 1, maxLength: 5 }),
    running: fc.boolean(),
  })
  .map(({ format, ppq, tracks, running }) => {
    const data: MidiData = { header: { format, numTracks: tracks.length, ticksPerBeat: ppq }, tracks };
    return Uint8Array.from(writeMidi(data, { running }));
  });

const tonejsNote = fc.record({
  midi: pitch,
  ticks: fc.integer({ min: 0, max: 4000 }),
  durationTicks: fc.integer({ min: 0, max: 1000 }),
  velocity: fc.integer({ min: 1, max: 127 }),
});

/** A MIDI file as @tonejs/midi writes it (the studio's export did, until key signatures). */
export const tonejsMidiFile: fc.Arbitrary<Uint8Array> = fc
  .record({
    tempos: fc.array(fc.record({ ticks: fc.integer({ min: 0, max: 4000 }), bpm: fc.integer({ min: 20, max: 300 }) }), { maxLength: 4 }),
    meters: fc.array(fc.record({ ticks: fc.integer({ min: 0, max: 4000 }), numerator: fc.integer({ min: 1, max: 12 }), denominator: fc.constantFrom(2, 4, 8) }), { maxLength: 3 }),
    tracks: fc.array(
      fc.record({
        name: latin1Text,
        channel: fc.integer({ min: 0, max: 15 }),
        program: dataByte,
        notes: fc.array(tonejsNote, { maxLength: 40 }),
        changes: fc.array(fc.record({ number: fc.constantFrom(1, 7, 10, 64, 91), ticks: fc.integer({ min: 0, max: 5000 }), value: dataByte }), { maxLength: 10 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ tempos, meters, tracks }) => {
    const midi = new Midi();
    for (const tempo of tempos) midi.header.tempos.push(tempo);
    for (const meter of meters) midi.header.timeSignatures.push({ ticks: meter.ticks, timeSignature: [meter.numerator, meter.denominator] });
    midi.header.update();
    for (const spec of tracks) {
      const track = midi.addTrack();
      track.name = spec.name;
      track.channel = spec.channel;
      track.instrument.number = spec.program;
      for (const note of spec.notes) track.addNote({ ...note, velocity: note.velocity / 127 });
      for (const change of spec.changes) track.addCC({ ...change, value: change.value / 127 });
    }
    return midi.toArray();
  });

/**
 * Where track chunks start and end: [first data byte, end) of each MTrk, for damaging them. The file
 * is one midi-file wrote, so its chunks are whole.
 */
function trackChunks(bytes: Uint8Array): { start: number; end: number; lengthAt: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: { start: number; end: number; lengthAt: number }[] = [];
  let offset = 8 + view.getUint32(4);
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset + 4);
    chunks.push({ start: offset + 8, end: offset + 8 + length, lengthAt: offset + 4 });
    offset += 8 + length;
  }
  return chunks;
}

/**
 * True when four bytes ≥ 0x80 follow one another: the only way to a variable-length number of five or
 * more bytes, which midi-file (under both importers) can turn into a negative length and then loop on.
 */
export function mayHoldOverlongNumber(bytes: Uint8Array): boolean {
  let run = 0;
  for (const byte of bytes) {
    run = byte >= 0x80 ? run + 1 : 0;
    if (run >= 4) return true;
  }
  return false;
}

/** A copy with one track chunk cut short, inside an event or between two (its length fixed: only the events are cut). */
const cutMidiFile: fc.Arbitrary<Uint8Array> = fc
  .record({ bytes: lowLevelMidiFile, chunkPick: fc.nat(), cutAt: fc.nat() })
  .map(({ bytes, chunkPick, cutAt }) => {
    const chunks = trackChunks(bytes).filter((chunk) => chunk.end > chunk.start);
    if (chunks.length === 0) return bytes;
    const chunk = chunks[chunkPick % chunks.length]!;
    const keep = cutAt % (chunk.end - chunk.start);
    const out = new Uint8Array(bytes.length - (chunk.end - chunk.start - keep));
    out.set(bytes.subarray(0, chunk.start + keep), 0);
    out.set(bytes.subarray(chunk.end), chunk.start + keep);
    new DataView(out.buffer).setUint32(chunk.lengthAt, keep);
    return out;
  });

/**
 * A copy with a few bytes of one track chunk overwritten: single bytes, or runs of high bytes that
 * make variable-length numbers of five bytes and more.
 */
const overwrittenMidiFile: fc.Arbitrary<Uint8Array> = fc
  .record({
    bytes: lowLevelMidiFile,
    chunkPick: fc.nat(),
    overwrite: fc.array(
      fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 255 }).map((byte) => [byte]), fc.constant([0x8f, 0xff, 0xff, 0xff]))),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ bytes, chunkPick, overwrite }) => {
    const chunks = trackChunks(bytes).filter((chunk) => chunk.end > chunk.start);
    if (chunks.length === 0) return bytes;
    const chunk = chunks[chunkPick % chunks.length]!;
    const out = bytes.slice();
    for (const [where, values] of overwrite) {
      const at = chunk.start + (where % (chunk.end - chunk.start));
      out.set(values.slice(0, chunk.end - at), at);
    }
    return out;
  });

/** Any damaged file: mostly cut short (the damage a reader must survive), sometimes overwritten. */
export const anyDamagedMidiFile: fc.Arbitrary<Uint8Array> = fc.oneof({ weight: 3, arbitrary: cutMidiFile }, { weight: 1, arbitrary: overwrittenMidiFile });

/** A damaged file the old importer is sure to come back from (it looped on some overlong numbers). */
export const damagedMidiFile: fc.Arbitrary<Uint8Array> = anyDamagedMidiFile.filter((bytes) => !mayHoldOverlongNumber(bytes.subarray(14)));
