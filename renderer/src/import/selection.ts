/**
 * What the composer chose to import, before it is sent: paths main can read (the desktop app's
 * dialog and drops) or files whose bytes the renderer holds (browser mode).
 */
import { looksLikeMidiFileName } from '../../../core/jobs/import-midi';
import { baseName, type LocalFile, stripExtension } from './local-file';

export type ImportSelection =
  | { readonly kind: 'paths'; readonly paths: readonly string[] }
  | { readonly kind: 'files'; readonly files: readonly LocalFile[] };

export const FALLBACK_CORPUS_NAME = 'New corpus';

export function selectionSize(selection: ImportSelection): number {
  return selection.kind === 'paths' ? selection.paths.length : selection.files.length;
}

/** Files taken from a folder keep only MIDI endings, as main does when it walks a folder by path. */
export function keepMidiFromFolder(files: readonly LocalFile[]): LocalFile[] {
  return files.filter((file) => looksLikeMidiFileName(baseName(file.relativePath)));
}

function nameOf(pathOrFile: string): string {
  const name = baseName(pathOrFile);
  return looksLikeMidiFileName(name) ? stripExtension(name) : name;
}

function parentSegments(filePath: string): string[] {
  const parts = filePath.split(/[\\/]/).filter((part) => part !== '');
  return parts.slice(0, -1);
}

/**
 * The name a new corpus gets unless the composer types another: the chosen folder's name, the
 * file's name without its ending, or the folder the chosen files share.
 */
export function defaultCorpusName(selection: ImportSelection): string {
  if (selection.kind === 'paths') {
    const [only] = selection.paths;
    if (selection.paths.length === 1 && only !== undefined) return nameOf(only) || FALLBACK_CORPUS_NAME;
    const parents = selection.paths.map((p) => parentSegments(p).join('/'));
    const shared = parents.every((parent) => parent === parents[0]) ? parents[0] : undefined;
    return (shared !== undefined && baseName(shared)) || FALLBACK_CORPUS_NAME;
  }
  const firstSegments = selection.files.map((file) => {
    const parts = file.relativePath.split('/');
    return parts.length > 1 ? parts[0] : undefined;
  });
  const first = firstSegments[0];
  if (first !== undefined && firstSegments.every((segment) => segment === first)) return first;
  const [onlyFile] = selection.files;
  if (selection.files.length === 1 && onlyFile !== undefined) return nameOf(onlyFile.relativePath) || FALLBACK_CORPUS_NAME;
  return FALLBACK_CORPUS_NAME;
}

/** One line for the import dialog, e.g. "train — 229 files" or "3 files". */
export function describeSelection(selection: ImportSelection): string {
  if (selection.kind === 'paths') {
    const [only] = selection.paths;
    if (selection.paths.length === 1 && only !== undefined) return only;
    return `${selection.paths.length} files and folders`;
  }
  const count = selection.files.length;
  const folder = defaultCorpusName(selection);
  const files = `${count} ${count === 1 ? 'file' : 'files'}`;
  const hasFolder = selection.files.some((file) => file.relativePath.includes('/'));
  return hasFolder && folder !== FALLBACK_CORPUS_NAME ? `Folder “${folder}” — ${files}` : files;
}
