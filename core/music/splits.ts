import type { SplitName } from './types';

const FOLDER_SPLITS: Readonly<Record<string, SplitName>> = {
  train: 'train',
  training: 'train',
  valid: 'valid',
  validation: 'valid',
  val: 'valid',
  dev: 'valid',
  test: 'test',
  testing: 'test',
};

/**
 * A corpus imported with folders named train/valid/test keeps that split: the nearest folder in the
 * relative path that names a split decides.
 */
export function splitFromRelativePath(relativePath: string): SplitName | null {
  const folders = relativePath.split(/[\\/]/).slice(0, -1).reverse();
  for (const folder of folders) {
    const split = FOLDER_SPLITS[folder.toLowerCase()];
    if (split) return split;
  }
  return null;
}
