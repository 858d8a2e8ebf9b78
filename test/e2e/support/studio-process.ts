/** Starts browser mode's real server (.build/node/serve.js) on a free port with a throwaway database. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serveScript, tempDir } from '../../support/paths';

export interface StudioProcess {
  readonly url: string;
  readonly dataDir: string;
  /** Everything the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

export async function startStudioProcess(): Promise<StudioProcess> {
  if (!fs.existsSync(serveScript)) throw new Error(`${serveScript} is missing: test/support/global-setup.ts should have built it.`);
  const dataDir = tempDir('studio-e2e-');
  const child: ChildProcess = spawn(
    process.execPath,
    [serveScript, '--port', '0', '--db', path.join(dataDir, 'e2e.sqlite'), '--data-dir', dataDir, '--no-demo'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`The studio server printed no STUDIO_URL within ${STARTUP_TIMEOUT_MS} ms.\n${stderr}`)), STARTUP_TIMEOUT_MS);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^STUDIO_URL=(\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The studio server exited with code ${code} before it was ready.\n${stderr}`));
    });
  });

  return {
    url,
    dataDir,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
