/**
 * The frames of browser mode's WebSocket: JSON text, one object per frame.
 *   renderer → server  { id, method, input }        a call of the IPC contract
 *   server → renderer  { id, reply }                 its Reply (core/ipc/envelope.ts), same id
 *   server → renderer  { event, payload }            a main→renderer event of the contract
 * Pure zod, shared by the server (electron/main/server) and the renderer's transport.
 */
import { z } from 'zod';
import { ReplySchema } from './envelope';

/** Ids are chosen by the renderer and only echoed back; they must survive a JSON round trip. */
export const FrameId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const RequestFrameSchema = z
  .object({
    id: FrameId,
    method: z.string().min(1).max(200),
    /** Absent for methods without input (JSON drops `undefined`). */
    input: z.unknown(),
  })
  .strict();
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

export const ReplyFrameSchema = z.object({ id: FrameId, reply: ReplySchema }).strict();
export type ReplyFrame = z.infer<typeof ReplyFrameSchema>;

export const EventFrameSchema = z.object({ event: z.string().min(1), payload: z.unknown() }).strict();
export type EventFrame = z.infer<typeof EventFrameSchema>;

export const ServerFrameSchema = z.union([ReplyFrameSchema, EventFrameSchema]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** The WebSocket's path on the server; the token travels as its `token` query parameter. */
export const SOCKET_PATH = '/ws';
export const TOKEN_PARAMETER = 'token';

export type IncomingFrame =
  | { readonly kind: 'reply'; readonly id: number; readonly reply: unknown }
  | { readonly kind: 'event'; readonly event: string; readonly payload: unknown };

/**
 * Reads a server frame far enough to route it; the reply's content is checked by
 * createStudioClient (ReplySchema) and event payloads by the contract's event schemas.
 */
export function readServerFrame(text: unknown): IncomingFrame | null {
  if (typeof text !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const frame = ServerFrameSchema.safeParse(value);
  if (!frame.success) return null;
  return 'reply' in frame.data
    ? { kind: 'reply', id: frame.data.id, reply: frame.data.reply }
    : { kind: 'event', event: frame.data.event, payload: frame.data.payload };
}
