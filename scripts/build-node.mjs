// Bundles the Node-side entry points that run outside Electron: the job worker and browser mode's
// server. Electron's own build (forge.config.ts / scripts/build-electron.mjs) bundles the same
// sources for Electron. Native modules stay external.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const nodeEntries = {
  'job-worker': 'electron/workers/job-worker.ts',
  serve: 'electron/main/server/serve.ts',
};

export async function buildNode({ outdir = path.join(root, '.build/node'), entries = nodeEntries, extra = {} } = {}) {
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries({ ...entries, ...extra }).map(([name, file]) => [name, path.join(root, file)])),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['better-sqlite3', 'electron'],
    logLevel: 'warning',
  });
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildNode();
}
