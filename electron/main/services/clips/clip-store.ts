/**
 * The `clips` table: music the studio made. A clip's music is one JSON document of the Piece
 * (MusicSchema), read and written whole: the piano roll edits a clip as one thing, and a clip is
 * small next to a corpus. Counts are kept in columns so the clip list needs no JSON parsing.
 */
import { StudioError } from '../../../../core/ipc/envelope';
import { MusicSchema, type Clip, type ClipSummary } from '../../../../core/ipc/schemas';
import { noteCount, type Piece } from '../../../../core/music/types';
import { normalizeMusic } from '../../../../core/music/normalize';
import type { StudioDatabase } from '../database/open-database';

/** Only the music is stored: ids of the piece or clip it was copied from would be stale. */
function stripIds(music: Piece): Piece {
  const { name, ppq, tempos, timeSignatures, keySignatures, tracks, durationTicks, duration } = music;
  return { name, ppq, tempos, timeSignatures, keySignatures, tracks, durationTicks, duration };
}

export interface NewClip {
  readonly name: string;
  /** The model that made it; stored as NULL when that model no longer exists. */
  readonly modelId: number | null;
  readonly music: Piece;
}

export class ClipStore {
  constructor(private readonly db: StudioDatabase) {}

  insert(clip: NewClip): number {
    const music: Piece = stripIds(normalizeMusic({ ...clip.music, name: clip.name }));
    return Number(
      this.db
        .prepare(
          `INSERT INTO clips (name, model_id, music, track_count, note_count, duration_seconds)
           VALUES (?, (SELECT id FROM models WHERE id = ?), ?, ?, ?, ?)`,
        )
        .run(clip.name, clip.modelId, JSON.stringify(music), music.tracks.length, noteCount(music), music.duration).lastInsertRowid,
    );
  }

  list(): ClipSummary[] {
    return this.db
      .prepare(
        `SELECT k.id, k.name, k.model_id AS modelId, m.name AS modelName, k.created_at AS createdAt,
                k.track_count AS trackCount, k.note_count AS noteCount, k.duration_seconds AS durationSeconds
         FROM clips k LEFT JOIN models m ON m.id = k.model_id ORDER BY k.id DESC`,
      )
      .all() as ClipSummary[];
  }

  get(clipId: number): Clip {
    const row = this.db.prepare(`SELECT id, name, model_id AS modelId, music, created_at AS createdAt FROM clips WHERE id = ?`).get(clipId) as
      | { id: number; name: string; modelId: number | null; music: string; createdAt: string }
      | undefined;
    if (!row) throw new StudioError(`There is no clip ${clipId}.`, 'invalid-input');
    const music = MusicSchema.parse(JSON.parse(row.music));
    return { ...music, name: row.name, id: row.id, modelId: row.modelId, createdAt: row.createdAt };
  }

  summary(clipId: number): ClipSummary {
    const summary = this.list().find((clip) => clip.id === clipId);
    if (!summary) throw new StudioError(`There is no clip ${clipId}.`, 'invalid-input');
    return summary;
  }

  /** Saves an edit: a new name, new music (normalised: seconds follow the ticks), or both. */
  update(clipId: number, changes: { readonly name?: string; readonly music?: Piece }): ClipSummary {
    const current = this.get(clipId);
    const name = changes.name ?? current.name;
    const music = normalizeMusic({ ...(changes.music ?? current), name });
    this.db
      .prepare(
        `UPDATE clips SET name = ?, music = ?, track_count = ?, note_count = ?, duration_seconds = ?,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE id = ?`,
      )
      .run(name, JSON.stringify(stripIds(music)), music.tracks.length, noteCount(music), music.duration, clipId);
    return this.summary(clipId);
  }

  delete(clipId: number): void {
    if (this.db.prepare(`DELETE FROM clips WHERE id = ?`).run(clipId).changes === 0) {
      throw new StudioError(`There is no clip ${clipId}.`, 'invalid-input');
    }
  }

  /** How many clips this model has made that still exist (to number the next one). */
  countOfModel(modelId: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM clips WHERE model_id = ?`).get(modelId) as { n: number }).n;
  }
}
