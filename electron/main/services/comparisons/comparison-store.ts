/**
 * The `comparisons` table (a comparison's request, status and results, JSON checked against the
 * contract's schema when read) and `comparison_preferences` (the composer's A/B choices). A
 * comparison's results are written as each model finishes (partial while running), kept whole when
 * it is done, and dropped when it fails or is cancelled: results are all of a run or none of it.
 */
import { z } from 'zod';
import { StudioError } from '../../../../core/ipc/envelope';
import { ComparisonResultsSchema, Id, type ComparisonSummary } from '../../../../core/ipc/schemas';
import { CompareRequestSchema, type CompareRequest, type PreferenceChoice, type RecordedPreference } from '../../../../core/comparisons';
import type { StudioDatabase } from '../database/open-database';

export type ComparisonResults = z.infer<typeof ComparisonResultsSchema>;
type Status = ComparisonSummary['status'];

interface ComparisonRow {
  id: number;
  name: string;
  corpus_id: number;
  corpus_name: string;
  model_ids: string;
  status: Status;
  job_id: number | null;
  samples_per_model: number;
  reference_split: ComparisonSummary['referenceSplit'];
  error: string | null;
  created_at: string;
}

export interface NewComparison {
  readonly name: string;
  readonly request: CompareRequest;
}

export interface NewPreference extends RecordedPreference {
  readonly comparisonId: number;
  readonly clipA: number;
  readonly clipB: number;
  readonly preferred: PreferenceChoice;
  readonly blind: boolean;
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
const SUMMARY_COLUMNS = `x.id, x.name, x.corpus_id, c.name AS corpus_name, x.model_ids, x.status, x.job_id, x.samples_per_model,
  x.reference_split, x.error, x.created_at`;
const ModelIdsSchema = z.array(Id);

export const INTERRUPTED_MESSAGE = 'The studio closed before this comparison finished.';

export class ComparisonStore {
  constructor(private readonly db: StudioDatabase) {}

  create(comparison: NewComparison): number {
    const { request } = comparison;
    return Number(
      this.db
        .prepare(
          `INSERT INTO comparisons (name, corpus_id, model_ids, request, samples_per_model, reference_split, status)
           VALUES (?, ?, ?, ?, ?, ?, 'running')`,
        )
        .run(comparison.name, request.corpusId, JSON.stringify(request.modelIds), JSON.stringify(request), request.samplesPerModel, request.referenceSplit)
        .lastInsertRowid,
    );
  }

  find(comparisonId: number): ComparisonSummary | undefined {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM comparisons x JOIN corpora c ON c.id = x.corpus_id WHERE x.id = ?`).get(comparisonId) as
      | ComparisonRow
      | undefined;
    return row ? toSummary(row) : undefined;
  }

  get(comparisonId: number): ComparisonSummary {
    const comparison = this.find(comparisonId);
    if (!comparison) throw new StudioError(`There is no comparison ${comparisonId}.`, 'invalid-input');
    return comparison;
  }

  list(): ComparisonSummary[] {
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM comparisons x JOIN corpora c ON c.id = x.corpus_id ORDER BY x.id DESC`).all() as ComparisonRow[];
    return rows.map(toSummary);
  }

  request(comparisonId: number): CompareRequest {
    const row = this.db.prepare(`SELECT request FROM comparisons WHERE id = ?`).get(comparisonId) as { request: string } | undefined;
    if (!row) throw new StudioError(`There is no comparison ${comparisonId}.`, 'invalid-input');
    return CompareRequestSchema.parse(JSON.parse(row.request));
  }

  /** The stored results, checked against the contract; null while there are none. */
  results(comparisonId: number): ComparisonResults | null {
    const row = this.db.prepare(`SELECT results FROM comparisons WHERE id = ?`).get(comparisonId) as { results: string | null } | undefined;
    if (!row) throw new StudioError(`There is no comparison ${comparisonId}.`, 'invalid-input');
    if (row.results === null) return null;
    const parsed = ComparisonResultsSchema.safeParse(JSON.parse(row.results));
    if (!parsed.success) throw new StudioError(`The stored results of comparison ${comparisonId} are unreadable; run the comparison again.`);
    return parsed.data;
  }

