/**
 * Builds `window.studio` from the contract over any transport. The preload (Electron) and the
 * WebSocket client (browser mode) both use this, so the renderer cannot tell them apart except by
 * `app.info().mode`.
 */
import {
  EVENT_NAMES,
  events,
  isEventName,
  METHOD_NAMES,
  methods,
  type EventName,
  type EventPayload,
  type MethodInput,
  type MethodName,
  type MethodOutput,
} from './contract';
import { describeZodError, ReplySchema, StudioError } from './envelope';

export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<unknown>;
  /** Registers the one listener for all events; returns a function that removes it. */
  listen(listener: (event: string, payload: unknown) => void): () => void;
}

type Namespace<M> = M extends `${infer N}.${string}` ? N : never;
type MemberOf<M, N extends string> = M extends `${N}.${infer F}` ? F : never;
type MethodArgs<M extends MethodName> = undefined extends MethodInput<M> ? [input?: MethodInput<M>] : [input: MethodInput<M>];

export type StudioApi = {
  readonly [N in Namespace<MethodName>]: {
    readonly [F in MemberOf<MethodName, N>]: `${N}.${F}` extends infer M extends MethodName
      ? (...args: MethodArgs<M>) => Promise<MethodOutput<M>>
      : never;
  };
} & {
  /** Subscribes to a main→renderer event; returns the unsubscribe function. */
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;
};

export function createStudioClient(transport: Transport): StudioApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  for (const name of EVENT_NAMES) listeners.set(name, new Set());
  transport.listen((event, payload) => {
    if (!isEventName(event)) return;
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) return;
    for (const listener of listeners.get(event) ?? []) listener(parsed.data);
  });

  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const name of METHOD_NAMES) {
    const [namespace, member] = name.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][member] = async (input?: unknown) => {
      const rawReply = await transport.invoke(name, input);
      const reply = ReplySchema.safeParse(rawReply);
      if (!reply.success) throw new StudioError(`${name}: malformed reply (${describeZodError(reply.error)})`);
      if (!reply.data.ok) throw new StudioError(reply.data.error.message, reply.data.error.code);
      return methods[name].output.parse(reply.data.value);
    };
  }
  const on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    const set = listeners.get(event);
    if (!set) throw new StudioError(`Unknown event ${event}.`, 'invalid-input');
    set.add(listener);
    return () => set.delete(listener);
  };
  // The object is built from the same names the type is derived from.
  return Object.freeze({ ...api, on }) as unknown as StudioApi;
}
