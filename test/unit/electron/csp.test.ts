import { describe, expect, it, vi } from 'vitest';
import { buildContentSecurityPolicy, installContentSecurityPolicy, withContentSecurityPolicy } from '../../../electron/main/app/csp';

vi.mock('electron', () => ({}));

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...values] = part.trim().split(/\s+/);
      return [name!, values] as const;
    }),
  );
}

describe('buildContentSecurityPolicy (packaged)', () => {
  const policy = buildContentSecurityPolicy();
  const parsed = directives(policy);

  it('allows scripts from the app only, never eval or inline', () => {
    expect(parsed.get('default-src')).toEqual(["'self'"]);
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('shuts plugins, base rewriting, framing and forms', () => {
    expect(parsed.get('object-src')).toEqual(["'none'"]);
    expect(parsed.get('base-uri')).toEqual(["'none'"]);
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
    expect(parsed.get('frame-src')).toEqual(["'none'"]);
    expect(parsed.get('form-action')).toEqual(["'none'"]);
  });

  it('allows inline styles (React style props) and no network beyond the app', () => {
    expect(parsed.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(parsed.get('connect-src')).toEqual(["'self'"]);
    expect(policy).not.toMatch(/\*|https?:|ws:/);
  });
});

describe('buildContentSecurityPolicy (npm start)', () => {
  const policy = buildContentSecurityPolicy({ devServerUrl: 'http://localhost:5173' });
  const parsed = directives(policy);

  it("adds the dev server's HMR socket and React Refresh's inline preamble, still no eval", () => {
    expect(parsed.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(parsed.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy).not.toContain('unsafe-eval');
    expect(parsed.get('object-src')).toEqual(["'none'"]);
  });
});

describe('installContentSecurityPolicy', () => {
  it('replaces any policy in every response with ours, keeping other headers', () => {
    let listener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: unknown) => void) => void) | null = null;
    const session = { webRequest: { onHeadersReceived: (l: typeof listener) => (listener = l) } };
    installContentSecurityPolicy(session as never, "default-src 'self'");
    const callback = vi.fn();
    listener!({ responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] },
    });
  });

  it('handles responses without headers and single-string headers', () => {
    expect(withContentSecurityPolicy(undefined, 'p')).toEqual({ 'Content-Security-Policy': ['p'] });
    expect(withContentSecurityPolicy({ 'X-A': 'b', 'CONTENT-SECURITY-POLICY': 'x' }, 'p')).toEqual({ 'X-A': ['b'], 'Content-Security-Policy': ['p'] });
  });
});
