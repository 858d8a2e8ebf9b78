import type { MethodName } from '../../core/ipc/contract';
import { createDispatch } from '../../core/ipc/dispatch';
import type { Reply } from '../../core/ipc/envelope';
import type { Studio } from '../../electron/main/services/studio';

/** Sends one call through the same validating dispatch that every transport uses. */
export function dispatchReply(studio: Studio, method: MethodName | string, input: unknown): Promise<Reply> {
  return createDispatch(studio.handlers, (error) => {
    throw error;
  })(method, input);
}
