import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, METHOD_NAMES } from '../../../core/ipc/contract';
import { StudioError } from '../../../core/ipc/envelope';
import type { ElectronBridge } from '../../../electron/preload/bridge';

const fake = vi.hoisted(() => {
  const ipcListeners = new Map<string, (event: unknown, message: unknown) => void>();
  const ipcRenderer = {
    invoke: vi.fn<(channel: string, method: string, input: unknown) => Promise<unknown>>(),
    on: vi.fn((channel: string, listener: (event: unknown, message: unknown) => void) => {
      ipcListeners.set(channel, listener);
      return ipcRenderer;
    }),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const exposed = new Map<string, unknown>();
  return {
    ipcRenderer,
    ipcListeners,
    exposed,
    contextBridge: { exposeInMainWorld: vi.fn((key: string, value: unknown) => exposed.set(key, value)) },
    webUtils: { getPathForFile: vi.fn(() => '/home/me/chorales/001.mid') },
  };
});

vi.mock('electron', () => ({ contextBridge: fake.contextBridge, ipcRenderer: fake.ipcRenderer, webUtils: fake.webUtils }));

let studio: ElectronBridge;

beforeAll(async () => {
  await import('../../../electron/preload/preload');
  studio = fake.exposed.get('studio') as ElectronBridge;
});

/** Every value reachable from `root`, functions included. */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) walk((value as Record<PropertyKey, unknown>)[key]);
  };
  walk(root);
  return [...seen];
}

describe('the preload', () => {
  it('exposes exactly one key, `studio`', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect([...fake.exposed.keys()]).toEqual(['studio']);
  });

  it('never exposes ipcRenderer or any of its functions', () => {
    const values = reachable(studio);
    expect(values).not.toContain(fake.ipcRenderer);
    for (const fn of Object.values(fake.ipcRenderer)) expect(values).not.toContain(fn);
    expect(values).not.toContain(fake.webUtils);
    expect(JSON.stringify(Object.keys(studio))).not.toMatch(/ipc/i);
  });

  it('offers the contract’s namespaces, `on`, and `platform`, frozen', () => {
    const namespaces = [...new Set(METHOD_NAMES.map((name) => name.split('.')[0]!))];
    expect(Object.keys(studio).sort()).toEqual([...namespaces, 'on', 'platform'].sort());
    expect(Object.isFrozen(studio)).toBe(true);
    expect(Object.isFrozen(studio.platform)).toBe(true);
  });

  it('invokes methods over the one invoke channel and returns the validated value', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { midiSysex: true, soundFontPath: null } });
    await expect(studio.settings.update({ midiSysex: true })).resolves.toEqual({ midiSysex: true, soundFontPath: null });
    expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC_INVOKE_CHANNEL, 'settings.update', { midiSysex: true });
  });

  it('turns error replies into StudioErrors with their code', async () => {
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'forbidden', message: 'no' } });
    const failure = studio.jobs.list().catch((error: unknown) => error);
    const error = await failure;
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('forbidden');
  });

  it('delivers events from the event channel to subscribers until they unsubscribe', () => {
    const deliver = fake.ipcListeners.get(IPC_EVENT_CHANNEL);
    expect(deliver).toBeDefined();
    const listener = vi.fn();
    const unsubscribe = studio.on('library.changed', listener);
    deliver!({}, { event: 'library.changed', payload: { corpusId: 2 } });
    deliver!({}, { event: 'library.changed', payload: { corpusId: 'two' } });
    deliver!({}, 'not a message');
    deliver!({}, { event: 'no.such.event', payload: {} });
    unsubscribe();
    deliver!({}, { event: 'library.changed', payload: { corpusId: 3 } });
    expect(listener.mock.calls).toEqual([[{ corpusId: 2 }]]);
  });

  it('gives the disk path of a dropped file through platform.pathForFile', () => {
    const file = { name: '001.mid' } as unknown as File;
    expect(studio.platform.pathForFile(file)).toBe('/home/me/chorales/001.mid');
    expect(fake.webUtils.getPathForFile).toHaveBeenCalledWith(file);
  });
});
