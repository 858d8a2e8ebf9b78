/** Names of what a comparison exports: its CSV and its samples as a folder of .mid files, by model. */

/** Characters some file system cannot hold in a name, and control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE_FILE_CHARACTERS = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/**
 * A name usable as a file or folder name on every system: unsafe characters become "-", and
 * leading/trailing dots and spaces go (Windows drops them; "." and ".." would climb). `fallback`
 * when nothing is left.
 */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name
    .replace(UNSAFE_FILE_CHARACTERS, '-')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 120)
    .trim();
  return cleaned === '' ? fallback : cleaned;
}

/** "sample-01.mid", with as many digits as the largest number needs (at least two). */
export function sampleFileName(sampleNumber: number, count: number): string {
  const digits = Math.max(2, String(count).length);
  return `sample-${String(sampleNumber).padStart(digits, '0')}.mid`;
}

export interface SampleFile {
  readonly clipId: number;
  /** "<model>/sample-01.mid", with "/" separators. */
  readonly relativePath: string;
}

/**
 * Where each sample goes: one folder per model, named after it (two models of one name get
 * "name (2)"), samples numbered in the order they were made.
 */
export function sampleFiles(models: readonly { readonly modelName: string; readonly clipIds: readonly number[] }[]): SampleFile[] {
  const used = new Set<string>();
  const files: SampleFile[] = [];
  for (const model of models) {
    const base = safeFileName(model.modelName, 'model');
    let folder = base;
    for (let n = 2; used.has(folder.toLowerCase()); n++) folder = `${base} (${n})`;
    used.add(folder.toLowerCase());
    model.clipIds.forEach((clipId, index) => files.push({ clipId, relativePath: `${folder}/${sampleFileName(index + 1, model.clipIds.length)}` }));
  }
  return files;
}
