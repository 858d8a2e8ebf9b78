// The render folder's clean-up, the .wav names, and which SoundFont a render uses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wavFileName } from '../../../electron/main/services/audio/handlers';
import { KEEP_RENDERS, MAX_AGE_MS, RenderFolder } from '../../../electron/main/services/audio/renders';
import { BUILT_IN_SOUND_FONT_NAME, chooseSoundFont, packageSoundFontPath, packagedSoundFontPath } from '../../../electron/main/services/audio/sound-font';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function folderWith(names: readonly string[]): RenderFolder {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renders-test-'));
  for (const name of names) fs.writeFileSync(path.join(dir, name), 'x');
  return new RenderFolder(dir);
}

describe('RenderFolder', () => {
  it('names a job’s file and its unfinished file after the job', () => {
    const folder = new RenderFolder('/data/renders');
    expect(folder.pathFor(12)).toBe(path.join('/data/renders', '12.wav'));
    expect(folder.partPathFor(12)).toBe(path.join('/data/renders', '12.wav.part'));
  });

  it('on start, removes unfinished files and renders older than a day, keeping recent ones', () => {
    const folder = folderWith(['1.wav', '2.wav', '3.wav.part', 'notes.txt']);
    const now = Date.now();
    const old = (now - MAX_AGE_MS - 60_000) / 1000;
    fs.utimesSync(path.join(dir!, '1.wav'), old, old);
    folder.cleanOnStart(now);
    expect(fs.readdirSync(dir!).sort()).toEqual(['2.wav', 'notes.txt']);
  });

  it('keeps only the newest renders by job id', () => {
    const names = Array.from({ length: KEEP_RENDERS + 5 }, (_, i) => `${i + 1}.wav`);
    const folder = folderWith([...names, '99.wav.part']);
    folder.prune();
    const left = fs.readdirSync(dir!);
    expect(left).toHaveLength(KEEP_RENDERS + 1);
    expect(left).toContain('99.wav.part');
    expect(left).not.toContain('5.wav');
    expect(left).toContain('6.wav');
    expect(left).toContain(`${KEEP_RENDERS + 5}.wav`);
  });

  it('does nothing when the folder does not exist yet', () => {
    const folder = new RenderFolder(path.join(os.tmpdir(), 'no-such-renders-folder-here'));
    expect(() => folder.cleanOnStart()).not.toThrow();
    expect(() => folder.prune()).not.toThrow();
  });
});

describe('wavFileName', () => {
  it('makes a file name any system accepts from a piece or clip name', () => {
    expect(wavFileName('Chorale 12')).toBe('Chorale 12.wav');
    expect(wavFileName('a/b:c*?"<>|d')).toBe('a-b-c------d.wav');
    expect(wavFileName('tab\there\u0000')).toBe('tabhere.wav');
    expect(wavFileName('   ')).toBe('render.wav');
  });
});

describe('chooseSoundFont', () => {
  it('uses the composer’s SoundFont when set, else the built-in one', () => {
    expect(chooseSoundFont(null, '/built/in.sf3')).toEqual({ path: '/built/in.sf3', name: BUILT_IN_SOUND_FONT_NAME });
    expect(chooseSoundFont('/fonts/Mine.sf2', '/built/in.sf3')).toEqual({ path: path.resolve('/fonts/Mine.sf2'), name: 'Mine.sf2' });
  });

  it('finds the built-in SF3 in node_modules, and in a packaged app’s resources', () => {
    const file = packageSoundFontPath();
    expect(file).toMatch(/@librescore[\\/]sf3[\\/]FluidR3Mono_GM\.sf3\.wasm$/);
    const head = Buffer.alloc(12);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, 12, 0);
    fs.closeSync(fd);
    expect(head.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(head.subarray(8, 12).toString('latin1')).toBe('sfbk');
    expect(packagedSoundFontPath('/opt/Studio/resources')).toBe(path.join('/opt/Studio/resources', 'soundfonts', 'FluidR3Mono_GM.sf3'));
  });
});
