/** How a job reads in the Jobs panel, apart from React. */
import type { Job } from '../../../../core/ipc/schemas';

export const STATUS_LABEL: Record<Job['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Wall time of a job, "0.4 s", "12 s", "3 min 05 s"; null until it has started. */
export function jobElapsed(job: Pick<Job, 'startedAt' | 'finishedAt'>, now: number): string | null {
  if (job.startedAt === null) return null;
  const start = Date.parse(job.startedAt);
  const end = job.finishedAt === null ? now : Date.parse(job.finishedAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  const seconds = Math.max(0, (end - start) / 1000);
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${(whole % 60).toString().padStart(2, '0')} s`;
}

export interface JobCounts {
  readonly active: number;
  readonly failed: number;
}

export function countJobs(jobs: readonly Job[]): JobCounts {
  let active = 0;
  let failed = 0;
  for (const job of jobs) {
    if (job.status === 'queued' || job.status === 'running') active += 1;
    else if (job.status === 'failed') failed += 1;
  }
  return { active, failed };
}
