/** A real studio (database file + worker pool) in a temporary folder, for integration tests. */
import fs from 'node:fs';
import path from 'node:path';
import type { EventName, EventPayload } from '../../core/ipc/contract';
import type { Job } from '../../core/ipc/schemas';
import { createStudio, type Studio, type StudioConfig } from '../../electron/main/services/studio';
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
