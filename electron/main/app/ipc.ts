/**
 * The Electron transport of the IPC contract: one `invoke` channel for every method, one event
 * channel for every main→renderer event. Each call is checked for its sender frame before the
 * contract's validating dispatch sees it, so a frame that is not the app's own top-level page (an
 * iframe, a page navigated elsewhere, a frame already gone) gets `forbidden` and nothing runs.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../core/ipc/contract';
import { createDispatch } from '../../../core/ipc/dispatch';
import type { Reply } from '../../../core/ipc/envelope';
import type { Studio } from '../services/studio';
import type { AppUrlMatcher } from './renderer-location';

/** What the sender check reads of a frame: the real WebFrameMain, or a test fake. */
export interface FrameIdentity {
  readonly url: string;
  readonly parent: unknown;
  readonly processId: number;
  readonly routingId: number;
}

export interface SenderEvent {
  readonly senderFrame: FrameIdentity | null;
}

export type SenderCheck = (event: SenderEvent) => boolean;

/**
 * Trusted means: the frame exists, has no parent, is the main frame of one of our windows, and shows
 * the app's renderer (dev server origin, or the packaged index.html).
 */
export function createSenderCheck(isAppUrl: AppUrlMatcher, windowMainFrames: () => Iterable<FrameIdentity>): SenderCheck {
  return (event) => {
    try {
      const frame = event.senderFrame;
      if (!frame) return false;
      if (frame.parent !== null) return false;
      if (!isAppUrl(frame.url)) return false;
      for (const mainFrame of windowMainFrames()) {
        if (mainFrame.processId === frame.processId && mainFrame.routingId === frame.routingId) return true;
      }
      return false;
    } catch {
      // A frame destroyed mid-call throws on access: it is no longer anyone we trust.
      return false;
    }
  };
}

export const FORBIDDEN_REPLY: Reply = {
  ok: false,
  error: { code: 'forbidden', message: 'Only the studio’s own window may call the studio.' },
};

/** Where events go: the real WebContents of each window, or a test fake. */
export type EventRecipient = Pick<WebContents, 'send' | 'isDestroyed'>;

export interface RegisterIpcOptions {
  /** The WebContents of every window that should receive events. */
  readonly eventTargets: () => Iterable<EventRecipient>;
  readonly logError?: (error: unknown) => void;
}

/**
 * Registers the invoke handler and forwards studio events. Returns the function that undoes both
 * (used when the studio closes on quit).
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  studio: Pick<Studio, 'handlers' | 'onEvent'>,
  isTrustedSender: SenderCheck,
  options: RegisterIpcOptions,
): () => void {
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const dispatch = createDispatch(studio.handlers, logError);
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<Reply> => {
    if (!isTrustedSender(event)) {
      logError(new Error(`Refused ${String(method)} from a frame that is not the studio's window (${describeFrame(event)}).`));
      return FORBIDDEN_REPLY;
    }
    return dispatch(method, input);
  });
  const stopForwarding = studio.onEvent((event, payload) => {
    for (const target of options.eventTargets()) {
      if (target.isDestroyed()) continue;
      try {
        target.send(IPC_EVENT_CHANNEL, { event, payload });
      } catch (error) {
        logError(error);
      }
    }
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    stopForwarding();
  };
}

function describeFrame(event: SenderEvent): string {
  try {
    return event.senderFrame ? event.senderFrame.url : 'no frame';
  } catch {
    return 'a destroyed frame';
  }
}
