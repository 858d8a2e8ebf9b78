// Vite config for the main-process bundles (main.js, job-worker.js). Forge's Vite plugin merges
// this into its own defaults (CommonJS library build into .vite/build, `electron` and Node builtins
// external). better-sqlite3 stays external: its native binary is loaded from node_modules.
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default defineConfig({
  build: {
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      external: ['better-sqlite3', 'electron', ...nodeBuiltins],
    },
  },
});
