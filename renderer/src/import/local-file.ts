/**
 * A file the renderer holds (browser mode) in a form the import logic can use without the DOM, so
 * the planning and upload code is unit-testable under Node.
 */
export interface LocalFile {
  /** Path relative to what the user chose, "/"-separated, e.g. "train/001.mid" or "song.mid". */
  readonly relativePath: string;
  readonly size: number;
  read(): Promise<Uint8Array>;
}

/** Backslashes to "/", no leading "/" or "./", no empty segments. */
export function normaliseRelativePath(raw: string): string {
  return raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

export function baseName(filePath: string): string {
  const parts = filePath.split(/[\\/]/).filter((part) => part !== '');
  return parts[parts.length - 1] ?? '';
}

export function stripExtension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}
