/**
 * Opens (or creates) the studio's database: WAL, foreign keys, migrations.
 *
 * better-sqlite3 is a native module and a composer's machine has two builds of it: one for Node
 * (tests, browser mode) and one rebuilt for Electron by `npm start`. `resolveNativeBinding` picks
 * the build that matches the running process (see scripts/native-bindings.mjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations';
import { resolveNativeBinding } from './native-binding';

export type StudioDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /** `FULL` makes each commit survive power loss; `NORMAL` (WAL's usual) survives a crash of the app. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): StudioDatabase {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const nativeBinding = resolveNativeBinding();
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function schemaVersion(db: StudioDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: StudioDatabase): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `This database was written by a newer version of the studio (schema ${current}; this version knows ${migrations.length}).`,
    );
  }
  if (current === migrations.length) return;
  // As SQLite prescribes for schema changes that rebuild tables: foreign keys off while migrating
  // (dropping a rebuilt parent table must not fire ON DELETE actions), checked before they go back on.
  db.pragma('foreign_keys = OFF');
  try {
    for (let version = current; version < migrations.length; version++) {
      db.transaction(() => {
        db.exec(migrations[version]!);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`Migration ${version + 1} would leave ${broken.length} broken references; nothing was changed.`);
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}
