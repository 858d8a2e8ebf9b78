/**
 * Named arrays (a model's weights, an optimiser's state) as JSON: a manifest in tfjs's format
 * ({name, shape, dtype}, as tf.io.encodeWeights writes and tf.io.decodeWeights reads) and the
 * values back to back as little-endian bytes in base64, a third larger than the bytes where a JSON
 * array of numbers would be three to four times larger and slow to parse. Base64 is written here
 * because core runs where neither Buffer nor btoa is declared.
 */

export type ArrayDtype = 'float32' | 'int32';

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: ArrayDtype;
}

export interface EncodedArrays {
  readonly specs: readonly WeightSpec[];
  /** The values of every spec in order, as base64. */
  readonly data: string;
}

export class WeightsCodecError extends Error {
  override readonly name = 'WeightsCodecError';
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let k = 0; k < ALPHABET.length; k++) LOOKUP[ALPHABET.charCodeAt(k)] = k;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let from = 0; from < bytes.length; from += CHUNK) {
    const to = Math.min(bytes.length, from + CHUNK);
    let text = '';
    for (let k = from; k < to; k += 3) {
      const a = bytes[k]!;
      const b = k + 1 < to ? bytes[k + 1]! : 0;
      const c = k + 2 < to ? bytes[k + 2]! : 0;
      text += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | (b >> 4)]! + (k + 1 < to ? ALPHABET[((b & 15) << 2) | (c >> 6)]! : '=') + (k + 2 < to ? ALPHABET[c & 63]! : '=');
    }
    parts.push(text);
  }
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new WeightsCodecError('The saved weights are damaged (their base64 length is not a multiple of 4).');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let k = 0; k < text.length; k += 4) {
    const values = [0, 1, 2, 3].map((j) => {
      const code = text.charCodeAt(k + j);
      if (code === 61) return 0; // '='
      const value = code < 128 ? LOOKUP[code]! : -1;
      if (value < 0) throw new WeightsCodecError(`The saved weights are damaged (character ${JSON.stringify(text[k + j])} is not base64).`);
      return value;
    });
    const triple = (values[0]! << 18) | (values[1]! << 12) | (values[2]! << 6) | values[3]!;
    if (at < bytes.length) bytes[at++] = (triple >> 16) & 255;
    if (at < bytes.length) bytes[at++] = (triple >> 8) & 255;
    if (at < bytes.length) bytes[at++] = triple & 255;
  }
  return bytes;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}

/** Little-endian is what every platform the studio runs on uses; the codec says so rather than assume. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

export function encodeArrays(arrays: readonly NamedArray[]): EncodedArrays {
  if (!LITTLE_ENDIAN) throw new WeightsCodecError('Saving weights needs a little-endian machine.');
  let total = 0;
  for (const array of arrays) {
    if (array.values.length !== sizeOf(array.shape)) throw new WeightsCodecError(`"${array.name}" has ${array.values.length} values for shape [${array.shape.join(', ')}].`);
    total += array.values.length * 4;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  const specs = arrays.map((array) => {
    bytes.set(new Uint8Array(array.values.buffer, array.values.byteOffset, array.values.byteLength), at);
    at += array.values.byteLength;
    return { name: array.name, shape: [...array.shape], dtype: array.values instanceof Int32Array ? ('int32' as const) : ('float32' as const) };
  });
  return { specs, data: bytesToBase64(bytes) };
}

export function decodeArrays(encoded: EncodedArrays): NamedArray[] {
  if (!LITTLE_ENDIAN) throw new WeightsCodecError('Loading weights needs a little-endian machine.');
  const bytes = base64ToBytes(encoded.data);
  let at = 0;
  const arrays = encoded.specs.map((spec) => {
    const length = sizeOf(spec.shape);
    const end = at + length * 4;
    if (end > bytes.length) throw new WeightsCodecError(`The saved weights end before "${spec.name}".`);
    // A copy into an aligned buffer (the byte offset may not be a multiple of 4).
    const chunk = bytes.slice(at, end);
    at = end;
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new WeightsCodecError(`"${spec.name}" has an unknown dtype ${String(spec.dtype)}.`);
    const values = spec.dtype === 'int32' ? new Int32Array(chunk.buffer) : new Float32Array(chunk.buffer);
    return { name: spec.name, shape: [...spec.shape], values };
  });
  if (at !== bytes.length) throw new WeightsCodecError(`The saved weights hold ${bytes.length - at} bytes more than their manifest names.`);
  return arrays;
}
