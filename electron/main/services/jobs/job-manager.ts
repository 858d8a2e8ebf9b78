/**
 * Runs jobs in a pool of worker_threads and keeps their state in the `jobs` table.
 *
 * - A job is queued, then runs on the first free worker; a worker runs one job at a time.
 * - Cancel is cooperative first (a shared flag the worker polls), `terminate()` after a grace period.
 * - A worker that throws or exits takes only its own job down: the job fails with the worker's
 *   message and the slot gets a fresh worker for the next job.
 */
import { Worker } from 'node:worker_threads';
import { describeZodError, StudioError } from '../../../../core/ipc/envelope';
import type { Job, JobResult } from '../../../../core/ipc/schemas';
import {
  CANCEL_FLAG_INDEX,
  isWorkerToMainMessage,
  type StartJobMessage,
  type WorkerToMainMessage,
} from '../../../../core/jobs/protocol';
import type { StudioDatabase } from '../database/open-database';
import type { AnyJobDefinition, JobSession } from './job-definition';
import { JobStore } from './job-store';

export interface JobManagerOptions {
  readonly db: StudioDatabase;
  /** The built worker entry (a .js file) that registers the handlers for these definitions. */
  readonly workerScript: string;
  readonly poolSize: number;
  readonly definitions: readonly AnyJobDefinition[];
  /** Called with the job's new state whenever it changes. */
  readonly onUpdate: (job: Job) => void;
  /** How long a cancelled job may take to notice its flag before its worker is terminated. */
  readonly cancelGraceMs?: number;
}

interface RunningJob {
  readonly jobId: number;
  readonly cancelFlag: Int32Array;
  readonly session: JobSession;
  cancelTimer: NodeJS.Timeout | undefined;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  running: RunningJob | undefined;
}

export class JobManager {
  private readonly store: JobStore;
  private readonly definitions = new Map<string, AnyJobDefinition>();
  private readonly slots: Slot[] = [];
  private readonly queue: number[] = [];
  private closed = false;

  constructor(private readonly options: JobManagerOptions) {
    if (options.poolSize < 1) throw new Error('The job pool needs at least one worker.');
    this.store = new JobStore(options.db);
    for (const definition of options.definitions) this.definitions.set(definition.kind, definition);
    this.store.failInterrupted();
  }

  enqueue(kind: string, payload: unknown): Job {
    if (this.closed) throw new StudioError('The studio is shutting down; no new jobs start.');
    const definition = this.definitions.get(kind);
    if (!definition) throw new StudioError(`There is no job of kind "${kind}".`, 'invalid-input');
    const parsed = definition.payloadSchema.safeParse(payload);
    if (!parsed.success) throw new StudioError(`${kind}: ${describeZodError(parsed.error)}`, 'invalid-input');
    const job = this.store.insert(kind, definition.title(parsed.data), parsed.data);
    this.queue.push(job.id);
    this.options.onUpdate(job);
    this.pump();
    return job;
  }

  get(jobId: number): Job | undefined {
    return this.store.get(jobId);
  }

  list(): Job[] {
    return this.store.list();
  }

  cancel(jobId: number): void {
    const job = this.store.get(jobId);
    if (!job) throw new StudioError(`There is no job ${jobId}.`, 'invalid-input');
    const queuedAt = this.queue.indexOf(jobId);
    if (queuedAt >= 0) {
      this.queue.splice(queuedAt, 1);
      this.settle(jobId, 'cancelled', { message: 'Cancelled before it started.' });
      return;
    }
    const slot = this.slots.find((s) => s.running?.jobId === jobId);
    if (!slot?.running) return; // Already finished: cancelling is a no-op.
    const running = slot.running;
    Atomics.store(running.cancelFlag, CANCEL_FLAG_INDEX, 1);
    running.cancelTimer ??= setTimeout(() => {
      if (running.settled) return;
      this.settle(jobId, 'cancelled', { message: 'Cancelled (stopped by force).' }, running);
      this.replaceWorker(slot);
    }, this.options.cancelGraceMs ?? 3000);
  }

