/**
 * Browser mode's entry (bundled to .build/node/serve.js): the studio's services in plain Node,
 * behind a token-protected WebSocket on 127.0.0.1, plus the built renderer. Prints exactly one
 * `STUDIO_URL=...` line on stdout once listening (scripts and tests parse it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createStudio, type Studio } from '../services/studio';
import { parseServeArgs, UsageError, USAGE, type ServeOptions } from './cli';
import { RENDERER_MISSING_MESSAGE } from './static-files';
import { startStudioServer, type StudioServer } from './studio-server';

function projectRoot(): string {
  // The bundle lives in <root>/.build/node, the source in <root>/electron/main/server.
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

function packageVersion(root: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

function logError(error: unknown): void {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
}

async function main(options: ServeOptions): Promise<void> {
  const root = projectRoot();
  // Undocumented: tests point the server at a renderer folder they control.
  const rendererDir = path.resolve(process.env.STUDIO_RENDERER_DIR ?? path.join(root, '.build/renderer'));
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) console.error(`Warning: ${RENDERER_MISSING_MESSAGE}`);

  const studio: Studio = createStudio({
    mode: 'browser',
    version: packageVersion(root),
    dataDir: options.dataDir,
    databasePath: options.databasePath,
    workerScript: path.join(__dirname, 'job-worker.js'),
    ...(options.importDemo ? { demoCorpusDir: path.join(root, 'resources/demo') } : {}),
    logError,
  });
  let server: StudioServer;
  try {
    server = await startStudioServer({ studio, port: options.port, rendererDir, logError });
  } catch (error) {
    await studio.close();
    throw error;
  }

  let closing = false;
  const shutDown = (signal: NodeJS.Signals): void => {
    if (closing) {
      console.error(`${signal} again: stopping without waiting.`);
      process.exit(1);
    }
    closing = true;
    void (async () => {
      try {
        await server.close();
        await studio.close();
        process.exit(0);
      } catch (error) {
        logError(error);
        process.exit(1);
      }
    })();
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);

  process.stdout.write(`STUDIO_URL=${server.url}\n`);
  const human = `Composition Studio ${packageVersion(root)} (browser mode) is running. Data: ${options.dataDir}. Press Ctrl+C to stop.`;
  process.stdout.write(options.open ? `${human}\n\n  Open this address in Chromium or Chrome:\n\n  ${server.url}\n\n` : `${human}\n`);
}

let options: ServeOptions;
try {
  options = parseServeArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
} else {
  main(options).catch((error: unknown) => {
    console.error('The studio server could not start:');
    logError(error);
    process.exit(1);
  });
}
