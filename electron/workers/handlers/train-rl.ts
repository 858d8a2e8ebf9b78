/**
 * Worker side of RL tuning for the studio: electron/workers/rl's run on the start LSTM and the note
 * steps main prepared. Every checkpoint it emits carries the tuned model, so the result goes back
 * without it: it would only be posted twice.
 */
import { TrainModelPayloadSchema } from '../../../core/models/hmm-studio/jobs';
import type { RlTrainWorkerResult } from '../../../core/models/rl/jobs';
import { runRlTraining } from '../rl/train-rl';
import type { JobContext } from '../runtime';

export type StudioRlTrainResult = Omit<RlTrainWorkerResult, 'model'> & { readonly model: null };

export async function trainRlModel(rawPayload: unknown, context: JobContext): Promise<StudioRlTrainResult> {
  TrainModelPayloadSchema.parse(rawPayload);
  const result = await runRlTraining(context.input, context);
  return { ...result, model: null };
}
