/** Hands a file the page made (a CSV, a .zip) to the browser as a download, with its own type. */
import type { FileDownload } from './compare-export';

/** How long the object URL stays valid: the browser reads it when the download starts. */
const REVOKE_AFTER_MS = 60_000;

export function downloadFile({ fileName, bytes, mimeType }: FileDownload): void {
  // A copy in a plain ArrayBuffer: Blob parts must not be views of a SharedArrayBuffer.
  const blob = new Blob([bytes.slice().buffer as ArrayBuffer], { type: mimeType });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
