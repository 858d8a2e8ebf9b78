/**
 * Worker side of the polyphonic uses (harmonize, infill, continue): plain TypeScript on the stored
 * weights, no engine. Result k is drawn alone with seed + k and sent to main as soon as it is made
 * (main stores it as a clip), so a cancel between two results keeps those already made.
 */
import {
  POLYPHONIC_FAMILY,
  runPolyphonicRequest,
  type PolyphonicGenerateJobInput,
  type PolyphonicGenerateRequest,
  type PolyphonicGenerateWorkerResult,
  type PolyphonicVariationData,
} from '../../../core/models/polyphonic/jobs';
import { modelOfCheckpoint, readPolyphonicCheckpoint } from '../../../core/models/polyphonic/studio';
import type { JobContext } from '../runtime';

const USE_NAMES: Readonly<Record<PolyphonicGenerateRequest['use'], string>> = { harmonize: 'Harmonizing', infill: 'Infilling', continue: 'Continuing' };

function withSeed(request: PolyphonicGenerateRequest, seed: number, onProgress: (fraction: number) => void): PolyphonicGenerateRequest {
  // Each result alone (one variation), with its own seed; progress within it.
  const options = { ...request.options, variations: 1, seed, onProgress };
  return { ...request, options } as PolyphonicGenerateRequest;
}

export function runPolyphonicGeneration(rawInput: unknown, context: Pick<JobContext, 'progress' | 'emit' | 'throwIfCancelled'>): PolyphonicGenerateWorkerResult {
  const input = rawInput as PolyphonicGenerateJobInput;
  if (input?.family !== POLYPHONIC_FAMILY || typeof input.checkpoint !== 'string' || !input.request) {
    throw new Error('The polyphonic generation job started without its model and request.');
  }
  const model = modelOfCheckpoint(readPolyphonicCheckpoint(input.checkpoint));
  const verb = USE_NAMES[input.request.use];
  for (let index = 0; index < input.count; index++) {
    context.throwIfCancelled();
    const message = `${verb}: result ${index + 1} of ${input.count}…`;
    context.progress(index / input.count, message);
    const seed = input.seed + index;
    const request = withSeed(input.request, seed, (fraction) => {
      context.throwIfCancelled();
      context.progress((index + fraction) / input.count, message);
    });
    const [variation] = runPolyphonicRequest(model, request);
    const data: PolyphonicVariationData = { type: 'polyphonic-variation', index, seed, roll: variation!.roll, logLikelihood: variation!.logLikelihood, ...(variation!.acceptance === undefined ? {} : { acceptance: variation!.acceptance }) };
    context.emit(data, [variation!.roll.data.buffer as ArrayBuffer]);
  }
  context.progress(1, `${input.count} result${input.count === 1 ? '' : 's'} ready.`);
  return { generated: input.count };
}
