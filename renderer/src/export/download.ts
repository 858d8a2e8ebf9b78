/** Hands bytes to the browser as a download, the way a page saves a file it made itself. */
import type { MidiDownload } from './export-midi';

/** How long the object URL stays valid: the browser reads it when the download starts. */
const REVOKE_AFTER_MS = 60_000;

export function downloadInBrowser({ fileName, bytes }: MidiDownload): void {
  // A copy in a plain ArrayBuffer: Blob parts must not be views of a SharedArrayBuffer.
  const blob = new Blob([bytes.slice().buffer as ArrayBuffer], { type: 'audio/midi' });
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
