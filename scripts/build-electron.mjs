// Builds what electron-builder packages, without Electron Forge and without an Electron binary:
// main.js, job-worker.js and preload.js in .vite/build, and the renderer in .vite/renderer/main_window.
// It uses Forge's own Vite config generator on the targets declared in forge.config.ts, so the
// output is what `electron-forge package` would build.
//   node scripts/build-electron.mjs            all targets
//   node scripts/build-electron.mjs --no-renderer   main, worker and preload only
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Reads forge.config.ts the way Forge does (jiti), for its `vitePluginConfig`. */
async function loadVitePluginConfig() {
  const { createJiti } = require('jiti');
  const forgeConfig = await createJiti(import.meta.url).import(path.join(root, 'forge.config.ts'));
  if (!forgeConfig.vitePluginConfig) throw new Error('forge.config.ts does not export vitePluginConfig.');
  return forgeConfig.vitePluginConfig;
}

function fail(message) {
  console.error(`build-electron: ${message}`);
  process.exit(1);
}

async function main() {
  const withRenderer = !process.argv.includes('--no-renderer');
  // Forge runs Vite from the project folder; config paths in forge.config.ts are relative to it.
  process.chdir(root);
  const vite = await import('vite');
  const { default: ViteConfigGenerator } = require('@electron-forge/plugin-vite/dist/ViteConfig.js');
  const pluginConfig = await loadVitePluginConfig();
  const generator = new ViteConfigGenerator(pluginConfig, root, true);

  fs.rmSync(path.join(root, '.vite/build'), { recursive: true, force: true });
  for (const config of await generator.getBuildConfigs()) {
    await vite.build({ ...config, configFile: false, logLevel: 'warn' });
  }
  for (const name of ['main.js', 'job-worker.js', 'preload.js']) {
    if (!fs.existsSync(path.join(root, '.vite/build', name))) fail(`.vite/build/${name} was not built.`);
  }
  console.log('build-electron: built .vite/build/{main,job-worker,preload}.js');
  if (!withRenderer) return;

  for (const renderer of pluginConfig.renderer) {
    if (!fs.existsSync(path.join(root, renderer.config))) {
      fail(`the renderer "${renderer.name}" needs ${renderer.config}, which does not exist yet; main, worker and preload are built, the renderer is not.`);
    }
  }
  const rendererConfigs = await generator.getRendererConfig();
  for (const [index, config] of rendererConfigs.entries()) {
    const name = pluginConfig.renderer[index].name;
    // Where main looks for it (../renderer/<name>/index.html from .vite/build), whatever root the
    // renderer's own config sets; `base: './'` from Forge keeps asset URLs relative for file://.
    const outDir = path.join(root, '.vite/renderer', name);
    const rendererRoot = path.resolve(root, config.root ?? '.');
    if (!fs.existsSync(path.join(rendererRoot, 'index.html'))) {
      fail(`the renderer "${name}" has no ${path.relative(root, path.join(rendererRoot, 'index.html'))}; main, worker and preload are built, the renderer is not.`);
    }
    await vite.build({
      ...config,
      configFile: false,
      logLevel: 'warn',
      build: { ...config.build, outDir, emptyOutDir: true },
    });
    if (!fs.existsSync(path.join(outDir, 'index.html'))) fail(`.vite/renderer/${name}/index.html was not built.`);
    console.log(`build-electron: built .vite/renderer/${name}`);
  }
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
