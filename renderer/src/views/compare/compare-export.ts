/**
 * A comparison's exports apart from the DOM: the CSV as a file to download (its name made safe, the
 * .csv kept), and in browser mode the samples as one .zip of model folders (fflate), since a page
 * cannot write a folder. The Electron route (comparisons.exportMidiFolder) needs no bytes here.
 */
import { zipSync, type Zippable } from 'fflate';
import { safeFileName } from '../../../../core/comparisons/files';
import { base64ToBytes } from '../../import/base64';

export interface FileDownload {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly mimeType: string;
}

/** The name a download may carry: no folders or unsafe characters, and the extension it needs. */
export function downloadName(name: string, extension: string, fallback: string): string {
  const withoutFolders = name.split(/[\\/]/).pop() ?? '';
  const base = withoutFolders.toLowerCase().endsWith(`.${extension}`) ? withoutFolders.slice(0, -(extension.length + 1)) : withoutFolders;
  return `${safeFileName(base, fallback)}.${extension}`;
}

/** What comparisons.csv returned, as a UTF-8 download (with a BOM, so spreadsheet programs read "·" and "—" right). */
export function csvDownload(file: { readonly fileName: string; readonly text: string }, comparisonId: number): FileDownload {
  const body = new TextEncoder().encode(file.text);
  const bytes = new Uint8Array(3 + body.length);
  bytes.set([0xef, 0xbb, 0xbf], 0);
  bytes.set(body, 3);
  return { fileName: downloadName(file.fileName, 'csv', `comparison-${comparisonId}`), bytes, mimeType: 'text/csv' };
}

/** The samples' .zip: everything under one folder named after the comparison, model folders inside. */
export function samplesZip(comparisonName: string, comparisonId: number, files: readonly { readonly relativePath: string; readonly base64: string }[]): FileDownload {
  if (files.length === 0) throw new Error('There are no samples to export: they were all deleted.');
  const folder = safeFileName(`${comparisonName} samples`, `comparison-${comparisonId}-samples`);
  const tree: Zippable = {};
  for (const file of files) {
    const parts = file.relativePath.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
    if (parts.length === 0) throw new Error(`A sample has no usable path (“${file.relativePath}”).`);
    tree[[folder, ...parts].join('/')] = [base64ToBytes(file.base64), { level: 0 }];
  }
  // .mid files are small and barely compress; level 0 (stored) keeps the zip quick and simple.
  return { fileName: `${folder}.zip`, bytes: zipSync(tree), mimeType: 'application/zip' };
}
