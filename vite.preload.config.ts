// Vite config for the preload (preload.js). A sandboxed preload can require only `electron` (and a
// few builtins), so everything else, core/ipc and zod included, is bundled into one file; Forge's
// Vite plugin supplies the rest (CommonJS, single chunk, `electron` external).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'chrome130',
    sourcemap: true,
  },
});
