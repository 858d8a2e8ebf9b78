/**
 * The `models` table: each trained (or training) model of any family (HMM, LSTM, transformer, polyphonic) with
 * its settings, its saved state after the last completed iteration or epoch, and its training
 * curve. Training writes each checkpoint in one transaction, so what is stored is always a model
 * that can be resumed.
 */
import { StudioError } from '../../../../core/ipc/envelope';
import {
  parseModelSettings,
  type ModelEngine,
  type ModelFamily,
  type ModelSettings,
  type ModelSummary,
  type TrainingPoint,
} from '../../../../core/ipc/schemas';
import type { StudioDatabase } from '../database/open-database';

type ModelStatus = ModelSummary['status'];
type Engine = ModelEngine;

interface ModelRow {
  id: number;
  name: string;
  family: ModelFamily;
  corpus_id: number;
  corpus_name: string;
  representation: ModelSummary['representation'];
  status: ModelStatus;
  settings: string;
  iterations: number;
  history: string;
  valid_log_likelihood: number | null;
  train_tokens: number;
  engine: Engine | null;
  engine_reason: string | null;
  training_seconds: number;
  size_bytes: number;
  job_id: number | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewModel {
  readonly name: string;
  readonly corpusId: number;
  /** The family follows from the settings (every family's but an HMM's names it). */
  readonly settings: ModelSettings;
}

export interface Checkpoint {
  /** The last completed iteration (HMM) or epoch (neural), whose parameters `state` holds. */
  readonly iteration: number;
  /** The curve's points since the previous checkpoint, in order. */
  readonly points: readonly TrainingPoint[];
  readonly seconds: number;
  /** The serialized model, stored as JSON. */
  readonly state: unknown;
  readonly engine: Engine;
  readonly trainTokens: number;
  /** Neural models: the engine's sentence on what runs and why. */
  readonly engineReason?: string;
  /** Neural models: the held-out log-likelihood after this epoch (they score every epoch). */
  readonly validLogLikelihoodPerToken?: number | null;
}

export function familyOf(settings: ModelSettings): ModelFamily {
  return 'family' in settings ? settings.family : 'hmm';
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ','now')`;
const SUMMARY_COLUMNS = `m.id, m.name, m.family, m.corpus_id, c.name AS corpus_name, m.representation, m.status, m.settings,
  m.iterations, m.history, m.valid_log_likelihood, m.train_tokens, m.engine, m.engine_reason, m.training_seconds, m.size_bytes,
  m.job_id, m.error, m.created_at, m.updated_at`;

export class ModelStore {
  constructor(private readonly db: StudioDatabase) {}

  create(model: NewModel): number {
    return Number(
      this.db
        .prepare(`INSERT INTO models (name, family, corpus_id, representation, status, settings) VALUES (?, ?, ?, ?, 'training', ?)`)
        .run(model.name, familyOf(model.settings), model.corpusId, model.settings.representation, JSON.stringify(model.settings)).lastInsertRowid,
    );
  }

  find(modelId: number): ModelSummary | undefined {
    const row = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM models m JOIN corpora c ON c.id = m.corpus_id WHERE m.id = ?`).get(modelId) as
      | ModelRow
      | undefined;
    return row ? toSummary(row) : undefined;
  }

  get(modelId: number): ModelSummary {
    const model = this.find(modelId);
    if (!model) throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    return model;
  }

  list(): ModelSummary[] {
    const rows = this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM models m JOIN corpora c ON c.id = m.corpus_id ORDER BY m.id DESC`).all() as ModelRow[];
    return rows.map(toSummary);
  }

  idsOfCorpus(corpusId: number): number[] {
    return (this.db.prepare(`SELECT id FROM models WHERE corpus_id = ?`).all(corpusId) as { id: number }[]).map((row) => row.id);
  }

  /** The saved model (parsed JSON), or null before its first completed iteration. */
  state(modelId: number): unknown {
    const row = this.db.prepare(`SELECT state FROM models WHERE id = ?`).get(modelId) as { state: string | null } | undefined;
    if (!row) throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    return row.state === null ? null : (JSON.parse(row.state) as unknown);
  }

  /** The saved model as stored (JSON text), for a worker to parse; null before its first checkpoint. */
  stateJson(modelId: number): string | null {
    const row = this.db.prepare(`SELECT state FROM models WHERE id = ?`).get(modelId) as { state: string | null } | undefined;
    if (!row) throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    return row.state;
  }

  /**
   * One field of the saved model, read by SQLite without parsing the whole document in main (a
   * polyphonic checkpoint is megabytes): `path` as json_extract takes it, e.g. '$.config'.
   */
  stateField(modelId: number, path: string): unknown {
    const row = this.db.prepare(`SELECT json_extract(state, ?) AS value, json_type(state, ?) AS type FROM models WHERE id = ?`).get(path, path, modelId) as
      | { value: unknown; type: string | null }
      | undefined;
    if (!row) throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    if (row.type === null) return undefined;
    return row.type === 'object' || row.type === 'array' ? (JSON.parse(row.value as string) as unknown) : row.value;
  }

  hasState(modelId: number): boolean {
    return this.db.prepare(`SELECT 1 FROM models WHERE id = ? AND state IS NOT NULL`).get(modelId) !== undefined;
  }

  delete(modelId: number): void {
    if (this.db.prepare(`DELETE FROM models WHERE id = ?`).run(modelId).changes === 0) {
      throw new StudioError(`There is no model ${modelId}.`, 'invalid-input');
    }
  }

  /** Marks the model as training (again), with these settings, before its job is queued. */
  prepareTraining(modelId: number, settings: ModelSettings): void {
    this.db
      .prepare(`UPDATE models SET status = 'training', error = NULL, settings = ?, updated_at = ${NOW} WHERE id = ?`)
      .run(JSON.stringify(settings), modelId);
  }

  /** The training job `jobId` has started on the model. */
  startTraining(modelId: number, jobId: number): void {
    this.db.prepare(`UPDATE models SET status = 'training', job_id = ?, error = NULL, updated_at = ${NOW} WHERE id = ?`).run(jobId, modelId);
  }

  /** The model went back to `status` (e.g. its job could not be queued). */
  setStatus(modelId: number, status: ModelStatus): void {
    this.db.prepare(`UPDATE models SET status = ?, updated_at = ${NOW} WHERE id = ?`).run(status, modelId);
  }

  setJob(modelId: number, jobId: number): void {
    this.db.prepare(`UPDATE models SET job_id = ? WHERE id = ?`).run(jobId, modelId);
  }

  /**
   * Stores a checkpoint: the parameters after `iteration` and the curve's points since the last one
   * (and, for neural models, the engine's reason and the latest held-out score). False when the
   * model is gone.
   */
  saveCheckpoint(modelId: number, checkpoint: Checkpoint): boolean {
    const state = JSON.stringify(checkpoint.state);
    return this.db.transaction(() => {
      const row = this.db.prepare(`SELECT history FROM models WHERE id = ?`).get(modelId) as { history: string } | undefined;
      if (!row) return false;
      const history = [...(JSON.parse(row.history) as unknown[]), ...checkpoint.points];
      this.db
        .prepare(
          `UPDATE models SET state = ?, iterations = ?, history = ?, engine = ?, train_tokens = ?,
             training_seconds = training_seconds + ?, size_bytes = ?, engine_reason = COALESCE(?, engine_reason),
             valid_log_likelihood = COALESCE(?, valid_log_likelihood), updated_at = ${NOW}
           WHERE id = ?`,
        )
        .run(
          state,
          checkpoint.iteration,
          JSON.stringify(history),
          checkpoint.engine,
          checkpoint.trainTokens,
          checkpoint.seconds,
          Buffer.byteLength(state),
          checkpoint.engineReason ?? null,
          checkpoint.validLogLikelihoodPerToken ?? null,
          modelId,
        );
      return true;
    })();
  }

  /** The training job ended: trained (completed) or stopped (cancelled; it can be resumed). */
  finishTraining(modelId: number, outcome: { status: 'trained' | 'stopped'; validLogLikelihoodPerToken?: number | null }): void {
    this.db
      .prepare(
        `UPDATE models SET status = ?, valid_log_likelihood = COALESCE(?, valid_log_likelihood), error = NULL, updated_at = ${NOW}
         WHERE id = ? AND status = 'training'`,
      )
      .run(outcome.status, outcome.validLogLikelihoodPerToken ?? null, modelId);
  }

  fail(modelId: number, error: string): void {
    this.db.prepare(`UPDATE models SET status = 'failed', error = ?, updated_at = ${NOW} WHERE id = ?`).run(error, modelId);
  }

  /**
   * A training job ended without finishing its model (it failed, was cancelled while queued or by
   * force): the model becomes failed (with the error) or stopped. Returns its id, if one changed.
   */
  settleJob(jobId: number, outcome: { failed: boolean; error: string | null }): number | undefined {
    const row = this.db.prepare(`SELECT id FROM models WHERE job_id = ? AND status = 'training'`).get(jobId) as { id: number } | undefined;
    if (!row) return undefined;
    if (outcome.failed) this.fail(row.id, outcome.error ?? 'The training job failed.');
    else this.db.prepare(`UPDATE models SET status = 'stopped', updated_at = ${NOW} WHERE id = ?`).run(row.id);
    return row.id;
  }

  /** Models left training by a studio that closed: they stopped, and can be resumed. */
  stopInterrupted(): number {
    return this.db.prepare(`UPDATE models SET status = 'stopped', updated_at = ${NOW} WHERE status = 'training'`).run().changes;
  }

  /** The tempo most pieces of the corpus's train split start at (bpm), for generated clips; 120 when unknown. */
  typicalTempo(corpusId: number): number {
    const rows = this.db
      .prepare(
        `SELECT (SELECT bpm FROM tempos t WHERE t.piece_id = p.id ORDER BY ticks LIMIT 1) AS bpm
         FROM pieces p WHERE p.corpus_id = ? AND p.split = 'train'`,
      )
      .all(corpusId) as { bpm: number | null }[];
    const tempos = rows.map((row) => row.bpm).filter((bpm): bpm is number => bpm !== null && bpm > 0).sort((a, b) => a - b);
    if (tempos.length === 0) return 120;
    // The median, rounded to a whole bpm: a clip's tempo is a choice, not a measurement.
    return Math.round(tempos[Math.floor(tempos.length / 2)]!);
  }
}

function toSummary(row: ModelRow): ModelSummary {
  return {
    id: row.id,
    name: row.name,
    family: row.family,
    corpusId: row.corpus_id,
    corpusName: row.corpus_name,
    representation: row.representation,
    status: row.status,
    settings: parseModelSettings(row.family, JSON.parse(row.settings)),
    iterations: row.iterations,
    history: JSON.parse(row.history) as ModelSummary['history'],
    validLogLikelihoodPerToken: row.valid_log_likelihood,
    trainTokens: row.train_tokens,
    engine: row.engine,
    engineReason: row.engine_reason,
    trainingSeconds: row.training_seconds,
    sizeBytes: row.size_bytes,
    jobId: row.job_id,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
