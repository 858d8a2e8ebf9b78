/**
 * Worker side of a comparison: core/comparisons/run.ts does the work; this hands it the job's input,
 * the native E-step for categorical likelihoods (one thread, as training uses: the pool's other
 * workers have the other cores), and the runtime's progress, data and cancel flag.
 */
import { ComparePayloadSchema, runComparison, type CompareInput, type CompareWorkerResult } from '../../../core/comparisons';
import { loadHmmKernel } from '../hmm-native';
import type { JobContext } from '../runtime';

export async function compare(rawPayload: unknown, context: JobContext): Promise<CompareWorkerResult> {
  ComparePayloadSchema.parse(rawPayload);
  const input = readInput(context.input);
  const needsKernel = input.models.some((model) => model.settings.representation !== 'note');
  const kernel = needsKernel ? (loadHmmKernel({ threads: 1 }).kernel ?? undefined) : undefined;
  return runComparison(input, {
    progress: (fraction, message) => context.progress(fraction, message),
    emit: (data) => context.emit(data),
    throwIfCancelled: () => context.throwIfCancelled(),
    kernel,
  });
}

/** Main builds the input (electron/main/services/comparisons/compare-job.ts); this checks it arrived whole. */
function readInput(input: unknown): CompareInput {
  const candidate = input as Partial<CompareInput> | undefined;
  if (!candidate?.reference || !candidate.models || candidate.samplesPerModel === undefined || !candidate.length) {
    throw new Error('The compare job started without its models and reference pieces.');
  }
  return candidate as CompareInput;
}
