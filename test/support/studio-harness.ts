/** A real studio (database file + worker pool) in a temporary folder, for integration tests. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../core/ipc/contract';
import type { Job, ModelSummary } from '../../core/ipc/schemas';
import { createStudio, type Studio, type StudioConfig } from '../../electron/main/services/studio';
import { dispatchReply } from './dispatch-helper';
import { tempDir, workerScript } from './paths';

export interface StudioHarness {
  readonly studio: Studio;
  readonly dir: string;
  readonly events: { event: EventName; payload: EventPayload<EventName> }[];
  waitForJob(jobId: number, timeoutMs?: number): Promise<Job>;
  dispose(): Promise<void>;
}

export function startStudio(overrides: Partial<StudioConfig> = {}): StudioHarness {
  const dir = tempDir();
  const studio = createStudio({
    mode: 'browser',
    version: 'test',
    dataDir: dir,
    databasePath: path.join(dir, 'studio.sqlite'),
    workerScript,
    poolSize: 2,
    ...overrides,
  });
  const events: StudioHarness['events'] = [];
  studio.onEvent((event, payload) => events.push({ event, payload }));
  return {
    studio,
    dir,
    events,
    waitForJob(jobId, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = (): void => {
          const job = studio.jobs.get(jobId);
          if (job && (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled')) resolve(job);
          else if (Date.now() - started > timeoutMs) reject(new Error(`job ${jobId} still ${job?.status} after ${timeoutMs} ms`));
          else setTimeout(poll, 20);
        };
        poll();
      });
    },
    async dispose() {
      await studio.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts a studio that is disposed of after the test; `forget` one the test closed itself. */
export interface StudioStarter {
  (overrides?: Partial<StudioConfig>): StudioHarness;
  forget(harness: StudioHarness): void;
}

/**
 * Starts studios for the tests of one file and disposes of every one after each test; call it at the
 * top level of the test file.
 */
export function disposedAfterEach(): StudioStarter {
  const harnesses: StudioHarness[] = [];
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.dispose();
  });
  const start = (overrides: Partial<StudioConfig> = {}): StudioHarness => {
    const harness = startStudio(overrides);
    harnesses.push(harness);
    return harness;
  };
  return Object.assign(start, {
    forget(harness: StudioHarness): void {
      harnesses.splice(harnesses.indexOf(harness), 1);
    },
  });
}

/** A call through the same validating dispatch as every transport (so the schemas' defaults apply); throws on a refusal. */
export async function call<M extends MethodName>(harness: StudioHarness, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const reply = await dispatchReply(harness.studio, method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as MethodOutput<M>;
}

/** The message of a call that must be refused as invalid input. */
export async function refusal(harness: StudioHarness, method: MethodName, input: unknown): Promise<string> {
  const reply = await dispatchReply(harness.studio, method, input);
  if (reply.ok) throw new Error(`${method} was accepted`);
  expect(reply.error.code).toBe('invalid-input');
  return reply.error.message;
}

/** Like `refusal`, and checks the call was refused before any job was queued. */
export async function refusalBeforeAnyJob(harness: StudioHarness, method: MethodName, input: unknown): Promise<string> {
  const jobsBefore = (await call(harness, 'jobs.list', undefined)).length;
  const message = await refusal(harness, method, input);
  expect((await call(harness, 'jobs.list', undefined)).length).toBe(jobsBefore);
  return message;
}

/** Every `model.updated` event of one model so far, in order (null: the model was deleted). */
export function modelEvents(harness: StudioHarness, modelId: number): (ModelSummary | null)[] {
  return harness.events
    .filter((entry) => entry.event === 'model.updated')
    .map((entry) => entry.payload as { modelId: number; model: ModelSummary | null })
    .filter((payload) => payload.modelId === modelId)
    .map((payload) => payload.model);
}

/** Polls `condition` until it holds (the studio's events arrive asynchronously). */
export async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The clips of a finished generate job (it must not have failed). */
export async function generated(harness: StudioHarness, jobId: number): Promise<number[]> {
  const job = await harness.waitForJob(jobId, 120_000);
  expect(job.error).toBeNull();
  if (job.result?.kind !== 'generate') throw new Error(`expected a generate result, got ${job.status}`);
  return job.result.clipIds;
}

/** Imports a folder as a new corpus through the import job; returns its id. */
export async function importFolder(harness: StudioHarness, folder: string, corpusName: string): Promise<number> {
  const { jobId } = await harness.studio.handlers['corpora.importPaths']({ corpusName, paths: [folder] });
  const job = await harness.waitForJob(jobId, 120_000);
  if (job.result?.kind !== 'import-midi') throw new Error(`import failed: ${job.error}`);
  return job.result.corpusId;
}

/**
 * Writes `count` files into each split folder of `<harness.dir>/<name>` (`train0.mid`, ...) with
 * `write(file, index, velocity)`, then imports them. Velocities rise by 0.03 from 0.53 file by file, so
 * no file is a duplicate of another (a duplicate would be imported once).
 */
export async function importWrittenCorpus(
  harness: StudioHarness,
  name: string,
  counts: readonly (readonly [split: 'train' | 'valid' | 'test', count: number])[],
  write: (file: string, index: number, velocity: number) => void,
): Promise<number> {
  const root = path.join(harness.dir, name);
  let velocity = 0.5;
  for (const [split, count] of counts) {
    for (let i = 0; i < count; i++) write(path.join(root, split, `${split}${i}.mid`), i, (velocity += 0.03));
  }
  return importFolder(harness, root, name);
}
