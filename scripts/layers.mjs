// The layering of the studio's folders, as ESLint `no-restricted-imports` rules.
// core/            runs anywhere: no Node, no DOM, no Electron, nothing from other folders.
// renderer/        untrusted DOM code: core/ only, no Node, no Electron, nothing from electron/.
// electron/preload bridge: core/ and electron's renderer-side modules only.
// electron/workers Node, no Electron: core/ and itself.
// electron/main/services and server: Node, no Electron (browser mode runs them in plain Node).
// electron/main/app: Electron's main process: everything of main, core.
import { builtinModules } from 'node:module';

const nodeBuiltins = [
  ...new Set([
    ...builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:')),
    ...builtinModules.map((name) => (name.startsWith('node:') ? name : `node:${name}`)),
  ]),
];
const nodeOnlyPackages = ['better-sqlite3', 'ws', 'electron'];

function restrict(files, { paths = [], patterns = [] }) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths: [...new Set(paths)].map((name) => ({ name, message: `${files[0]} may not import ${name}: see ARCHITECTURE.md, "Layers".` })), patterns }],
    },
  };
}

const fromOutside = (what) => ({ group: what, message: 'This import crosses a layer boundary: see ARCHITECTURE.md, "Layers".' });

export const layerRules = [
  restrict(['core/**'], {
    paths: [...nodeBuiltins, ...nodeOnlyPackages, 'react', 'react-dom', 'tone', 'webmidi'],
    patterns: [fromOutside(['**/electron/**', '**/renderer/**', '**/native/**', 'node:*'])],
  }),
  restrict(['renderer/**'], {
    paths: [...nodeBuiltins, ...nodeOnlyPackages],
    patterns: [fromOutside(['**/electron/**', 'node:*'])],
  }),
  restrict(['electron/preload/**'], {
    paths: [...nodeBuiltins, 'better-sqlite3', 'ws'],
    patterns: [fromOutside(['**/renderer/**', '**/main/**', '**/workers/**', 'node:*'])],
  }),
  restrict(['electron/workers/**'], {
    paths: ['electron', 'better-sqlite3', 'react', 'react-dom'],
    patterns: [fromOutside(['**/renderer/**', '**/main/**', '**/preload/**'])],
  }),
  restrict(['electron/main/services/**', 'electron/main/server/**'], {
    paths: ['electron', 'react', 'react-dom'],
    patterns: [fromOutside(['**/renderer/**', '**/preload/**', '**/main/app/**', '**/workers/**'])],
  }),
  restrict(['electron/main/app/**'], {
    paths: ['react', 'react-dom'],
    patterns: [fromOutside(['**/renderer/**', '**/preload/**', '**/workers/**'])],
  }),
];
