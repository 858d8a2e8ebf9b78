// The React renderer. `vite build --config vite.renderer.config.ts` writes .build/renderer (served by
// browser mode); Electron Forge's plugin-vite loads this same file for the `main_window` renderer and
// passes `forgeConfigSelf`, and then the output goes where Forge's main process looks for it.
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig, type ConfigEnv, type Plugin, type UserConfig } from 'vite';

const projectRoot = __dirname;

type ForgeEnv = ConfigEnv & { forgeConfigSelf?: { name?: string } };

/**
 * The dev server needs what the built page must never allow: React Refresh's inline preamble, Vite's
 * injected <style> elements and its HMR socket. Only `vite serve` gets this looser CSP.
 */
function devServerCsp(): Plugin {
  return {
    name: 'studio-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:*");
    },
  };
}

export default defineConfig((env: ForgeEnv): UserConfig => {
  const forgeName = env.forgeConfigSelf?.name;
  return {
    root: path.join(projectRoot, 'renderer'),
    base: './',
    plugins: [react(), devServerCsp()],
    build: {
      outDir: forgeName ? path.join(projectRoot, '.vite/renderer', forgeName) : path.join(projectRoot, '.build/renderer'),
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: true,
      // One small app; keep the build free of noise about chunk sizes.
      chunkSizeWarningLimit: 1500,
    },
    server: { host: '127.0.0.1' },
  };
});
