/**
 * Turning what the browser hands over (an <input type=file> list, a drop) into an ImportSelection.
 * Dropped folders are walked through the File and Directory Entries API; `readEntries` returns at
 * most ~100 entries per call, so it is called until it returns none.
 */
import { keepMidiFromFolder, type ImportSelection } from './selection';
import { normaliseRelativePath, type LocalFile } from './local-file';
import type { PlatformBridge } from '../state/studio-context';

function localFile(file: File, relativePath: string): LocalFile {
  return {
    relativePath: normaliseRelativePath(relativePath) || file.name,
    size: file.size,
    read: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

/** From an <input type=file>: with `webkitdirectory` every file carries its path below the folder. */
export function selectionFromInput(list: FileList, fromFolder: boolean): ImportSelection {
  const files = Array.from(list, (file) => localFile(file, file.webkitRelativePath || file.name));
  return { kind: 'files', files: fromFolder ? keepMidiFromFolder(files) : files };
}

function fileOfEntry(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readAllEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = (): void =>
      reader.readEntries((entries) => {
        if (entries.length === 0) resolve(all);
        else {
          all.push(...entries);
          next();
        }
      }, reject);
    next();
  });
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

async function collectEntry(entry: FileSystemEntry, insideFolder: boolean, out: LocalFile[]): Promise<void> {
  if (isFileEntry(entry)) {
    const file = localFile(await fileOfEntry(entry), entry.fullPath);
    // A file dropped by itself is tried whatever its ending; inside folders only MIDI endings count.
    out.push(...(insideFolder ? keepMidiFromFolder([file]) : [file]));
  } else if (isDirectoryEntry(entry)) {
    for (const child of await readAllEntries(entry)) await collectEntry(child, true, out);
  }
}

/**
 * Must be called inside the drop event: the DataTransfer's items are emptied once it returns. The
 * entries are taken synchronously; reading them may finish later.
 */
export function selectionFromDrop(dataTransfer: DataTransfer, platform: PlatformBridge): Promise<ImportSelection> {
  const { pathForFile } = platform;
  if (pathForFile) {
    // Desktop: main reads dropped files and folders by path, with no bytes through the renderer.
    const paths = Array.from(dataTransfer.files, (file) => pathForFile(file)).filter((p) => p !== '');
    return Promise.resolve({ kind: 'paths', paths });
  }
  const entries = Array.from(dataTransfer.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null)).filter(
    (entry): entry is FileSystemEntry => entry !== null,
  );
  if (entries.length === 0) {
    const files = Array.from(dataTransfer.files, (file) => localFile(file, file.name));
    return Promise.resolve({ kind: 'files', files });
  }
  return (async () => {
    const files: LocalFile[] = [];
    for (const entry of entries) await collectEntry(entry, false, files);
    return { kind: 'files', files } as const;
  })();
}

/** Whether a drag carries files (not text or a link dragged from the page). */
export function dragHasFiles(dataTransfer: DataTransfer | null): boolean {
  return dataTransfer !== null && Array.from(dataTransfer.types).includes('Files');
}
