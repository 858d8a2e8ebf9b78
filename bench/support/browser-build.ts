/**
 * Browser benchmarks serve the real renderer through browser mode: build it (and the server) first
 * when the build is missing or older than the sources.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** Newest modification time under a folder (source files only). */
function newestUnder(folder: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(full));
    else if (/\.(tsx?|css|html)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Returns notes for the bench's output on what it had to build. */
export function ensureBuilt(): string[] {
  const notes: string[] = [];
  const rendererIndex = path.join(ROOT, '.build/renderer/index.html');
  const sources = Math.max(newestUnder(path.join(ROOT, 'renderer')), newestUnder(path.join(ROOT, 'core')));
  if (!fs.existsSync(rendererIndex) || fs.statSync(rendererIndex).mtimeMs < sources) {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    notes.push('built the renderer first (it was missing or older than the sources)');
  }
  if (!fs.existsSync(path.join(ROOT, '.build/node/serve.js'))) {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-node.mjs')], { cwd: ROOT, stdio: 'inherit' });
    notes.push('built the server first');
  }
  return notes;
}
