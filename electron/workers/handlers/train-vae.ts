/**
 * Worker side of training a VAE for the studio: electron/workers/vae's run on the segments main
 * prepared. The checkpoints it emits carry everything main stores (the best weights too), so the
 * result goes back without the model: it would only be posted twice.
 */
import { TrainModelPayloadSchema } from '../../../core/models/hmm-studio/jobs';
import type { VaeTrainWorkerResult } from '../../../core/models/vae/jobs';
import { runVaeTraining } from '../vae/train-vae';
import type { JobContext } from '../runtime';

export async function trainVaeModel(rawPayload: unknown, context: JobContext): Promise<VaeTrainWorkerResult> {
  TrainModelPayloadSchema.parse(rawPayload);
  const result = await runVaeTraining(context.input, context);
  return { ...result, model: null };
}
