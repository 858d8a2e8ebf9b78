/**
 * A guard for midi-file, which (like the older copy inside @tonejs/midi) adds up variable-length
 * numbers in 32-bit arithmetic: one of five or more bytes can come out negative, and a meta or sysex
 * event of negative length sends its reader backwards, where it can loop, piling up events until the
 * process runs out of memory (a 30-byte file is enough). No valid file has such a length, so the
 * importer refuses the file before midi-file reads it.
 *
 * The walk below follows midi-file's reading of each track chunk step for step, up to the first
 * negative length; where midi-file would stop with an error of its own, the walk stops too and leaves
 * the file to it, so that its message is the one the user sees.
 */

export interface NegativeLength {
  /** 1-based, as a person counts track chunks. */
  readonly track: number;
  /** Offset in the file of the event's status byte. */
  readonly offset: number;
}

const FIXED_META_LENGTHS = new Map<number, readonly number[]>([
  [0x00, [2]], // sequence number
  [0x20, [1]], // channel prefix
  [0x21, [1]], // port prefix
  [0x2f, [0]], // end of track
  [0x51, [3]], // tempo
  [0x54, [5]], // SMPTE offset
  [0x58, [2, 4]], // time signature
  [0x59, [2]], // key signature
]);

/** The first meta or sysex event whose length midi-file would read as negative, or null. */
export function findNegativeLength(bytes: Uint8Array): NegativeLength | null {
  const headerLength = readUint32(bytes, 4);
  const declaredTracks = (bytes[10]! << 8) | bytes[11]!;
  let offset = 8 + headerLength;
  for (let track = 0; track < declaredTracks && offset + 8 <= bytes.length; track++) {
    const isTrack = bytes[offset] === 0x4d && bytes[offset + 1] === 0x54 && bytes[offset + 2] === 0x72 && bytes[offset + 3] === 0x6b;
    if (!isTrack) return null; // midi-file refuses the chunk
    const start = offset + 8;
    const end = start + readUint32(bytes, offset + 4);
    const found = walkTrack(bytes, start, Math.min(end, bytes.length));
    if (found === STOP) return null;
    if (found >= 0) return { track: track + 1, offset: found };
    offset = end;
  }
  return null;
}

const CLEAN = -1;
const STOP = -2; // midi-file throws here: nothing further is read

/** Where readVarInt stopped: module state rather than a closure, to keep the walk fast. */
let cursor = 0;

/** midi-file's readVarInt from `cursor`, 32-bit shifts included; stops at `end`. */
function readVarInt(bytes: Uint8Array, end: number): number {
  let result = 0;
  while (cursor < end) {
    const byte = bytes[cursor++]!;
    if ((byte & 0x80) === 0) return result + byte;
    result += byte & 0x7f;
    result <<= 7;
  }
  return result;
}

/** CLEAN, STOP, or the offset of the event with a negative length. */
function walkTrack(bytes: Uint8Array, start: number, end: number): number {
  cursor = start;
  let runningStatus = -1;
  while (cursor < end) {
    while (cursor < end && bytes[cursor]! >= 0x80) cursor++; // delta time: only its end matters here
    cursor++;
    // The event is cut off: the chunk ends with it (and midi-file fails on it without a status yet).
    if (cursor >= end) return runningStatus < 0 ? STOP : CLEAN;
    const eventStart = cursor;
    let status = bytes[cursor++]!;
    if ((status & 0xf0) === 0xf0) {
      let length: number;
      if (status === 0xff) {
        const type = cursor < end ? bytes[cursor] : undefined;
        cursor++;
        length = readVarInt(bytes, end);
        const fixed = type === undefined ? undefined : FIXED_META_LENGTHS.get(type);
        if (fixed && !fixed.includes(length)) return STOP;
      } else if (status === 0xf0 || status === 0xf7) {
        length = readVarInt(bytes, end);
      } else {
        return STOP; // unrecognised event type byte
      }
      if (length < 0) return eventStart;
      cursor += length;
      continue;
    }
    if ((status & 0x80) === 0) {
      if (runningStatus < 0) return STOP; // running status before any status byte
      status = runningStatus; // the byte read was the first data byte
    } else {
      runningStatus = status;
      cursor++; // first data byte
    }
    const kind = status >> 4;
    if (kind !== 0xc && kind !== 0xd) cursor++; // second data byte
  }
  return CLEAN;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}
