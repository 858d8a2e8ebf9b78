/** Corpora and their pieces in SQLite: summaries for the library, whole pieces for the models. */
import type { CorpusSummary, PieceSummary } from '../../../../core/ipc/schemas';
import { assignSplits } from '../../../../core/music/split';
import { describePieces, type CorpusStatistics } from '../../../../core/music/stats';
import { StudioError } from '../../../../core/ipc/envelope';
import type { ImportedPieceRecord } from '../../../../core/jobs/import-midi';
import { noteCount, type Piece, type SplitName, type Track } from '../../../../core/music/types';
import type { StudioDatabase } from '../database/open-database';

export type SplitCounts = Record<SplitName | 'none', number>;

export interface InsertOutcome {
  readonly inserted: number;
  /** Relative paths of files whose exact bytes the corpus already holds. */
  readonly duplicates: string[];
  /** Pieces the database refused; the others of the batch are stored. */
  readonly failures: { file: string; error: string }[];
}

export class CorpusStore {
  constructor(private readonly db: StudioDatabase) {}

  /** The corpus of that name, created if there is none (importing into a name adds to it). */
  ensureCorpus(name: string): number {
    const existing = this.db.prepare(`SELECT id FROM corpora WHERE name = ?`).get(name) as { id: number } | undefined;
    if (existing) return existing.id;
    return Number(this.db.prepare(`INSERT INTO corpora (name) VALUES (?)`).run(name).lastInsertRowid);
  }

  exists(corpusId: number): boolean {
    return this.db.prepare(`SELECT 1 FROM corpora WHERE id = ?`).get(corpusId) !== undefined;
  }

  list(): CorpusSummary[] {
    return this.db
      .prepare(
        `SELECT c.id, c.name, c.created_at AS createdAt,
                COUNT(p.id) AS pieceCount,
                COALESCE(SUM(p.note_count), 0) AS noteCount,
                COALESCE(SUM(p.duration_seconds), 0) AS durationSeconds
         FROM corpora c LEFT JOIN pieces p ON p.corpus_id = c.id
         GROUP BY c.id ORDER BY c.name COLLATE NOCASE`,
      )
      .all() as CorpusSummary[];
  }

  pieces(corpusId: number): PieceSummary[] {
    this.requireCorpus(corpusId);
    return this.db
      .prepare(
        `SELECT p.id, p.corpus_id AS corpusId, p.file_name AS fileName, p.relative_path AS relativePath,
                p.split, p.ppq, p.track_count AS trackCount, p.note_count AS noteCount,
                p.duration_seconds AS durationSeconds,
                COALESCE((SELECT bpm FROM tempos t WHERE t.piece_id = p.id ORDER BY ticks LIMIT 1), 120) AS initialBpm,
                COALESCE((SELECT numerator || '/' || denominator FROM time_signatures s
                          WHERE s.piece_id = p.id ORDER BY ticks LIMIT 1), '4/4') AS initialTimeSignature
         FROM pieces p WHERE p.corpus_id = ? ORDER BY p.relative_path`,
      )
      .all(corpusId) as PieceSummary[];
  }

  delete(corpusId: number): void {
    const changes = this.db.prepare(`DELETE FROM corpora WHERE id = ?`).run(corpusId).changes;
    if (changes === 0) throw new StudioError(`There is no corpus ${corpusId}.`, 'invalid-input');
  }

