// The pieces of browser mode that decide things on their own, checked without a process:
// the command line, which requests may upgrade, and which paths map to files.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServeArgs, UsageError } from '../../electron/main/server/cli';
import { checkUpgrade, createToken, tokenMatches } from '../../electron/main/server/security';
import { contentTypeOf, resolveStaticPath } from '../../electron/main/server/static-files';

describe('parseServeArgs', () => {
  const env = { STUDIO_DATA_DIR: '/data/env' } as NodeJS.ProcessEnv;

  it('defaults to a random port, the data dir from the environment and the demo import', () => {
    expect(parseServeArgs([], env)).toEqual({
      port: 0,
      dataDir: '/data/env',
      databasePath: '/data/env/studio.sqlite',
      importDemo: true,
      open: false,
      help: false,
    });
  });

  it('reads --port, --db, --data-dir, --no-demo and --open', () => {
    const options = parseServeArgs(['--port', '8123', '--db', 'rel/s.sqlite', '--data-dir=/d', '--no-demo', '--open'], env);
    expect(options).toEqual({
      port: 8123,
      dataDir: '/d',
      databasePath: path.resolve('rel/s.sqlite'),
      importDemo: false,
      open: true,
      help: false,
    });
    expect(parseServeArgs([], { ...env, STUDIO_DB: '/x/y.sqlite' }).databasePath).toBe('/x/y.sqlite');
  });

  it('refuses what it does not know, including --host, with a usage error', () => {
    expect(() => parseServeArgs(['--host', '0.0.0.0'], env)).toThrow(UsageError);
    expect(() => parseServeArgs(['--port', '70000'], env)).toThrow(/--port must be a whole number from 0 to 65535/);
    expect(() => parseServeArgs(['--port', '-1'], env)).toThrow(UsageError);
    expect(() => parseServeArgs(['--port', '80a'], env)).toThrow(UsageError);
    expect(() => parseServeArgs(['stray'], env)).toThrow(UsageError);
  });
});

describe('tokens', () => {
  it('are 32 fresh random bytes, base64url', () => {
    const a = createToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(createToken()).not.toBe(a);
  });

  it('match only exactly', () => {
    const token = createToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, `${token}x`)).toBe(false);
    expect(tokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, null)).toBe(false);
  });
});

describe('checkUpgrade', () => {
  const token = 'secret-token';
  const port = 4321;
  const request = (url: string, headers: Record<string, string>) => ({ url, headers });
  const good = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };

  it('lets through the page’s own socket, by either loopback name', () => {
    expect(checkUpgrade(request(`/ws?token=${token}`, good), { token, port })).toEqual({ ok: true });
    expect(checkUpgrade(request(`/ws?token=${token}`, { host: `localhost:${port}`, origin: `http://localhost:${port}` }), { token, port })).toEqual({ ok: true });
  });

  it.each([
    ['no token', '/ws', good, 401],
    ['a wrong token', '/ws?token=secret-tokem', good, 401],
    ['the token twice, first wrong', `/ws?token=x&token=${token}`, good, 401],
    ['another path', `/socket?token=${token}`, good, 404],
    ['a foreign Origin', `/ws?token=${token}`, { ...good, origin: 'https://evil.example' }, 403],
    ['an https Origin', `/ws?token=${token}`, { ...good, origin: `https://127.0.0.1:${port}` }, 403],
    ['a null Origin', `/ws?token=${token}`, { ...good, origin: 'null' }, 403],
    ['another port in the Origin', `/ws?token=${token}`, { ...good, origin: `http://127.0.0.1:${port + 1}` }, 403],
    ['a rebinding Host', `/ws?token=${token}`, { ...good, host: `evil.example:${port}` }, 403],
    ['a Host without port', `/ws?token=${token}`, { ...good, host: '127.0.0.1' }, 403],
  ] as const)('refuses %s', (_what, url, headers, status) => {
    expect(checkUpgrade(request(url, headers), { token, port })).toMatchObject({ ok: false, status });
  });

  it('refuses a missing Origin and a missing Host', () => {
    expect(checkUpgrade(request(`/ws?token=${token}`, { host: good.host }), { token, port })).toMatchObject({ ok: false, status: 403 });
    expect(checkUpgrade(request(`/ws?token=${token}`, { origin: good.origin }), { token, port })).toMatchObject({ ok: false, status: 403 });
  });
});

describe('resolveStaticPath', () => {
  const root = path.resolve('/srv/renderer');

  it('maps / to index.html and paths below the root to their files', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/?token=abc')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/app-1a2b.js#x')).toBe(path.join(root, 'assets', 'app-1a2b.js'));
    expect(resolveStaticPath(root, '/my%20file.css')).toBe(path.join(root, 'my file.css'));
  });

  it.each(['/../x', '/a/../../x', '/%2e%2e/x', '/..%2fx', '/..%5cx', '/%00', '/%ff', 'relative', '//etc/passwd', '//etc/passwd/..'])('refuses %s', (url) => {
    expect(resolveStaticPath(root, url)).toBeNull();
  });

  it('names content types, and falls back to opaque bytes', () => {
    expect(contentTypeOf('a.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('A.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeOf('x.wasm')).toBe('application/wasm');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
