/**
 * Worker side of the MIDI import: find the files, hash and parse each one, and send pieces to main
 * in batches. Main writes each batch in one transaction, so a piece is stored whole or not at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ImportMidiPayloadSchema,
  looksLikeMidiFileName,
  type ImportBatch,
  type ImportedPieceRecord,
  type ImportWorkerResult,
} from '../../../core/jobs/import-midi';
import { parseMidi } from '../../../core/midi/parse-midi';
import { splitFromRelativePath } from '../../../core/music/splits';
import { noteCount } from '../../../core/music/types';
import type { JobContext } from '../runtime';

/** A batch is sent when it holds this many notes or this many files, whichever comes first. */
const BATCH_NOTES = 20_000;
const BATCH_FILES = 32;

interface FoundFile {
  readonly absolutePath: string;
  readonly relativePath: string;
}

export async function importMidi(rawPayload: unknown, context: JobContext): Promise<ImportWorkerResult> {
  const payload = ImportMidiPayloadSchema.parse(rawPayload);
  context.progress(0, 'Looking for MIDI files…');
  const failures: { file: string; error: string }[] = [];
  const files = await findFiles(payload.paths, failures, context);
  let pieces: ImportedPieceRecord[] = [];
  let batchNotes = 0;
  const flush = (): void => {
    if (pieces.length === 0 && failures.length === 0) return;
    const batch: ImportBatch = { pieces, failures: failures.splice(0) };
    context.emit(batch);
    pieces = [];
    batchNotes = 0;
  };

  for (let index = 0; index < files.length; index++) {
    context.throwIfCancelled();
    const file = files[index]!;
    context.progress(index / Math.max(1, files.length), `Reading ${file.relativePath} (${index + 1} of ${files.length})`);
    try {
      // Synchronous on purpose: this is the worker's own thread, and readFileSync is several times
      // faster than the promise API for thousands of small files (see bench midi-import).
      const bytes = readFileSync(file.absolutePath);
      const fileName = path.basename(file.absolutePath);
      const piece = parseMidi(bytes, fileName.replace(/\.[^.]+$/, ''));
      pieces.push({
        fileName,
        relativePath: file.relativePath,
        sourcePath: payload.stagingDir === null ? file.absolutePath : null,
        contentHash: createHash('sha256').update(bytes).digest('hex'),
        split: splitFromRelativePath(file.relativePath),
        piece,
      });
      batchNotes += noteCount(piece);
    } catch (error) {
      failures.push({ file: file.relativePath, error: error instanceof Error ? error.message : String(error) });
    }
    if (batchNotes >= BATCH_NOTES || pieces.length >= BATCH_FILES) flush();
  }
  flush();
  context.progress(1, `Read ${files.length} file${files.length === 1 ? '' : 's'}.`);
  return { filesSeen: files.length };
}

async function findFiles(
  roots: readonly string[],
  failures: { file: string; error: string }[],
  context: JobContext,
): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  for (const root of roots) {
    let stat;
    try {
      stat = await fs.stat(root);
    } catch {
      failures.push({ file: root, error: 'The file or folder does not exist or cannot be read.' });
      continue;
    }
    if (stat.isDirectory()) await walk(root, root, found, failures, context);
    else found.push({ absolutePath: root, relativePath: path.basename(root) });
  }
  found.sort((a, b) => a.relativePath.localeCompare(b.relativePath, 'en'));
  return found;
}

async function walk(
  root: string,
  dir: string,
  found: FoundFile[],
  failures: { file: string; error: string }[],
  context: JobContext,
): Promise<void> {
  context.throwIfCancelled();
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    failures.push({ file: path.relative(root, dir) || dir, error: 'The folder cannot be read.' });
    return;
  }
  for (const entry of entries) {
    const absolutePath = path.join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, absolutePath, found, failures, context);
    else if (entry.isFile() && looksLikeMidiFileName(entry.name)) {
      // Relative to the chosen folder's parent, so the chosen folder's own name (e.g. "train") is kept.
      found.push({ absolutePath, relativePath: path.relative(path.dirname(root), absolutePath).split(path.sep).join('/') });
    }
  }
}
