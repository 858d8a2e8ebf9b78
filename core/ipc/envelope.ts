/**
 * What travels over a transport (Electron IPC or the browser-mode WebSocket).
 * Errors travel as data rather than as thrown transport errors, so the renderer sees the message the
 * service wrote and not "Error invoking remote method …".
 */
import { z } from 'zod';

export const ReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.enum(['invalid-input', 'failed', 'forbidden']), message: z.string() }),
  }),
]);
export type Reply = z.infer<typeof ReplySchema>;
export type ErrorCode = Extract<Reply, { ok: false }>['error']['code'];

/** An error whose message is meant for the composer: the service has already said what went wrong. */
export class StudioError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'failed',
  ) {
    super(message);
    this.name = 'StudioError';
  }
}

/** Turns a zod error into one readable sentence per problem, naming the field. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
