import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../electron/main/services/database/open-database';
import { migrations } from '../../../electron/main/services/database/migrations';
import { databasePath, defaultDataDir } from '../../../electron/main/services/paths';
import { SettingsStore } from '../../../electron/main/services/settings-store';
import { tempDir } from '../../support/paths';

describe('data folder and database path', () => {
  it('follows each platform’s convention for user data, shared by Electron and browser mode', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/config' }, 'linux')).toBe(path.join('/x/config', 'Composition Studio'));
    expect(defaultDataDir({ APPDATA: 'C:/Users/a/AppData/Roaming' }, 'win32')).toBe(path.join('C:/Users/a/AppData/Roaming', 'Composition Studio'));
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library[\\/]Application Support[\\/]Composition Studio$/);
    expect(defaultDataDir({ STUDIO_DATA_DIR: '/tmp/studio' }, 'linux')).toBe(path.resolve('/tmp/studio'));
  });

  it('takes --db over STUDIO_DB over the default', () => {
    expect(databasePath('/data', ['node', 'serve', '--db', '/a.sqlite'], { STUDIO_DB: '/b.sqlite' })).toBe(path.resolve('/a.sqlite'));
    expect(databasePath('/data', ['node', 'serve', '--db=/c.sqlite'], {})).toBe(path.resolve('/c.sqlite'));
    expect(databasePath('/data', ['node', 'serve'], { STUDIO_DB: '/b.sqlite' })).toBe(path.resolve('/b.sqlite'));
    expect(databasePath('/data', ['node', 'serve'], {})).toBe(path.join('/data', 'studio.sqlite'));
  });
});

describe('database', () => {
  it('opens with WAL-capable settings, foreign keys and every migration applied', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a database written by a newer studio instead of damaging it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'future.sqlite');
    const db = openDatabase(file);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/written by a newer version of the studio/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('settings', () => {
  it('defaults SysEx to off, and remembers a change', () => {
    const db = openDatabase(':memory:');
    const settings = new SettingsStore(db);
    expect(settings.get()).toEqual({ midiSysex: false, soundFontPath: null });
    expect(settings.update({ midiSysex: true })).toEqual({ midiSysex: true, soundFontPath: null });
    expect(new SettingsStore(db).get()).toEqual({ midiSysex: true, soundFontPath: null });
    expect(settings.flag('demo-imported')).toBe(false);
    settings.setFlag('demo-imported');
    expect(settings.flag('demo-imported')).toBe(true);
    expect(settings.get()).toEqual({ midiSysex: true, soundFontPath: null });
    db.close();
  });
});
