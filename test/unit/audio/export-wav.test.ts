// The renderer's Export WAV flow against a fake API: start the render, wait for its job (events, or
// polling when an event is lost), then the save dialog (desktop) or a download (browser).
import { describe, expect, it, vi } from 'vitest';
import type { Job } from '../../../core/ipc/schemas';
import { describeWavExport, exportWav, safeWavFileName, waitForJobEnd, type WavApi } from '../../../renderer/src/export/export-wav';

function job(id: number, status: Job['status'], extra: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'render-wav',
    title: 'Render x.wav',
    status,
    progress: status === 'done' ? 1 : 0.3,
    message: '',
    error: null,
    result: null,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    finishedAt: null,
    ...extra,
  };
}

/** A fake API whose render job is reported by `job.updated` events the test sends. */
function fakeApi(options: { jobsGet?: (jobId: number) => Job } = {}) {
  const listeners = new Set<(job: Job) => void>();
  const calls: string[] = [];
  const api = {
    audio: {
      renderWav: vi.fn(async () => {
        calls.push('renderWav');
        return { jobId: 7 };
      }),
      wav: vi.fn(async () => {
        calls.push('wav');
        return { fileName: 'Tune.wav', base64: Buffer.from('RIFFdata').toString('base64') };
      }),
      exportWav: vi.fn(async () => {
        calls.push('exportWav');
        return { savedTo: '/home/me/Tune.wav' as string | null };
      }),
    },
    jobs: {
      get: vi.fn(async ({ jobId }: { jobId: number }) => options.jobsGet?.(jobId) ?? job(jobId, 'running')),
    },
    on: vi.fn((event: string, listener: (job: Job) => void) => {
      expect(event).toBe('job.updated');
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
  };
  const send = (update: Job): void => {
    for (const listener of [...listeners]) listener(update);
  };
  return { api: api as unknown as WavApi, raw: api, send, calls, listeners };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('exportWav', () => {
  it('in the browser: renders, waits for the job to end, then downloads the file under a safe name', async () => {
    const { api, send, calls, listeners } = fakeApi();
    const download = vi.fn();
    const started = vi.fn();
    const outcome = exportWav(api, 'browser', { clipId: 3 }, download, started);
    await tick();
    expect(started).toHaveBeenCalledWith(7);
    send(job(6, 'done')); // another job
    send(job(7, 'running'));
    expect(download).not.toHaveBeenCalled();
    send(job(7, 'done'));
    await expect(outcome).resolves.toEqual({ kind: 'downloaded', fileName: 'Tune.wav' });
    expect(calls).toEqual(['renderWav', 'wav']);
    expect(download).toHaveBeenCalledWith({ fileName: 'Tune.wav', bytes: new Uint8Array(Buffer.from('RIFFdata')) });
    expect(listeners.size).toBe(0);
  });

  it('on the desktop: saves through main’s dialog, and says when the dialog was closed', async () => {
    const { api, raw, send } = fakeApi();
    const saving = exportWav(api, 'electron', { pieceId: 1 }, vi.fn());
    await tick();
    send(job(7, 'done'));
    await expect(saving).resolves.toEqual({ kind: 'saved', path: '/home/me/Tune.wav' });
    expect(raw.audio.renderWav).toHaveBeenCalledWith({ source: { pieceId: 1 } });

    raw.audio.exportWav.mockResolvedValueOnce({ savedTo: null });
    const closing = exportWav(api, 'electron', { pieceId: 1 }, vi.fn());
    await tick();
    send(job(7, 'done'));
    await expect(closing).resolves.toEqual({ kind: 'cancelled' });
  });

  it('throws the job’s error when the render fails, and reports a cancelled render', async () => {
    const { api, send, calls } = fakeApi();
    const failing = exportWav(api, 'browser', { clipId: 3 }, vi.fn());
    await tick();
    send(job(7, 'failed', { error: 'The SoundFont /x.sf2 cannot be read: there is no such file.' }));
    await expect(failing).rejects.toThrow('The SoundFont /x.sf2 cannot be read');
    const cancelled = exportWav(api, 'browser', { clipId: 3 }, vi.fn());
    await tick();
    send(job(7, 'cancelled'));
    await expect(cancelled).resolves.toEqual({ kind: 'render-cancelled' });
    expect(calls).toEqual(['renderWav', 'renderWav']);
  });
});

describe('waitForJobEnd', () => {
  it('asks for the job itself when no event comes (an event lost in a reconnect)', async () => {
    let status: Job['status'] = 'running';
    const { api, raw } = fakeApi({ jobsGet: (jobId) => job(jobId, status) });
    const waiting = waitForJobEnd(api, 7, 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = 'done';
    await expect(waiting).resolves.toMatchObject({ id: 7, status: 'done' });
    expect(raw.jobs.get.mock.calls.length).toBeGreaterThan(1);
  });

  it('rejects when the job cannot be asked for', async () => {
    const { api, raw } = fakeApi();
    raw.jobs.get.mockRejectedValueOnce(new Error('There is no job 7.'));
    await expect(waitForJobEnd(api, 7, 1000)).rejects.toThrow('There is no job 7.');
  });
});

describe('safeWavFileName and describeWavExport', () => {
  it('keeps a download’s name to a plain .wav file name', () => {
    expect(safeWavFileName('Tune.wav')).toBe('Tune.wav');
    expect(safeWavFileName('../../etc/passwd')).toBe('passwd.wav');
    expect(safeWavFileName('a<b>c?.WAV')).toBe('a_b_c_.WAV');
    expect(safeWavFileName('')).toBe('render.wav');
  });

  it('words each outcome for a notice', () => {
    expect(describeWavExport({ kind: 'saved', path: '/x.wav' })).toBe('Saved to /x.wav');
    expect(describeWavExport({ kind: 'downloaded', fileName: 'x.wav' })).toBe('Downloaded x.wav');
    expect(describeWavExport({ kind: 'cancelled' })).toBeNull();
    expect(describeWavExport({ kind: 'render-cancelled' })).toBe('The WAV render was cancelled.');
  });
});
