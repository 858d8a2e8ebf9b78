// SQLite's own crash-test idea: a child commits and acknowledges, the parent kills it at a random
// moment, reopens the database and checks its integrity and that every acknowledged piece is whole.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/main/services/database/open-database';
import { writeMidiFile } from '../support/midi-fixtures';
import { projectRoot, tempDir } from '../support/paths';

let dir: string;
let folder: string;

beforeAll(() => {
  dir = tempDir('studio-crash-');
  folder = path.join(dir, 'corpus');
  for (let i = 0; i < 300; i++) writeMidiFile(path.join(folder, `piece-${String(i).padStart(3, '0')}.mid`), i, 400);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runAndKill(databasePath: string, killAfterCommits: number, extraDelayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/support/import-child.ts'), databasePath, dir, folder], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acknowledged = 0;
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const match = /^COMMITTED (\d+)$/.exec(line.trim());
        if (match) acknowledged = Math.max(acknowledged, Number(match[1]));
      }
      if (!killing && acknowledged >= killAfterCommits) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the child ended by itself before it was killed: ${stderr}`));
      else resolve(acknowledged);
    });
  });
}

describe('killing the studio mid-import', () => {
  for (const [round, killAfter, delay] of [
    [1, 1, 0],
    [2, 40, 3],
    [3, 100, 17],
  ] as const) {
    it(`leaves a sound database with whole pieces only (round ${round})`, async () => {
      const databasePath = path.join(dir, `crash-${round}.sqlite`);
      const acknowledged = await runAndKill(databasePath, killAfter, delay);
      expect(acknowledged).toBeGreaterThanOrEqual(killAfter);

      const db = openDatabase(databasePath);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        const pieces = db
          .prepare(
            `SELECT p.note_count AS expected, p.track_count AS expectedTracks,
                    (SELECT COUNT(*) FROM tracks t WHERE t.piece_id = p.id) AS tracks,
                    (SELECT COUNT(*) FROM notes n JOIN tracks t ON n.track_id = t.id WHERE t.piece_id = p.id) AS actual
             FROM pieces p`,
          )
          .all() as { expected: number; actual: number; expectedTracks: number; tracks: number }[];
        // Every acknowledged commit survived, and nothing half-written did.
        expect(pieces.length).toBeGreaterThanOrEqual(acknowledged);
        expect(pieces.length).toBeLessThan(300);
        for (const piece of pieces) {
          expect(piece.actual).toBe(piece.expected);
          expect(piece.tracks).toBe(piece.expectedTracks);
        }
      } finally {
        db.close();
      }
      // Reopening through the studio marks the interrupted job failed.
      const reopened = openDatabase(databasePath);
      const { JobManager } = await import('../../electron/main/services/jobs/job-manager');
      const manager = new JobManager({ db: reopened, workerScript: '', poolSize: 1, definitions: [], onUpdate: () => undefined });
      expect(manager.list()[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/closed before/) });
      await manager.close();
      reopened.close();
    });
  }
});
