import { describe, expect, it, vi } from 'vitest';
import { virtualRange } from '../../../renderer/src/lib/virtual-range';
import { coalesce } from '../../../renderer/src/state/coalesce';
import { isAtLeastAsNew, mergeJobs, upsertJob } from '../../../renderer/src/state/jobs';
import { Store } from '../../../renderer/src/state/store';
import { countJobs, jobElapsed } from '../../../renderer/src/views/jobs/job-view-model';
import { filterPieces, nextSort, sortPieces, splitCounts } from '../../../renderer/src/views/library/piece-table-model';
import { makeJob, makePiece } from './fake-studio';

describe('virtualRange', () => {
  it('renders only the rows in view plus the overscan, for 2,000 rows', () => {
    const range = virtualRange({ rowCount: 2000, rowHeight: 26, scrollTop: 26 * 1000, viewportHeight: 520, overscan: 5 });
    expect(range).toEqual({ start: 995, end: 1026, before: 995 * 26, after: (2000 - 1026) * 26 });
    expect(range.end - range.start).toBeLessThan(40);
  });

  it('clamps at both ends', () => {
    expect(virtualRange({ rowCount: 10, rowHeight: 26, scrollTop: 0, viewportHeight: 520 })).toEqual({ start: 0, end: 10, before: 0, after: 0 });
    const last = virtualRange({ rowCount: 100, rowHeight: 20, scrollTop: 1800, viewportHeight: 200, overscan: 2 });
    expect(last.end).toBe(100);
    expect(last.after).toBe(0);
    expect(virtualRange({ rowCount: 0, rowHeight: 26, scrollTop: 0, viewportHeight: 100 })).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});

describe('pieces table model', () => {
  const pieces = [
    makePiece({ id: 1, corpusId: 1, relativePath: 'train/10.mid', split: 'train', noteCount: 300, initialTimeSignature: '3/4' }),
    makePiece({ id: 2, corpusId: 1, relativePath: 'train/9.mid', split: 'train', noteCount: 100 }),
    makePiece({ id: 3, corpusId: 1, relativePath: 'test/1.mid', split: 'test', noteCount: 200 }),
    makePiece({ id: 4, corpusId: 1, relativePath: 'loose.mid', split: null, noteCount: 200 }),
  ];

  it('sorts paths naturally and numbers numerically, both ways', () => {
    expect(sortPieces(pieces, { key: 'relativePath', direction: 'ascending' }).map((p) => p.id)).toEqual([4, 3, 2, 1]);
    expect(sortPieces(pieces, { key: 'noteCount', direction: 'descending' }).map((p) => p.id)).toEqual([1, 4, 3, 2]);
    expect(sortPieces(pieces, { key: 'split', direction: 'ascending' }).map((p) => p.id)).toEqual([2, 1, 3, 4]);
    expect(sortPieces(pieces, { key: 'initialTimeSignature', direction: 'ascending' }).map((p) => p.id)[0]).toBe(1);
  });

  it('filters by every word and toggles sort direction', () => {
    expect(filterPieces(pieces, 'TRAIN 10').map((p) => p.id)).toEqual([1]);
    expect(filterPieces(pieces, '  ')).toBe(pieces);
    expect(nextSort({ key: 'noteCount', direction: 'ascending' }, 'noteCount').direction).toBe('descending');
    expect(nextSort({ key: 'noteCount', direction: 'descending' }, 'split')).toEqual({ key: 'split', direction: 'ascending' });
  });

  it('counts pieces per split', () => {
    expect(splitCounts(pieces)).toEqual([
      { split: 'train', pieces: 2 },
      { split: 'test', pieces: 1 },
      { split: 'none', pieces: 1 },
    ]);
  });
});

describe('job list', () => {
  it('orders newest first and never moves a job backwards', () => {
    let jobs = upsertJob([], makeJob({ id: 1 }));
    jobs = upsertJob(jobs, makeJob({ id: 2 }));
    expect(jobs.map((job) => job.id)).toEqual([2, 1]);
    const done = makeJob({ id: 1, status: 'done', progress: 1 });
    jobs = upsertJob(jobs, done);
    expect(upsertJob(jobs, makeJob({ id: 1, status: 'running', progress: 0.9 }))).toBe(jobs);
    expect(isAtLeastAsNew(makeJob({ id: 1, status: 'running', progress: 0.2 }), makeJob({ id: 1, status: 'queued' }))).toBe(true);
    const merged = mergeJobs(jobs, [makeJob({ id: 3, status: 'failed', error: 'boom' }), makeJob({ id: 1, status: 'queued' })]);
    expect(merged.map((job) => `${job.id}:${job.status}`)).toEqual(['3:failed', '2:queued', '1:done']);
    expect(countJobs(merged)).toEqual({ active: 1, failed: 1 });
  });

  it('reports elapsed time', () => {
    const start = '2025-01-01T10:00:00.000Z';
    expect(jobElapsed({ startedAt: null, finishedAt: null }, 0)).toBeNull();
    expect(jobElapsed({ startedAt: start, finishedAt: '2025-01-01T10:00:02.500Z' }, 0)).toBe('2.5 s');
    expect(jobElapsed({ startedAt: start, finishedAt: '2025-01-01T10:03:05.000Z' }, 0)).toBe('3 min 05 s');
    expect(jobElapsed({ startedAt: start, finishedAt: null }, Date.parse(start) + 42_000)).toBe('42 s');
  });
});

describe('Store and coalesce', () => {
  it('notifies only on change', () => {
    const store = new Store({ count: 0 });
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.update((state) => state);
    store.update((state) => ({ count: state.count + 1 }));
    unsubscribe();
    store.update((state) => ({ count: state.count + 1 }));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getState()).toEqual({ count: 2 });
  });

  it('runs a burst once, and once more for requests made while running', async () => {
    vi.useFakeTimers();
    try {
      let release: () => void = () => {};
      const task = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
      const refresh = coalesce(task, 100);
      for (let i = 0; i < 10; i++) refresh.request();
      await vi.advanceTimersByTimeAsync(100);
      expect(task).toHaveBeenCalledTimes(1);
      refresh.request();
      refresh.request();
      release();
      await vi.advanceTimersByTimeAsync(100);
      expect(task).toHaveBeenCalledTimes(2);
      release();
      refresh.cancel();
      refresh.request();
      await vi.advanceTimersByTimeAsync(500);
      expect(task).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
