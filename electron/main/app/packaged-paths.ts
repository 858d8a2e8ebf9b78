/** Paths that differ between `npm start` (files in the project) and a packaged app (inside app.asar). */
import fs from 'node:fs';
import path from 'node:path';

/**
 * The job worker as Node should load it. electron-builder unpacks it beside the archive
 * (asarUnpack), so a worker thread reads a plain file whatever the Electron version's asar support.
 */
export function workerScriptPath(mainDir: string, exists: (file: string) => boolean = fs.existsSync): string {
  const packed = path.join(mainDir, 'job-worker.js');
  const unpacked = packed.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return unpacked !== packed && exists(unpacked) ? unpacked : packed;
}

/** The demo corpus: `resources/demo` in the project, `<resources>/demo` once packaged (extraResources). */
export function demoCorpusDir(options: { isPackaged: boolean; appPath: string; resourcesPath: string }): string {
  return options.isPackaged ? path.join(options.resourcesPath, 'demo') : path.join(options.appPath, 'resources', 'demo');
}
