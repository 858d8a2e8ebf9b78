import { describe, expect, it, vi } from 'vitest';
import { installPermissionHandlers, isPermissionGranted } from '../../../electron/main/app/permissions';
import { appUrlMatcher } from '../../../electron/main/app/renderer-location';

vi.mock('electron', () => ({}));

const DENIED = [
  'media',
  'notifications',
  'geolocation',
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'hid',
  'serial',
  'usb',
  'pointerLock',
  'openExternal',
  'fileSystem',
  'unknown',
];

describe('isPermissionGranted', () => {
  it('grants Web MIDI', () => {
    expect(isPermissionGranted('midi', { midiSysex: false })).toBe(true);
  });

  it('grants SysEx only when the composer turned it on', () => {
    expect(isPermissionGranted('midiSysex', { midiSysex: false })).toBe(false);
    expect(isPermissionGranted('midiSysex', { midiSysex: true })).toBe(true);
  });

  it.each(DENIED)('denies %s, with or without SysEx', (permission) => {
    expect(isPermissionGranted(permission, { midiSysex: false })).toBe(false);
    expect(isPermissionGranted(permission, { midiSysex: true })).toBe(false);
  });
});

type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
type CheckHandler = (contents: unknown, permission: string, origin: string, details: { requestingUrl?: string }) => boolean;

const APP = 'http://localhost:5173/';

function install(readSettings: () => { midiSysex: boolean }) {
  let request: RequestHandler | null = null;
  let check: CheckHandler | null = null;
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => (request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (check = handler),
  };
  installPermissionHandlers(session as never, readSettings, appUrlMatcher(APP));
  if (!request || !check) throw new Error('handlers not installed');
  const requestHandler: RequestHandler = request;
  const checkHandler: CheckHandler = check;
  return {
    request: (permission: string, requestingUrl: string | undefined = APP): boolean => {
      const callback = vi.fn();
      requestHandler(null, permission, callback, { requestingUrl });
      expect(callback).toHaveBeenCalledTimes(1);
      return callback.mock.calls[0]![0] as boolean;
    },
    check: (permission: string, requestingUrl: string | undefined = APP): boolean => checkHandler(null, permission, 'http://localhost:5173', { requestingUrl }),
  };
}

describe('installPermissionHandlers', () => {
  it('answers requests and checks alike: midi yes, everything else no', () => {
    const { request, check } = install(() => ({ midiSysex: false }));
    for (const ask of [request, check]) {
      expect(ask('midi')).toBe(true);
      expect(ask('midiSysex')).toBe(false);
      for (const permission of DENIED) expect(ask(permission), permission).toBe(false);
    }
  });

  it('reads the SysEx setting at each decision, so turning it on or off takes effect at once', () => {
    const settings = { midiSysex: false };
    const { request, check } = install(() => settings);
    expect(request('midiSysex')).toBe(false);
    settings.midiSysex = true;
    expect(request('midiSysex')).toBe(true);
    expect(check('midiSysex')).toBe(true);
    settings.midiSysex = false;
    expect(check('midiSysex')).toBe(false);
  });

  it('denies even midi to a page that is not the app', () => {
    const { request, check } = install(() => ({ midiSysex: true }));
    expect(request('midi', 'https://example.com/')).toBe(false);
    expect(check('midi', 'https://example.com/')).toBe(false);
    expect(check('midiSysex', 'file:///tmp/x.html')).toBe(false);
    expect(check('midi', undefined)).toBe(true);
  });

  it('treats unreadable settings as SysEx off', () => {
    const { request } = install(() => {
      throw new Error('database closed');
    });
    expect(request('midiSysex')).toBe(false);
    expect(request('midi')).toBe(true);
  });
});
