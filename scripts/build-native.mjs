// Builds the studio's native addon (native/ -> native/build/Release/studio_native.node) with
// node-gyp. It NEVER fails the install: on any problem it prints why and exits 0, and the studio
// uses its pure-TypeScript kernels instead (same results, slower).
//   STUDIO_NATIVE=off         skip the build
//   npm_config_node_gyp       node-gyp to use (npm sets it inside install scripts)
//   npm_config_nodedir        Node headers folder (otherwise the running Node's own headers when
//                             present, so no download is needed)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native');
const output = path.join(nativeDir, 'build', 'Release', 'studio_native.node');
const log = (message) => console.log(`[build-native] ${message}`);
const fallback = (why) => {
  log(`${why}`);
  log('The native addon is not available: the studio will use its TypeScript kernels (same results, slower).');
  process.exit(0);
};

function findNodeGyp() {
  const nodePrefix = path.resolve(path.dirname(process.execPath), '..');
  const candidates = [
    process.env.npm_config_node_gyp,
    // npm's own node-gyp, next to the running Node (Linux/macOS layout, then Windows).
    path.join(nodePrefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(root, 'node_modules', '@electron', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((candidate) => candidate && fs.existsSync(candidate));
}

/** Local Node headers, so node-gyp does not try to download them. */
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

function main() {
  if (process.env.STUDIO_NATIVE === 'off') fallback('STUDIO_NATIVE=off: not building.');
  if (!fs.existsSync(path.join(nativeDir, 'binding.gyp'))) fallback(`no ${path.join(nativeDir, 'binding.gyp')}.`);
  const nodeGyp = findNodeGyp();
  if (!nodeGyp) fallback('node-gyp was not found (it ships with npm; install a C++ toolchain and python3 too).');
  const nodeDir = findNodeDir();
  const args = [nodeGyp, 'rebuild', '--directory', nativeDir, ...(nodeDir ? [`--nodedir=${nodeDir}`] : [])];
  log(`${nodeGyp} rebuild --directory native${nodeDir ? ` --nodedir=${nodeDir}` : ''}`);
  const started = Date.now();
  const build = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 10 * 60_000 });
  if (build.error || build.status !== 0) {
    const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.split('\n').filter((line) => !line.startsWith('gyp info')).slice(-25).join('\n');
    if (output.trim()) console.log(output);
    fallback(`node-gyp failed (${build.error ? build.error.message : `exit code ${build.status}`}); a C++17 compiler, make and python3 are needed.`);
  }
  // Load it once in a fresh process: a build that cannot load is no better than none.
  const check = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(output)}); if (typeof m.eStep !== 'function') process.exit(3);`], {
    encoding: 'utf8',
  });
  if (check.status !== 0) {
    fs.rmSync(output, { force: true });
    fallback(`the built addon does not load: ${(check.stderr || `exit code ${check.status}`).trim().split('\n')[0]}`);
  }
  log(`built ${path.relative(root, output)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

try {
  main();
} catch (error) {
  fallback(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
}
