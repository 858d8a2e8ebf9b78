import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES, type Handlers } from '../../../core/ipc/contract';
import { createStudioClient, type Transport } from '../../../core/ipc/client';
import { createDispatch } from '../../../core/ipc/dispatch';
import { StudioError } from '../../../core/ipc/envelope';

function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  const notUsed = (): never => {
    throw new Error('not used in this test');
  };
  const handlers = Object.fromEntries(METHOD_NAMES.map((name) => [name, notUsed])) as unknown as Handlers;
  return { ...handlers, ...overrides };
}

/** A transport that goes straight into the dispatcher, as Electron IPC and the WebSocket do. */
function loopback(handlers: Handlers, onError = vi.fn()) {
  const dispatch = createDispatch(handlers, onError);
  let listener: ((event: string, payload: unknown) => void) | undefined;
  const transport: Transport = {
    invoke: (method, input) => dispatch(method, input),
    listen(l) {
      listener = l;
      return () => (listener = undefined);
    },
  };
  return { client: createStudioClient(transport), fire: (event: string, payload: unknown) => listener?.(event, payload), onError };
}

describe('the IPC contract', () => {
  it('names every method as namespace.member and has events', () => {
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect(EVENT_NAMES).toContain('job.updated');
  });

  it('builds window.studio with one function per method, and nothing else but `on`', () => {
    const { client } = loopback(fakeHandlers());
    const members = Object.entries(client).flatMap(([namespace, value]) =>
      typeof value === 'function' ? [namespace] : Object.keys(value as object).map((member) => `${namespace}.${member}`),
    );
    expect(members.sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(Object.isFrozen(client)).toBe(true);
  });

  it('passes parsed input to the handler and validates the reply', async () => {
    const pieces = vi.fn(() => []);
    const { client } = loopback(fakeHandlers({ 'corpora.pieces': pieces }));
    await expect(client.corpora.pieces({ corpusId: 3 })).resolves.toEqual([]);
    expect(pieces).toHaveBeenCalledWith({ corpusId: 3 });
  });

  it('rejects bad arguments at the boundary with a message naming the field, without calling the handler', async () => {
    const remove = vi.fn(() => ({ ok: true as const }));
    const { client } = loopback(fakeHandlers({ 'corpora.delete': remove }));
    // @ts-expect-error: a string id is exactly what an untrusted renderer might send.
    await expect(client.corpora.delete({ corpusId: 'all' })).rejects.toThrow(/corpusId/);
    // @ts-expect-error: unknown keys are refused, not ignored.
    await expect(client.corpora.delete({ corpusId: 1, cascade: true })).rejects.toThrow(/cascade/);
    expect(remove).not.toHaveBeenCalled();
  });

  it('refuses unknown methods', async () => {
    const dispatch = createDispatch(fakeHandlers(), vi.fn());
    await expect(dispatch('fs.readFile', '/etc/passwd')).resolves.toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'Unknown method "fs.readFile".' },
    });
    await expect(dispatch('__proto__', {})).resolves.toMatchObject({ ok: false });
    await expect(dispatch('toString', {})).resolves.toMatchObject({ ok: false });
  });

  it('carries a StudioError message to the renderer unchanged', async () => {
    const { client } = loopback(
      fakeHandlers({
        'jobs.get': () => {
          throw new StudioError('There is no job 9.', 'invalid-input');
        },
      }),
    );
    await expect(client.jobs.get({ jobId: 9 })).rejects.toMatchObject({ message: 'There is no job 9.', code: 'invalid-input' });
  });

  it('does not let a handler reply outside the contract', async () => {
    const { client, onError } = loopback(fakeHandlers({ 'settings.get': () => ({ midiSysex: 'yes' }) as never }));
    await expect(client.settings.get()).rejects.toThrow(/failed inside the studio/);
    expect(onError).toHaveBeenCalledOnce();
  });

  it('delivers typed events to subscribers until they unsubscribe, and drops malformed ones', () => {
    const { client, fire } = loopback(fakeHandlers());
    const seen: unknown[] = [];
    const off = client.on('library.changed', (payload) => seen.push(payload));
    fire('library.changed', { corpusId: 2 });
    fire('library.changed', { corpusId: 'x' });
    fire('no.such.event', {});
    off();
    fire('library.changed', { corpusId: 3 });
    expect(seen).toEqual([{ corpusId: 2 }]);
  });
});
