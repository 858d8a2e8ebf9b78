import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const projectRoot = path.resolve(__dirname, '../..');
export const workerScript = path.join(projectRoot, '.build/node/job-worker.js');
export const serveScript = path.join(projectRoot, '.build/node/serve.js');

/** The shared JSB chorales, beside the project; tests that need them skip when they are absent. */
export const jsbRoot = path.resolve(projectRoot, '../shared/corpora/jsb_chorales');
export const jsbMidiRoot = path.join(jsbRoot, 'midi_16th_satb');
export const hasJsb = fs.existsSync(path.join(jsbMidiRoot, 'train'));
export const JSB_MISSING = `the shared JSB chorales are not at ${jsbMidiRoot}: skipped`;

/** A fresh temporary folder, removed by the caller's afterEach/afterAll. */
export function tempDir(prefix = 'studio-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
export const testWorkerScript = path.join(projectRoot, '.build/node/test-job-worker.js');
