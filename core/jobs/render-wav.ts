/** The .wav render job: what main stores and hands the worker, and what the worker returns. */
import { z } from 'zod';
import { MusicSourceSchema } from '../ipc/schemas';
import type { Piece } from '../music/types';

export const RENDER_WAV_JOB = 'render-wav';
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

/** Per run, not stored: the music to render and where to write it. */
export interface RenderWavInput {
  readonly piece: Piece;
  readonly outputPath: string;
}

export const RenderWavWorkerResultSchema = z.object({
  durationSeconds: z.number().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sampleRate: z.number().int().positive(),
});
export type RenderWavWorkerResult = z.infer<typeof RenderWavWorkerResultSchema>;
