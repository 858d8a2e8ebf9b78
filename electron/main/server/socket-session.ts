/**
 * One browser tab's WebSocket: calls go through the same validating dispatch as Electron's IPC,
 * replies come back under the caller's id, and the studio's events are forwarded as they happen.
 * Nothing a tab sends can crash the server: malformed frames get an error reply or are dropped.
 */
import type { RawData, WebSocket } from 'ws';
import type { Dispatch } from '../../../core/ipc/dispatch';
import { describeZodError } from '../../../core/ipc/envelope';
import type { StudioEventListener } from '../services/studio';
import { FrameId, RequestFrameSchema, type EventFrame, type ReplyFrame } from '../../../core/ipc/ws-frames';

export interface SessionDependencies {
  readonly dispatch: Dispatch;
  readonly onEvent: (listener: StudioEventListener) => () => void;
  readonly logError: (error: unknown) => void;
}

export function attachSession(socket: WebSocket, dependencies: SessionDependencies): void {
  const send = (frame: ReplyFrame | EventFrame): void => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(JSON.stringify(frame), (error) => {
      if (error) dependencies.logError(error);
    });
  };

  const stopEvents = dependencies.onEvent((event, payload) => send({ event, payload }));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    const frame = isBinary ? undefined : parseJson(rawText(data));
    const request = RequestFrameSchema.safeParse(frame);
    if (!request.success) {
      // Answer only when the caller can match the answer to its call; otherwise there is no one to tell.
      const id = FrameId.safeParse(isRecord(frame) ? frame.id : undefined);
      if (id.success) {
        send({
          id: id.data,
          reply: { ok: false, error: { code: 'invalid-input', message: `Malformed request frame: ${describeZodError(request.error)}` } },
        });
      }
      return;
    }
    const { id, method, input } = request.data;
    dependencies
      .dispatch(method, input)
      .then((reply) => send({ id, reply }))
      .catch((error: unknown) => {
        // dispatch turns every handler error into a Reply; reaching here is a bug worth logging.
        dependencies.logError(error);
        send({ id, reply: { ok: false, error: { code: 'failed', message: `${method} failed inside the studio.` } } });
      });
  });
  socket.on('error', (error) => dependencies.logError(error));
  socket.on('close', () => stopEvents());
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
