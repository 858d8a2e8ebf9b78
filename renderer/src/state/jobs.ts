/** Keeping the job list current from `jobs.list` replies and `job.updated` events, newest first. */
import type { Job, JobStatus } from '../../../core/ipc/schemas';

const STATUS_RANK: Record<JobStatus, number> = { queued: 0, running: 1, done: 2, failed: 2, cancelled: 2 };

export function isActive(job: Pick<Job, 'status'>): boolean {
  return job.status === 'queued' || job.status === 'running';
}

export function isFinished(job: Pick<Job, 'status'>): boolean {
  return !isActive(job);
}

/**
 * Whether `candidate` can replace `current`: a job only moves forward (queued → running → an end),
 * and progress only grows while it runs. An event and a list reply can cross on the wire; the
 * later state wins whichever arrives last.
 */
export function isAtLeastAsNew(candidate: Job, current: Job): boolean {
  const rankDifference = STATUS_RANK[candidate.status] - STATUS_RANK[current.status];
  if (rankDifference !== 0) return rankDifference > 0;
  if (isFinished(current)) return true;
  return candidate.progress >= current.progress;
}

function byNewest(a: Job, b: Job): number {
  return b.id - a.id;
}

export function upsertJob(jobs: readonly Job[], job: Job): readonly Job[] {
  const index = jobs.findIndex((existing) => existing.id === job.id);
  if (index === -1) return [...jobs, job].sort(byNewest);
  const current = jobs[index]!;
  if (!isAtLeastAsNew(job, current)) return jobs;
  const next = [...jobs];
  next[index] = job;
  return next;
}

export function mergeJobs(jobs: readonly Job[], listed: readonly Job[]): readonly Job[] {
  let next = jobs;
  for (const job of listed) next = upsertJob(next, job);
  return next;
}
