/**
 * Messages between the main process's job manager and a job worker (worker_threads).
 *
 * Cancellation is a shared Int32 flag rather than a message: a tight training loop never yields to
 * the event loop, so it could never see a message, but it can read shared memory between batches.
 */

export const CANCEL_FLAG_INDEX = 0;

export interface StartJobMessage {
  readonly type: 'start';
  readonly jobId: number;
  readonly kind: string;
  readonly payload: unknown;
  /**
   * Data main prepared for this run (e.g. training sequences read from the database): sent to the
   * worker, never stored with the job, and rebuilt from the database when the job runs again.
   */
  readonly input: unknown;
  /** Int32Array over this buffer; element CANCEL_FLAG_INDEX becomes 1 when the job is cancelled. */
  readonly cancelFlag: SharedArrayBuffer;
}

export type MainToWorkerMessage = StartJobMessage;

export type WorkerToMainMessage =
  | { readonly type: 'progress'; readonly jobId: number; readonly progress: number; readonly message: string }
  /** A piece of the job's output for main to store as it arrives (e.g. a batch of parsed pieces). */
  | { readonly type: 'data'; readonly jobId: number; readonly data: unknown }
  | { readonly type: 'done'; readonly jobId: number; readonly result: unknown }
  | { readonly type: 'cancelled'; readonly jobId: number }
  | { readonly type: 'failed'; readonly jobId: number; readonly error: string };

/** Thrown inside a worker handler when it notices the cancel flag; the runtime reports `cancelled`. */
export class JobCancelledError extends Error {
  constructor() {
    super('The job was cancelled.');
    this.name = 'JobCancelledError';
  }
}

export function isWorkerToMainMessage(value: unknown): value is WorkerToMainMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; jobId?: unknown };
  return (
    typeof message.jobId === 'number' &&
    (message.type === 'progress' ||
      message.type === 'data' ||
      message.type === 'done' ||
      message.type === 'cancelled' ||
      message.type === 'failed')
  );
}
