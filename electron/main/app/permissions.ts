/**
 * Which web permissions the renderer gets: Web MIDI, and MIDI System Exclusive only when the composer
 * has turned it on in the settings (SysEx can rewrite a synthesizer's memory). Everything else
 * (camera, microphone, notifications, geolocation, clipboard reads, HID, serial, ...) is denied.
 * Chromium asks twice: "check" for synchronous queries and "request" for prompts; both answer the same.
 */
import type { Session } from 'electron';
import type { Settings } from '../../../core/ipc/schemas';
import type { AppUrlMatcher } from './renderer-location';

export function isPermissionGranted(permission: string, settings: Pick<Settings, 'midiSysex'>): boolean {
  if (permission === 'midi') return true;
  if (permission === 'midiSysex') return settings.midiSysex === true;
  return false;
}

/**
 * Settings are read at every decision, so turning SysEx off takes effect at once. If they cannot be
 * read (the studio is shutting down), SysEx counts as off.
 */
export function installPermissionHandlers(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  readSettings: () => Pick<Settings, 'midiSysex'>,
  isAppUrl: AppUrlMatcher,
): void {
  const decide = (permission: string, requestingUrl: string | undefined): boolean => {
    // Chromium does not always say who asks; when it does, it must be the app itself.
    if (requestingUrl && !isAppUrl(requestingUrl)) return false;
    return isPermissionGranted(permission, safeSettings(readSettings));
  };
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(decide(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, _requestingOrigin, details) => decide(permission, details.requestingUrl));
}

function safeSettings(readSettings: () => Pick<Settings, 'midiSysex'>): Pick<Settings, 'midiSysex'> {
  try {
    return readSettings();
  } catch {
    return { midiSysex: false };
  }
}
