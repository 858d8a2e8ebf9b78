/** The MIDI import job: what main gives the worker and what the worker sends back. */
import { z } from 'zod';
import type { Piece, SplitName } from '../music/types';

export const IMPORT_MIDI_JOB = 'import-midi';

export const ImportMidiPayloadSchema = z.object({
  corpusId: z.number().int().positive(),
  corpusName: z.string(),
  /** Files or folders; folders are walked recursively for .mid/.midi/.kar/.smf files. */
  paths: z.array(z.string().min(1)).min(1),
  /**
   * Uploaded files (browser mode) are written to this temporary folder first; it is removed when the
   * job ends, and no source path is kept for them. Null for files imported by path.
   */
  stagingDir: z.string().nullable(),
});
export type ImportMidiPayload = z.infer<typeof ImportMidiPayloadSchema>;

export interface ImportedPieceRecord {
  readonly fileName: string;
  readonly relativePath: string;
  /** Absolute path on disk, or null when the bytes were uploaded. */
  readonly sourcePath: string | null;
  /** SHA-256 of the file's bytes, hex. */
  readonly contentHash: string;
  readonly split: SplitName | null;
  readonly piece: Piece;
}

/** One `data` message of an import job: pieces to store together, and files that failed. */
export interface ImportBatch {
  readonly pieces: readonly ImportedPieceRecord[];
  readonly failures: readonly { readonly file: string; readonly error: string }[];
}

export interface ImportWorkerResult {
  readonly filesSeen: number;
}

/** File endings taken from folders; a file chosen by name is tried whatever its ending. */
export const MIDI_FILE_ENDINGS = ['.mid', '.midi', '.kar', '.smf'] as const;

export function looksLikeMidiFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MIDI_FILE_ENDINGS.some((ending) => lower.endsWith(ending));
}
