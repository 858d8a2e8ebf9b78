/**
 * Worker side of a comparison: core/comparisons/run.ts does the work; this hands it the job's input,
 * the native E-step for categorical HMM likelihoods and, when an LSTM, transformer or polyphonic
 * model is compared, the neural engine (and the native NADE loss for the polyphonic ones) (loaded once per run; one thread each, as training uses: the pool's other
 * workers have the other cores), and the runtime's progress, data and cancel flag.
 */
import { ComparePayloadSchema, isHmmCompareInput, isPolyphonicCompareInput, runComparison, type CompareInput, type CompareWorkerResult, type NeuralRuntime } from '../../../core/comparisons';
import { loadHmmKernel } from '../hmm-native';
import { createEngine } from '../neural/engine';
import { loadNadeKernel } from '../polyphonic/native-nade';
import type { JobContext } from '../runtime';

export async function compare(rawPayload: unknown, context: JobContext): Promise<CompareWorkerResult> {
  ComparePayloadSchema.parse(rawPayload);
  const input = readInput(context.input);
  const needsKernel = input.models.some((model) => isHmmCompareInput(model) && model.settings.representation !== 'note');
  const kernel = needsKernel ? (loadHmmKernel({ threads: 1 }).kernel ?? undefined) : undefined;
  let neural: NeuralRuntime | undefined;
  if (input.models.some((model) => !isHmmCompareInput(model))) {
    const engine = await createEngine({ prefer: 'native', threads: 1 });
    // Polyphonic models' NADE loss in native code when the engine runs native kernels too.
    const nade = engine.path === 'native' && input.models.some(isPolyphonicCompareInput) ? loadNadeKernel() : null;
    neural = { tf: engine.tf, ops: engine.ops, nadeLoss: nade?.nadeLoss ?? undefined };
  }
  return runComparison(input, {
    progress: (fraction, message) => context.progress(fraction, message),
    emit: (data) => context.emit(data),
    throwIfCancelled: () => context.throwIfCancelled(),
    kernel,
    neural,
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
