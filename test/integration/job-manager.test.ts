// The job system with the real database and real worker_threads.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Job } from '../../core/ipc/schemas';
import { openDatabase, type StudioDatabase } from '../../electron/main/services/database/open-database';
import { defineJob } from '../../electron/main/services/jobs/job-definition';
import { JobManager } from '../../electron/main/services/jobs/job-manager';
import { tempDir, testWorkerScript } from '../support/paths';

const Count = z.object({ steps: z.number().int().positive(), stepMs: z.number().nonnegative() });
const Nothing = z.object({}).strict();

let dir: string;
let db: StudioDatabase;
let manager: JobManager;
let updates: Job[];
let received: unknown[];
let transferred: Float64Array | undefined;
let echoed: unknown;

function createManager(poolSize = 2): JobManager {
  return new JobManager({
    db,
    workerScript: testWorkerScript,
    poolSize,
    cancelGraceMs: 300,
    onUpdate: (job) => updates.push(job),
    definitions: [
      defineJob({
        kind: 'count',
        payloadSchema: Count,
        title: (p) => `Count to ${p.steps}`,
        start: () => ({ onData: (data) => received.push(data) }),
      }),
      defineJob({ kind: 'throws', payloadSchema: Nothing, title: () => 'Throws' }),
      defineJob({
        kind: 'echoInput',
        payloadSchema: Nothing,
        title: () => 'Echo input',
        start: () => {
          const values = new Float64Array([1.5, 2.5, 3]);
          transferred = values;
          return { input: { values }, transfer: [values.buffer], finish: (result) => ((echoed = result), null) };
        },
      }),
      defineJob({ kind: 'crashes', payloadSchema: Nothing, title: () => 'Crashes' }),
      defineJob({ kind: 'exits', payloadSchema: Nothing, title: () => 'Exits' }),
      defineJob({ kind: 'ignoresCancel', payloadSchema: Nothing, title: () => 'Ignores cancel' }),
    ],
  });
}

function settled(jobId: number, timeoutMs = 20_000): Promise<Job> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const job = manager.get(jobId);
      if (job && ['done', 'failed', 'cancelled'].includes(job.status)) resolve(job);
      else if (Date.now() - started > timeoutMs) reject(new Error(`job ${jobId} did not settle: ${JSON.stringify(job)}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'jobs.sqlite'));
  updates = [];
  received = [];
  manager = createManager();
});

afterEach(async () => {
  await manager.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('JobManager with real workers', () => {
  it('runs a job to completion, streaming progress and data, and persists the outcome', async () => {
    const job = manager.enqueue('count', { steps: 5, stepMs: 5 });
    expect(job.status).toBe('queued');
    const done = await settled(job.id);
    expect(done.status).toBe('done');
    expect(done.progress).toBe(1);
    expect(received).toEqual([1, 2, 3, 4, 5].map((step) => ({ step })));
    expect(updates.some((u) => u.id === job.id && u.status === 'running')).toBe(true);
    expect(updates.some((u) => u.id === job.id && u.progress > 0 && u.progress < 1)).toBe(true);
    const row = db.prepare(`SELECT status, started_at, finished_at FROM jobs WHERE id = ?`).get(job.id) as Record<string, unknown>;
    expect(row.status).toBe('done');
    expect(row.started_at).not.toBeNull();
    expect(row.finished_at).not.toBeNull();
  });

  it('cancels a running job cooperatively, keeping the data it already sent', async () => {
    const job = manager.enqueue('count', { steps: 10_000, stepMs: 2 });
    await until(() => received.length >= 3);
    manager.cancel(job.id);
    const end = await settled(job.id);
    expect(end.status).toBe('cancelled');
    expect(end.message).toBe('Cancelled.');
    expect(received.length).toBeGreaterThanOrEqual(3);
    expect(received.length).toBeLessThan(10_000);
    // The worker is free again for the next job.
    const next = manager.enqueue('count', { steps: 2, stepMs: 1 });
    expect((await settled(next.id)).status).toBe('done');
  });

  it('terminates a job that never looks at its cancel flag, and the pool recovers', async () => {
    const job = manager.enqueue('ignoresCancel', {});
    await until(() => manager.get(job.id)?.status === 'running');
    manager.cancel(job.id);
    const end = await settled(job.id);
    expect(end.status).toBe('cancelled');
    expect(end.message).toMatch(/by force/);
    const next = manager.enqueue('count', { steps: 2, stepMs: 1 });
    expect((await settled(next.id)).status).toBe('done');
  });

  it('cancels a queued job before it starts', async () => {
    manager = createManager(1);
    const first = manager.enqueue('count', { steps: 50, stepMs: 5 });
    const second = manager.enqueue('count', { steps: 1, stepMs: 1 });
    manager.cancel(second.id);
    expect(manager.get(second.id)?.status).toBe('cancelled');
    manager.cancel(first.id);
    await settled(first.id);
  });

  it('hands the worker per-run input that is not stored with the job, moving typed arrays', async () => {
    const job = manager.enqueue('echoInput', {});
    expect((await settled(job.id)).status).toBe('done');
    expect(echoed).toEqual({ sum: 7, isTyped: true });
    expect(transferred?.byteLength).toBe(0); // moved, not copied
    const row = db.prepare(`SELECT payload FROM jobs WHERE id = ?`).get(job.id) as { payload: string };
    expect(row.payload).toBe('{}');
  });

  it('fails a job whose handler throws, with the worker message', async () => {
    const job = manager.enqueue('throws', {});
    const end = await settled(job.id);
    expect(end.status).toBe('failed');
    expect(end.error).toBe('The test handler failed on purpose.');
  });

  it('survives a worker that crashes or exits, failing only that job', async () => {
    const crash = manager.enqueue('crashes', {});
    const exit = manager.enqueue('exits', {});
    const crashEnd = await settled(crash.id);
    const exitEnd = await settled(exit.id);
    expect(crashEnd.status).toBe('failed');
    expect(crashEnd.error).toMatch(/crashed: Uncaught inside the worker/);
    expect(exitEnd.status).toBe('failed');
    expect(exitEnd.error).toMatch(/exit code 7/);
    const next = manager.enqueue('count', { steps: 3, stepMs: 1 });
    expect((await settled(next.id)).status).toBe('done');
  });

  it('rejects an unknown kind or a bad payload before anything runs', () => {
    expect(() => manager.enqueue('nope', {})).toThrow(/no job of kind "nope"/);
    expect(() => manager.enqueue('count', { steps: -1, stepMs: 0 })).toThrow(/steps/);
    expect(manager.list()).toHaveLength(0);
  });

  it('marks jobs left running by a previous run as failed when it starts again', async () => {
    const job = manager.enqueue('count', { steps: 10_000, stepMs: 5 });
    await until(() => manager.get(job.id)?.status === 'running');
    // Simulate a crash of the whole process: the row stays "running".
    db.prepare(`UPDATE jobs SET status = 'running' WHERE id = ?`).run(job.id);
    const restarted = createManager();
    const after = restarted.get(job.id);
    expect(after?.status).toBe('failed');
    expect(after?.error).toMatch(/closed before this job finished/);
    await restarted.close();
  });

  it('runs jobs in parallel up to the pool size', async () => {
    const jobs = [1, 2, 3, 4].map(() => manager.enqueue('count', { steps: 20, stepMs: 10 }));
    await until(() => jobs.filter((j) => manager.get(j.id)?.status === 'running').length === 2);
    expect(jobs.filter((j) => manager.get(j.id)?.status === 'queued')).toHaveLength(2);
    for (const job of jobs) expect((await settled(job.id)).status).toBe('done');
  });
});
