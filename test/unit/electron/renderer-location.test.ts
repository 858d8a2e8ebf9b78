import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCorpusDir, workerScriptPath } from '../../../electron/main/app/packaged-paths';
import { appUrlMatcher, isExternalWebUrl, rendererLocation } from '../../../electron/main/app/renderer-location';

describe('rendererLocation', () => {
  it('uses the dev server when Forge provides one', () => {
    expect(rendererLocation('http://localhost:5173', 'main_window', '/p/.vite/build')).toEqual({
      url: 'http://localhost:5173',
      file: null,
      devServerUrl: 'http://localhost:5173',
    });
  });

  it('loads the packaged index.html beside the main bundle otherwise', () => {
    const location = rendererLocation(undefined, 'main_window', '/opt/My App/.vite/build');
    expect(location.file).toBe(path.join('/opt/My App/.vite/renderer/main_window/index.html'));
    expect(location.url).toBe('file:///opt/My%20App/.vite/renderer/main_window/index.html');
    expect(location.devServerUrl).toBeNull();
  });
});

describe('appUrlMatcher', () => {
  it('accepts the dev server origin only', () => {
    const isApp = appUrlMatcher('http://localhost:5173');
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/src/main.tsx?t=1')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('http://127.0.0.1:5173/')).toBe(false);
    expect(isApp('https://localhost:5173/')).toBe(false);
    expect(isApp('garbage')).toBe(false);
  });

  it('accepts exactly the packaged page, whatever its hash, query or escaping', () => {
    const isApp = appUrlMatcher('file:///opt/Composition%20Studio/app/index.html', 'linux');
    expect(isApp('file:///opt/Composition%20Studio/app/index.html#/library')).toBe(true);
    expect(isApp('file:///opt/Composition Studio/app/index.html?x=1')).toBe(true);
    expect(isApp('file:///opt/Composition%20Studio/app/other.html')).toBe(false);
    expect(isApp('file:///opt/Composition%20Studio/app/')).toBe(false);
    expect(isApp('file://host/opt/Composition%20Studio/app/index.html')).toBe(false);
    expect(isApp('http://opt/Composition%20Studio/app/index.html')).toBe(false);
  });

  it('compares Windows paths without regard to case', () => {
    const isApp = appUrlMatcher('file:///C:/Program%20Files/Studio/index.html', 'win32');
    expect(isApp('file:///c:/program%20files/studio/index.html')).toBe(true);
  });

  it('refuses renderer URLs of other schemes', () => {
    expect(() => appUrlMatcher('data:text/html,hi')).toThrow(/neither http\(s\) nor file/);
  });
});

describe('isExternalWebUrl', () => {
  it('is true for http(s) only', () => {
    expect(isExternalWebUrl('https://example.com')).toBe(true);
    expect(isExternalWebUrl('http://example.com')).toBe(true);
    expect(isExternalWebUrl('file:///etc/passwd')).toBe(false);
    expect(isExternalWebUrl('mailto:a@b.c')).toBe(false);
    expect(isExternalWebUrl('nonsense')).toBe(false);
  });
});

describe('packaged paths', () => {
  it('loads the worker from app.asar.unpacked when electron-builder unpacked it', () => {
    const mainDir = path.join('/opt/studio/resources/app.asar/.vite/build');
    const unpacked = path.join('/opt/studio/resources/app.asar.unpacked/.vite/build/job-worker.js');
    expect(workerScriptPath(mainDir, (file) => file === unpacked)).toBe(unpacked);
    expect(workerScriptPath(mainDir, () => false)).toBe(path.join(mainDir, 'job-worker.js'));
  });

  it('loads the worker beside main in development', () => {
    expect(workerScriptPath('/work/studio/.vite/build', () => true)).toBe(path.join('/work/studio/.vite/build/job-worker.js'));
  });

  it('finds the demo corpus in the project or in the packaged resources', () => {
    expect(demoCorpusDir({ isPackaged: false, appPath: '/work/studio', resourcesPath: '/x' })).toBe(path.join('/work/studio/resources/demo'));
    expect(demoCorpusDir({ isPackaged: true, appPath: '/x/app.asar', resourcesPath: '/opt/studio/resources' })).toBe(path.join('/opt/studio/resources/demo'));
  });
});