  /** Waits for running jobs to be told to stop, then terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    for (const jobId of this.queue.splice(0)) this.settle(jobId, 'cancelled', { message: 'The studio closed.' });
    for (const slot of this.slots) {
      if (slot.running) {
        Atomics.store(slot.running.cancelFlag, CANCEL_FLAG_INDEX, 1);
        this.settle(slot.running.jobId, 'cancelled', { message: 'The studio closed.' }, slot.running);
      }
    }
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots.length = 0;
  }

  private pump(): void {
    while (!this.closed && this.queue.length > 0) {
      const slot = this.freeSlot();
      if (!slot) return;
      const jobId = this.queue.shift()!;
      this.startOn(slot, jobId);
    }
  }

  private freeSlot(): Slot | undefined {
    const idle = this.slots.find((slot) => !slot.running);
    if (idle) return idle;
    if (this.slots.length >= this.options.poolSize) return undefined;
    const slot: Slot = { worker: undefined as unknown as Worker, running: undefined };
    this.slots.push(slot);
    slot.worker = this.spawn(slot);
    return slot;
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.options.workerScript);
    worker.on('message', (message: unknown) => {
      if (slot.worker === worker && isWorkerToMainMessage(message)) this.onMessage(slot, message);
    });
    worker.on('error', (error: Error) => {
      // An uncaught error ends the worker: fail its job with the worker's own message.
      if (slot.worker !== worker || !slot.running) return;
      this.settle(slot.running.jobId, 'failed', { error: `The job's worker crashed: ${error.message}` }, slot.running);
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker || this.closed) return;
      if (slot.running && !slot.running.settled) {
        this.settle(slot.running.jobId, 'failed', { error: `The job's worker stopped unexpectedly (exit code ${code}).` }, slot.running);
      }
      this.replaceWorker(slot);
    });
    return worker;
  }

  private replaceWorker(slot: Slot): void {
    const old = slot.worker;
    slot.running = undefined;
    if (this.closed) return;
    slot.worker = this.spawn(slot);
    void old.terminate();
    this.pump();
  }

  private startOn(slot: Slot, jobId: number): void {
    const job = this.store.get(jobId)!;
    const definition = this.definitions.get(job.kind)!;
    const payload = definition.payloadSchema.parse(this.store.payload(jobId));
    let session: JobSession;
    try {
      session = definition.start?.(payload, jobId) ?? {};
    } catch (error) {
      this.settle(jobId, 'failed', { error: messageOf(error) });
      this.pump();
      return;
    }
    const cancelBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const running: RunningJob = { jobId, cancelFlag: new Int32Array(cancelBuffer), session, cancelTimer: undefined, settled: false };
    slot.running = running;
    this.store.markRunning(jobId);
    this.emit(jobId);
    const start: StartJobMessage = { type: 'start', jobId, kind: job.kind, payload, input: session.input, cancelFlag: cancelBuffer };
    slot.worker.postMessage(start, session.transfer ? [...session.transfer] : undefined);
  }

  private onMessage(slot: Slot, message: WorkerToMainMessage): void {
    const running = slot.running;
    if (!running || running.jobId !== message.jobId || running.settled) return;
    switch (message.type) {
      case 'progress':
        this.store.setProgress(running.jobId, message.progress, message.message);
        this.emit(running.jobId);
        return;
      case 'data':
        try {
          running.session.onData?.(message.data);
        } catch (error) {
          // Main could not take the output (e.g. the disk is full): stop the worker, keep what was written.
          Atomics.store(running.cancelFlag, CANCEL_FLAG_INDEX, 1);
          this.settle(running.jobId, 'failed', { error: messageOf(error) }, running);
          this.replaceWorker(slot);
        }
        return;
      case 'done': {
        let result: JobResult | null = null;
        try {
          result = running.session.finish?.(message.result) ?? null;
        } catch (error) {
          this.settle(running.jobId, 'failed', { error: messageOf(error) }, running);
          this.release(slot);
          return;
        }
        this.settle(running.jobId, 'done', { result, message: 'Done.' }, running);
        this.release(slot);
        return;
      }
      case 'cancelled':
        this.settle(running.jobId, 'cancelled', { message: 'Cancelled.', result: safeFinish(running.session) }, running);
        this.release(slot);
        return;
      case 'failed':
        this.settle(running.jobId, 'failed', { error: message.error }, running);
        this.release(slot);
        return;
    }
  }

  private release(slot: Slot): void {
    slot.running = undefined;
    this.pump();
  }

  private settle(
    jobId: number,
    status: 'done' | 'failed' | 'cancelled',
    outcome: { result?: JobResult | null; error?: string; message?: string },
    running?: RunningJob,
  ): void {
    if (running) {
      if (running.settled) return;
      running.settled = true;
      if (running.cancelTimer) clearTimeout(running.cancelTimer);
      try {
        running.session.dispose?.();
      } catch {
        // Clean-up failing must not hide the job's own outcome.
      }
    }
    this.store.finish(jobId, status, outcome);
    this.emit(jobId);
  }

  private emit(jobId: number): void {
    const job = this.store.get(jobId);
    if (job) this.options.onUpdate(job);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A cancelled job keeps what it finished (e.g. the pieces imported so far) in its result. */
function safeFinish(session: JobSession): JobResult | null {
  try {
    return session.finish?.(undefined) ?? null;
  } catch {
    return null;
  }
}
