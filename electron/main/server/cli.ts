/** The command line of `npm run serve` / `node .build/node/serve.js`. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { databasePath, defaultDataDir } from '../services/paths';

export interface ServeOptions {
  readonly port: number;
  readonly dataDir: string;
  readonly databasePath: string;
  /** False with --no-demo: the first run then starts with an empty library (tests use this). */
  readonly importDemo: boolean;
  /** --open: print the address prominently (the server never launches a browser itself). */
  readonly open: boolean;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run serve -- [options]   (or: node .build/node/serve.js [options])

Runs the studio in your browser: serves the page and the studio's services on 127.0.0.1 only.
Open the printed address (it carries a one-time token) in Chromium or Chrome.

Options:
  --port N          port to listen on (default 0: any free port)
  --db PATH         database file (also STUDIO_DB; default <data dir>/studio.sqlite)
  --data-dir DIR    data folder (also STUDIO_DATA_DIR; default: the desktop app's user-data folder)
  --no-demo         do not import the demo corpus on first run
  --open            print the address to open, prominently
  --help            show this help`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseServeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServeOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-demo': { type: 'boolean' },
        open: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = parsePort(values.port);
  const dataDir = values['data-dir'] !== undefined ? path.resolve(values['data-dir']) : defaultDataDir(env);
  return {
    port,
    dataDir,
    databasePath: databasePath(dataDir, argv, env),
    importDemo: values['no-demo'] !== true,
    open: values.open === true,
    help: values.help === true,
  };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${JSON.stringify(text)}.`);
  }
  return port;
}
