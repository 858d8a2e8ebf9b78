/**
 * Child process for the crash test: imports a folder into a studio database and prints
 * `COMMITTED <pieces>` each time a batch has been committed, until it is killed.
 * Usage: node --import tsx test/support/import-child.ts <db file> <data dir> <folder>
 */
import { createStudio } from '../../electron/main/services/studio';
import { workerScript } from './paths';

const [databasePath, dataDir, folder] = process.argv.slice(2);
if (!databasePath || !dataDir || !folder) throw new Error('usage: import-child <db> <data dir> <folder>');
const studio = createStudio({ mode: 'browser', version: 'crash-test', dataDir, databasePath, workerScript, poolSize: 1 });
studio.onEvent((event) => {
  if (event !== 'library.changed') return;
  const { n } = studio.db.prepare(`SELECT COUNT(*) AS n FROM pieces`).get() as { n: number };
  process.stdout.write(`COMMITTED ${n}\n`);
});
void studio.handlers['corpora.importPaths']({ corpusName: 'Crash test', paths: [folder] });