  idsOfCorpus(corpusId: number): number[] {
    return (this.db.prepare(`SELECT id FROM comparisons WHERE corpus_id = ?`).all(corpusId) as { id: number }[]).map((row) => row.id);
  }

  setJob(comparisonId: number, jobId: number): void {
    this.db.prepare(`UPDATE comparisons SET job_id = ?, updated_at = ${NOW} WHERE id = ?`).run(jobId, comparisonId);
  }

  /** Results so far of a running comparison (the reference and the models finished). */
  saveProgress(comparisonId: number, results: ComparisonResults): void {
    this.db
      .prepare(`UPDATE comparisons SET results = ?, updated_at = ${NOW} WHERE id = ? AND status = 'running'`)
      .run(JSON.stringify(results), comparisonId);
  }

  /** The run completed: its whole results. False when the comparison is gone or no longer running. */
  finish(comparisonId: number, results: ComparisonResults): boolean {
    return (
      this.db
        .prepare(`UPDATE comparisons SET status = 'done', results = ?, error = NULL, updated_at = ${NOW} WHERE id = ? AND status = 'running'`)
        .run(JSON.stringify(results), comparisonId).changes > 0
    );
  }

  /** The run ended without results (failed or cancelled). False when it was not running. */
  end(comparisonId: number, status: 'failed' | 'cancelled', error: string | null): boolean {
    return (
      this.db
        .prepare(`UPDATE comparisons SET status = ?, results = NULL, error = ?, updated_at = ${NOW} WHERE id = ? AND status = 'running'`)
        .run(status, error, comparisonId).changes > 0
    );
  }

  /** A compare job ended without finishing its comparison: it fails (with the error) or is cancelled. */
  settleJob(jobId: number, outcome: { failed: boolean; error: string | null }): number | undefined {
    const row = this.db.prepare(`SELECT id FROM comparisons WHERE job_id = ? AND status = 'running'`).get(jobId) as { id: number } | undefined;
    if (!row) return undefined;
    this.end(row.id, outcome.failed ? 'failed' : 'cancelled', outcome.failed ? (outcome.error ?? 'The comparison failed.') : null);
    return row.id;
  }

  /** Comparisons a closed (or crashed) studio left running cannot resume: they failed. */
  failInterrupted(): number {
    return this.db
      .prepare(`UPDATE comparisons SET status = 'failed', results = NULL, error = ?, updated_at = ${NOW} WHERE status = 'running'`)
      .run(INTERRUPTED_MESSAGE).changes;
  }

  /** Deletes the comparison and its preferences (its samples stay: they are the composer's clips). */
  delete(comparisonId: number): void {
    if (this.db.prepare(`DELETE FROM comparisons WHERE id = ?`).run(comparisonId).changes === 0) {
      throw new StudioError(`There is no comparison ${comparisonId}.`, 'invalid-input');
    }
  }

  addPreference(preference: NewPreference): void {
    this.db
      .prepare(
        `INSERT INTO comparison_preferences (comparison_id, clip_a, clip_b, model_a, model_b, preferred, blind)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(preference.comparisonId, preference.clipA, preference.clipB, preference.modelA, preference.modelB, preference.preferred, preference.blind ? 1 : 0);
  }

  preferences(comparisonId: number): RecordedPreference[] {
    return this.db
      .prepare(`SELECT model_a AS modelA, model_b AS modelB, preferred FROM comparison_preferences WHERE comparison_id = ? ORDER BY id`)
      .all(comparisonId) as RecordedPreference[];
  }
}

function toSummary(row: ComparisonRow): ComparisonSummary {
  return {
    id: row.id,
    name: row.name,
    corpusId: row.corpus_id,
    corpusName: row.corpus_name,
    modelIds: ModelIdsSchema.parse(JSON.parse(row.model_ids)),
    status: row.status,
    jobId: row.job_id,
    samplesPerModel: row.samples_per_model,
    referenceSplit: row.reference_split,
    error: row.error,
    createdAt: row.created_at,
  };
}
