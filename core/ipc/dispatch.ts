/**
 * The single validating entry point behind every transport: parse the input with the contract's
 * schema, run the handler, check the reply against the contract, and wrap everything in a Reply.
 */
import { isMethodName, methods, type Handlers, type MethodName } from './contract';
import { describeZodError, StudioError, type Reply } from './envelope';

export type Dispatch = (method: unknown, input: unknown) => Promise<Reply>;

export function createDispatch(handlers: Handlers, onUnexpectedError: (error: unknown) => void): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'invalid-input', message: `Unknown method ${JSON.stringify(method)}.` } };
    }
    const parsed = methods[method].input.safeParse(input);
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: 'invalid-input', message: `${method}: ${describeZodError(parsed.error)}` },
      };
    }
    try {
      const value = await callHandler(handlers, method, parsed.data);
      const checked = methods[method].output.safeParse(value);
      if (!checked.success) {
        onUnexpectedError(new Error(`${method} replied outside its contract: ${describeZodError(checked.error)}`));
        return { ok: false, error: { code: 'failed', message: `${method} failed inside the studio.` } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof StudioError) return { ok: false, error: { code: error.code, message: error.message } };
      onUnexpectedError(error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'failed', message } };
    }
  };
}

function callHandler<M extends MethodName>(handlers: Handlers, method: M, input: unknown): unknown {
  // The schema has parsed `input` for exactly this method, so the cast only restates that fact.
  const handler = handlers[method] as (parsedInput: unknown) => unknown;
  return handler(input);
}
