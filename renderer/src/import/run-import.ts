/**
 * Sends a selection to the studio. Desktop: paths go to `corpora.importPaths` in one call. Browser:
 * files are read and base64-encoded batch by batch (so at most one batch is in memory) and sent with
 * `corpora.importFiles`, every batch into the same corpus name, so one corpus gets them all.
 */
import type { StudioApi } from '../../../core/ipc/client';
import { bytesToBase64 } from './base64';
import type { LocalFile } from './local-file';
import type { ImportSelection } from './selection';
import { MAX_FILE_BASE64, planUploadBatches } from './upload-plan';

export type ImportApi = { readonly corpora: Pick<StudioApi['corpora'], 'importPaths' | 'importFiles'> };
export type DialogApi = { readonly dialog: Pick<StudioApi['dialog'], 'chooseImportPaths'> };

export interface UploadProgress {
  readonly sentFiles: number;
  readonly totalFiles: number;
}

export interface ImportOutcome {
  readonly jobIds: readonly number[];
  /** Files not sent, with the reason (too large for the contract). */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
}

const TOO_LARGE = `over ${Math.floor((MAX_FILE_BASE64 * 3) / 4 / (1024 * 1024))} MiB, which is no MIDI file a composer would import`;

export async function runImport(
  api: ImportApi,
  corpusName: string,
  selection: ImportSelection,
  onProgress: (progress: UploadProgress) => void = () => {},
  options: { maxCallBase64?: number } = {},
): Promise<ImportOutcome> {
  const name = corpusName.trim();
  if (name === '') throw new ImportInputError('Give the corpus a name.');
  if (selection.kind === 'paths') {
    if (selection.paths.length === 0) throw new ImportInputError('Choose at least one file or folder.');
    const { jobId } = await api.corpora.importPaths({ corpusName: name, paths: [...selection.paths] });
    return { jobIds: [jobId], skipped: [] };
  }
  return uploadFiles(api, name, selection.files, onProgress, options);
}

async function uploadFiles(
  api: ImportApi,
  corpusName: string,
  files: readonly LocalFile[],
  onProgress: (progress: UploadProgress) => void,
  options: { maxCallBase64?: number },
): Promise<ImportOutcome> {
  if (files.length === 0) throw new ImportInputError('There are no MIDI files (.mid, .midi, .kar, .smf) in what you chose.');
  const plan = planUploadBatches(files, options);
  const skipped = plan.tooLarge.map((file) => ({ file: file.relativePath, reason: TOO_LARGE }));
  if (plan.batches.length === 0) {
    throw new ImportInputError(`Nothing to import: ${skipped.map((s) => `${s.file} is ${s.reason}`).join('; ')}.`);
  }
  const totalFiles = files.length - plan.tooLarge.length;
  const jobIds: number[] = [];
  let sentFiles = 0;
  onProgress({ sentFiles, totalFiles });
  for (const batch of plan.batches) {
    const encoded: { relativePath: string; base64: string }[] = [];
    for (const file of batch) {
      encoded.push({ relativePath: file.relativePath, base64: bytesToBase64(await file.read()) });
    }
    const { jobId } = await api.corpora.importFiles({ corpusName, files: encoded });
    jobIds.push(jobId);
    sentFiles += batch.length;
    onProgress({ sentFiles, totalFiles });
  }
  return { jobIds, skipped };
}

/** Desktop only: the native dialog; null when the composer cancels it. */
export async function chooseWithDialog(api: DialogApi, folders: boolean): Promise<ImportSelection | null> {
  const { paths } = await api.dialog.chooseImportPaths({ folders });
  return paths.length === 0 ? null : { kind: 'paths', paths };
}
