/**
 * Main's side of the render job: loads the music when the job starts (so a clip edited while the job
 * was queued renders as it is now), hands it to the worker with the file to write, and turns the
 * worker's figures into the job's result. The worker side is electron/workers/handlers/render-wav.ts;
 * the two agree on the types in core/jobs/render-wav.ts.
 */
import fs from 'node:fs';
import type { JobResult, MusicSource } from '../../../../core/ipc/schemas';
import {
  RENDER_WAV_JOB,
  RenderWavPayloadSchema,
  RenderWavWorkerResultSchema,
  type RenderWavInput,
  type RenderWavPayload,
} from '../../../../core/jobs/render-wav';
import type { Piece } from '../../../../core/music/types';
import type { ClipStore } from '../clips/clip-store';
import type { CorpusStore } from '../corpora/corpus-store';
import { defineJob } from '../jobs/job-definition';
import type { RenderFolder } from './renders';

export { RENDER_WAV_JOB, WAV_SAMPLE_RATE, type RenderWavPayload } from '../../../../core/jobs/render-wav';

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
          const figures = RenderWavWorkerResultSchema.parse(workerResult);
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
