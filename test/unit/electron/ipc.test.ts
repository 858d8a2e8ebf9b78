import { describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, METHOD_NAMES, type Handlers } from '../../../core/ipc/contract';
import type { Reply } from '../../../core/ipc/envelope';
import { createSenderCheck, registerIpc, type FrameIdentity, type SenderEvent } from '../../../electron/main/app/ipc';
import { appUrlMatcher } from '../../../electron/main/app/renderer-location';
import type { StudioEventListener } from '../../../electron/main/services/studio';

vi.mock('electron', () => ({}));

const DEV_URL = 'http://localhost:5173';
const FILE_URL = 'file:///opt/studio/resources/app.asar/.vite/renderer/main_window/index.html';

const ourFrame: FrameIdentity = { url: `${DEV_URL}/`, parent: null, processId: 7, routingId: 1 };

function frame(overrides: Partial<FrameIdentity>): FrameIdentity {
  return { ...ourFrame, ...overrides };
}

type InvokeHandler = (event: SenderEvent, method: unknown, input: unknown) => Promise<Reply>;

function setup(options: { rendererUrl?: string; mainFrames?: FrameIdentity[] } = {}) {
  let invoke: InvokeHandler | null = null;
  const ipcMain = {
    handle: vi.fn((channel: string, handler: InvokeHandler) => {
      expect(channel).toBe(IPC_INVOKE_CHANNEL);
      invoke = handler;
    }),
    removeHandler: vi.fn(),
  };
  const handlers = Object.fromEntries(METHOD_NAMES.map((name) => [name, vi.fn()])) as unknown as Record<keyof Handlers, ReturnType<typeof vi.fn>>;
  handlers['corpora.pieces'].mockReturnValue([]);
  handlers['settings.get'].mockReturnValue({ midiSysex: false, soundFontPath: null });
  let studioListener: StudioEventListener | null = null;
  const stopListening = vi.fn();
  const studio = {
    handlers: handlers as unknown as Handlers,
    onEvent: (listener: StudioEventListener) => {
      studioListener = listener;
      return stopListening;
    },
  };
  const targets = [
    { send: vi.fn(), isDestroyed: () => false },
    { send: vi.fn(), isDestroyed: () => true },
  ];
  const logError = vi.fn();
  const isTrusted = createSenderCheck(appUrlMatcher(options.rendererUrl ?? DEV_URL), () => options.mainFrames ?? [ourFrame]);
  const unregister = registerIpc(ipcMain as never, studio, isTrusted, { eventTargets: () => targets, logError });
  if (!invoke) throw new Error('no invoke handler registered');
  const call: InvokeHandler = invoke;
  return {
    call,
    handlers,
    targets,
    logError,
    ipcMain,
    unregister,
    stopListening,
    emit: (...args: Parameters<StudioEventListener>) => studioListener!(...args),
  };
}

describe('the invoke handler', () => {
  it("runs the method for the app's own window, with the validated input", async () => {
    const { call, handlers } = setup();
    const reply = await call({ senderFrame: ourFrame }, 'corpora.pieces', { corpusId: 3 });
    expect(reply).toEqual({ ok: true, value: [] });
    expect(handlers['corpora.pieces']).toHaveBeenCalledWith({ corpusId: 3 });
  });

  it('rejects input outside the contract before any handler runs', async () => {
    const { call, handlers } = setup();
    const reply = await call({ senderFrame: ourFrame }, 'corpora.pieces', { corpusId: -1, extra: true });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('invalid-input');
    expect(handlers['corpora.pieces']).not.toHaveBeenCalled();
  });

  it('rejects unknown methods', async () => {
    const { call } = setup();
    const reply = await call({ senderFrame: ourFrame }, 'fs.readFile', '/etc/passwd');
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  const foreign: [string, SenderEvent][] = [
    ['no frame (destroyed or navigated away)', { senderFrame: null }],
    ['a subframe of our window', { senderFrame: frame({ parent: ourFrame, routingId: 2 }) }],
    ['our main frame showing another origin', { senderFrame: frame({ url: 'https://example.com/' }) }],
    ['another port on localhost', { senderFrame: frame({ url: 'http://localhost:5174/' }) }],
    ['an app-origin frame that is not one of our windows', { senderFrame: frame({ processId: 99 }) }],
    [
      'a frame that throws when read',
      {
        get senderFrame(): FrameIdentity {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      },
    ],
  ];

  it.each(foreign)('answers forbidden to %s, and runs nothing', async (_name, event) => {
    const { call, handlers, logError } = setup();
    const reply = await call(event, 'settings.get', undefined);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(handlers['settings.get']).not.toHaveBeenCalled();
    expect(logError).toHaveBeenCalled();
  });

  it('trusts only the packaged index.html when the renderer is a file', async () => {
    const packagedFrame = frame({ url: `${FILE_URL}#/library` });
    const { call } = setup({ rendererUrl: FILE_URL, mainFrames: [packagedFrame] });
    expect(await call({ senderFrame: packagedFrame }, 'settings.get', undefined)).toEqual({ ok: true, value: { midiSysex: false, soundFontPath: null } });
    const otherFile = frame({ url: 'file:///home/me/Downloads/evil.html' });
    expect(await call({ senderFrame: otherFile }, 'settings.get', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('events', () => {
  it('forwards studio events to every live window as {event, payload}', () => {
    const { emit, targets } = setup();
    emit('library.changed', { corpusId: 4 });
    expect(targets[0]!.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, { event: 'library.changed', payload: { corpusId: 4 } });
    expect(targets[1]!.send).not.toHaveBeenCalled();
  });

  it('undoes both registrations', () => {
    const { unregister, ipcMain, stopListening } = setup();
    unregister();
    expect(ipcMain.removeHandler).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL);
    expect(stopListening).toHaveBeenCalled();
  });
});
