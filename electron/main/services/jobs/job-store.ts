/** The `jobs` table: every job the studio ran or will run, with its progress and outcome. */
import { JobResultSchema, type Job, type JobResult, type JobStatus } from '../../../../core/ipc/schemas';
import type { StudioDatabase } from '../database/open-database';

interface JobRow {
  id: number;
  kind: string;
  title: string;
  status: JobStatus;
  progress: number;
  message: string;
  payload: string;
  result: string | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ','now')`;

export class JobStore {
  constructor(private readonly db: StudioDatabase) {}

  insert(kind: string, title: string, payload: unknown): Job {
    const info = this.db
      .prepare(`INSERT INTO jobs (kind, title, status, payload) VALUES (?, ?, 'queued', ?)`)
      .run(kind, title, JSON.stringify(payload));
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Job | undefined {
    const row = this.db.prepare(`SELECT * FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
    return row ? toJob(row) : undefined;
  }

  payload(id: number): unknown {
    const row = this.db.prepare(`SELECT payload FROM jobs WHERE id = ?`).get(id) as { payload: string } | undefined;
    return row ? (JSON.parse(row.payload) as unknown) : undefined;
  }

  list(limit = 200): Job[] {
    const rows = this.db.prepare(`SELECT * FROM jobs ORDER BY id DESC LIMIT ?`).all(limit) as JobRow[];
    return rows.map(toJob);
  }

  markRunning(id: number): void {
    this.db.prepare(`UPDATE jobs SET status = 'running', started_at = ${NOW} WHERE id = ?`).run(id);
  }

  setProgress(id: number, progress: number, message: string): void {
    this.db.prepare(`UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND status = 'running'`).run(progress, message, id);
  }

  finish(id: number, status: Exclude<JobStatus, 'queued' | 'running'>, outcome: { result?: JobResult | null; error?: string | null; message?: string }): void {
    this.db
      .prepare(
        `UPDATE jobs SET status = ?, result = ?, error = ?, message = COALESCE(?, message),
           progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, finished_at = ${NOW}
         WHERE id = ?`,
      )
      .run(
        status,
        outcome.result ? JSON.stringify(outcome.result) : null,
        outcome.error ?? null,
        outcome.message ?? null,
        status,
        id,
      );
  }

  /** Jobs left queued or running by a previous run of the studio did not finish: say so. */
  failInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE jobs SET status = 'failed', error = 'The studio closed before this job finished.', finished_at = ${NOW}
         WHERE status IN ('queued', 'running')`,
      )
      .run().changes;
  }
}

function toJob(row: JobRow): Job {
  const result = row.result ? JobResultSchema.safeParse(JSON.parse(row.result)) : null;
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    progress: row.progress,
    message: row.message,
    error: row.error,
    result: result?.success ? result.data : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
