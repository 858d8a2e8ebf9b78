/**
 * Where rendered .wav files live: `<dataDir>/renders/<jobId>.wav`, written there by the render job
 * and read back by `audio.wav` / `audio.exportWav`.
 *
 * They are a cache, not the composer's files (those are where Export WAV saved them), so they are
 * pruned: when the studio starts, renders older than MAX_AGE_MS and any `.part` file left by a render
 * that was killed go; after every finished render only the newest KEEP_RENDERS stay.
 */
import fs from 'node:fs';
import path from 'node:path';

export const KEEP_RENDERS = 20;
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export class RenderFolder {
  constructor(readonly dir: string) {}

  pathFor(jobId: number): string {
    return path.join(this.dir, `${jobId}.wav`);
  }

  /** The unfinished file of a render in progress (the worker renames it when done). */
  partPathFor(jobId: number): string {
    return `${this.pathFor(jobId)}.part`;
  }

  /** At studio start: no render is running, so every `.part` is debris; old renders go too. */
  cleanOnStart(now = Date.now()): void {
    for (const entry of this.#entries()) {
      if (entry.name.endsWith('.part') || now - entry.modifiedAt > MAX_AGE_MS) fs.rmSync(entry.path, { force: true });
    }
  }

  /** Keeps the newest `keep` finished renders (by job id: ids only grow). */
  prune(keep = KEEP_RENDERS): void {
    const finished = this.#entries()
      .map((entry) => ({ ...entry, jobId: Number(/^(\d+)\.wav$/.exec(entry.name)?.[1] ?? NaN) }))
      .filter((entry) => Number.isInteger(entry.jobId))
      .sort((a, b) => b.jobId - a.jobId);
    for (const stale of finished.slice(keep)) fs.rmSync(stale.path, { force: true });
  }

  #entries(): { name: string; path: string; modifiedAt: number }[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const entries: { name: string; path: string; modifiedAt: number }[] = [];
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const stat = fs.statSync(file);
        if (stat.isFile()) entries.push({ name, path: file, modifiedAt: stat.mtimeMs });
      } catch {
        // Removed meanwhile.
      }
    }
    return entries;
  }
}
