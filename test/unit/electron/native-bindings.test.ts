import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveNativeBinding } from '../../../electron/main/services/database/native-binding';
import { projectRoot } from '../../support/paths';

interface NativeBindings {
  packageBinaryPath(root?: string): string;
  nodeBindingTarget(root?: string, modulesAbi?: string): string;
  saveNodeBinding(options?: { root?: string; log?: (line: string) => void }): boolean;
}

let bindings: NativeBindings;
const temporaryRoots: string[] = [];

beforeAll(async () => {
  bindings = (await import(path.join(projectRoot, 'scripts/native-bindings.mjs'))) as NativeBindings;
});

afterEach(() => {
  for (const root of temporaryRoots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

function temporaryRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-native-'));
  temporaryRoots.push(root);
  return root;
}

describe('native-bindings paths', () => {
  it('keeps one Node build per module ABI under .native/', () => {
    expect(bindings.nodeBindingTarget('/p', '115')).toBe(path.join('/p', '.native', 'node-115', 'better_sqlite3.node'));
    expect(bindings.nodeBindingTarget('/p', '127')).toBe(path.join('/p', '.native', 'node-127', 'better_sqlite3.node'));
    expect(bindings.nodeBindingTarget('/p')).toBe(path.join('/p', '.native', `node-${process.versions.modules}`, 'better_sqlite3.node'));
  });

  it('refuses something that is not an ABI number', () => {
    expect(() => bindings.nodeBindingTarget('/p', '../../etc')).toThrow(/Not a Node module ABI/);
  });

  it("reads the package's own binary from node_modules", () => {
    expect(bindings.packageBinaryPath('/p')).toBe(path.join('/p', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
  });

  const kept = path.join(projectRoot, '.native', `node-${process.versions.modules}`, 'better_sqlite3.node');
  it.skipIf(!fs.existsSync(kept) || Boolean(process.env.STUDIO_SQLITE_BINDING))('saves to where the database code looks for it under Node', () => {
    expect(bindings.nodeBindingTarget(projectRoot)).toBe(kept);
    expect(resolveNativeBinding()).toBe(kept);
  });
});

describe('saveNodeBinding', () => {
  it('says so and saves nothing when there is no binary, without throwing', () => {
    const root = temporaryRoot();
    const log = vi.fn();
    expect(bindings.saveNodeBinding({ root, log })).toBe(false);
    expect(log.mock.calls[0]![0]).toMatch(/no better-sqlite3 binary/);
    expect(fs.existsSync(path.join(root, '.native'))).toBe(false);
  });

  it('keeps nothing from a binary that does not load in this Node', () => {
    const root = temporaryRoot();
    const binary = bindings.packageBinaryPath(root);
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    fs.writeFileSync(binary, 'not a shared library');
    const log = vi.fn();
    expect(bindings.saveNodeBinding({ root, log })).toBe(false);
    expect(log.mock.calls[0]![0]).toMatch(/does not load in Node/);
    expect(fs.existsSync(bindings.nodeBindingTarget(root))).toBe(false);
  });
});
