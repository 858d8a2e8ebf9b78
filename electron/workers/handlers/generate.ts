/** Worker side of generation: samples each requested piece (seed, seed + 1, …) and sends it to main as it is made. */
import {
  GeneratePayloadSchema,
  generatePiece,
  loadSavedHmm,
  type GenerateInput,
  type GeneratedPieceData,
  type GenerateWorkerResult,
} from '../../../core/models/hmm-studio';
import type { JobContext } from '../runtime';

export async function generate(rawPayload: unknown, context: JobContext): Promise<GenerateWorkerResult> {
  const payload = GeneratePayloadSchema.parse(rawPayload);
  const input = context.input as GenerateInput | undefined;
  if (!input?.settings || input.state === undefined) throw new Error('The generate job started without its model.');
  const model = loadSavedHmm(input.state, input.settings);
  for (let index = 0; index < payload.count; index++) {
    context.throwIfCancelled();
    context.progress(index / payload.count, `Sampling ${index + 1} of ${payload.count}…`);
    const seed = payload.seed + index;
    const piece = generatePiece(
      model,
      input.settings,
      { length: payload.length, temperature: payload.temperature, seed },
      { name: `Sample ${index + 1}`, tempo: input.tempoBpm },
    );
    const data: GeneratedPieceData = { type: 'piece', index, seed, piece };
    context.emit(data);
  }
  context.progress(1, `Generated ${payload.count} clip${payload.count === 1 ? '' : 's'}.`);
  return { generated: payload.count };
}
