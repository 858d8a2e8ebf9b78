/**
 * Splits a browser-mode selection into `corpora.importFiles` calls the server accepts: each call at
 * most 64 MiB of base64 and at most the contract's file count, each file within the contract's size
 * limit. Files over the limit are set aside and reported instead of failing the whole call.
 */
import { base64Length } from './base64';
import type { LocalFile } from './local-file';

export const MAX_CALL_BASE64 = 64 * 1024 * 1024;
/** Mirrors ImportFilesInputSchema in core/ipc/schemas.ts. */
export const MAX_CALL_FILES = 10_000;
/** Mirrors UploadedFileSchema: base64 of at most 32 MiB. */
export const MAX_FILE_BASE64 = Math.ceil((32 * 1024 * 1024 * 4) / 3);

export interface UploadPlan<F extends Pick<LocalFile, 'size'>> {
  readonly batches: readonly (readonly F[])[];
  readonly tooLarge: readonly F[];
}

export function planUploadBatches<F extends Pick<LocalFile, 'size'>>(
  files: readonly F[],
  limits: { maxCallBase64?: number; maxCallFiles?: number; maxFileBase64?: number } = {},
): UploadPlan<F> {
  const maxCallBase64 = limits.maxCallBase64 ?? MAX_CALL_BASE64;
  const maxCallFiles = limits.maxCallFiles ?? MAX_CALL_FILES;
  const maxFileBase64 = limits.maxFileBase64 ?? MAX_FILE_BASE64;
  const batches: F[][] = [];
  const tooLarge: F[] = [];
  let current: F[] = [];
  let currentSize = 0;
  for (const file of files) {
    const size = base64Length(file.size);
    if (size > maxFileBase64) {
      tooLarge.push(file);
      continue;
    }
    if (current.length > 0 && (currentSize + size > maxCallBase64 || current.length >= maxCallFiles)) {
      batches.push(current);
      current = [];
      currentSize = 0;
    }
    current.push(file);
    currentSize += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}
