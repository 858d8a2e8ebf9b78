/**
 * A job worker for the job-system tests, built on the same runtime as the studio's own worker.
 * Each handler exercises one path of the job manager.
 */
import { runJobWorker } from '../../electron/workers/runtime';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

runJobWorker({
  /** Counts to `steps`, reporting progress and emitting each step, polling the cancel flag between steps. */
  async count(payload, context) {
    const { steps, stepMs } = payload as { steps: number; stepMs: number };
    for (let step = 1; step <= steps; step++) {
      context.throwIfCancelled();
      await sleep(stepMs);
      context.emit({ step });
      context.progress(step / steps, `Step ${step} of ${steps}`);
    }
    return { counted: steps };
  },
  /** Echoes what main prepared for the run, to show it arrives (typed arrays included). */
  async echoInput(_payload, context) {
    const input = context.input as { values: Float64Array };
    return { sum: input.values.reduce((a, b) => a + b, 0), isTyped: input.values instanceof Float64Array };
  },
  async throws() {
    await sleep(5);
    throw new Error('The test handler failed on purpose.');
  },
  /** An uncaught error outside the handler's promise: the worker itself dies. */
  async crashes() {
    setTimeout(() => {
      throw new Error('Uncaught inside the worker.');
    }, 5);
    await sleep(10_000);
    return null;
  },
  async exits() {
    await sleep(5);
    process.exit(7);
  },
  /** A tight loop that never looks at the cancel flag: only terminate() stops it. */
  async ignoresCancel(_payload, context) {
    context.progress(0.5, 'Spinning');
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // busy
    }
    return null;
  },
});
