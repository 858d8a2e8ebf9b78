/**
 * Main's side of the render job: loads the music when the job starts (so a clip edited while the job
 * was queued renders as it is now), hands it to the worker with the file to write, and turns the
 * worker's figures into the job's result. The worker side is electron/workers/handlers/render-wav.ts;
 * the two agree on RenderWavPayload / RenderWavInput there and here (a worker may not import main).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { JobKindSchema, MusicSourceSchema, type JobResult, type MusicSource } from '../../../../core/ipc/schemas';
import type { Piece } from '../../../../core/music/types';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import { defineJob } from '../jobs/job-definition';
import type { RenderFolder } from './renders';

export const RENDER_WAV_JOB = JobKindSchema.enum['render-wav'];
export const WAV_SAMPLE_RATE = 44_100;

/** Stored with the job: enough to name it, show it and run it again. */
export const RenderWavPayloadSchema = z.object({
  source: MusicSourceSchema,
  /** The file's name for a download or the save dialog, e.g. "Chorale 12.wav". */
  fileName: z.string().min(1),
  soundFontPath: z.string().min(1),
  /** The SoundFont as the composer knows it (file name, or the built-in one's name). */
  soundFontName: z.string(),
});
export type RenderWavPayload = z.infer<typeof RenderWavPayloadSchema>;

/** Per run, not stored: see RenderWavInput in the worker's handler. */
export interface RenderWavInput {
  readonly piece: Piece;
  readonly outputPath: string;
}

const WorkerResultSchema = z.object({
  durationSeconds: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sampleRate: z.number().int().positive(),
});

export interface RenderWavJobDependencies {
  readonly corpora: CorpusStore;
  readonly clips: ClipStore;
  readonly renders: RenderFolder;
}

export function loadMusic(source: MusicSource, corpora: CorpusStore, clips: ClipStore): Piece {
  return 'pieceId' in source ? corpora.loadPiece(source.pieceId) : clips.get(source.clipId);
}

export function renderWavJob({ corpora, clips, renders }: RenderWavJobDependencies) {
  return defineJob<RenderWavPayload>({
    kind: RENDER_WAV_JOB,
    payloadSchema: RenderWavPayloadSchema,
    title: (payload) => `Render ${payload.fileName}`,
    start(payload, jobId) {
      const piece = loadMusic(payload.source, corpora, clips);
      const outputPath = renders.pathFor(jobId);
      fs.mkdirSync(renders.dir, { recursive: true });
      const input: RenderWavInput = { piece, outputPath };
      return {
        input,
        finish(workerResult): JobResult | null {
          // A cancelled render keeps nothing (the worker removed its partial file).
          if (workerResult === undefined) return null;
          const figures = WorkerResultSchema.parse(workerResult);
          if (!fs.existsSync(outputPath)) throw new Error(`The render finished but its file ${outputPath} is missing.`);
          renders.prune();
          return {
            kind: 'render-wav',
            fileName: payload.fileName,
            durationSeconds: figures.durationSeconds,
            sampleRate: figures.sampleRate,
            bytes: figures.bytes,
            soundFont: payload.soundFontName,
          };
        },
        dispose() {
          // A worker terminated mid-render could not remove its own partial file.
          fs.rmSync(renders.partPathFor(jobId), { force: true });
        },
      };
    },
  });
}
