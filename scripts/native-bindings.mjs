// Keeps a copy of better-sqlite3's Node build, because `npm start` (Electron Forge) and
// `npm run dist` (electron-builder) rebuild the package's own binary for Electron in place, after
// which plain Node (tests, browser mode) could no longer load it. Node processes load the copy
// (electron/main/services/database/native-binding.ts); Electron loads the package's own binary.
//
//   node scripts/native-bindings.mjs save-node   (npm's postinstall) copy the binary to
//                                                .native/node-<ABI>/better_sqlite3.node if it loads here
//
// It never fails an install: when the binary is missing or is not a Node build, it says so and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The binary npm installed (or a rebuild replaced). */
export function packageBinaryPath(root = projectRoot) {
  return path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/** Where the Node build for this ABI is kept: one folder per NODE_MODULE_VERSION. */
export function nodeBindingTarget(root = projectRoot, modulesAbi = process.versions.modules) {
  if (!/^\d+$/.test(String(modulesAbi))) throw new Error(`Not a Node module ABI: ${modulesAbi}`);
  return path.join(root, '.native', `node-${modulesAbi}`, 'better_sqlite3.node');
}

/**
 * Whether this Node can open an in-memory database with `binary`. Runs in a child process, since a
 * binary built for another ABI can abort the process that loads it.
 */
export function loadsInThisNode(binary, root = projectRoot) {
  const probe = [
    "const Database = require('better-sqlite3');",
    'const db = new Database(":memory:", { nativeBinding: process.env.STUDIO_PROBE_BINDING });',
    "if (db.prepare('SELECT 41 + 1 AS answer').get().answer !== 42) process.exit(3);",
    'db.close();',
  ].join('\n');
  const result = spawnSync(process.execPath, ['-e', probe], {
    cwd: root,
    env: { ...process.env, STUDIO_PROBE_BINDING: binary },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status === 0) return { ok: true, reason: '' };
  const reason = (result.stderr || result.error?.message || `exit ${result.status ?? result.signal}`).trim().split('\n').find((line) => /Error|error/.test(line));
  return { ok: false, reason: reason ?? `exit ${result.status ?? result.signal}` };
}

/** Copies the package's binary to the kept location, atomically, when it is a working Node build. */
export function saveNodeBinding({ root = projectRoot, log = console.log } = {}) {
  const source = packageBinaryPath(root);
  const target = nodeBindingTarget(root);
  const relTarget = path.relative(root, target);
  if (!fs.existsSync(source)) {
    log(`native-bindings: no better-sqlite3 binary at ${path.relative(root, source)}; nothing saved (tests under Node need \`npm rebuild better-sqlite3\`).`);
    return false;
  }
  const check = loadsInThisNode(source, root);
  if (!check.ok) {
    const kept = fs.existsSync(target) ? `keeping the existing ${relTarget}` : `no Node copy yet; run \`npm rebuild better-sqlite3\` then \`node scripts/native-bindings.mjs save-node\``;
    log(`native-bindings: better-sqlite3's binary does not load in Node ${process.version} (probably built for Electron): ${check.reason}; ${kept}.`);
    return false;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  fs.copyFileSync(source, temporary);
  fs.renameSync(temporary, target);
  log(`native-bindings: saved better-sqlite3's Node build (ABI ${process.versions.modules}) to ${relTarget}.`);
  return true;
}

function main(argv) {
  const command = argv[2];
  if (command !== 'save-node') {
    console.error('usage: node scripts/native-bindings.mjs save-node');
    process.exitCode = 2;
    return;
  }
  try {
    saveNodeBinding();
  } catch (error) {
    // An install must not fail because of this copy; say why and go on.
    console.log(`native-bindings: could not save the Node build of better-sqlite3: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv);
