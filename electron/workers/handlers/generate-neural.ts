/**
 * Worker side of generating with a neural model: the model rebuilt from its saved state, then each
 * requested variation (seed, seed + 1, …) sampled and sent to main as soon as it is done, so the
 * first clips are stored (and can be played) while the others are made. The LSTM steps one note at
 * a time with its state carried, on the engine's tensor-free kernels (native when built).
 */
import type { LstmSettings, TransformerSettings } from '../../../core/ipc/schemas';
import { GeneratePayloadSchema, type GeneratedPieceData, type GenerateWorkerResult } from '../../../core/models/hmm-studio/jobs';
import {
  decodeSnapshot,
  lstmPiece,
  lstmConfig,
  readSavedNeuralModel,
  restoreSnapshot,
  sampleLstmNotes,
  sampleTransformerTokens,
  samplingOf,
  transformerConfig,
  transformerPiece,
  type LstmPrimer,
  type NeuralGenerateInput,
} from '../../../core/models/neural-studio';
import { EventTransformer } from '../../../core/models/neural/event-transformer';
import { noteStepLstmWeightsFrom, noteStepper } from '../../../core/models/neural/note-step-lstm';
import type { NoteStepLstmConfig } from '../../../core/models/neural/note-step-lstm';
import { mixSeed } from '../../../core/models/neural/random-streams';
import { createEngine } from '../neural/engine';
import type { JobContext } from '../runtime';

export async function generateNeural(rawPayload: unknown, context: JobContext): Promise<GenerateWorkerResult> {
  const payload = GeneratePayloadSchema.parse(rawPayload);
  const input = context.input as NeuralGenerateInput;
  if (!input?.settings || input.state === undefined || input.state === null) throw new Error('The generate job started without its model.');
  const saved = readSavedNeuralModel(input.state, input.family);
  const snapshot = decodeSnapshot(saved);
  const sampling = samplingOf(payload.temperature, payload.topK, payload.topP);
  const engine = await createEngine({ prefer: 'native', threads: 1 });
  const what = input.family === 'lstm' ? 'notes' : 'events';
  const pieceOptions = (index: number) => ({ name: `Sample ${index + 1}`, tempo: input.tempoBpm, ppq: input.ppq });

  if (input.family === 'lstm') {
    const config = snapshot.config as NoteStepLstmConfig;
    const settings = input.settings as LstmSettings;
    if (config.windowLength !== lstmConfig(settings).windowLength) throw new Error('The saved model does not match its settings.');
    const arrays = new Map(snapshot.weights.map((array) => [array.name, array.values as Float32Array] as const));
    const stepper = noteStepper(noteStepLstmWeightsFrom(config, (name) => arrays.get(name)), engine.ops.raw);
    for (let index = 0; index < payload.count; index++) {
      context.throwIfCancelled();
      const seed = payload.seed + index;
      const openings = snapshot.family === 'lstm' ? snapshot.openings : [];
      const primer: LstmPrimer =
        input.primer.kind === 'clip-notes'
          ? { rows: input.primer.rows, keep: true }
          : { rows: openings.length > 0 ? openings[mixSeed(seed) % openings.length]! : [], keep: false };
      if (primer.rows.length === 0) throw new Error('An LSTM needs notes to start from: choose a primer clip, or train on pieces with notes.');
      const request = { ...sampling, length: payload.length, seed };
      const notes = sampleLstmNotes(stepper, primer, request, input.tempoBpm, {
        hasVelocity: config.velocity,
        onNote: (count) => {
          if (count % 64 === 0) context.progress((index + (payload.length.unit === 'steps' ? count / payload.length.value : 0.5)) / payload.count, `Sample ${index + 1} of ${payload.count}: ${count} ${what}…`);
        },
      });
      const piece = lstmPiece(primer, notes, request, pieceOptions(index));
      const data: GeneratedPieceData = { type: 'piece', index, seed, piece };
      context.emit(data);
      context.progress((index + 1) / payload.count, `Made ${index + 1} of ${payload.count}.`);
    }
    return { generated: payload.count };
  }

  const settings = input.settings as TransformerSettings;
  const model = new EventTransformer(engine.tf, engine.ops, transformerConfig(settings));
  try {
    await restoreSnapshot(engine.tf, model, snapshot);
    const primer = input.primer.kind === 'clip-tokens' ? input.primer.tokens : [];
    for (let index = 0; index < payload.count; index++) {
      context.throwIfCancelled();
      const seed = payload.seed + index;
      const request = { ...sampling, length: payload.length, seed };
      const tokens = sampleTransformerTokens(model, primer, request, {
        resolution: settings.resolution,
        onToken: (count) => {
          if (count % 16 === 0) {
            context.throwIfCancelled();
            context.progress((index + (payload.length.unit === 'steps' ? count / payload.length.value : 0.5)) / payload.count, `Sample ${index + 1} of ${payload.count}: ${count} ${what}…`);
          }
        },
      });
      const piece = transformerPiece(primer, tokens, request, settings.resolution, pieceOptions(index));
      const data: GeneratedPieceData = { type: 'piece', index, seed, piece };
      context.emit(data);
      context.progress((index + 1) / payload.count, `Made ${index + 1} of ${payload.count}.`);
    }
    return { generated: payload.count };
  } finally {
    model.dispose();
  }
}
