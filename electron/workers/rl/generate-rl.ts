/**
 * Worker side of generating with an RL-tuned model: its policy is a studio LSTM state, so this is
 * the LSTM's generation (electron/workers/handlers/generate-neural.ts: the same payload, variations
 * streamed to main as parts, cancel between notes) on the tuned weights.
 * To wire as a job handler: `(payload, context) => runRlGeneration(payload, context)`, with
 * context.input an RlGenerateInput.
 */
import type { GenerateWorkerResult } from '../../../core/models/hmm-studio/jobs';
import { isRlInput, lstmGenerateInputFor, type RlGenerateInput } from '../../../core/models/rl/jobs';
import { generateNeural } from '../handlers/generate-neural';
import type { JobContext } from '../runtime';

export async function runRlGeneration(payload: unknown, context: JobContext): Promise<GenerateWorkerResult> {
  if (!isRlInput(context.input)) throw new Error('The RL generation job started without its model.');
  const input = lstmGenerateInputFor(context.input as RlGenerateInput);
  return generateNeural(payload, { ...context, input });
}
