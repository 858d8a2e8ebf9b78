/**
 * Worker side of the VAE's uses (sample, reconstruct, interpolate, attribute): plain TypeScript on the
 * stored weights; the native addon's step kernels when it loads (same maths, faster), else the
 * JavaScript loops. To wire as a job handler:
 * `(payload, context) => runVaeGeneration(context.input, context)`; each result's piece becomes a clip.
 */
import { generateVae, VAE_FAMILY, type VaeGenerateInput, type VaeGenerateResult } from '../../../core/models/vae/jobs';
import type { RawKernels } from '../../../core/models/neural/raw-kernels';
import { createEngine } from '../neural/engine';
import type { JobContext } from '../runtime';

export async function runVaeGeneration(rawInput: unknown, context: Pick<JobContext, 'progress'>, options: { readonly raw?: RawKernels } = {}): Promise<VaeGenerateResult> {
  const input = rawInput as VaeGenerateInput;
  if (input?.family !== VAE_FAMILY || !input.model || !input.request) throw new Error('The VAE generation job started without its model and request.');
  context.progress(0, `Generating (${input.request.use})…`);
  const raw = options.raw ?? (await createEngine({ prefer: 'native', threads: 1 })).ops.raw;
  const result = generateVae(input, raw);
  context.progress(1, `${result.items.length} result${result.items.length === 1 ? '' : 's'} ready.`);
  return result;
}
