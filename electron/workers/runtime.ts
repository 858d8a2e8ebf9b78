/**
 * The harness every job worker runs: receives `start`, runs the handler for the job's kind, and
 * reports progress, data and the outcome to main. A worker runs one job at a time.
 */
import { parentPort } from 'node:worker_threads';
import {
  CANCEL_FLAG_INDEX,
  JobCancelledError,
  type MainToWorkerMessage,
  type WorkerToMainMessage,
} from '../../core/jobs/protocol';

export interface JobContext {
  readonly jobId: number;
  /** What main prepared for this run (StartJobMessage.input); undefined for jobs that need none. */
  readonly input: unknown;
  /** Reports progress (0..1) with a short message for the composer; cheap enough to call often. */
  progress(fraction: number, message: string): void;
  /** Sends a piece of output to main as it is ready. */
  emit(data: unknown, transfer?: readonly ArrayBuffer[]): void;
  isCancelled(): boolean;
  /** Throws JobCancelledError when the job was cancelled: call it between batches. */
  throwIfCancelled(): void;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<unknown>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

/** Progress messages are coalesced to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 50;

export function runJobWorker(handlers: JobHandlers): void {
  const port = parentPort;
  if (!port) throw new Error('A job worker must run inside worker_threads.');
  const send = (message: WorkerToMainMessage, transfer?: readonly ArrayBuffer[]): void =>
    port.postMessage(message, transfer ? [...transfer] : undefined);

  port.on('message', (message: MainToWorkerMessage) => {
    if (message.type !== 'start') return;
    void runOne(message, handlers, send);
  });
}

async function runOne(
  message: MainToWorkerMessage,
  handlers: JobHandlers,
  send: (message: WorkerToMainMessage, transfer?: readonly ArrayBuffer[]) => void,
): Promise<void> {
  const { jobId } = message;
  const flag = new Int32Array(message.cancelFlag);
  let lastProgressAt = 0;
  const context: JobContext = {
    jobId,
    input: message.input,
    progress(fraction, text) {
      const now = Date.now();
      if (now - lastProgressAt < PROGRESS_INTERVAL_MS && fraction < 1) return;
      lastProgressAt = now;
      send({ type: 'progress', jobId, progress: Math.min(1, Math.max(0, fraction)), message: text });
    },
    emit(data, transfer) {
      send({ type: 'data', jobId, data }, transfer);
    },
    isCancelled: () => Atomics.load(flag, CANCEL_FLAG_INDEX) !== 0,
    throwIfCancelled() {
      if (Atomics.load(flag, CANCEL_FLAG_INDEX) !== 0) throw new JobCancelledError();
    },
  };
  const handler = handlers[message.kind];
  if (!handler) {
    send({ type: 'failed', jobId, error: `This worker has no handler for jobs of kind "${message.kind}".` });
    return;
  }
  try {
    const result = await handler(message.payload, context);
    if (context.isCancelled()) send({ type: 'cancelled', jobId });
    else send({ type: 'done', jobId, result });
  } catch (error) {
    if (error instanceof JobCancelledError || context.isCancelled()) send({ type: 'cancelled', jobId });
    else send({ type: 'failed', jobId, error: error instanceof Error ? error.message : String(error) });
  }
}
