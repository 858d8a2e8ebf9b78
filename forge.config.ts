/**
 * Electron Forge: `npm start` builds main, the job worker and the preload with Vite, serves the
 * renderer from Vite's dev server, rebuilds better-sqlite3 for Electron, and launches Electron.
 * Installers come from electron-builder (electron-builder.yml, `npm run dist`), which packages the
 * same Vite output that scripts/build-electron.mjs builds from `vitePluginConfig` below.
 */
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';

export type VitePluginConfig = ConstructorParameters<typeof VitePlugin>[0];

/** The build targets, shared with scripts/build-electron.mjs so both build exactly the same. */
export const vitePluginConfig: VitePluginConfig = {
  build: [
    // Output names follow the entry files: main.js, job-worker.js, preload.js in .vite/build.
    { entry: 'electron/main/app/main.ts', config: 'vite.main.config.ts', target: 'main' },
    { entry: 'electron/workers/job-worker.ts', config: 'vite.main.config.ts', target: 'main' },
    { entry: 'electron/preload/preload.ts', config: 'vite.preload.config.ts', target: 'preload' },
  ],
  // The name sets MAIN_WINDOW_VITE_DEV_SERVER_URL / MAIN_WINDOW_VITE_NAME in main.
  renderer: [{ name: 'main_window', config: 'vite.renderer.config.ts' }],
};

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Composition Studio',
    executableName: 'composition-studio',
    asar: { unpack: '**/*.node' },
  },
  // Only better-sqlite3 is native; the Node build it had before is kept in .native/ (postinstall).
  rebuildConfig: { onlyModules: ['better-sqlite3'] },
  // Installers are electron-builder's job (`npm run dist`).
  makers: [],
  plugins: [new VitePlugin(vitePluginConfig)],
};

export default config;
