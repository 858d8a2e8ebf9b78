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
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
