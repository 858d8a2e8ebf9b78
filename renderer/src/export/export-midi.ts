/**
 * "Export MIDI…": the desktop app saves through main's native dialog (`pieces.exportMidi`); in browser
 * mode main cannot write where the user wants, so the page fetches the file (`pieces.midi`) and
 * downloads it. No DOM here: the download itself is handed in (see download.ts).
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

export async function exportPieceMidi(
  api: Pick<StudioApi, 'pieces'>,
  mode: AppInfo['mode'],
  pieceId: number,
  download: DownloadFile,
): Promise<ExportOutcome> {
  if (exportRouteFor(mode) === 'save-dialog') {
    const { savedTo } = await api.pieces.exportMidi({ pieceId });
    return savedTo === null ? { kind: 'cancelled' } : { kind: 'saved', path: savedTo };
  }
  const file = await api.pieces.midi({ pieceId });
  const fileName = safeMidiFileName(file.fileName);
  download({ fileName, bytes: base64ToBytes(file.base64) });
  return { kind: 'downloaded', fileName };
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
