/**
 * "Export MIDI…" for a piece or a clip: the desktop app saves through main's native dialog
 * (`pieces.exportMidi`, `clips.exportMidi`); in browser mode main cannot write where the user wants,
 * so the page fetches the file (`pieces.midi`, `clips.midi`) and downloads it. No DOM here: the
 * download itself is handed in (see download.ts).
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { AppInfo } from '../../../core/ipc/schemas';
import { base64ToBytes } from '../import/base64';

export type ExportRoute = 'save-dialog' | 'download';

export function exportRouteFor(mode: AppInfo['mode']): ExportRoute {
  return mode === 'electron' ? 'save-dialog' : 'download';
}

export interface MidiDownload {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export type DownloadFile = (file: MidiDownload) => void;

export type ExportOutcome =
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'downloaded'; readonly fileName: string };

/** A file name a download may carry: no folders, no characters file systems refuse, ends in .mid. */
export function safeMidiFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[<>:"|?*]/g, '_')
    .split('')
    .filter((char) => char.charCodeAt(0) >= 32)
    .join('')
    .trim();
  const withName = base === '' || base === '.mid' ? 'piece.mid' : base;
  return /\.(mid|midi)$/i.test(withName) ? withName : `${withName}.mid`;
}

/** The two ways out for one thing the studio holds: main's save dialog, or the file's bytes for a download. */
interface MidiSource {
  readonly saveWithDialog: () => Promise<{ savedTo: string | null }>;
  readonly fetchFile: () => Promise<{ fileName: string; base64: string }>;
}

async function exportMidi(source: MidiSource, mode: AppInfo['mode'], download: DownloadFile): Promise<ExportOutcome> {
  if (exportRouteFor(mode) === 'save-dialog') {
    const { savedTo } = await source.saveWithDialog();
    return savedTo === null ? { kind: 'cancelled' } : { kind: 'saved', path: savedTo };
  }
  const file = await source.fetchFile();
  const fileName = safeMidiFileName(file.fileName);
  download({ fileName, bytes: base64ToBytes(file.base64) });
  return { kind: 'downloaded', fileName };
}

export function exportPieceMidi(
  api: Pick<StudioApi, 'pieces'>,
  mode: AppInfo['mode'],
  pieceId: number,
  download: DownloadFile,
): Promise<ExportOutcome> {
  return exportMidi({ saveWithDialog: () => api.pieces.exportMidi({ pieceId }), fetchFile: () => api.pieces.midi({ pieceId }) }, mode, download);
}

/** A generated (or, later, edited) clip: `clips.exportMidi` on the desktop, `clips.midi` in the browser. */
export function exportClipMidi(
  api: Pick<StudioApi, 'clips'>,
  mode: AppInfo['mode'],
  clipId: number,
  download: DownloadFile,
): Promise<ExportOutcome> {
  return exportMidi({ saveWithDialog: () => api.clips.exportMidi({ clipId }), fetchFile: () => api.clips.midi({ clipId }) }, mode, download);
}

export function describeExport(outcome: ExportOutcome): string | null {
  switch (outcome.kind) {
    case 'saved':
      return `Saved to ${outcome.path}`;
    case 'downloaded':
      return `Downloaded ${outcome.fileName}`;
    case 'cancelled':
      return null;
  }
}
