/**
 * The scheduler's wake-up. A page's setInterval is throttled to once a second when the window is
 * hidden or minimised, which would starve a 100 ms lookahead; a dedicated worker's timer is not.
 * So the ticks come from a tiny worker (a blob: URL, which the CSP's worker-src allows), made on
 * the first start, with the page's own setInterval as the fallback when a worker cannot be made.
 */
import type { SchedulerTimer } from './engine';

const WORKER_SOURCE = `let id = null;
onmessage = (event) => {
  if (id !== null) clearInterval(id);
  id = null;
  if (event.data > 0) id = setInterval(() => postMessage(0), event.data);
};`;

export function createSchedulerTimer(): SchedulerTimer {
  let worker: Worker | null = null;
  let workerFailed = false;
  let interval: ReturnType<typeof setInterval> | null = null;
  let tick: (() => void) | null = null;
  let activeIntervalMs = 0;

  const startInterval = () => {
    if (interval !== null) clearInterval(interval);
    interval = tick ? setInterval(() => tick?.(), activeIntervalMs) : null;
  };

  const ensureWorker = (): Worker | null => {
    if (worker || workerFailed) return worker;
    try {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      worker = new Worker(url);
      URL.revokeObjectURL(url);
      worker.onmessage = () => tick?.();
      // A worker the page may not run (a stricter CSP) fails asynchronously: fall back then.
      worker.onerror = () => {
        worker?.terminate();
        worker = null;
        workerFailed = true;
        startInterval();
      };
    } catch {
      worker = null;
      workerFailed = true;
    }
    return worker;
  };

  return {
    start(callback, intervalMs) {
      tick = callback;
      activeIntervalMs = intervalMs;
      const ticker = ensureWorker();
      if (ticker) ticker.postMessage(intervalMs);
      else startInterval();
    },
    stop() {
      tick = null;
      worker?.postMessage(0);
      if (interval !== null) clearInterval(interval);
      interval = null;
    },
  };
}
