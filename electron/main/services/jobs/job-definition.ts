/**
 * What main knows about one kind of job: how to check its payload, what to call it, and what to do
 * with what its worker sends back. The worker side lives in electron/workers/handlers.
 */
import type { z } from 'zod';
import type { JobResult } from '../../../../core/ipc/schemas';

/** Main's side of one running job; created when the job starts, dropped when it ends. */
export interface JobSession {
  /** Data for the worker that is too large or too transient to store as the payload; see StartJobMessage.input. */
  readonly input?: unknown;
  /** ArrayBuffers inside `input` to move to the worker instead of copying. */
  readonly transfer?: readonly ArrayBuffer[];
  /** Runs in main for each `data` message, e.g. writing a batch to the database. Throwing fails the job. */
  onData?(data: unknown): void;
  /** Turns the worker's result into the stored result; runs only for a job that completed. */
  finish?(workerResult: unknown): JobResult | null;
  /** Runs once whatever the outcome, e.g. to remove temporary files. */
  dispose?(): void;
}

export interface JobDefinition<P> {
  readonly kind: string;
  readonly payloadSchema: z.ZodType<P>;
  title(payload: P): string;
  /** Called in main when the job starts; what it returns receives the worker's output. */
  start?(payload: P, jobId: number): JobSession;
}

/** Erases the payload type so definitions of different kinds can share one registry. */
export type AnyJobDefinition = JobDefinition<unknown>;

export function defineJob<P>(definition: JobDefinition<P>): AnyJobDefinition {
  return definition as unknown as AnyJobDefinition;
}
