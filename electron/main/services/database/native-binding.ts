/**
 * Which better-sqlite3 binary to load. `npm install` keeps a copy of the Node build in
 * `.native/node-<modules ABI>/` (scripts/native-bindings.mjs) before `npm start` rebuilds the
 * package's own copy for Electron; Node processes load the kept copy, Electron the package's own.
 */
import fs from 'node:fs';
import path from 'node:path';

export function resolveNativeBinding(): string | undefined {
  if (process.versions.electron) return undefined;
  const fromEnv = process.env.STUDIO_SQLITE_BINDING;
  if (fromEnv) return fromEnv;
  const candidate = path.join(projectRoot(), '.native', `node-${process.versions.modules}`, 'better_sqlite3.node');
  return fs.existsSync(candidate) ? candidate : undefined;
}

/** The folder holding package.json, found by walking up from this file (source or bundle). */
function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}
