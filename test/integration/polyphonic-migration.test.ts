// Migration 6: the models table rebuilt for the polyphonic family (and, ahead of them, the VAE and
// RL families), keeping every model, clip link and the id counter of a database migration 5 left.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PolyphonicSettingsSchema } from '../../core/ipc/schemas';
import { migrations } from '../../electron/main/services/database/migrations';
import { resolveNativeBinding } from '../../electron/main/services/database/native-binding';
import { openDatabase, schemaVersion } from '../../electron/main/services/database/open-database';
import { ModelStore } from '../../electron/main/services/models/model-store';
import { tempDir } from '../support/paths';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 6', () => {
  it('rebuilds the models table: rows, links, engine reasons and the id counter kept; polyphonic models (and vae, rl, melody) allowed', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'old.sqlite');
    // A database as the studio with LSTMs and transformers left it: migrations 1 to 5.
    const binding = resolveNativeBinding();
    const old = new Database(file, binding ? { nativeBinding: binding } : {});
    for (const migration of migrations.slice(0, 5)) old.exec(migration);
    old.pragma('user_version = 5');
    old.pragma('foreign_keys = ON');
    const corpusId = Number(old.prepare(`INSERT INTO corpora (name) VALUES ('C')`).run().lastInsertRowid);
    const insert = old.prepare(
      `INSERT INTO models (name, family, corpus_id, representation, status, settings, engine, engine_reason, history, iterations) VALUES (?, ?, ?, ?, 'trained', ?, 'wasm', 'why', '[{"iteration":1,"logLikelihoodPerToken":-2}]', 1)`,
    );
    const lstmSettings = JSON.stringify({ family: 'lstm' });
    const kept = Number(insert.run('Kept', 'lstm', corpusId, 'note-steps', lstmSettings).lastInsertRowid);
    const deleted = Number(insert.run('Deleted', 'transformer', corpusId, 'event', JSON.stringify({ family: 'transformer' })).lastInsertRowid);
    old.prepare(`INSERT INTO clips (name, model_id, music, track_count, note_count, duration_seconds) VALUES ('clip', ?, '{}', 1, 0, 0)`).run(kept);
    old.prepare(`DELETE FROM models WHERE id = ?`).run(deleted);
    expect(() => old.prepare(`INSERT INTO models (name, family, corpus_id, representation, status, settings) VALUES ('x', 'polyphonic', ?, 'pianoroll', 'training', '{}')`).run(corpusId)).toThrow(/CHECK/);
    old.close();

    const migrated = openDatabase(file);
    expect(schemaVersion(migrated)).toBe(6);
    expect(migrations).toHaveLength(6);
    expect(migrated.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(migrated.prepare(`SELECT model_id FROM clips`).get()).toEqual({ model_id: kept });
    expect(migrated.prepare(`SELECT name, family, representation, engine, engine_reason, iterations, history FROM models WHERE id = ?`).get(kept)).toEqual({
      name: 'Kept',
      family: 'lstm',
      representation: 'note-steps',
      engine: 'wasm',
      engine_reason: 'why',
      iterations: 1,
      history: '[{"iteration":1,"logLikelihoodPerToken":-2}]',
    });
    // The id counter survives: the next model does not take the deleted one's id.
    const store = new ModelStore(migrated);
    const polyphonic = store.create({ name: 'NADE', corpusId, settings: PolyphonicSettingsSchema.parse({}) });
    expect(polyphonic).toBe(deleted + 1);
    expect(store.get(polyphonic)).toMatchObject({ family: 'polyphonic', representation: 'pianoroll', settings: { family: 'polyphonic', kind: 'rnn-nade', resolution: 4 } });
    // The next issue's families fit too; others are still refused.
    const raw = migrated.prepare(`INSERT INTO models (name, family, corpus_id, representation, status, settings) VALUES ('x', ?, ?, ?, 'training', '{}')`);
    expect(() => raw.run('vae', corpusId, 'melody')).not.toThrow();
    expect(() => raw.run('rl', corpusId, 'melody')).not.toThrow();
    expect(() => raw.run('gan', corpusId, 'melody')).toThrow(/CHECK/);
    expect(() => raw.run('vae', corpusId, 'audio')).toThrow(/CHECK/);
    // The clip still follows its model (ON DELETE SET NULL), with foreign keys back on.
    expect(migrated.pragma('foreign_keys', { simple: true })).toBe(1);
    store.delete(kept);
    expect(migrated.prepare(`SELECT model_id FROM clips`).get()).toEqual({ model_id: null });
    migrated.close();
  });
});