  /**
   * Stores the pieces in one transaction, each piece inside its own savepoint: a piece is written
   * whole or not at all, and one the database refuses does not take the rest of the batch with it.
   */
  insertPieces(corpusId: number, records: readonly ImportedPieceRecord[]): InsertOutcome {
    const statements = this.statements();
    const insertOne = this.db.transaction((record: ImportedPieceRecord) => this.insertPiece(statements, corpusId, record));
    return this.db.transaction((): InsertOutcome => {
      let inserted = 0;
      const duplicates: string[] = [];
      const failures: { file: string; error: string }[] = [];
      for (const record of records) {
        if (statements.hasHash.get(corpusId, record.contentHash)) {
          duplicates.push(record.relativePath);
          continue;
        }
        try {
          insertOne(record);
          inserted++;
        } catch (error) {
          failures.push({ file: record.relativePath, error: `The piece could not be stored: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
      return { inserted, duplicates, failures };
    })();
  }

  private insertPiece(statements: ReturnType<CorpusStore['statements']>, corpusId: number, record: ImportedPieceRecord): void {
        const { piece } = record;
        const pieceId = Number(
          statements.piece.run(
            corpusId,
            record.fileName,
            record.relativePath,
            record.sourcePath,
            record.contentHash,
            record.split,
            record.split === null ? null : 'folder',
            piece.ppq,
            piece.durationTicks,
            piece.duration,
            piece.tracks.length,
            noteCount(piece),
          ).lastInsertRowid,
        );
        for (const tempo of piece.tempos) statements.tempo.run(pieceId, tempo.ticks, tempo.bpm);
        for (const meter of piece.timeSignatures) statements.meter.run(pieceId, meter.ticks, meter.numerator, meter.denominator);
        for (const key of piece.keySignatures) statements.key.run(pieceId, key.ticks, key.key, key.scale);
        piece.tracks.forEach((track, index) => {
          const trackId = Number(
            statements.track.run(pieceId, index, track.name, track.program, track.channel, track.isDrum ? 1 : 0).lastInsertRowid,
          );
          for (const note of track.notes) {
            statements.note.run(trackId, note.ticks, note.durationTicks, note.time, note.duration, note.pitch, note.velocity);
          }
          for (const change of track.controlChanges) {
            statements.control.run(trackId, change.ticks, change.time, change.controller, change.value);
          }
        });
  }

  /**
   * Gives every piece whose split no folder named a split drawn with the corpus's seed (exact
   * proportions 80/10/10 over those pieces, keyed by content hash so a renamed file keeps its split).
   * Adding pieces re-balances the drawn splits; folder splits never change.
   */
  applySeededSplits(corpusId: number): SplitCounts {
    this.requireCorpus(corpusId);
    const { seed } = this.db.prepare(`SELECT split_seed AS seed FROM corpora WHERE id = ?`).get(corpusId) as { seed: number };
    const rows = this.db
      .prepare(`SELECT id, content_hash AS hash, split, split_source AS source FROM pieces WHERE corpus_id = ?`)
      .all(corpusId) as { id: number; hash: string; split: SplitName | null; source: 'folder' | 'seed' | null }[];
    const assignments = assignSplits(
      rows.map((row) => ({ key: row.hash, split: row.source === 'folder' ? row.split : null })),
      seed,
    );
    const update = this.db.prepare(`UPDATE pieces SET split = ?, split_source = 'seed' WHERE id = ? AND (split IS NOT ? OR split_source IS NULL)`);
    this.db.transaction(() => {
      assignments.forEach((assignment, index) => {
        if (!assignment.fromFolder) update.run(assignment.split, rows[index]!.id, assignment.split);
      });
    })();
    return this.splitCounts(corpusId);
  }

  splitSeed(corpusId: number): number {
    this.requireCorpus(corpusId);
    return (this.db.prepare(`SELECT split_seed AS seed FROM corpora WHERE id = ?`).get(corpusId) as { seed: number }).seed;
  }

  /** Draws the seeded splits again with another seed. */
  resplit(corpusId: number, seed: number): SplitCounts {
    this.requireCorpus(corpusId);
    this.db.prepare(`UPDATE corpora SET split_seed = ? WHERE id = ?`).run(seed, corpusId);
    return this.applySeededSplits(corpusId);
  }

  splitCounts(corpusId: number): SplitCounts {
    const counts: SplitCounts = { train: 0, valid: 0, test: 0, none: 0 };
    const rows = this.db.prepare(`SELECT split, COUNT(*) AS n FROM pieces WHERE corpus_id = ? GROUP BY split`).all(corpusId) as {
      split: SplitName | null;
      n: number;
    }[];
    for (const row of rows) counts[row.split ?? 'none'] = row.n;
    return counts;
  }

  /** Statistics of the corpus or of one of its splits, computed once and cached until its pieces change. */
  statistics(corpusId: number, split: SplitName | null): CorpusStatistics {
    this.requireCorpus(corpusId);
    const scope = split ?? 'all';
    const cached = this.db.prepare(`SELECT statistics FROM corpus_statistics WHERE corpus_id = ? AND scope = ?`).get(corpusId, scope) as
      | { statistics: string }
      | undefined;
    if (cached) return JSON.parse(cached.statistics) as CorpusStatistics;
    const statistics = describePieces(this.loadPieces(corpusId, split));
    this.db.prepare(`INSERT OR REPLACE INTO corpus_statistics (corpus_id, scope, statistics) VALUES (?, ?, ?)`).run(corpusId, scope, JSON.stringify(statistics));
    return statistics;
  }

  /** Every piece of the corpus (or of one split), whole, in path order. */
  loadPieces(corpusId: number, split: SplitName | null = null): Piece[] {
    const ids = (
      split === null
        ? this.db.prepare(`SELECT id FROM pieces WHERE corpus_id = ? ORDER BY relative_path`).all(corpusId)
        : this.db.prepare(`SELECT id FROM pieces WHERE corpus_id = ? AND split = ? ORDER BY relative_path`).all(corpusId, split)
    ) as { id: number }[];
    return ids.map(({ id }) => this.loadPiece(id));
  }

  private requireCorpus(corpusId: number): void {
    if (!this.exists(corpusId)) throw new StudioError(`There is no corpus ${corpusId}.`, 'invalid-input');
  }

  /** The whole piece as it was imported. */
  loadPiece(pieceId: number): Piece & { readonly id: number; readonly corpusId: number; readonly split: SplitName | null } {
    const row = this.db
      .prepare(
        `SELECT id, corpus_id AS corpusId, file_name AS fileName, split, ppq,
                duration_ticks AS durationTicks, duration_seconds AS duration
         FROM pieces WHERE id = ?`,
      )
      .get(pieceId) as
      | { id: number; corpusId: number; fileName: string; split: SplitName | null; ppq: number; durationTicks: number; duration: number }
      | undefined;
    if (!row) throw new StudioError(`There is no piece ${pieceId}.`, 'invalid-input');
    const trackRows = this.db
      .prepare(`SELECT id, name, program, channel, is_drum AS isDrum FROM tracks WHERE piece_id = ? ORDER BY track_index`)
      .all(pieceId) as { id: number; name: string; program: number; channel: number; isDrum: number }[];
    const notesOf = this.db.prepare(
      `SELECT ticks, duration_ticks AS durationTicks, time, duration, pitch, velocity
       FROM notes WHERE track_id = ? ORDER BY ticks, pitch`,
    );
    const controlsOf = this.db.prepare(
      `SELECT ticks, time, controller, value FROM control_changes WHERE track_id = ? ORDER BY ticks, controller`,
    );
    const tracks: Track[] = trackRows.map((track) => ({
      name: track.name,
      program: track.program,
      channel: track.channel,
      isDrum: track.isDrum === 1,
      notes: notesOf.all(track.id) as Track['notes'],
      controlChanges: controlsOf.all(track.id) as Track['controlChanges'],
    }));
    return {
      id: row.id,
      corpusId: row.corpusId,
      split: row.split,
      name: row.fileName.replace(/\.[^.]+$/, ''),
      ppq: row.ppq,
      durationTicks: row.durationTicks,
      duration: row.duration,
      tempos: this.db.prepare(`SELECT ticks, bpm FROM tempos WHERE piece_id = ? ORDER BY ticks`).all(pieceId) as Piece['tempos'],
      timeSignatures: this.db
        .prepare(`SELECT ticks, numerator, denominator FROM time_signatures WHERE piece_id = ? ORDER BY ticks`)
        .all(pieceId) as Piece['timeSignatures'],
      keySignatures: this.db
        .prepare(`SELECT ticks, key, scale FROM key_signatures WHERE piece_id = ? ORDER BY ticks`)
        .all(pieceId) as Piece['keySignatures'],
      tracks,
    };
  }

  private statements() {
    return {
      hasHash: this.db.prepare(`SELECT 1 FROM pieces WHERE corpus_id = ? AND content_hash = ?`),
      piece: this.db.prepare(
        `INSERT INTO pieces (corpus_id, file_name, relative_path, source_path, content_hash, split, split_source,
                             ppq, duration_ticks, duration_seconds, track_count, note_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      tempo: this.db.prepare(`INSERT INTO tempos (piece_id, ticks, bpm) VALUES (?, ?, ?)`),
      meter: this.db.prepare(`INSERT INTO time_signatures (piece_id, ticks, numerator, denominator) VALUES (?, ?, ?, ?)`),
      key: this.db.prepare(`INSERT INTO key_signatures (piece_id, ticks, key, scale) VALUES (?, ?, ?, ?)`),
      track: this.db.prepare(
        `INSERT INTO tracks (piece_id, track_index, name, program, channel, is_drum) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      note: this.db.prepare(
        `INSERT INTO notes (track_id, ticks, duration_ticks, time, duration, pitch, velocity) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      control: this.db.prepare(`INSERT INTO control_changes (track_id, ticks, time, controller, value) VALUES (?, ?, ?, ?, ?)`),
    };
  }
}
