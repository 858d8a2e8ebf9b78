/**
 * Runs an async task at most once per `delayMs`, however often it is requested: during an import
 * main sends `library.changed` after every stored batch, and the library should follow along
 * without refetching for each event. A request made while the task runs schedules one more run,
 * so the last state is always fetched.
 */
export interface Coalesced {
  request(): void;
  cancel(): void;
}

export function coalesce(task: () => Promise<void>, delayMs: number): Coalesced {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  let cancelled = false;

  const run = async (): Promise<void> => {
    timer = null;
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (again && !cancelled) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = (): void => {
    if (timer !== null || cancelled) return;
    timer = setTimeout(() => void run(), delayMs);
  };
  return {
    request() {
      if (cancelled) return;
      if (running) again = true;
      else schedule();
    },
    cancel() {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
