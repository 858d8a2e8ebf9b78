/**
 * Worker side of training a polyphonic model for the studio: electron/workers/polyphonic's run on
 * the frames main prepared. The checkpoints it emits carry everything main stores (the best
 * weights too), so the result goes back without the model: it would only be posted twice.
 */
import { TrainModelPayloadSchema } from '../../../core/models/hmm-studio/jobs';
import type { PolyphonicTrainWorkerResult } from '../../../core/models/polyphonic/jobs';
import { runPolyphonicTraining } from '../polyphonic/train-polyphonic';
import type { JobContext } from '../runtime';

export async function trainPolyphonic(rawPayload: unknown, context: JobContext): Promise<PolyphonicTrainWorkerResult> {
  TrainModelPayloadSchema.parse(rawPayload);
  const result = await runPolyphonicTraining(context.input, context);
  return { ...result, model: null };
}
