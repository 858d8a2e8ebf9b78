/**
 * A minimal external store: immutable state, replaced as a whole on every change, read by React
 * through `useSyncExternalStore` (see use-store.ts). Components never hold shared mutable state.
 */
export class Store<T> {
  #state: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#state = initial;
  }

  readonly getState = (): T => this.#state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** Replaces the state with `change(state)`; listeners run only when something changed. */
  update(change: (state: T) => T): void {
    const next = change(this.#state);
    if (Object.is(next, this.#state)) return;
    this.#state = next;
    for (const listener of [...this.#listeners]) listener();
  }
}
