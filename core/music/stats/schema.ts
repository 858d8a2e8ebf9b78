/** The zod schema of CorpusStatistics, for the IPC contract (statistics cross IPC as plain JSON). */
import { z } from 'zod';
import type { CorpusStatistics } from './describe';

const count = z.number().int().nonnegative();

export const HistogramSchema = z
  .object({ lowerEdges: z.array(z.number()), counts: z.array(count) })
  .refine((histogram) => histogram.lowerEdges.length === histogram.counts.length, { message: 'A histogram needs one count per bin edge.' });

export const CorpusStatisticsSchema = z.object({
  pieces: count,
  notes: count,
  totalDurationSeconds: z.number().nonnegative(),
  notesPerPiece: z.object({ values: z.array(count), mean: z.number().nonnegative() }),
  tempo: HistogramSchema,
  pitch: z.array(count).length(128),
  pitchClass: z.array(count).length(12),
  duration: HistogramSchema,
  interOnset: HistogramSchema,
  velocity: HistogramSchema,
  polyphony: z.object({ mean: z.number().nonnegative(), max: count, onsets: count }),
  programs: z.array(z.object({ program: z.number().int().min(0).max(127), tracks: count, notes: count })),
  drums: z.object({ piecesWithDrums: count, tracks: count, notes: count }),
  controlChanges: z.array(z.object({ controller: z.number().int().min(0).max(127), events: count, pieces: count })),
}) satisfies z.ZodType<CorpusStatistics>;
