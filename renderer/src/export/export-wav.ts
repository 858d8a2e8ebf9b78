/**
 * "Export WAV…" for a piece or a clip. Rendering takes a while, so it is a job: `audio.renderWav`
 * starts it (the Jobs panel shows its progress and can cancel it), and when it is done the file goes
 * out the way a MIDI export does: main's native save dialog on the desktop (`audio.exportWav`), a
 * download of `audio.wav` in browser mode. No DOM or React here (the download is handed in), so the
 * flow is tested with a fake API; use-wav-export.ts wires it to the tables' buttons.
 */
import type { StudioApi } from '../../../core/ipc/client';
import type { AppInfo, Job, MusicSource } from '../../../core/ipc/schemas';
import { base64ToBytes } from '../import/base64';
import { exportRouteFor, type DownloadFile } from './export-midi';

export type WavApi = Pick<StudioApi, 'audio' | 'jobs' | 'on'>;

export type WavExportOutcome =
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'downloaded'; readonly fileName: string }
  /** The save dialog was closed without saving. */
  | { readonly kind: 'cancelled' }
  /** The render job was cancelled (from the Jobs panel). */
  | { readonly kind: 'render-cancelled' };

/** How often the job is asked for directly, in case an event was lost (a reconnect). */
const POLL_INTERVAL_MS = 2000;

/** A file name a download may carry: no folders, no characters file systems refuse, ends in .wav. */
export function safeWavFileName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/[<>:"|?*]/g, '_')
    .split('')
    .filter((char) => char.charCodeAt(0) >= 32)
    .join('')
    .trim();
  const withName = base === '' || base.toLowerCase() === '.wav' ? 'render.wav' : base;
  return /\.wav$/i.test(withName) ? withName : `${withName}.wav`;
}

/** Resolves with the job once it has ended, from `job.updated` events or, failing those, `jobs.get`. */
export function waitForJobEnd(api: Pick<StudioApi, 'jobs' | 'on'>, jobId: number, pollIntervalMs = POLL_INTERVAL_MS): Promise<Job> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (job: Job): void => {
      if (settled || job.id !== jobId || job.status === 'queued' || job.status === 'running') return;
      settled = true;
      unsubscribe();
      clearInterval(timer);
      resolve(job);
    };
    const unsubscribe = api.on('job.updated', finish);
    const poll = (): void => {
      api.jobs.get({ jobId }).then(finish, (error: unknown) => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    };
    const timer = setInterval(poll, pollIntervalMs);
    poll();
  });
}

/** Renders, waits for the job, then saves (desktop) or downloads (browser). Throws when the render fails. */
export async function exportWav(
  api: WavApi,
  mode: AppInfo['mode'],
  source: MusicSource,
  download: DownloadFile,
  onStarted: (jobId: number) => void = () => undefined,
): Promise<WavExportOutcome> {
  const { jobId } = await api.audio.renderWav({ source });
  onStarted(jobId);
  const job = await waitForJobEnd(api, jobId);
  if (job.status === 'cancelled') return { kind: 'render-cancelled' };
  if (job.status === 'failed') throw new Error(job.error ?? 'The render failed.');
  if (exportRouteFor(mode) === 'save-dialog') {
    const { savedTo } = await api.audio.exportWav({ jobId });
    return savedTo === null ? { kind: 'cancelled' } : { kind: 'saved', path: savedTo };
  }
  const file = await api.audio.wav({ jobId });
  const fileName = safeWavFileName(file.fileName);
  download({ fileName, bytes: base64ToBytes(file.base64) });
  return { kind: 'downloaded', fileName };
}

export function describeWavExport(outcome: WavExportOutcome): string | null {
  switch (outcome.kind) {
    case 'saved':
      return `Saved to ${outcome.path}`;
    case 'downloaded':
      return `Downloaded ${outcome.fileName}`;
    case 'cancelled':
      return null;
    case 'render-cancelled':
      return 'The WAV render was cancelled.';
  }
}
