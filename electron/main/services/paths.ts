/**
 * Where the studio keeps its data. Electron and browser mode use the same folder, so a composer sees
 * the same library in both: Electron's userData for the product name.
 */
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Composition Studio';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.STUDIO_DATA_DIR) return path.resolve(env.STUDIO_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

/** `--db PATH` wins over STUDIO_DB, which wins over `<data dir>/studio.sqlite`. */
export function databasePath(dataDir: string, argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): string {
  const flag = argv.indexOf('--db');
  if (flag >= 0 && argv[flag + 1]) return path.resolve(argv[flag + 1]!);
  const inline = argv.find((arg) => arg.startsWith('--db='));
  if (inline) return path.resolve(inline.slice('--db='.length));
  if (env.STUDIO_DB) return path.resolve(env.STUDIO_DB);
  return path.join(dataDir, 'studio.sqlite');
}
