/** Composer settings, one JSON value per key, with defaults for anything never set. */
import { SettingsSchema, type Settings } from '../../../core/ipc/schemas';
import type { StudioDatabase } from './database/open-database';

const DEFAULTS: Settings = { midiSysex: false, soundFontPath: null };

export class SettingsStore {
  constructor(private readonly db: StudioDatabase) {}

  get(): Settings {
    const rows = this.db.prepare(`SELECT key, value FROM settings`).all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key] = JSON.parse(row.value) as unknown;
    return SettingsSchema.parse({ ...DEFAULTS, ...pick(stored, Object.keys(DEFAULTS)) });
  }

  update(changes: Partial<Settings>): Settings {
    const write = this.db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(changes)) if (value !== undefined) write.run(key, JSON.stringify(value));
    })();
    return this.get();
  }

  /** Internal flags that are not composer settings (e.g. whether the demo corpus was imported). */
  flag(key: string): boolean {
    return this.db.prepare(`SELECT 1 FROM settings WHERE key = ?`).get(`flag:${key}`) !== undefined;
  }

  setFlag(key: string): void {
    this.db.prepare(`INSERT OR REPLACE INTO settings (key, value) VALUES (?, 'true')`).run(`flag:${key}`);
  }
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}
