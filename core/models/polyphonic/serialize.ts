/**
 * Weights as JSON-able data: each Float32Array as base64 of its little-endian bytes (a third bigger
 * than the bytes, a quarter of the size of a JSON number list, and exact). Used by checkpoints and by
 * whatever stores a trained model (SQLite, a file).
 */
import type { PolyphonicConfig, WeightArray } from './config';
import { validatePolyphonicConfig } from './config';
import { PolyphonicError } from './errors';
import type { PolyphonicWeights } from './model';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let k = 0; k < ALPHABET.length; k++) LOOKUP[ALPHABET.charCodeAt(k)] = k;

const littleEndian = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

function bytesOf(values: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, k) => view.setFloat32(4 * k, value, true));
  return bytes;
}

export function encodeFloat32(values: Float32Array): string {
  const bytes = bytesOf(values);
  const parts: string[] = [];
  let chunk = '';
  for (let k = 0; k < bytes.length; k += 3) {
    const b0 = bytes[k]!;
    const b1 = k + 1 < bytes.length ? bytes[k + 1]! : 0;
    const b2 = k + 2 < bytes.length ? bytes[k + 2]! : 0;
    chunk += ALPHABET[b0 >> 2]! + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)]!;
    chunk += k + 1 < bytes.length ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)]! : '=';
    chunk += k + 2 < bytes.length ? ALPHABET[b2 & 63]! : '=';
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function decodeFloat32(text: string, what = 'weights'): Float32Array {
  if (text.length % 4 !== 0) throw new PolyphonicError(`${what}: not base64 (length ${text.length} is not a multiple of 4).`);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const byteLength = (text.length / 4) * 3 - padding;
  if (byteLength % 4 !== 0) throw new PolyphonicError(`${what}: ${byteLength} bytes is not a whole number of float32 values.`);
  const bytes = new Uint8Array(byteLength);
  let out = 0;
  for (let k = 0; k < text.length; k += 4) {
    const c = [0, 1, 2, 3].map((j) => {
      const code = text.charCodeAt(k + j);
      if (code === 61 /* = */ && k + j >= text.length - padding) return 0;
      const value = code < 128 ? LOOKUP[code]! : -1;
      if (value < 0) throw new PolyphonicError(`${what}: not base64 (character ${k + j}).`);
      return value;
    }) as [number, number, number, number];
    const triple = (c[0] << 18) | (c[1] << 12) | (c[2] << 6) | c[3];
    if (out < byteLength) bytes[out++] = (triple >> 16) & 255;
    if (out < byteLength) bytes[out++] = (triple >> 8) & 255;
    if (out < byteLength) bytes[out++] = triple & 255;
  }
  if (littleEndian) return new Float32Array(bytes.buffer);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: byteLength / 4 }, (_, k) => view.getFloat32(4 * k, true));
}

export interface EncodedWeight {
  readonly name: string;
  readonly shape: readonly number[];
  /** base64 of the float32 values, little-endian. */
  readonly data: string;
}

/** A trained model as JSON-able data. */
export interface SerializedPolyphonicModel {
  readonly format: 'polyphonic-model';
  readonly version: 1;
  readonly config: PolyphonicConfig;
  readonly weights: readonly EncodedWeight[];
}

export function encodeWeights(weights: readonly WeightArray[]): EncodedWeight[] {
  return weights.map((weight) => ({ name: weight.name, shape: [...weight.shape], data: encodeFloat32(weight.values) }));
}

export function decodeWeights(encoded: readonly EncodedWeight[]): WeightArray[] {
  return encoded.map((weight) => {
    const values = decodeFloat32(weight.data, `weight "${weight.name}"`);
    const size = weight.shape.reduce((product, dim) => product * dim, 1);
    if (values.length !== size) throw new PolyphonicError(`weight "${weight.name}" has ${values.length} values; its shape [${weight.shape.join(', ')}] needs ${size}.`);
    return { name: weight.name, shape: [...weight.shape], values };
  });
}

export function serializeModel(model: PolyphonicWeights): SerializedPolyphonicModel {
  return { format: 'polyphonic-model', version: 1, config: model.config, weights: encodeWeights(model.weights) };
}

export function deserializeModel(data: SerializedPolyphonicModel): PolyphonicWeights {
  if (data.format !== 'polyphonic-model' || data.version !== 1) throw new PolyphonicError('Not a polyphonic model (format "polyphonic-model", version 1).');
  validatePolyphonicConfig(data.config);
  return { config: data.config, weights: decodeWeights(data.weights) };
}
