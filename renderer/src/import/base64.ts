/**
 * Base64 of a file's bytes without building one argument list per byte: `String.fromCharCode(...bytes)`
 * overflows the stack for a few hundred KiB, and one binary string of a 30 MiB file is wasteful. Each
 * chunk is a multiple of 3 bytes, so the chunks' base64 texts concatenate without padding in between.
 */
const CHUNK_BYTES = 3 * 8192;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    const chunk = bytes.subarray(start, Math.min(start + CHUNK_BYTES, bytes.length));
    let binary = '';
    for (let i = 0; i < chunk.length; i += 1) binary += String.fromCharCode(chunk[i]!);
    parts.push(btoa(binary));
  }
  return parts.join('');
}

/** The length of the base64 text of `byteLength` bytes (with padding). */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/** The bytes of a base64 text (a MIDI file from `pieces.midi`); a clear error for text that is not base64. */
export function base64ToBytes(base64: string): Uint8Array {
  const compact = base64.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    throw new Error('The file the studio sent is not valid base64.');
  }
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
